import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createMcpApp, McpApp, McpAppOptions, RequestLog } from "../handler/mcp-app.js";
import { DynamoSessionStore } from "../handler/session-store.js";
import { SessionStoreRejectedError } from "../handler/sessions.js";
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
    expect((await json(response)).error.message).toContain("batches are allowed only under protocol revision 2025-03-26");
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
  it("403 for a browser Origin not in the allow-list; allowed and absent origins pass, and an allowed one may read the answer (CORS)", async () => {
    const refused = await call(app, post(initializeBody(), { origin: "https://evil.example" }));
    expect(refused.status).toBe(403);
    expect(refused.headers.get("access-control-allow-origin")).toBeNull();
    const allowed = await call(app, post(initializeBody(), { origin: "https://app.example.com" }));
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
    expect(allowed.headers.get("access-control-expose-headers")).toBe("mcp-session-id, mcp-protocol-version, www-authenticate");
    expect(allowed.headers.get("vary")).toBe("Origin");
    const absent = await call(app, post(initializeBody()));
    expect(absent.status).toBe(200);
    expect(absent.headers.get("access-control-allow-origin")).toBeNull();
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

  it("records the class of an error the store threw and what lay behind it (a system error code, never a message)", async () => {
    const lines: RequestLog[] = [];
    const stopped = await startLocalDynamo();
    const sessions = new DynamoSessionStore({ tableName: await stopped.createSessionsTable(), ttlSeconds: 600, clientConfig: { ...stopped.clientConfig, maxAttempts: 1 } });
    await stopped.stop();
    await call(createMcpApp({ ...base, sessions, log: (entry) => lines.push(entry) }), post(initializeBody()));
    expect(lines[0]).toMatchObject({ status: 503, error: "SessionStoreUnavailableError", cause: "ECONNREFUSED", tenant: "acme" });
  });
});

describe("client errors are answered as client errors, never as outages", () => {
  let app: McpApp;
  let lines: RequestLog[];
  beforeEach(async () => {
    lines = [];
    const sessions = new DynamoSessionStore({ tableName: await dynamo.createSessionsTable(), ttlSeconds: 600, clientConfig: dynamo.clientConfig });
    app = createMcpApp({ ...base, sessions, log: (entry) => lines.push(entry) });
  });
  const list = { jsonrpc: "2.0", id: 2, method: "tools/list" };
  const inSession = (id: string) => ({ "mcp-protocol-version": "2025-06-18", "mcp-session-id": id });

  it.each([
    ["1025 characters", "s".repeat(1025)],
    ["1024 characters", "s".repeat(1024)],
    ["42 base64url characters", "a".repeat(42)],
    ["44 base64url characters", "a".repeat(44)],
    ["43 characters outside base64url", "+".repeat(43)],
  ])("a session id that is not of the form the server issues (%s) answers 404 without asking the store", async (_name, id) => {
    const before = dynamo.requests();
    for (const request of [post(list, inSession(id)), new Request("https://api.example.com/mcp", { method: "DELETE", headers: inSession(id) })]) {
      const response = await call(app, request);
      expect(response.status).toBe(404);
      expect((await json(response)).error.code).toBe(-32001);
    }
    expect(dynamo.requests()).toBe(before);
  });

  it("a blank session id answers 400 without asking the store", async () => {
    const before = dynamo.requests();
    expect((await call(app, post(list, inSession(" ")))).status).toBe(400);
    expect(dynamo.requests()).toBe(before);
  });

  it.each([
    ["a number beyond 2^53", `9007199254740993000`],
    ["a number that underflows", `1.5e-200`],
    ["a literal __proto__ key", `{"__proto__":{"polluted":true}}`],
    ["450 KB of data", JSON.stringify("x".repeat(450 * 1024))],
    ["100 levels of nesting", `${"[".repeat(100)}${"]".repeat(100)}`],
  ])("initialize whose capabilities and clientInfo hold %s starts a session (only the revision and the client's name and version are stored)", async (_name, value) => {
    const capabilities = `{"roots":{"listChanged":true,"x":${value}},"experimental":{"vendor":{"x":${value}}}}`;
    const raw = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":${capabilities},"clientInfo":{"name":"c","version":"1","x":${value}}}}`;
    const response = await call(app, post(undefined, {}, raw));
    expect(response.status).toBe(200);
    expect((await json(response)).result.protocolVersion).toBe("2025-06-18");
    const id = response.headers.get("mcp-session-id")!;
    expect((await call(app, post(list, inSession(id)))).status).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("a body nested 100,000 levels deep answers 400 before the SDK's validation (which would overflow the stack) or the store sees it", async () => {
    const before = dynamo.requests();
    const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    const raw = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{"roots":{"x":${deep}}},"clientInfo":{"name":"c","version":"1"}}}`;
    const response = await call(app, post(undefined, {}, raw));
    expect(response.status).toBe(400);
    expect(await json(response)).toMatchObject({ error: { code: -32600, message: expect.stringContaining("more than 128 levels deep") } });
    expect(dynamo.requests()).toBe(before);
  });

  it("a request the store refuses as invalid answers 400 with a JSON-RPC error, and the log names the AWS error (stand-in store: what DynamoSessionStore throws for a ValidationException)", async () => {
    const rejected = async () => {
      throw new SessionStoreRejectedError(Object.assign(new Error("One or more parameter values were invalid: secret-value"), { name: "ValidationException" }));
    };
    const refusing = createMcpApp({ ...base, sessions: { create: rejected, touch: rejected, delete: rejected }, log: (entry) => lines.push(entry) });
    const response = await call(refusing, post(initializeBody()));
    expect(response.status).toBe(400);
    expect(await json(response)).toMatchObject({ jsonrpc: "2.0", error: { code: -32600 } });
    expect(lines.at(-1)).toMatchObject({ status: 400, error: "SessionStoreRejectedError", cause: "ValidationException" });
    expect(JSON.stringify(lines)).not.toContain("secret-value");
  });
});

describe("answers never echo what the client sent; the log keeps it, printable", () => {
  let lines: RequestLog[];
  let app: McpApp;
  beforeEach(() => {
    lines = [];
    app = createMcpApp({ ...base, log: (entry) => lines.push(entry) });
  });
  const echoes = async (response: Response, sent: string) => JSON.stringify(await json(response)).includes(sent);

  it("a refused Origin", async () => {
    const response = await call(app, post(initializeBody(), { origin: "https://evil.example/<script>" }));
    expect(response.status).toBe(403);
    expect(await echoes(response, "evil.example")).toBe(false);
    expect(lines[0]).toMatchObject({ detail: "https://evil.example/<script>", tenant: "acme" });
  });
  it("an unknown path", async () => {
    const response = await call(app, new Request("https://api.example.com/admin%0d%0aX-Injected:%201"));
    expect(response.status).toBe(404);
    expect(await echoes(response, "admin")).toBe(false);
    expect(lines[0]).toMatchObject({ detail: "/admin%0d%0aX-Injected:%201", path: "other" });
  });
  it("an unsupported MCP-Protocol-Version, with or without a session", async () => {
    const sessions = new DynamoSessionStore({ tableName: await dynamo.createSessionsTable(), ttlSeconds: 600, clientConfig: dynamo.clientConfig });
    const withSessions = createMcpApp({ ...base, sessions, log: (entry) => lines.push(entry) });
    const init = await call(withSessions, post(initializeBody()));
    const session = init.headers.get("mcp-session-id")!;
    for (const [target, headers] of [
      [app, { "mcp-protocol-version": "1999-01-01\u00e9<b>" }],
      [withSessions, { "mcp-protocol-version": "1999-01-01\u00e9<b>", "mcp-session-id": session }],
    ] as const) {
      const response = await call(target, post({ jsonrpc: "2.0", id: 2, method: "tools/list" }, headers));
      expect(response.status).toBe(400);
      expect(await echoes(response, "1999")).toBe(false);
    }
    expect(lines.at(-1)).toMatchObject({ protocolVersion: "1999-01-01?<b>", status: 400 });
  });
  it("the SDK's 2026-07-28 refusals of a revision or of headers that disagree with the body: fixed text, and the revision asked for only in printable form", async () => {
    const envelope = (version: string) => ({ "io.modelcontextprotocol/protocolVersion": version, "io.modelcontextprotocol/clientCapabilities": {} });
    const modern = (header: string, version: string) => post({ jsonrpc: "2.0", id: 1, method: "tools/list", params: { _meta: envelope(version) } }, { "mcp-protocol-version": header, "mcp-method": "tools/list" });
    const ordinary = await json(await call(app, modern("2099-01-01", "2099-01-01")));
    expect(ordinary.error).toEqual({ code: -32022, message: expect.stringContaining("error.data.supported"), data: { supported: ["2026-07-28"], requested: "2099-01-01" } });
    const hostile = await call(app, modern("2099-01-01<b>\u00e9", "2099-01-01<b>\u00e9"));
    expect(hostile.status).toBe(400);
    expect((await json(hostile)).error.data.requested).toBe("2099-01-01<b>?");
    const long = await call(app, modern("2026-07-28", "x".repeat(5_000)));
    expect(long.status).toBe(400);
    const text = await long.text();
    expect(text.length).toBeLessThan(400);
    expect(text).not.toContain("x".repeat(65));
    expect(JSON.parse(text).error.code).toBe(-32020);
  });
});

describe("the order of checks, and who the log names", () => {
  const huge = { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "echo", arguments: { text: "x".repeat(5 * 1024 * 1024) } } };

  it("checks CloudFront's origin secret before the body's size; a 413 line names the caller", async () => {
    const lines: RequestLog[] = [];
    const behindCloudFront = createMcpApp({ ...base, originVerifySecret: "s3cret", log: (entry) => lines.push(entry) });
    expect((await call(behindCloudFront, post(huge))).status).toBe(403);
    expect((await call(behindCloudFront, post(huge, { "x-origin-verify": "s3cret" }))).status).toBe(413);
    expect(lines[1]).toMatchObject({ status: 413, tenant: "acme", principal: "acme-client" });
  });

  it("403 insufficient_scope when the verified token lacks the server's scope, as the gateway answers (defense in depth)", async () => {
    const app = createMcpApp(base);
    for (const scope of ["mcp/read", "", undefined, ["mcp/invoke"]]) {
      const response = await send(app, post(initializeBody()), { ...claims("acme"), scope });
      expect(response.status, String(scope)).toBe(403);
      expect(response.headers.get("www-authenticate")).toBe('Bearer error="insufficient_scope", scope="mcp/invoke"');
      expect((await json(response)).error.message).toContain("lacks the scope");
    }
    expect((await send(app, post(initializeBody()), { ...claims("acme"), scope: "openid mcp/invoke" })).status).toBe(200);
  });

  it("403 for a tenant with a space at either end, which would be a tenant of its own; inner spaces are allowed", async () => {
    const app = createMcpApp(base);
    for (const tenant of [" acme", "acme ", "acme\t"]) expect((await call(app, post(initializeBody()), tenant)).status, JSON.stringify(tenant)).toBe(403);
    expect((await call(app, post(initializeBody()), "acme corp")).status).toBe(200);
  });

  it("403 for a subject over 256 bytes, which no session could store within its bound", async () => {
    const response = await send(createMcpApp(base), post(initializeBody()), { ...claims("acme"), sub: "s".repeat(257) });
    expect(response.status).toBe(403);
    expect((await json(response)).error.message).toContain("subject is over 256 bytes");
  });
});
