/**
 * One measurement in a fresh process, for `bench/handler.ts`:
 *   cold <bundle>      load the handler, answer one initialize, print it, exit
 *   warm <bundle> N    then time N tools/list and N tools/call in process; print p50, p99 and peak RSS
 *   sessions <bundle> N  ours with sessions in dynalite: timings and DynamoDB calls per request
 *   streaming <bundle> N ours invoked with response streaming (through the stand-in for the runtime's awslambda) against
 *                        the same answered whole: when countdown's first progress event and its answer arrive, and what
 *                        each streamed event costs (a tool sending N progress events at once)
 */
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import type { StreamingHandler } from "../handler/lambda.js";
import type { Tool } from "../handler/tools/tool.js";

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

async function load(query = ""): Promise<Handler> {
  // A query string loads the entry again (its chunks are shared), so that it reads the environment again.
  const module = await import(`${pathToFileURL(bundle).href}${query}`);
  return (module.handler ?? module.default?.handler) as Handler;
}

/** Invokes a streaming handler; when the first progress event and the end of the answer arrived, in ms from the invocation. */
async function streamed(handler: StreamingHandler, e: unknown): Promise<{ firstProgressMs?: number; endMs: number; events: number }> {
  const [{ PreludeReader }, { countEvents }] = await Promise.all([import("../handler/local/streaming-runtime.js"), import("../handler/event-stream.js")]);
  const start = performance.now();
  let text = "";
  let firstProgressMs: number | undefined;
  const reader = new PreludeReader({
    prelude: () => undefined,
    body: (chunk) => {
      text += chunk;
      if (firstProgressMs === undefined && text.includes("notifications/progress")) firstProgressMs = performance.now() - start;
    },
    end: () => undefined,
    malformed: (reason) => {
      throw new Error(reason);
    },
  });
  await handler(e as never, reader, { getRemainingTimeInMillis: () => 60_000 } as never);
  return { firstProgressMs, endMs: performance.now() - start, events: countEvents(text) };
}

/** A tool that sends `count` progress events at once, then answers: what streaming adds per event, without waiting. */
function burst(count: number): Tool {
  return {
    name: "burst",
    register(server) {
      server.registerTool("burst", { description: "Sends progress events at once." }, async (ctx) => {
        const progressToken = ctx.mcpReq._meta?.progressToken;
        for (let i = 1; i <= count && progressToken !== undefined; i++) await ctx.mcpReq.notify({ method: "notifications/progress", params: { progressToken, progress: i, total: count } });
        return { content: [{ type: "text", text: "done" }] };
      });
    },
  };
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
  if (mode === "streaming") {
    // Loaded here only: the other modes time the bundle's own loading, which these imports (the SDK among them) would add to.
    const { createLambdaHandler, createStreamingLambdaHandler } = await import("../handler/lambda.js");
    const { localStreamingRuntime } = await import("../handler/local/streaming-runtime.js");
    const withProgress = (name: string, args: unknown) => event({ jsonrpc: "2.0", id: 4, method: "tools/call", params: { name, arguments: args, _meta: { progressToken: "bench" } } }, v2025);
    // The image's entry, both ways: MCP_RESPONSE_STREAMING picks the runtime's streaming handler.
    const buffered = await load();
    process.env.MCP_RESPONSE_STREAMING = "true";
    (globalThis as { awslambda?: unknown }).awslambda = localStreamingRuntime;
    const streaming = (await load("?streaming")) as unknown as StreamingHandler;
    const start = performance.now();
    await buffered(withProgress("countdown", { seconds: 2 }), {});
    const bufferedCountdownMs = performance.now() - start;
    const countdown = await streamed(streaming, withProgress("countdown", { seconds: 2 }));
    // The same code, from source, with a tool that waits for nothing.
    const options = { tenantClaim: "client_id", scopes: ["mcp/invoke"], allowedOrigins: [], tools: [burst(runs)], log: () => undefined };
    const bufferedBurst = createLambdaHandler(options);
    const streamingBurst = createStreamingLambdaHandler(options, localStreamingRuntime);
    const samples = { buffered: [] as number[], streamed: [] as number[] };
    for (let i = 0; i < 21; i++) {
      const t = performance.now();
      await bufferedBurst(withProgress("burst", {}) as never, {} as never);
      samples.buffered.push(performance.now() - t);
      const s = await streamed(streamingBurst, withProgress("burst", {}));
      if (s.events !== runs + 1) throw new Error(`burst streamed ${s.events} events, expected ${runs + 1}`);
      samples.streamed.push(s.endMs);
    }
    const out = {
      countdown: { bufferedAnswerMs: bufferedCountdownMs, firstProgressMs: countdown.firstProgressMs, streamedAnswerMs: countdown.endMs, events: countdown.events },
      burst: { events: runs, bufferedP50: percentiles(samples.buffered).p50, streamedP50: percentiles(samples.streamed).p50 },
    };
    process.stdout.write(`${JSON.stringify(out)}\n`);
    return;
  }
  throw new Error(`unknown mode ${mode}: cold, warm, sessions or streaming`);
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
