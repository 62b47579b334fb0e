/**
 * One measurement in a fresh process, for `bench/handler.ts`:
 *   cold <bundle>      load the handler, answer one initialize, print it, exit
 *   warm <bundle> N    then time N tools/list and N tools/call in process; print p50, p99 and peak RSS
 *   sessions <bundle> N  ours with sessions in dynalite: timings and DynamoDB calls per request
 */
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";

type Handler = (event: unknown, context: unknown) => Promise<{ statusCode?: number; body?: string; headers?: Record<string, unknown> }>;
const ACCEPT = "application/json, text/event-stream";
const [mode, bundle, runsArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 0);

/** An HTTP API (payload 2.0) event for POST /mcp, as API Gateway sends it after the JWT authorizer. */
function event(body: unknown, headers: Record<string, string> = {}, method = "POST", path = "/mcp") {
  return {
    version: "2.0",
    routeKey: `${method} ${path}`,
    rawPath: path,
    rawQueryString: "",
    headers: { accept: ACCEPT, "content-type": "application/json", host: "bench.execute-api.us-east-1.amazonaws.com", ...headers },
    requestContext: {
      domainName: "bench.execute-api.us-east-1.amazonaws.com",
      requestId: "bench",
      http: { method, path, protocol: "HTTP/1.1", sourceIp: "203.0.113.7", userAgent: "bench" },
      authorizer: { jwt: { claims: { client_id: "acme", sub: "acme", scope: "mcp/invoke" }, scopes: ["mcp/invoke"] } },
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    isBase64Encoded: false,
  };
}
const initialize = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "bench", version: "1" } } };
const list = { jsonrpc: "2.0", id: 2, method: "tools/list" };
const call = { jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "echo", arguments: { text: "hello" } } };
const v2025 = { "mcp-protocol-version": "2025-06-18" };

async function load(): Promise<Handler> {
  const module = await import(pathToFileURL(bundle).href);
  return (module.handler ?? module.default?.handler) as Handler;
}

function percentiles(samples: number[]): { p50: number; p99: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p50: at(0.5), p99: at(0.99) };
}

async function timed(handler: Handler, make: () => unknown, n: number): Promise<{ p50: number; p99: number }> {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const e = make();
    const start = performance.now();
    const result = await handler(e, {});
    samples.push(performance.now() - start);
    if (result.statusCode !== 200) throw new Error(`status ${result.statusCode}: ${result.body}`);
  }
  return percentiles(samples);
}

async function main(): Promise<void> {
  if (mode === "cold") {
    const handler = await load();
    const result = await handler(event(initialize), {});
    process.stdout.write(`${result.statusCode}\n`);
    return;
  }
  if (mode === "warm") {
    const handler = await load();
    await handler(event(initialize), {});
    const out = { list: await timed(handler, () => event(list, v2025), runs), call: await timed(handler, () => event(call, v2025), runs), rssKb: process.resourceUsage().maxRSS };
    process.stdout.write(`${JSON.stringify(out)}\n`);
    return;
  }
  if (mode === "sessions") {
    const { startLocalDynamo } = await import("../handler/local/dynamo.js");
    const dynamo = await startLocalDynamo();
    Object.assign(process.env, {
      MCP_SESSIONS_TABLE: await dynamo.createSessionsTable(),
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
    });
    const handler = await load();
    const counted = async (make: () => unknown, n: number) => {
      const before = dynamo.requests();
      const timing = await timed(handler, make, n);
      return { ...timing, dynamoCallsPerRequest: (dynamo.requests() - before) / n };
    };
    const before = dynamo.requests();
    const init = await handler(event(initialize), {});
    const initCalls = dynamo.requests() - before;
    const session = { ...v2025, "mcp-session-id": String(init.headers?.["mcp-session-id"]) };
    const modern = {
      "mcp-protocol-version": "2026-07-28",
      "mcp-method": "tools/list",
    };
    const envelope = { _meta: { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {} } };
    const out = {
      initializeCalls: initCalls,
      list: await counted(() => event(list, session), runs),
      call: await counted(() => event(call, session), runs),
      discovery: await counted(() => event(undefined, {}, "GET", "/.well-known/oauth-protected-resource"), 20),
      stateless2026: await counted(() => event({ ...list, params: envelope }, modern), 20),
    };
    await dynamo.stop();
    process.stdout.write(`${JSON.stringify(out)}\n`);
    return;
  }
  throw new Error(`unknown mode ${mode}: cold, warm or sessions`);
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
