import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { bundleHandler, LEAN } from "../scripts/build-handler.js";
import type { HttpApiEvent } from "../handler/events/http-api.js";
import type { LambdaContext, LambdaHandler } from "../handler/lambda.js";
import { type LocalDynamo, startLocalDynamo } from "../handler/local/dynamo.js";
import { errorClassOf, metricsOf } from "../handler/request-metrics.js";
import { requestLogWriter } from "../handler/request-log.js";
import { captureOutput } from "./support/capture-output.js";
import { expectValidEmf } from "./support/emf.js";

/**
 * The metrics each request's log line carries, as the image runs them: the
 * handler bundled as the Dockerfile bundles it, configured by the
 * environment the stack sets, driven with HTTP API events, its sessions in
 * dynalite. Each line must be one CloudWatch would take metrics from (the
 * EMF schema and its rules), with the right values.
 */
let handler: LambdaHandler;
let dynamo: LocalDynamo;

beforeAll(async () => {
  dynamo = await startLocalDynamo();
  const dir = mkdtempSync(join(tmpdir(), "metrics-bundle-"));
  await bundleHandler("handler/index.ts", dir, { plugins: [LEAN], sourcemap: false });
  const env = {
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "local",
    AWS_SECRET_ACCESS_KEY: "local",
    AWS_LAMBDA_FUNCTION_NAME: "mcp-server",
    MCP_CLIENT_IDS: "acme",
    MCP_SESSIONS_TABLE: await dynamo.createSessionsTable(),
    MCP_METRICS_NAMESPACE: "MCPServer",
    MCP_METRICS_TENANT_DIMENSION: "true",
  };
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  handler = ((await import(pathToFileURL(join(dir, "index.js")).href)) as { handler: LambdaHandler }).handler;
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await dynamo.stop();
});

/** An HTTP API event of the fixture's caller (`acme`) posting `message`, with the headers given. */
function event(message: object, headers: Record<string, string> = {}, claims: Record<string, string> = {}): HttpApiEvent {
  const e = JSON.parse(readFileSync(join(__dirname, "fixtures", "http-api-initialize.json"), "utf8")) as HttpApiEvent;
  e.body = JSON.stringify({ jsonrpc: "2.0", id: 1, ...message });
  e.isBase64Encoded = false;
  Object.assign(e.headers, { "mcp-protocol-version": "2025-06-18" }, headers);
  Object.assign((e.requestContext as unknown as { authorizer: { jwt: { claims: Record<string, string> } } }).authorizer.jwt.claims, claims);
  return e;
}
/** A new session of the fixture's caller, as a 2025 client opens one. */
async function session(): Promise<string> {
  const { result } = await lineOf(event({ method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } } }));
  return String(result.headers!["mcp-session-id"]);
}
const context = (remainingMs = 10_000) => ({ getRemainingTimeInMillis: () => remainingMs }) as unknown as LambdaContext;

/** The request's log line: the one JSON line the handler wrote for it. */
async function lineOf(e: HttpApiEvent, remainingMs?: number): Promise<{ result: APIGatewayProxyStructuredResultV2; line: Record<string, any> }> {
  const { value, output } = await captureOutput(() => handler(e, context(remainingMs)));
  const lines = output.split("\n").filter((l) => l.startsWith('{"level":"INFO","message":"request"'));
  expect(lines).toHaveLength(1);
  return { result: value, line: JSON.parse(lines[0]) };
}

describe("the request log line's metrics (Embedded Metric Format)", () => {
  it("a tools/call: Requests, Errors 0 and Duration by service, method, tool and tenant; the client's traceparent logged and handed to the tool", async () => {
    const traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    const { result, line } = await lineOf(event({ method: "tools/call", params: { name: "whoami", arguments: {}, _meta: { traceparent } } }, { "mcp-session-id": await session() }));
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body!).result.structuredContent).toMatchObject({ tenant: "acme", traceparent });
    const directives = expectValidEmf(line);
    expect(directives).toEqual([
      {
        Namespace: "MCPServer",
        Dimensions: [["Service"], ["Service", "Method"], ["Service", "Method", "Tool"], ["Service", "Tenant"]],
        Metrics: [{ Name: "Requests", Unit: "Count" }, { Name: "Errors", Unit: "Count" }, { Name: "Duration", Unit: "Milliseconds" }],
      },
      // The call used its session: counted as resumed.
      { Namespace: "MCPServer", Dimensions: [["Service", "SessionEvent"]], Metrics: [{ Name: "Sessions", Unit: "Count" }] },
    ]);
    expect(line).toMatchObject({ Service: "mcp-server", Method: "tools/call", Tool: "whoami", Tenant: "acme", Requests: 1, Errors: 0, Duration: line.durationMs, SessionEvent: "resumed", traceparent });
    expect(line).not.toHaveProperty("ErrorClass");
    expect(Math.abs(line._aws.Timestamp - Date.now())).toBeLessThan(60_000);
  });

  it("a refused request: an error of class auth (an app client the operator did not allow)", async () => {
    const { result, line } = await lineOf(event({ method: "tools/list" }, {}, { client_id: "intruder", sub: "intruder" }));
    expect(result.statusCode).toBe(403);
    const directives = expectValidEmf(line);
    expect(directives[1]).toEqual({ Namespace: "MCPServer", Dimensions: [["Service", "ErrorClass"]], Metrics: [{ Name: "Errors", Unit: "Count" }] });
    // Refused before its body is read: counted under the path.
    expect(line).toMatchObject({ Method: "/mcp", Errors: 1, ErrorClass: "auth", Requests: 1 });
  });

  it("a session that is not found: a 404 counted as Errors of class session_not_found and as Sessions not_found; a new one as created", async () => {
    const { result, line } = await lineOf(event({ method: "tools/list" }, { "mcp-session-id": randomBytes(32).toString("base64url") }));
    expect(result.statusCode).toBe(404);
    const directives = expectValidEmf(line);
    expect(directives.map((d) => d.Dimensions)).toEqual([[["Service"], ["Service", "Method"], ["Service", "Tenant"]], [["Service", "ErrorClass"]], [["Service", "SessionEvent"]]]);
    expect(line).toMatchObject({ ErrorClass: "session_not_found", SessionEvent: "not_found", Sessions: 1, Errors: 1 });
    const created = await lineOf(event({ method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } } }));
    expectValidEmf(created.line);
    expect(created.line).toMatchObject({ Method: "initialize", SessionEvent: "created", Sessions: 1, Errors: 0 });
  });

  it("a call the deadline cut: an error of class deadline, with the tool", async () => {
    const { line } = await lineOf(event({ method: "tools/call", params: { name: "countdown", arguments: { seconds: 3 } } }, { "mcp-session-id": await session() }), 1_500);
    expectValidEmf(line);
    expect(line).toMatchObject({ Tool: "countdown", ErrorClass: "deadline", Errors: 1 });
    expect(line._aws.CloudWatchMetrics[1].Dimensions).toEqual([["Service", "ErrorClass"], ["Service", "Tool", "ErrorClass"]]);
  });
});

describe("requestLogWriter", () => {
  it("writes the line to standard output itself, never through console, which Lambda's JSON log format wraps", () => {
    const consoleLog = vi.spyOn(console, "log");
    const written: string[] = [];
    const stdout = vi.spyOn(process.stdout, "write").mockImplementation((chunk: unknown) => (written.push(String(chunk)), true));
    try {
      requestLogWriter({ namespace: "N", service: "s" })({ requestId: "r", httpMethod: "POST", path: "/mcp", status: 200, durationMs: 1 });
    } finally {
      stdout.mockRestore();
      consoleLog.mockRestore();
    }
    expect(consoleLog).not.toHaveBeenCalled();
    expect(written).toHaveLength(1);
    expect(written[0].endsWith("}\n")).toBe(true);
    expectValidEmf(JSON.parse(written[0]));
  });
});

describe("metricsOf", () => {
  const base = { requestId: "r", httpMethod: "POST", path: "/mcp", status: 200, durationMs: 5 };
  it("classes every failure from a bounded set, a tool's error result included, and leaves successes unclassed", () => {
    expect(errorClassOf(base)).toBeUndefined();
    expect(errorClassOf({ ...base, error: "tool" })).toBe("tool");
    expect(errorClassOf({ ...base, status: 503, error: "SessionStoreUnavailableError" })).toBe("store_unavailable");
    expect(errorClassOf({ ...base, status: 400, error: "jsonrpc:-32602" })).toBe("jsonrpc:-32602");
    expect(errorClassOf({ ...base, path: "/token", status: 400, error: "oauth:invalid_grant" })).toBe("oauth:invalid_grant");
    expect(errorClassOf({ ...base, status: 500, error: "TypeError" })).toBe("internal");
    expect(errorClassOf({ ...base, path: "other", status: 404 })).toBe("http:404");
  });
  it("names requests off the MCP endpoint by their path, and leaves the tenant out unless asked", () => {
    const line = metricsOf({ ...base, path: "/.well-known/oauth-protected-resource", httpMethod: "GET", tenant: "acme" }, { namespace: "N", service: "s" }, 1);
    expect(line).toMatchObject({ Method: "/.well-known/oauth-protected-resource" });
    expect(line).not.toHaveProperty("Tenant");
    expectValidEmf(line);
  });
});
