import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Context } from "aws-lambda";
import { createMcpApp, McpApp, McpAppOptions, RequestLog } from "../handler/mcp-app.js";
import { createLambdaHandler } from "../handler/lambda.js";
import type { HttpApiEvent } from "../handler/events/http-api.js";
import { DynamoSessionStore } from "../handler/session-store.js";
import { newSessionId } from "../handler/sessions.js";
import { TOOLS } from "../handler/tools/index.js";
import { LocalDynamo, startLocalDynamo } from "../handler/local/dynamo.js";
import { Blackhole, startBlackhole } from "./support/blackhole.js";
import { fromFetchRequest, toFetchResponse } from "./support/fetch-messages.js";
import { stallingTool } from "./support/stalling-tool.js";

/**
 * No request holds the function until it times out. Each case here hung
 * before (reproduced against the built handler in the December 2026
 * review): `subscriptions/listen` on 2026-07-28, a batch that cancels its
 * own request, a session store that accepts connections and never answers.
 * Now each answers at once, or by the request's deadline: a JSON-RPC error
 * for work the server could not finish, 503 with Retry-After where the
 * store did not answer, and an audit line either way.
 */
const ACCEPT = "application/json, text/event-stream";
const CLAIMS = { client_id: "acme", sub: "acme-client", scope: "mcp/invoke", token_use: "access" };
const ENVELOPE = { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {} };
const base: McpAppOptions = { tenantClaim: "client_id", scopes: ["mcp/invoke"], allowedOrigins: [] };

function post(body: unknown, headers: Record<string, string> = {}): Request {
  return new Request("https://api.example.com/mcp", { method: "POST", headers: { "content-type": "application/json", accept: ACCEPT, ...headers }, body: JSON.stringify(body) });
}
const modern = (method: string, name?: string) => ({ "mcp-protocol-version": "2026-07-28", "mcp-method": method, ...(name ? { "mcp-name": name } : {}) });
const callStall = (id: number | string, meta?: object) => ({ jsonrpc: "2.0", id, method: "tools/call", params: { name: "stall", arguments: {}, ...(meta && { _meta: meta }) } });
const cancel = (requestId: number | string) => ({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId, reason: "the client gave up" } });

/** The answer, how long it took, and the audit line it wrote. */
async function timed(app: McpApp, request: Request, lines: RequestLog[]): Promise<{ response: Response; ms: number; line: RequestLog }> {
  const started = performance.now();
  const response = toFetchResponse(await app.handle({ request: await fromFetchRequest(request), claims: CLAIMS, requestId: "r-1" }));
  return { response, ms: performance.now() - started, line: lines.at(-1)! };
}

function appWith(options: Partial<McpAppOptions>): { app: McpApp; lines: RequestLog[]; stall: ReturnType<typeof stallingTool> } {
  const lines: RequestLog[] = [];
  const stall = stallingTool();
  return { app: createMcpApp({ ...base, tools: [...TOOLS, stall], log: (line) => lines.push(line), ...options }), lines, stall };
}

let dynamo: LocalDynamo;
let blackhole: Blackhole;
beforeAll(async () => {
  dynamo = await startLocalDynamo();
  blackhole = await startBlackhole();
});
afterAll(async () => {
  await dynamo?.stop();
  await blackhole?.close();
});

describe("subscriptions/listen (2026-07-28) on a front that cannot stream", () => {
  it("answers at once with a JSON-RPC error for the listen request that says this deployment does not stream", async () => {
    const { app, lines } = appWith({ requestTimeoutMs: 60_000 });
    const listen = { jsonrpc: "2.0", id: "listen:1", method: "subscriptions/listen", params: { _meta: ENVELOPE, notifications: { toolsListChanged: true } } };
    const { response, ms, line } = await timed(app, post(listen, modern("subscriptions/listen")), lines);
    expect(ms).toBeLessThan(1_000);
    expect(response.status).toBe(200);
    const body: any = await response.json();
    expect(body).toMatchObject({ jsonrpc: "2.0", id: "listen:1", error: { code: -32601 } });
    expect(body.error.message).toContain("cannot hold a stream open");
    expect(line).toMatchObject({ method: "subscriptions/listen", status: 200, tenant: "acme" });
  });
});

describe.each([
  ["sessions off", false],
  ["in a 2025-03-26 session", true],
] as const)("a JSON-RPC batch that cancels its own request (%s)", (_name, withSessions) => {
  let app: McpApp;
  let stall: ReturnType<typeof stallingTool>;
  let headers: Record<string, string>;
  beforeAll(async () => {
    const sessions = withSessions ? new DynamoSessionStore({ tableName: await dynamo.createSessionsTable(), ttlSeconds: 600, clientConfig: dynamo.clientConfig }) : undefined;
    ({ app, stall } = appWith({ sessions, requestTimeoutMs: 60_000 }));
    headers = { "mcp-protocol-version": "2025-03-26" };
    if (withSessions) {
      const initialize = { jsonrpc: "2.0", id: 0, method: "initialize", params: { protocolVersion: "2025-03-26", capabilities: {}, clientInfo: { name: "t", version: "1" } } };
      const response = await app.handle({ request: await fromFetchRequest(post(initialize)), claims: CLAIMS, requestId: "r-0" });
      headers["mcp-session-id"] = response.headers["mcp-session-id"]!;
    }
  });

  it("answers at once, 202 with no body, when the batch cancels its only request; the request's work is aborted", async () => {
    const before = stall.aborted();
    const { response, ms } = await timed(app, post([callStall(1), cancel(1)], headers), []);
    expect(ms).toBeLessThan(1_000);
    expect(response.status).toBe(202);
    expect(await response.text()).toBe("");
    expect(stall.aborted()).toBe(before + 1);
  });

  it("drops the cancelled request from the answer and answers the rest at once (one left: one object, as the SDK answers)", async () => {
    const { response, ms } = await timed(app, post([{ jsonrpc: "2.0", id: 1, method: "tools/list" }, callStall(2), cancel(2)], headers), []);
    expect(ms).toBeLessThan(1_000);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: 1, result: { tools: expect.any(Array) } });
  });

  it("drops a cancelled request wherever its cancel stands in the batch, even one that finished first", async () => {
    const list = (id: number) => ({ jsonrpc: "2.0", id, method: "tools/list" });
    const { response, ms } = await timed(app, post([cancel(7), list(7), list(8), list(9), cancel(9)], headers), []);
    expect(ms).toBeLessThan(1_000);
    expect(await response.json()).toMatchObject({ id: 8, result: { tools: expect.any(Array) } });
  });
});

describe("work that outlives the request's deadline", () => {
  it.each([
    ["2025-06-18", { "mcp-protocol-version": "2025-06-18" }, undefined],
    ["2026-07-28", modern("tools/call", "stall"), ENVELOPE],
  ] as const)("on %s: the tool's work is aborted and the request gets a JSON-RPC error by the deadline (HTTP 200, in-band)", async (_revision, headers, meta) => {
    const { app, lines, stall } = appWith({ requestTimeoutMs: 300 });
    const { response, ms, line } = await timed(app, post(callStall(3, meta), headers), lines);
    expect(ms).toBeGreaterThanOrEqual(290);
    expect(ms).toBeLessThan(1_000);
    expect(response.status).toBe(200);
    const body: any = await response.json();
    expect(body).toMatchObject({ jsonrpc: "2.0", id: 3, error: { code: -32001 } });
    expect(body.error.message).toContain("before its deadline");
    expect(stall.aborted()).toBe(1);
    expect(line).toMatchObject({ status: 200, error: "deadline", tool: "stall", tenant: "acme" });
  });

  it("in a 2025-03-26 batch: the finished request keeps its result, the unfinished one gets the error", async () => {
    const { app } = appWith({ requestTimeoutMs: 300 });
    const { response } = await timed(app, post([{ jsonrpc: "2.0", id: 1, method: "tools/list" }, callStall(2)], { "mcp-protocol-version": "2025-03-26" }), []);
    const body: any = await response.json();
    expect(body).toEqual([expect.objectContaining({ id: 1, result: expect.any(Object) }), expect.objectContaining({ id: 2, error: expect.objectContaining({ code: -32001 }) })]);
  });

  it("on Lambda, takes the deadline from the context's remaining time less the margin, and answers before the function would time out", async () => {
    const stall = stallingTool();
    const handler = createLambdaHandler({ ...base, tools: [stall], log: () => undefined });
    const event: HttpApiEvent = {
      version: "2.0",
      routeKey: "POST /mcp",
      rawPath: "/mcp",
      rawQueryString: "",
      headers: { "content-type": "application/json", accept: ACCEPT, "mcp-protocol-version": "2025-06-18" },
      requestContext: {
        accountId: "111122223333",
        apiId: "api",
        domainName: "api.example.com",
        domainPrefix: "api",
        http: { method: "POST", path: "/mcp", protocol: "HTTP/1.1", sourceIp: "203.0.113.7", userAgent: "t" },
        requestId: "r-lambda",
        routeKey: "POST /mcp",
        stage: "$default",
        time: "",
        timeEpoch: 0,
        authorizer: { principalId: "", integrationLatency: 0, jwt: { claims: CLAIMS, scopes: ["mcp/invoke"] } },
      },
      body: JSON.stringify(callStall(9)),
      isBase64Encoded: false,
    };
    // As on Lambda: 2 s left in the invocation; the margin keeps back a tenth of it (it keeps 1 s of longer ones).
    const end = Date.now() + 2_000;
    const started = performance.now();
    const result = await handler(event, { getRemainingTimeInMillis: () => end - Date.now() } as Context);
    const ms = performance.now() - started;
    expect(ms).toBeGreaterThanOrEqual(1_780);
    expect(ms).toBeLessThan(2_000);
    expect(JSON.parse(result.body!)).toMatchObject({ id: 9, error: { code: -32001 } });
  });
});

describe("a session store that accepts connections and never answers (a broken VPC endpoint or NAT)", () => {
  it.each(["initialize", "a request in a session", "DELETE of a session"])("%s: 503 with Retry-After by the deadline, and an audit line that says so", async (kind) => {
    const sessions = new DynamoSessionStore({ tableName: "mcp-sessions", ttlSeconds: 600, clientConfig: { endpoint: blackhole.endpoint, region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "x" } } });
    const { app, lines } = appWith({ sessions, requestTimeoutMs: 500 });
    const session = { "mcp-protocol-version": "2025-06-18", "mcp-session-id": newSessionId() };
    const request =
      kind === "initialize"
        ? post({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } } })
        : kind === "DELETE of a session"
          ? new Request("https://api.example.com/mcp", { method: "DELETE", headers: session })
          : post({ jsonrpc: "2.0", id: 2, method: "tools/list" }, session);
    const { response, ms, line } = await timed(app, request, lines);
    expect(ms).toBeGreaterThanOrEqual(490);
    expect(ms).toBeLessThan(1_500);
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("1");
    expect(((await response.json()) as any).error.message).toContain("retry shortly");
    expect(line).toMatchObject({ status: 503, error: "deadline", tenant: "acme" });
  });
});
