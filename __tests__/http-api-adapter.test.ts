import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { fromHttpApiEvent, HttpApiEvent, toHttpApiResult } from "../handler/events/http-api.js";
import { createHttpApiHandler } from "../handler/lambda.js";

/** A fresh copy of a JSON event fixture per test. */
const fixture = (name: string): HttpApiEvent => JSON.parse(readFileSync(join(__dirname, "fixtures", `${name}.json`), "utf8"));

describe("HTTP API payload 2.0 adapter", () => {
  it("turns an event into a web request: method, URL with query, headers, cookies, base64 body", async () => {
    const { request, claims, requestId } = fromHttpApiEvent(fixture("http-api-initialize"));
    expect(request.method).toBe("POST");
    expect(request.url).toBe("https://abc123.execute-api.us-east-1.amazonaws.com/mcp?trace=1");
    expect(request.headers.get("Content-Type")).toBe("application/json");
    expect(request.headers.get("cookie")).toBe("a=1; b=2");
    expect(await request.json()).toMatchObject({ jsonrpc: "2.0", method: "initialize" });
    expect(claims).toMatchObject({ client_id: "acme", scope: "mcp/invoke" });
    expect(requestId).toBe("Q1b2c3d4e5f6=");
  });

  it("passes a plain-text body through and gives GET requests no body", async () => {
    const event = fixture("http-api-initialize");
    event.body = '{"jsonrpc":"2.0","id":1,"method":"ping"}';
    event.isBase64Encoded = false;
    expect(await fromHttpApiEvent(event).request.json()).toEqual({ jsonrpc: "2.0", id: 1, method: "ping" });
    const get = fromHttpApiEvent(fixture("http-api-discovery"));
    expect(get.request.method).toBe("GET");
    expect(get.request.body).toBeNull();
    expect(get.claims).toBeUndefined();
  });

  it("turns a response into a result: status, single-value headers, Set-Cookie as cookies, text body", async () => {
    const headers = new Headers({ "content-type": "application/json", "mcp-session-id": "abc" });
    headers.append("set-cookie", "x=1; Secure");
    headers.append("set-cookie", "y=2; Secure");
    const result = await toHttpApiResult(new Response('{"ok":true}', { status: 200, headers }));
    expect(result).toEqual({
      statusCode: 200,
      headers: { "content-type": "application/json", "mcp-session-id": "abc" },
      cookies: ["x=1; Secure", "y=2; Secure"],
      body: '{"ok":true}',
      isBase64Encoded: false,
    });
  });

  it("base64-encodes binary bodies and keeps empty ones empty", async () => {
    const binary = await toHttpApiResult(new Response(new Uint8Array([0, 255, 1]), { headers: { "content-type": "application/octet-stream" } }));
    expect(binary).toMatchObject({ isBase64Encoded: true, body: "AP8B" });
    const empty = await toHttpApiResult(new Response(null, { status: 202 }));
    expect(empty).toMatchObject({ statusCode: 202, body: "", isBase64Encoded: false });
  });
});

describe("Lambda entry handler/index.ts", () => {
  it("serves an HTTP API event end to end, statelessly when no table is configured", async () => {
    vi.stubEnv("MCP_SESSIONS_TABLE", "");
    vi.stubEnv("MCP_ISSUER", "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123");
    vi.stubEnv("MCP_RESOURCE_URL", "https://abc123.execute-api.us-east-1.amazonaws.com/mcp");
    vi.resetModules();
    const { handler } = await import("../handler/index.js");
    const context = { awsRequestId: "lambda-1" } as Parameters<typeof handler>[1];
    const result = await handler(fixture("http-api-initialize"), context);
    expect(result.statusCode).toBe(200);
    expect(result.headers?.["mcp-session-id"]).toBeUndefined();
    expect(JSON.parse(result.body!).result.serverInfo.name).toBe("cdktf-aws-mcp-server");
    const discovery = await handler(fixture("http-api-discovery"), context);
    expect(JSON.parse(discovery.body!)).toMatchObject({ resource: "https://abc123.execute-api.us-east-1.amazonaws.com/mcp" });
    vi.unstubAllEnvs();
  });

  it("refuses an invocation whose tenant id differs from the token's tenant", async () => {
    vi.resetModules();
    const { handler } = await import("../handler/index.js");
    const result = await handler(fixture("http-api-initialize"), { tenantId: "globex" } as Parameters<typeof handler>[1]);
    expect(result.statusCode).toBe(403);
  });
});

describe("2025 status rules through the Lambda handler (stateless)", () => {
  const handler = createHttpApiHandler({ tenantClaim: "client_id", scopes: ["mcp/invoke"], allowedOrigins: [], log: () => undefined });
  const context = {} as Parameters<typeof handler>[1];
  /** The initialize fixture with a plain body and changed parts. */
  function event(change: (e: HttpApiEvent) => void, body?: unknown): HttpApiEvent {
    const e = fixture("http-api-initialize");
    if (body !== undefined) {
      e.body = JSON.stringify(body);
      e.isBase64Encoded = false;
    }
    change(e);
    return e;
  }

  it("406 when Accept lacks text/event-stream", async () => {
    expect((await handler(event((e) => (e.headers.accept = "application/json")), context)).statusCode).toBe(406);
  });
  it("415 for a non-JSON content type", async () => {
    expect((await handler(event((e) => (e.headers["content-type"] = "text/plain")), context)).statusCode).toBe(415);
  });
  it("400 with -32700 for an unparsable body", async () => {
    const result = await handler(event((e) => ((e.body = "{oops"), (e.isBase64Encoded = false))), context);
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body!).error.code).toBe(-32700);
  });
  it("202 and an empty body for a notification", async () => {
    const result = await handler(event((e) => (e.headers["mcp-protocol-version"] = "2025-06-18"), { jsonrpc: "2.0", method: "notifications/initialized" }), context);
    expect(result).toMatchObject({ statusCode: 202, body: "" });
  });
  it("400 for a batch under 2025-06-18 and for an unsupported MCP-Protocol-Version", async () => {
    const batch = await handler(event((e) => (e.headers["mcp-protocol-version"] = "2025-06-18"), [{ jsonrpc: "2.0", id: 1, method: "tools/list" }]), context);
    expect(batch.statusCode).toBe(400);
    const version = await handler(event((e) => (e.headers["mcp-protocol-version"] = "2099-01-01"), { jsonrpc: "2.0", id: 1, method: "tools/list" }), context);
    expect(version.statusCode).toBe(400);
  });
  it("405 with Allow for GET and for DELETE without sessions", async () => {
    for (const method of ["GET", "DELETE"]) {
      const result = await handler(event((e) => ((e.requestContext.http.method = method), (e.body = undefined))), context);
      expect(result).toMatchObject({ statusCode: 405, headers: expect.objectContaining({ allow: "POST" }) });
    }
  });
  it("403 when the authorizer's claims lack the tenant claim", async () => {
    const result = await handler(event((e) => delete e.requestContext.authorizer), context);
    expect(result.statusCode).toBe(403);
  });
});
