import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createMcpApp, McpApp, McpAppOptions } from "../handler/mcp-app.js";
import { DynamoSessionStore } from "../handler/session-store.js";
import { LocalDynamo, startLocalDynamo } from "../handler/local/dynamo.js";
import { fromFetchRequest, toFetchResponse } from "./support/fetch-messages.js";

/**
 * The MCP application on web requests, as API Gateway hands them over: each
 * Streamable HTTP rule of the 2025 revisions, sessions bound to the tenant
 * (in dynalite), tenant and origin checks, discovery.
 */
const ACCEPT = "application/json, text/event-stream";
const claims = (tenant: string) => ({ client_id: tenant, sub: `${tenant}-client`, scope: "mcp/invoke", token_use: "access" });
const initializeBody = (version = "2025-06-18") => ({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: version, capabilities: { roots: {} }, clientInfo: { name: "test-client", version: "1.0.0" } },
});

function post(body: unknown, headers: Record<string, string> = {}, raw?: string): Request {
  return new Request("https://api.example.com/mcp", {
    method: "POST",
    headers: { "content-type": "application/json", accept: ACCEPT, ...headers },
    body: raw ?? JSON.stringify(body),
  });
}
/** Hands `request` to the application with the claims API Gateway verified; the answer comes back as a Response. */
const send = async (app: McpApp, request: Request, verified: Record<string, unknown> | undefined, tenantId?: string) =>
  toFetchResponse(await app.handle({ request: await fromFetchRequest(request), claims: verified, requestId: "r-1" }, { tenantId }));
const call = (app: McpApp, request: Request, tenant: string | null = "acme", tenantId?: string) => send(app, request, tenant === null ? undefined : claims(tenant), tenantId);

/** A response's JSON body, for assertions. */
const json = async (response: Response): Promise<any> => response.json();

let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startLocalDynamo();
});
afterAll(() => dynamo?.stop());

const base: McpAppOptions = {
  tenantClaim: "client_id",
  issuer: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123",
  resourceUrl: "https://mcp.example.com/mcp",
  scopes: ["mcp/invoke"],
  allowedOrigins: ["https://app.example.com"],
  log: () => undefined,
};

describe.each([
  ["sessions off", false],
  ["sessions on", true],
] as const)("2025 Streamable HTTP rules (%s)", (_name, withSessions) => {
  let app: McpApp;
  beforeEach(async () => {
    const sessions = withSessions ? new DynamoSessionStore({ tableName: await dynamo.createSessionsTable(), ttlSeconds: 600, clientConfig: dynamo.clientConfig }) : undefined;
    app = createMcpApp({ ...base, sessions });
  });
  /** Initializes and returns the headers later requests need. */
  async function session(tenant = "acme"): Promise<Record<string, string>> {
    const response = await call(app, post(initializeBody()), tenant);
    expect(response.status).toBe(200);
    const id = response.headers.get("mcp-session-id");
    return { "mcp-protocol-version": "2025-06-18", ...(id ? { "mcp-session-id": id } : {}) };
  }

  it("406 when Accept lacks text/event-stream", async () => {
    expect((await call(app, post(initializeBody(), { accept: "application/json" }))).status).toBe(406);
  });
  it("415 when the body is not JSON", async () => {
    expect((await call(app, post(initializeBody(), { "content-type": "text/plain" }))).status).toBe(415);
  });
  it("400 with -32700 when the body does not parse", async () => {
    const response = await call(app, post(undefined, {}, "{not json"));
    expect(response.status).toBe(400);
    expect((await json(response)).error.code).toBe(-32700);
  });
  it("413 when the body is over the size bound (4 MiB)", async () => {
    const big = { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "echo", arguments: { text: "x".repeat(5 * 1024 * 1024) } } };
    expect((await call(app, post(big, await session()))).status).toBe(413);
  });
  it("202 with an empty body for notifications only", async () => {
    const response = await call(app, post({ jsonrpc: "2.0", method: "notifications/initialized" }, await session()));
    expect(response.status).toBe(202);
    expect(await response.text()).toBe("");
  });
  it("400 for an unsupported MCP-Protocol-Version", async () => {
    const headers = { ...(await session()), "mcp-protocol-version": "1999-01-01" };
    expect((await call(app, post({ jsonrpc: "2.0", id: 2, method: "tools/list" }, headers))).status).toBe(400);
  });
  it("400 for a batch after 2025-03-26", async () => {
    const response = await call(app, post([{ jsonrpc: "2.0", id: 2, method: "tools/list" }], await session()));
    expect(response.status).toBe(400);
    expect((await json(response)).error.message).toContain("batches are not allowed under protocol revision 2025-06-18");
  });
  it("405 with Allow for GET: a buffered Lambda response cannot hold a stream", async () => {
    const response = await call(app, new Request("https://api.example.com/mcp", { method: "GET", headers: { accept: "text/event-stream", ...(await session()) } }));
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe(withSessions ? "POST, DELETE" : "POST");
  });
  it("serves tools/list and tools/call after initialize", async () => {
    const headers = await session();
    const list = await json(await call(app, post({ jsonrpc: "2.0", id: 2, method: "tools/list" }, headers)));
    expect(list.result.tools.map((t: { name: string }) => t.name)).toEqual(expect.arrayContaining(["whoami", "echo"]));
    const who = await json(await call(app, post({ jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "whoami", arguments: {} } }, headers)));
    expect(who.result.structuredContent).toEqual({ tenant: "acme", principal: "acme-client", session: headers["mcp-session-id"] ?? null });
  });

  if (!withSessions) {
    it("issues no session id, and DELETE answers 405", async () => {
      const response = await call(app, post(initializeBody()));
      expect(response.headers.get("mcp-session-id")).toBeNull();
      const deleted = await call(app, new Request("https://api.example.com/mcp", { method: "DELETE" }));
      expect(deleted.status).toBe(405);
      expect(deleted.headers.get("allow")).toBe("POST");
    });
    it("accepts a batch under 2025-03-26 (the header's absence means 2025-03-26)", async () => {
      const response = await call(app, post([{ jsonrpc: "2.0", id: 2, method: "tools/list" }]));
      expect(response.status).toBe(200);
    });
  } else {
    it("issues an unguessable visible-ASCII session id", async () => {
      const id = (await session())["mcp-session-id"];
      expect(id).toMatch(/^[\x21-\x7e]{43}$/);
    });
    it("400 when a request after initialize has no session id", async () => {
      const response = await call(app, post({ jsonrpc: "2.0", id: 2, method: "tools/list" }, { "mcp-protocol-version": "2025-06-18" }));
      expect(response.status).toBe(400);
    });
    it("404 for an unknown session", async () => {
      const response = await call(app, post({ jsonrpc: "2.0", id: 2, method: "tools/list" }, { "mcp-protocol-version": "2025-06-18", "mcp-session-id": "nope" }));
      expect(response.status).toBe(404);
    });
    it("404 for another tenant's session, exactly like an unknown one", async () => {
      const headers = await session("acme");
      const response = await call(app, post({ jsonrpc: "2.0", id: 2, method: "tools/list" }, headers), "globex");
      expect(response.status).toBe(404);
      expect(await json(response)).toEqual(await json(await call(app, post({ jsonrpc: "2.0", id: 2, method: "tools/list" }, { ...headers, "mcp-session-id": "nope" }), "globex")));
    });
    it("DELETE ends the session (204); the ended session answers 404", async () => {
      const headers = await session();
      const deleted = await call(app, new Request("https://api.example.com/mcp", { method: "DELETE", headers }));
      expect(deleted.status).toBe(204);
      expect((await call(app, post({ jsonrpc: "2.0", id: 2, method: "tools/list" }, headers))).status).toBe(404);
      expect((await call(app, new Request("https://api.example.com/mcp", { method: "DELETE", headers }))).status).toBe(404);
    });
    it("accepts a batch in a 2025-03-26 session", async () => {
      const response = await call(app, post(initializeBody("2025-03-26")));
      const headers = { "mcp-session-id": response.headers.get("mcp-session-id")!, "mcp-protocol-version": "2025-03-26" };
      expect((await call(app, post([{ jsonrpc: "2.0", id: 2, method: "tools/list" }], headers))).status).toBe(200);
    });
  }
});

describe("sessions store failure", () => {
  it("answers 503 with a JSON-RPC error and Retry-After, never a stack trace", async () => {
    const stopped = await startLocalDynamo();
    const sessions = new DynamoSessionStore({ tableName: await stopped.createSessionsTable(), ttlSeconds: 600, clientConfig: { ...stopped.clientConfig, maxAttempts: 1 } });
    await stopped.stop();
    const app = createMcpApp({ ...base, sessions });
    const response = await call(app, post(initializeBody()));
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("1");
    const body = await response.text();
    expect(JSON.parse(body)).toMatchObject({ jsonrpc: "2.0", error: { code: -32002 } });
    expect(body).not.toMatch(/at \w+ \(|node_modules/);
  });
});

describe("tenant, origin and discovery", () => {
  const app = createMcpApp(base);

  it("403 when the verified claims lack the tenant claim, saying which claim", async () => {
    const response = await call(app, post(initializeBody()), null);
    expect(response.status).toBe(403);
    expect((await json(response)).error.message).toContain('no "client_id" claim');
  });
  it("403 when the tenant claim holds characters a Lambda tenant id or session tag cannot", async () => {
    const response = await send(app, post(initializeBody()), { ...claims("acme"), client_id: "acme<script>" });
    expect(response.status).toBe(403);
    expect((await json(response)).error.message).toContain("must be 1-256 characters");
  });
  it("takes the tenant from the claim named by the configuration, never from a header", async () => {
    const custom = createMcpApp({ ...base, tenantClaim: "tenant_id" });
    const request = post({ jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "whoami", arguments: {} } }, { "x-tenant-id": "evil", "mcp-protocol-version": "2025-06-18" });
    const response = await send(custom, request, { ...claims("acme"), tenant_id: "t-42" });
    expect((await json(response)).result.structuredContent.tenant).toBe("t-42");
  });
  it("refuses a request whose Lambda tenant differs from the claim's tenant", async () => {
    expect((await call(app, post(initializeBody()), "acme", "globex")).status).toBe(403);
    expect((await call(app, post(initializeBody()), "acme", "acme")).status).toBe(200);
  });
  it("403 for a browser Origin not in the allow-list; allowed and absent origins pass", async () => {
    expect((await call(app, post(initializeBody(), { origin: "https://evil.example" }))).status).toBe(403);
    expect((await call(app, post(initializeBody(), { origin: "https://app.example.com" }))).status).toBe(200);
    expect((await call(app, post(initializeBody()))).status).toBe(200);
  });
  it("403 without CloudFront's origin secret when one is configured", async () => {
    const behindCloudFront = createMcpApp({ ...base, originVerifySecret: "s3cret" });
    expect((await call(behindCloudFront, post(initializeBody()))).status).toBe(403);
    expect((await call(behindCloudFront, post(initializeBody(), { "x-origin-verify": "wrong!" }))).status).toBe(403);
    expect((await call(behindCloudFront, post(initializeBody(), { "x-origin-verify": "s3cret" }))).status).toBe(200);
    // Before any other work: discovery, unknown paths and tokenless requests that skipped CloudFront get the same answer, with no detail.
    const skipped = [
      new Request("https://api.example.com/.well-known/oauth-protected-resource"),
      new Request("https://api.example.com/elsewhere"),
    ];
    for (const request of skipped) {
      const response = await call(behindCloudFront, request, null);
      expect(response.status, request.url).toBe(403);
      expect(await json(response)).toEqual({ jsonrpc: "2.0", error: { code: -32001, message: "Requests must come through the server's CloudFront distribution." }, id: null });
    }
  });
  it.each(["/.well-known/oauth-protected-resource", "/.well-known/oauth-protected-resource/mcp"])("answers RFC 9728 metadata at %s, unauthenticated", async (path) => {
    const response = await send(app, new Request(`https://api.example.com${path}`), undefined);
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({
      resource: "https://mcp.example.com/mcp",
      authorization_servers: ["https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123"],
      scopes_supported: ["mcp/invoke"],
      bearer_methods_supported: ["header"],
    });
  });
  it("404 for any other path, naming the endpoint", async () => {
    const response = await call(app, new Request("https://api.example.com/other"));
    expect(response.status).toBe(404);
    expect((await json(response)).error).toContain("/mcp");
  });
});

describe("request log", () => {
  it("writes one line per request with who, what and outcome, and never tokens, arguments or raw session ids", async () => {
    const lines: unknown[] = [];
    const sessions = new DynamoSessionStore({ tableName: await dynamo.createSessionsTable(), ttlSeconds: 600, clientConfig: dynamo.clientConfig });
    const app = createMcpApp({ ...base, sessions, log: (entry) => lines.push(entry) });
    const bearer = { authorization: "Bearer eyJhbGciOi.secret-token.sig" };
    const init = await call(app, post(initializeBody(), bearer));
    const sessionId = init.headers.get("mcp-session-id")!;
    const headers = { ...bearer, "mcp-session-id": sessionId, "mcp-protocol-version": "2025-06-18" };
    await call(app, post({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "echo", arguments: { text: "secret-argument" } } }, headers));
    await call(app, post({ jsonrpc: "2.0", id: 3, method: "tools/list" }, { ...headers, "mcp-session-id": "unknown" }));

    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({ requestId: "r-1", tenant: "acme", principal: "acme-client", httpMethod: "POST", path: "/mcp", method: "initialize", status: 200 });
    expect(lines[1]).toMatchObject({ method: "tools/call", tool: "echo", status: 200, session: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(lines[2]).toMatchObject({ method: "tools/list", status: 404, error: "jsonrpc:-32001" });
    expect((lines[1] as { durationMs: number }).durationMs).toBeGreaterThanOrEqual(0);
    const written = JSON.stringify(lines);
    for (const secret of ["secret-token", "secret-argument", sessionId, "authorization"]) expect(written).not.toContain(secret);
  });

  it("records the class of an error the store threw", async () => {
    const lines: { error?: string }[] = [];
    const stopped = await startLocalDynamo();
    const sessions = new DynamoSessionStore({ tableName: await stopped.createSessionsTable(), ttlSeconds: 600, clientConfig: { ...stopped.clientConfig, maxAttempts: 1 } });
    await stopped.stop();
    await call(createMcpApp({ ...base, sessions, log: (entry) => lines.push(entry) }), post(initializeBody()));
    expect(lines[0].error).toBe("SessionStoreUnavailableError");
  });
});
