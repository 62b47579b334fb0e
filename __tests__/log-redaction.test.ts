import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { createLambdaHandler, LambdaHandler } from "../handler/lambda.js";
import type { HttpApiEvent } from "../handler/events/http-api.js";
import type { McpAppOptions } from "../handler/mcp-app.js";
import { DynamoSessionStore } from "../handler/session-store.js";
import { LocalDynamo, startLocalDynamo } from "../handler/local/dynamo.js";
import { captureOutput } from "./support/capture-output.js";

/**
 * AU-3 without over-collection: whatever happens to a request — served,
 * refused, malformed, failing in the store or in the code — nothing the
 * process writes (the request log on stdout, errors on stderr, anything the
 * SDK prints) holds the bearer token, the Authorization header or a tool
 * argument. The handler runs with its default log, as on Lambda.
 */

const TOKEN = "eyJraWQiOiJsb2ctdGVzdCJ9.TOKEN-BODY-never-logged.SIGNATURE-never-logged";
const ARGUMENT = "ARGUMENT-never-logged-4242";
const FORBIDDEN = [TOKEN, "TOKEN-BODY", "SIGNATURE-never", ARGUMENT, "Bearer", "authorization", "Authorization"];

const ACCEPT = "application/json, text/event-stream";
const fixture = (): HttpApiEvent => JSON.parse(readFileSync(join(__dirname, "fixtures", "http-api-initialize.json"), "utf8"));

/** An HTTP API event carrying the token, with the given method, headers and raw body. */
function event(body: string | undefined, headers: Record<string, string> = {}, method = "POST"): HttpApiEvent {
  const e = fixture();
  e.requestContext.http.method = method;
  e.headers = { accept: ACCEPT, "content-type": "application/json", authorization: `Bearer ${TOKEN}`, ...headers };
  e.body = body;
  e.isBase64Encoded = false;
  return e;
}
const rpc = (method: string, params?: Record<string, unknown>, id = 1) => JSON.stringify({ jsonrpc: "2.0", id, method, ...(params ? { params } : {}) });
/** The per-request envelope a 2026-07-28 request carries in its params. */
const ENVELOPE = { _meta: { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {} } };
/** The headers a 2026-07-28 request carries: the revision, and the method and name its body names. */
const modern = (method: string, name?: string) => ({ "mcp-protocol-version": "2026-07-28", "mcp-method": method, ...(name ? { "mcp-name": name } : {}) });
const initialize = (version = "2025-06-18") => rpc("initialize", { protocolVersion: version, capabilities: {}, clientInfo: { name: "redaction", version: "1" } });

let dynamo: LocalDynamo;
let options: McpAppOptions;
beforeAll(async () => {
  dynamo = await startLocalDynamo();
  options = {
    tenantClaim: "client_id",
    issuer: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123",
    scopes: ["mcp/invoke"],
    allowedOrigins: [],
    sessions: new DynamoSessionStore({ tableName: await dynamo.createSessionsTable(), ttlSeconds: 600, clientConfig: dynamo.clientConfig }),
  };
});
afterAll(() => dynamo?.stop());

/** Runs the events through a handler and returns everything the process wrote meanwhile. */
async function written(handler: LambdaHandler, ...events: HttpApiEvent[]): Promise<{ output: string; results: APIGatewayProxyStructuredResultV2[] }> {
  const { value: results, output } = await captureOutput(async () => {
    const all: APIGatewayProxyStructuredResultV2[] = [];
    for (const e of events) all.push(await handler(e, {} as never));
    return all;
  });
  return { output, results };
}

function expectClean(output: string): void {
  expect(output.length, "something was logged").toBeGreaterThan(0);
  for (const secret of FORBIDDEN) expect(output).not.toContain(secret);
}

describe("no token, Authorization header or tool argument in any log line", () => {
  it("when tools are called with the argument, in a 2025 session and statelessly on 2026-07-28", async () => {
    const handler = createLambdaHandler(options);
    const { value: init } = await captureOutput(() => handler(event(initialize()), {} as never));
    const session = { "mcp-session-id": init.headers!["mcp-session-id"] as string, "mcp-protocol-version": "2025-06-18" };
    const { output, results } = await written(
      handler,
      event(rpc("tools/call", { name: "echo", arguments: { text: ARGUMENT } }), session),
      event(rpc("tools/call", { name: "echo", arguments: { text: ARGUMENT }, ...ENVELOPE }, 2), modern("tools/call", "echo")),
    );
    expect(results.map((r) => r.statusCode), results.map((r) => r.body).join("\n")).toEqual([200, 200]);
    // The caller gets its own argument back; the log only the tool's name.
    expect(results[0].body).toContain(ARGUMENT);
    expect(results[1].body).toContain(ARGUMENT);
    expect(output).toContain('"tool":"echo"');
    expectClean(output);
  });

  it("when the arguments are invalid, the tool unknown, or the body malformed around the argument", async () => {
    const handler = createLambdaHandler(options);
    const { output, results } = await written(
      handler,
      event(rpc("tools/call", { name: "echo", arguments: { text: 42, extra: ARGUMENT }, ...ENVELOPE }), modern("tools/call", "echo")),
      event(rpc("tools/call", { name: `missing-${ARGUMENT}`, arguments: { text: ARGUMENT }, ...ENVELOPE }), modern("tools/call", `missing-${ARGUMENT}`)),
      event(rpc(`tools/${ARGUMENT}`, ENVELOPE), modern(`tools/${ARGUMENT}`)),
      event(`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"arguments":"${ARGUMENT}"`),
      event(JSON.stringify([{ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "echo", arguments: { text: ARGUMENT } } }]), { "mcp-protocol-version": "2025-06-18" }),
    );
    expect(results.map((r) => r.statusCode ?? 500).every((s) => s < 500)).toBe(true);
    // Names the client chose are recorded only when the server knows them.
    expect(output).toContain('"tool":"other"');
    expect(output).toContain('"method":"other"');
    expectClean(output);
  });

  it("when the event itself is malformed around the token (the refusal says what kind of part is wrong, never what was sent)", async () => {
    const handler = createLambdaHandler(options);
    const { output, results } = await written(handler, event(initialize(), { authorization: `Bearer ${TOKEN}\u0000` }), event(initialize(), {}, `PO ST ${TOKEN}`));
    expect(results.map((r) => r.statusCode)).toEqual([400, 400]);
    expect(results[0].body).toContain("A request header holds characters an HTTP header cannot");
    expect(results.map((r) => r.body).join()).not.toContain(TOKEN);
    expect(output).toContain('"httpMethod":"other"');
    expect(output).toContain("MalformedEventError");
    expectClean(output);
  });

  it("when the session store fails, and when the code fails with the argument in its error message", async () => {
    const stopped = await startLocalDynamo();
    const tableName = await stopped.createSessionsTable();
    await stopped.stop();
    const unavailable = createLambdaHandler({ ...options, sessions: new DynamoSessionStore({ tableName, ttlSeconds: 600, clientConfig: { ...stopped.clientConfig, maxAttempts: 1 } }) });
    const failing = async (): Promise<never> => {
      throw new TypeError(`cannot read session ${ARGUMENT} for Bearer ${TOKEN}`);
    };
    const broken = createLambdaHandler({ ...options, sessions: { create: failing, touch: failing, delete: failing } });
    const first = await written(unavailable, event(initialize()));
    const second = await written(broken, event(initialize()));
    expect(first.results[0].statusCode).toBe(503);
    expect(second.results[0].statusCode).toBe(500);
    expect(second.results[0].body).toBe('{"jsonrpc":"2.0","error":{"code":-32603,"message":"Internal error."},"id":null}');
    expect(first.output).toContain("SessionStoreUnavailableError");
    // The operator learns the class and where it happened, not what the message quoted.
    expect(second.output).toMatch(/"error":"TypeError","frames":\[".*log-redaction\.test\.ts/);
    expectClean(first.output + second.output);
  });
});
