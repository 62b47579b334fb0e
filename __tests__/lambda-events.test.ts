import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import type { APIGatewayProxyResult, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { fromHttpApiEvent, HttpApiEvent, toHttpApiResult } from "../handler/events/http-api.js";
import { fromRestApiEvent, RestApiEvent, toRestApiResult } from "../handler/events/rest-api.js";
import type { GatewayRequest } from "../handler/events/types.js";
import type { HttpResponse } from "../handler/http-message.js";
import { createLambdaHandler, LambdaContext, type LambdaHandler } from "../handler/lambda.js";

/** A fresh copy of a JSON event fixture per test. */
const fixture = <T>(name: string): T => JSON.parse(readFileSync(join(__dirname, "fixtures", `${name}.json`), "utf8"));

type AnyEvent = HttpApiEvent | RestApiEvent;
type AnyResult = APIGatewayProxyStructuredResultV2 | APIGatewayProxyResult;

/** What differs between the two API Gateway fronts' events and results; the tests run once per front. */
interface Front {
  readonly name: string;
  initialize(): AnyEvent;
  discovery(): AnyEvent;
  toRequest(event: AnyEvent): GatewayRequest;
  toResult(response: HttpResponse): AnyResult;
  setHeader(event: AnyEvent, name: string, value: string): void;
  setMethod(event: AnyEvent, method: string): void;
  dropClaims(event: AnyEvent): void;
  header(result: AnyResult, name: string): string | undefined;
}

const FRONTS: Front[] = [
  {
    name: "HTTP API (payload 2.0)",
    initialize: () => fixture<HttpApiEvent>("http-api-initialize"),
    discovery: () => fixture<HttpApiEvent>("http-api-discovery"),
    toRequest: (e) => fromHttpApiEvent(e as HttpApiEvent),
    toResult: toHttpApiResult,
    setHeader: (e, name, value) => ((e as HttpApiEvent).headers[name.toLowerCase()] = value),
    setMethod: (e, method) => ((e as HttpApiEvent).requestContext.http.method = method),
    dropClaims: (e) => delete (e as HttpApiEvent).requestContext.authorizer,
    header: (r, name) => (r as APIGatewayProxyStructuredResultV2).headers?.[name] as string | undefined,
  },
  {
    name: "REST API (v1 proxy)",
    initialize: () => fixture<RestApiEvent>("rest-api-initialize"),
    discovery: () => fixture<RestApiEvent>("rest-api-discovery"),
    toRequest: (e) => fromRestApiEvent(e as RestApiEvent),
    toResult: toRestApiResult,
    setHeader: (e, name, value) => {
      const rest = e as RestApiEvent;
      const key = Object.keys(rest.multiValueHeaders).find((k) => k.toLowerCase() === name.toLowerCase()) ?? name;
      rest.multiValueHeaders[key] = [value];
      rest.headers[key] = value;
    },
    setMethod: (e, method) => ((e as RestApiEvent).httpMethod = method),
    dropClaims: (e) => delete (e as RestApiEvent).requestContext.authorizer,
    header: (r, name) => (r as APIGatewayProxyResult).multiValueHeaders?.[name]?.join(", "),
  },
];

function setBody(event: AnyEvent, body: string | undefined): void {
  event.body = body as string;
  event.isBase64Encoded = false;
}

describe.each(FRONTS)("$name adapter", (front) => {
  it("turns an event into a request: method, URL with query, headers in lower case, cookies, base64 body, claims", () => {
    const { request, claims, requestId } = front.toRequest(front.initialize());
    expect(request.method).toBe("POST");
    expect(request.url.href).toBe("https://abc123.execute-api.us-east-1.amazonaws.com/mcp?trace=1");
    expect(request.headers.get("content-type")).toBe("application/json");
    expect(request.headers.get("cookie")).toBe("a=1; b=2");
    expect(JSON.parse(request.body!)).toMatchObject({ jsonrpc: "2.0", method: "initialize" });
    expect(claims).toMatchObject({ client_id: "acme", scope: "mcp/invoke" });
    expect(requestId).toBe(front.initialize().requestContext.requestId);
  });

  it("passes a plain-text body through and gives GET requests no body and no claims on discovery", () => {
    const event = front.initialize();
    setBody(event, '{"jsonrpc":"2.0","id":1,"method":"ping"}');
    expect(front.toRequest(event).request.body).toBe('{"jsonrpc":"2.0","id":1,"method":"ping"}');
    const get = front.toRequest(front.discovery());
    expect(get.request.method).toBe("GET");
    expect(get.request.body).toBeUndefined();
    expect(get.request.url.pathname).toBe("/.well-known/oauth-protected-resource/mcp");
    expect(get.claims).toBeUndefined();
  });

  it("trims header values and upper-cases a standard method, as the Fetch API does", () => {
    const event = front.initialize();
    front.setHeader(event, "X-Trace", "  a  ");
    front.setMethod(event, "post");
    const { request } = front.toRequest(event);
    expect(request.headers.get("x-trace")).toBe("a");
    expect(request.method).toBe("POST");
  });

  it("turns an answer into a result: status, headers, text body, and an empty body for none", () => {
    const result = front.toResult({ status: 200, headers: { "content-type": "application/json", "mcp-session-id": "abc" }, body: '{"ok":true}' });
    expect(result).toMatchObject({ statusCode: 200, body: '{"ok":true}', isBase64Encoded: false });
    expect(front.header(result, "mcp-session-id")).toBe("abc");
    expect(front.toResult({ status: 202, headers: {} })).toMatchObject({ statusCode: 202, body: "", isBase64Encoded: false });
  });
});

it("joins a REST event's multi-value header into one value, as the Fetch API does", () => {
  const event = fixture<RestApiEvent>("rest-api-initialize");
  event.multiValueHeaders["X-Forwarded-For"] = ["203.0.113.7", "198.51.100.1"];
  expect(fromRestApiEvent(event).request.headers.get("x-forwarded-for")).toBe("203.0.113.7, 198.51.100.1");
});

describe.each(FRONTS)("2025 status rules through the Lambda handler on $name events (stateless)", (front) => {
  const handler = createLambdaHandler({ tenantClaim: "client_id", scopes: ["mcp/invoke"], allowedOrigins: [], log: () => undefined });
  const context = {} as LambdaContext;
  const run = (event: AnyEvent) => handler(event as HttpApiEvent, context) as Promise<AnyResult>;
  /** The initialize fixture with changes. */
  function event(change: (e: AnyEvent) => void, body?: unknown): AnyEvent {
    const e = front.initialize();
    if (body !== undefined) setBody(e, JSON.stringify(body));
    change(e);
    return e;
  }

  it("serves initialize with the server's info and no session id", async () => {
    const result = await run(front.initialize());
    expect(result.statusCode).toBe(200);
    expect(front.header(result, "mcp-session-id")).toBeUndefined();
    expect(JSON.parse(result.body!).result.serverInfo.name).toBe("cdktf-aws-mcp-server");
  });
  it("406 when Accept lacks text/event-stream", async () => {
    expect((await run(event((e) => front.setHeader(e, "Accept", "application/json")))).statusCode).toBe(406);
  });
  it("415 for a non-JSON content type", async () => {
    expect((await run(event((e) => front.setHeader(e, "Content-Type", "text/plain")))).statusCode).toBe(415);
  });
  it("400 with -32700 for an unparsable body", async () => {
    const result = await run(event((e) => setBody(e, "{oops")));
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body!).error.code).toBe(-32700);
  });
  it("202 and an empty body for a notification", async () => {
    const result = await run(event((e) => front.setHeader(e, "MCP-Protocol-Version", "2025-06-18"), { jsonrpc: "2.0", method: "notifications/initialized" }));
    expect(result).toMatchObject({ statusCode: 202, body: "" });
  });
  it("400 for a batch under 2025-06-18 and for an unsupported MCP-Protocol-Version", async () => {
    const batch = await run(event((e) => front.setHeader(e, "MCP-Protocol-Version", "2025-06-18"), [{ jsonrpc: "2.0", id: 1, method: "tools/list" }]));
    expect(batch.statusCode).toBe(400);
    const version = await run(event((e) => front.setHeader(e, "MCP-Protocol-Version", "2099-01-01"), { jsonrpc: "2.0", id: 1, method: "tools/list" }));
    expect(version.statusCode).toBe(400);
  });
  it("405 with Allow for GET and for DELETE without sessions", async () => {
    for (const method of ["GET", "DELETE"]) {
      const result = await run(event((e) => (front.setMethod(e, method), setBody(e, undefined))));
      expect(result.statusCode).toBe(405);
      expect(front.header(result, "allow")).toBe("POST");
    }
  });
  it("403 for an app client that is not on the allowed list, as the REST authorizer checks no client; one on it is served", async () => {
    const only = (allowedClients: string[]) => createLambdaHandler({ tenantClaim: "client_id", scopes: ["mcp/invoke"], allowedOrigins: [], allowedClients, log: () => undefined });
    const refused = (await only(["globex-client-id", "initech-client-id"])(front.initialize() as HttpApiEvent, context)) as AnyResult;
    expect(refused.statusCode).toBe(403);
    expect(JSON.parse(refused.body!).error.message).toContain("This app client is not allowed to call this server");
    expect(((await only(["globex-client-id", "acme"])(front.initialize() as HttpApiEvent, context)) as AnyResult).statusCode).toBe(200);
  });
  it("403 when the authorizer's claims lack the tenant claim", async () => {
    expect((await run(event((e) => front.dropClaims(e)))).statusCode).toBe(403);
  });
  it("refuses an invocation whose tenant id differs from the token's tenant, serves the matching one", async () => {
    expect(((await handler(front.initialize() as HttpApiEvent, { tenantId: "globex" } as LambdaContext)) as AnyResult).statusCode).toBe(403);
    expect(((await handler(front.initialize() as HttpApiEvent, { tenantId: "acme" } as LambdaContext)) as AnyResult).statusCode).toBe(200);
  });
  it("400 or 405 for an event no HTTP request can carry, saying what kind of part is wrong and echoing nothing that was sent", async () => {
    const cases: [(e: AnyEvent) => void, number, string][] = [
      [(e) => front.setHeader(e, "Bad Name", "x"), 400, "not a valid HTTP header name"],
      [(e) => front.setHeader(e, "Authorization", "Bearer secret\r\nX: 1"), 400, "A request header holds characters an HTTP header cannot"],
      [(e) => front.setMethod(e, "TRACE"), 405, "This method is not allowed"],
      [(e) => front.setMethod(e, "PO ST"), 400, "not a valid HTTP method"],
    ];
    for (const [change, status, message] of cases) {
      const result = await run(event(change));
      expect(result.statusCode, message).toBe(status);
      expect(JSON.parse(result.body!).error.message).toContain(message);
      expect(result.body).not.toMatch(/secret|authorization|TRACE|Bad Name|PO ST/i);
    }
  });
  it("answers discovery without claims", async () => {
    const result = await run(front.discovery());
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body!)).toMatchObject({ scopes_supported: ["mcp/invoke"], bearer_methods_supported: ["header"] });
  });
});

describe("Lambda entry handler/index.ts", () => {
  it("is built from the function's environment, statelessly when no table is configured", async () => {
    vi.stubEnv("MCP_SESSIONS_TABLE", "");
    vi.stubEnv("MCP_RESOURCE_URL", "https://abc123.execute-api.us-east-1.amazonaws.com/mcp");
    vi.resetModules();
    try {
      const { handler } = await import("../handler/index.js");
      const result = await (handler as LambdaHandler)(fixture<HttpApiEvent>("http-api-discovery"), {} as LambdaContext);
      expect(JSON.parse(result.body!)).toMatchObject({ resource: "https://abc123.execute-api.us-east-1.amazonaws.com/mcp" });
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
