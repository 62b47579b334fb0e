import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { DynamoDBClient, GetItemCommand, ScanCommand } from "@aws-sdk/client-dynamodb";
import type { APIGatewayProxyResult, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { createLambdaHandler } from "../handler/lambda.js";
import type { HttpApiEvent } from "../handler/events/http-api.js";
import type { RestApiEvent } from "../handler/events/rest-api.js";
import type { McpAppOptions } from "../handler/mcp-app.js";
import { DynamoSessionStore } from "../handler/session-store.js";
import { type SessionStore, SessionStoreRejectedError, SessionStoreUnavailableError } from "../handler/sessions.js";
import { SESSION_KEY, TENANT_KEY } from "../handler/session-schema.js";
import { LocalDynamo, startLocalDynamo } from "../handler/local/dynamo.js";
import { TOOLS } from "../handler/tools/index.js";
import { captureOutput } from "./support/capture-output.js";
import { stallingTool } from "./support/stalling-tool.js";
import { startBlackhole } from "./support/blackhole.js";

/**
 * Property-based tests of the Lambda handler, over generated API Gateway
 * events of both fronts: random methods, paths, headers, bodies, encodings,
 * sizes, claims and invocation tenants, with requests that used to hang
 * (subscriptions/listen, batches that cancel their own requests, a tool that
 * never finishes). Sessions live in dynalite. Whatever arrives, the handler
 * answers by the request's deadline and below 500 (503 only when the store
 * fails), never shows a stack trace, a token or another tenant's data, never
 * writes a token, an Authorization header or a tool argument to a log, and
 * never creates a session for a refused request.
 */

const RUNS = 300;
/** The request deadline the handler runs with (off Lambda: requestTimeoutMs), short so that cases which reach it stay cheap. */
const DEADLINE_MS = 200;
/** How late after the deadline an answer may come: time to abort the work and answer, on a busy machine; a hang never fits. */
const LATE_MS = 2_000;
/** The victim's session id has the form the server issues, so that other tenants' requests naming it reach the store. */
const VICTIM = { tenant: "victim", sessionId: "victim-session-0123456789abcdef0123456789ab", marker: "VICTIM-PRIVATE-CLIENT" };
const KNOWN_HEADERS = ["content-type", "accept", "mcp-session-id", "mcp-protocol-version", "mcp-method", "mcp-name", "origin", "x-origin-verify", "authorization", "host", "cookie"];
const ORIGIN_SECRET = "origin-secret-of-the-distribution";
/** A body just over the 4 MiB bound, built once. */
const HUGE = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "echo", arguments: { text: "x".repeat(4.5 * 1024 * 1024) } } });

/** What one generated request carries: its secrets are unique strings, so finding them anywhere is a leak. */
interface Case {
  front: "http" | "rest";
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  token: string;
  argument: string;
  body: string | undefined;
  base64: "yes" | "no" | "garbage";
  claims: Record<string, unknown> | undefined;
  invocationTenant: string | undefined;
}

const secret = (prefix: string) => fc.stringMatching(/^[A-Za-z0-9]{12,24}$/).map((s) => `${prefix}${s}`);
/** Any tenant but the victim, whose session the others must not reach. */
const tenant = fc.oneof(fc.constantFrom("acme", "globex", "initech", "Victim", "victim "), fc.stringMatching(/^[a-zA-Z0-9._:=+@ -]{1,20}$/)).filter((t) => t !== VICTIM.tenant);
const claimValue = fc.oneof(tenant, fc.integer(), fc.constant(null), fc.string(), fc.array(fc.string(), { maxLength: 2 }), fc.object({ maxDepth: 1 }));
/** Mostly valid, so that generated requests get past the checks to the server and the store as often as they are refused. */
const mostly = <T, U>(valid: fc.Arbitrary<T>, other: fc.Arbitrary<U>) => fc.oneof({ weight: 5, arbitrary: valid }, { weight: 1, arbitrary: other });
const claims = fc.oneof(
  { weight: 8, arbitrary: fc.record({ client_id: tenant, sub: fc.string({ maxLength: 20 }), scope: fc.constant("mcp/invoke") }) },
  fc.constant(undefined),
  fc.record({ client_id: claimValue, sub: claimValue, scope: fc.oneof(fc.string(), fc.integer()) }, { requiredKeys: [] }),
  fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
);
/** What 2026-07-28 requests carry in every request's _meta: the revision and the client's capabilities. */
const ENVELOPE = { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {} };
const revision = fc.constantFrom("2025-03-26", "2025-06-18", "2025-11-25", "2026-07-28", "1999-01-01");

/** A JSON-RPC message: mostly well-formed ones the server knows, with the tool argument in them, else any shape. */
function message(argument: string) {
  const id = fc.oneof(fc.integer(), fc.string({ maxLength: 8 }));
  const initialize = fc.record({
    jsonrpc: fc.constant("2.0"),
    id,
    method: fc.constant("initialize"),
    params: fc.record({ protocolVersion: revision, capabilities: fc.constant({}), clientInfo: fc.record({ name: fc.string({ maxLength: 10 }), version: fc.constant("1") }) }),
  });
  const call = fc.record({
    jsonrpc: fc.constant("2.0"),
    id,
    method: fc.constant("tools/call"),
    params: fc.record({ name: fc.constantFrom("echo", "whoami", "missing-tool", "stall"), arguments: fc.constantFrom({ text: argument }, { text: 1, other: argument }, argument) }),
  });
  const plain = fc.record({ jsonrpc: fc.constant("2.0"), id, method: fc.constantFrom("tools/list", "ping", "server/discover") });
  const envelope = ENVELOPE;
  const modern = fc.record({
    jsonrpc: fc.constant("2.0"),
    id,
    method: fc.constantFrom("tools/call", "tools/list", "server/discover"),
    params: fc.constantFrom(
      { name: "echo", arguments: { text: argument }, _meta: envelope },
      { _meta: envelope },
      { name: "whoami", _meta: { ...envelope, arg: argument } },
      { name: "stall", arguments: {}, _meta: envelope },
    ),
  });
  const listen = fc.record({ jsonrpc: fc.constant("2.0"), id, method: fc.constant("subscriptions/listen"), params: fc.constant({ _meta: envelope, notifications: { toolsListChanged: true } }) });
  const notification = fc.constant({ jsonrpc: "2.0", method: "notifications/initialized" });
  const anyShape = fc.record(
    {
      jsonrpc: fc.oneof(fc.constant("2.0"), fc.string({ maxLength: 4 })),
      id: fc.oneof(id, fc.constant(null)),
      method: fc.string({ maxLength: 12 }),
      params: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant({ arg: argument })),
    },
    { requiredKeys: [] },
  );
  return fc.oneof({ weight: 3, arbitrary: initialize }, { weight: 2, arbitrary: call }, { weight: 2, arbitrary: plain }, { weight: 3, arbitrary: modern }, listen, notification, anyShape);
}

/** A batch of requests of which some are cancelled by the batch itself, wherever the cancel stands. */
function cancellingBatch(argument: string) {
  const request = fc.oneof(message(argument), fc.record({ jsonrpc: fc.constant("2.0"), id: fc.integer(), method: fc.constant("tools/call"), params: fc.constant({ name: "stall", arguments: {} }) }));
  return fc.array(fc.tuple(request, fc.boolean(), fc.boolean()), { minLength: 1, maxLength: 3 }).map((entries) =>
    entries.flatMap(([m, cancelled, before]) => {
      if (!cancelled || !("id" in m)) return [m];
      const cancel = { jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: m.id } };
      return before ? [cancel, m] : [m, cancel];
    }),
  );
}

const caseArbitrary: fc.Arbitrary<Case> = fc
  .record({ token: secret("TOKEN"), argument: secret("ARGUMENT") })
  .chain(({ token, argument }) =>
    fc.record({
      front: fc.constantFrom<"http" | "rest">("http", "rest"),
      method: mostly(fc.constantFrom("POST", "POST", "POST", "POST", "GET", "DELETE"), fc.oneof(fc.constantFrom("PUT", "PATCH", "HEAD", "OPTIONS", "TRACE", "CONNECT", "post"), fc.string({ maxLength: 10 }))),
      path: fc.oneof(
        { weight: 12, arbitrary: fc.constantFrom("/mcp", "/mcp", "/mcp", "/mcp", "/.well-known/oauth-protected-resource", "/.well-known/oauth-protected-resource/mcp") },
        { weight: 1, arbitrary: fc.constantFrom("/", "/mcp/", "/MCP", "//mcp", "/mcp%00", "mcp", "/%zz") },
        { weight: 1, arbitrary: fc.webPath() },
        { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
      ),
      query: fc.oneof(fc.constant(""), fc.webQueryParameters(), fc.string({ maxLength: 10 })),
      headers: fc
        .record(
          {
            "content-type": mostly(fc.constantFrom("application/json", "application/json; charset=utf-8"), fc.oneof(fc.constant("text/plain"), fc.string({ maxLength: 20 }))),
            accept: mostly(fc.constant("application/json, text/event-stream"), fc.oneof(fc.constantFrom("application/json", "*/*"), fc.string({ maxLength: 20 }))),
            "mcp-session-id": fc.oneof(fc.constant(VICTIM.sessionId), fc.string({ maxLength: 40 })),
            "mcp-protocol-version": mostly(revision, fc.string({ maxLength: 12 })),
            origin: mostly(fc.constant("https://app.example.com"), fc.oneof(fc.constantFrom("https://evil.example", "null"), fc.string({ maxLength: 20 }))),
            "x-origin-verify": mostly(fc.constant(ORIGIN_SECRET), fc.string({ maxLength: 40 })),
            cookie: fc.string({ maxLength: 20 }),
            "mcp-method": fc.constantFrom("tools/call", "tools/list", "server/discover", "subscriptions/listen"),
            "mcp-name": fc.constantFrom("echo", "whoami", "stall"),
          },
          { requiredKeys: ["content-type", "accept", "x-origin-verify"] },
        )
        .chain((known) =>
          mostly(
            fc.constant({}),
            fc.dictionary(fc.oneof(fc.constantFrom(...KNOWN_HEADERS), fc.string({ maxLength: 12 })), fc.string({ unit: "binary", maxLength: 30 }), { maxKeys: 3 }),
          ).map((extra) => ({ ...extra, ...known, authorization: `Bearer ${token}` })),
        ),
      token: fc.constant(token),
      argument: fc.constant(argument),
      body: fc.oneof(
        { weight: 10, arbitrary: message(argument).map((m) => JSON.stringify(m)) },
        { weight: 1, arbitrary: fc.array(message(argument), { minLength: 1, maxLength: 3 }).map((m) => JSON.stringify(m)) },
        { weight: 1, arbitrary: cancellingBatch(argument).map((m) => JSON.stringify(m)) },
        { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 200 }).map((s) => `${s}${argument}`) },
        { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
        { weight: 1, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.constant(HUGE) },
      ),
      base64: fc.constantFrom<"yes" | "no" | "garbage">("yes", "no", "yes", "no", "garbage"),
      claims,
      invocationTenant: mostly(fc.constant(undefined), tenant),
    }),
  );

/**
 * Well-formed requests on each front, always run first, so that every run
 * covers a served request that creates a session, one whose tool outlives
 * the deadline, and a subscriptions/listen.
 */
const WELL_FORMED_REQUESTS: { body: unknown; headers?: Record<string, string> }[] = [
  { body: { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "c", version: "1" } } } },
  { body: { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "stall", arguments: {}, _meta: ENVELOPE } }, headers: { "mcp-protocol-version": "2026-07-28", "mcp-method": "tools/call", "mcp-name": "stall" } },
  { body: { jsonrpc: "2.0", id: 3, method: "subscriptions/listen", params: { _meta: ENVELOPE, notifications: { toolsListChanged: true } } }, headers: { "mcp-protocol-version": "2026-07-28", "mcp-method": "subscriptions/listen" } },
];
const WELL_FORMED: [Case][] = (["http", "rest"] as const).flatMap((front) =>
  WELL_FORMED_REQUESTS.map(({ body, headers }): [Case] => [
    {
      front,
      method: "POST",
      path: "/mcp",
      query: "",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream", "x-origin-verify": ORIGIN_SECRET, authorization: "Bearer TOKENwellformed0001", ...headers },
      token: "TOKENwellformed0001",
      argument: "ARGUMENTwellformed0001",
      body: JSON.stringify(body),
      base64: "yes",
      claims: { client_id: "acme", sub: "acme", scope: "mcp/invoke" },
      invocationTenant: undefined,
    },
  ]),
);

function encode(c: Case): { body: string | undefined; isBase64Encoded: boolean } {
  if (c.body === undefined) return { body: undefined, isBase64Encoded: false };
  if (c.base64 === "yes") return { body: Buffer.from(c.body).toString("base64"), isBase64Encoded: true };
  return { body: c.base64 === "garbage" ? `%%${c.body}` : c.body, isBase64Encoded: c.base64 === "garbage" };
}

/** The API Gateway event a generated case arrives as, on its front. */
function eventOf(c: Case): HttpApiEvent | RestApiEvent {
  const { body, isBase64Encoded } = encode(c);
  const domainName = "abc123.execute-api.us-east-1.amazonaws.com";
  if (c.front === "http") {
    return {
      version: "2.0",
      routeKey: `${c.method} ${c.path}`,
      rawPath: c.path,
      rawQueryString: c.query,
      headers: c.headers,
      requestContext: {
        accountId: "111122223333",
        apiId: "abc123",
        domainName,
        domainPrefix: "abc123",
        http: { method: c.method, path: c.path, protocol: "HTTP/1.1", sourceIp: "203.0.113.7", userAgent: "fuzz" },
        requestId: "fuzz",
        routeKey: `${c.method} ${c.path}`,
        stage: "$default",
        time: "",
        timeEpoch: 0,
        ...(c.claims ? { authorizer: { jwt: { claims: c.claims as Record<string, string>, scopes: [] }, principalId: "", integrationLatency: 0 } } : {}),
      },
      body,
      isBase64Encoded,
    } as HttpApiEvent;
  }
  return {
    resource: c.path,
    path: c.path,
    httpMethod: c.method,
    headers: c.headers,
    multiValueHeaders: Object.fromEntries(Object.entries(c.headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: null,
    multiValueQueryStringParameters: c.query ? { q: [c.query] } : null,
    pathParameters: null,
    stageVariables: null,
    requestContext: { domainName, requestId: "fuzz", ...(c.claims ? { authorizer: { claims: c.claims } } : {}) } as unknown as RestApiEvent["requestContext"],
    body: body ?? null,
    isBase64Encoded,
  };
}

type AnyResult = APIGatewayProxyStructuredResultV2 | APIGatewayProxyResult;

/** Everything a client sees of a result: status line, headers and body, as one text. */
function visible(result: AnyResult): string {
  const r = result as APIGatewayProxyStructuredResultV2 & APIGatewayProxyResult;
  const body = r.isBase64Encoded ? Buffer.from(r.body ?? "", "base64").toString("utf8") : (r.body ?? "");
  return JSON.stringify({ headers: r.headers, multiValueHeaders: r.multiValueHeaders, cookies: r.cookies }) + body;
}

/** Stack frames as Node prints them, or source locations. */
const STACK = /\n\s+at |\bat .+:\d+:\d+|node_modules|\.ts:\d+/;

let dynamo: LocalDynamo;
let client: DynamoDBClient;
let table: string;
const stall = stallingTool();
const base: Omit<McpAppOptions, "sessions"> = {
  tenantClaim: "client_id",
  issuer: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123",
  resourceUrl: "https://mcp.example.com/mcp",
  scopes: ["mcp/invoke"],
  allowedOrigins: ["https://app.example.com"],
  tools: [...TOOLS, stall],
  requestTimeoutMs: DEADLINE_MS,
};

/** Runs the handler on a case's event, measuring how long the answer took. */
async function invoke(handler: ReturnType<typeof createLambdaHandler>, c: Case) {
  const started = performance.now();
  const captured = await captureOutput(() => handler(eventOf(c) as HttpApiEvent, { tenantId: c.invocationTenant } as never));
  return { ...captured, ms: performance.now() - started };
}

beforeAll(async () => {
  dynamo = await startLocalDynamo();
  client = new DynamoDBClient(dynamo.clientConfig);
  table = await dynamo.createSessionsTable();
  const store = new DynamoSessionStore({ tableName: table, ttlSeconds: 600, clientConfig: dynamo.clientConfig });
  await store.create({
    tenantId: VICTIM.tenant,
    sessionId: VICTIM.sessionId,
    principal: "victim-client",
    protocolVersion: "2025-06-18",
    clientName: VICTIM.marker,
  });
});
afterAll(() => dynamo?.stop());

const sessionCount = async () => (await client.send(new ScanCommand({ TableName: table, Select: "COUNT" }))).Count ?? 0;
const victimRow = async () => (await client.send(new GetItemCommand({ TableName: table, Key: { [TENANT_KEY]: { S: VICTIM.tenant }, [SESSION_KEY]: { S: VICTIM.sessionId } } }))).Item;

describe.each([
  ["sessions in dynalite, no CloudFront", false],
  ["sessions in dynalite, behind CloudFront (origin secret required)", true],
] as const)("any API Gateway event (%s)", (_name, behindCloudFront) => {
  it("gets an answer by its deadline and below 500 that shows no stack, token or other tenant's data; logs hold no token or argument; a refused request creates no session", async () => {
    const sessions = new DynamoSessionStore({ tableName: table, ttlSeconds: 600, clientConfig: dynamo.clientConfig });
    const handler = createLambdaHandler({ ...base, sessions, originVerifySecret: behindCloudFront ? ORIGIN_SECRET : undefined });
    const statuses = new Map<number, number>();
    let cut = 0;
    const victimBefore = await victimRow();
    const sessionsBefore = await sessionCount();
    // As a warm Lambda environment: the store's client has made its first call (credentials, connection) before the first case.
    await sessions.touch(VICTIM.tenant, "warm-up-0123456789abcdef0123456789abcdef01", undefined);
    await fc.assert(
      fc.asyncProperty(caseArbitrary, async (c) => {
        const before = await sessionCount();
        const { value: result, output, ms } = await invoke(handler, c);
        expect(ms).toBeLessThan(DEADLINE_MS + LATE_MS);
        if (output.includes('"error":"deadline"')) cut++;
        const status = result.statusCode ?? 0;
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        const seen = visible(result);
        expect(status).toBeGreaterThanOrEqual(200);
        // The one 5xx allowed: the deadline cut a session-store call (dynalite shares this busy process), answered 503 with Retry-After.
        const storeCut = status === 503 && output.includes('"error":"deadline"') && result.headers?.["retry-after"] === "1";
        if (!storeCut) expect(status).toBeLessThan(500);
        expect(seen).not.toMatch(STACK);
        expect(seen).not.toContain(c.token);
        expect(seen).not.toContain(VICTIM.marker);
        for (const leak of [c.token, c.argument, "Bearer "]) expect(output).not.toContain(leak);
        if (status >= 400) expect(await sessionCount()).toBe(before);
        expect(await victimRow()).toEqual(victimBefore);
      }),
      { numRuns: RUNS, examples: WELL_FORMED },
    );
    // The generator reaches past the refusals: requests were served, sessions created, and several kinds of refusal given.
    console.info(`statuses over ${RUNS} generated events: ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}; ${cut} cut by the deadline`);
    expect([...statuses.keys()].filter((s) => s < 300).length).toBeGreaterThan(0);
    expect([...statuses.keys()].filter((s) => s >= 400).length).toBeGreaterThan(3);
    expect(cut).toBeGreaterThan(0);
    expect(await sessionCount()).toBeGreaterThan(sessionsBefore);
  });
});

/** A session store that fails every call as `fail` says: a stand-in, where waiting out client retries for every run would cost minutes. */
const failing = (fail: () => Promise<never>): SessionStore => ({ create: fail, touch: fail, delete: fail });

describe.each([
  ["is unavailable (injected: what a stopped dynalite gives)", failing(async () => Promise.reject(new SessionStoreUnavailableError(new Error("connect ECONNREFUSED 127.0.0.1:1")))), true, RUNS],
  ["refuses requests as invalid (injected: what a ValidationException gives)", failing(async () => Promise.reject(new SessionStoreRejectedError(Object.assign(new Error("invalid ECONNREFUSED"), { name: "ValidationException" })))), false, RUNS],
  ["accepts connections and never answers (a real store on a blackholed endpoint)", "blackhole", true, 60],
] as const)("any API Gateway event while the session store %s", (_name, store, outage, runs) => {
  it(`answers by the deadline and below 500${outage ? ", or 503 with Retry-After when a session was needed" : ""}; never a stack or a token`, async () => {
    const blackhole = store === "blackhole" ? await startBlackhole() : undefined;
    const sessions =
      blackhole !== undefined
        ? new DynamoSessionStore({ tableName: table, ttlSeconds: 600, clientConfig: { ...dynamo.clientConfig, endpoint: blackhole.endpoint } })
        : (store as SessionStore);
    const handler = createLambdaHandler({ ...base, sessions });
    let unavailable = 0;
    try {
      await fc.assert(
        fc.asyncProperty(caseArbitrary, async (c) => {
          const { value: result, output, ms } = await invoke(handler, c);
          expect(ms).toBeLessThan(DEADLINE_MS + LATE_MS);
          const seen = visible(result);
          if (outage && result.statusCode === 503) {
            unavailable += 1;
            expect(JSON.stringify(result)).toMatch(/retry-after/i);
          } else expect(result.statusCode).toBeLessThan(500);
          expect(seen).not.toMatch(STACK);
          expect(seen).not.toContain(c.token);
          expect(seen).not.toContain("ECONNREFUSED");
          for (const leak of [c.token, c.argument]) expect(output).not.toContain(leak);
        }),
        { numRuns: runs, examples: WELL_FORMED },
      );
    } finally {
      await blackhole?.close();
    }
    if (outage) expect(unavailable).toBeGreaterThan(0);
  });
});
