import { readFileSync } from "node:fs";
import { Writable } from "node:stream";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import type { RestApiEvent } from "../handler/events/rest-api.js";
import { createStreamingLambdaHandler, type HttpPrelude, type LambdaContext, type StreamingHandler } from "../handler/lambda.js";
import type { RequestLog } from "../handler/mcp-app.js";
import type { Tool } from "../handler/tools/tool.js";
import { localStreamingRuntime, PRELUDE_DELIMITER, PreludeReader } from "../handler/local/streaming-runtime.js";

/**
 * The streaming Lambda entry, driven as Lambda's Node.js runtime drives it
 * with response streaming: a REST proxy event, a response stream, and the
 * runtime's `awslambda` calls. AWS itself cannot run here; the stand-in for
 * the runtime (handler/local/streaming-runtime.ts) follows its documented
 * contract (docs/aws-behaviours.md, "Response streaming"): the prelude's
 * JSON and 8 NUL bytes go out with the first write, and the stream is read
 * back as API Gateway reads it.
 */
const fixture = (): RestApiEvent => JSON.parse(readFileSync(join(__dirname, "fixtures", "rest-api-initialize.json"), "utf8"));

/** A REST event carrying `body`, with the 2025 headers a client sends after initializing statelessly. */
function post(body: unknown, headers: Record<string, string> = {}): RestApiEvent {
  const event = fixture();
  event.body = JSON.stringify(body);
  event.isBase64Encoded = false;
  for (const [name, value] of Object.entries({ "MCP-Protocol-Version": "2025-11-25", ...headers })) {
    event.headers[name] = value;
    event.multiValueHeaders[name] = [value];
  }
  return event;
}

/** What the runtime's stream carried, read as API Gateway reads it, with when each body chunk arrived. */
interface Streamed {
  prelude?: HttpPrelude;
  chunks: { text: string; at: number }[];
  ended: boolean;
  malformed?: string;
  /** The body's SSE events, parsed. */
  readonly events: { jsonrpc: string; id?: unknown; method?: string; params?: any; result?: any; error?: any }[];
}

async function invoke(handler: StreamingHandler, event: RestApiEvent, remainingMs = 29_000): Promise<Streamed> {
  const started = performance.now();
  const streamed: Streamed = {
    chunks: [],
    ended: false,
    get events() {
      return [...this.chunks.map((c) => c.text).join("").matchAll(/^data: (.*)$/gm)].map((m) => JSON.parse(m[1]));
    },
  };
  const responseStream = new PreludeReader({
    prelude: (prelude) => (streamed.prelude = prelude),
    body: (chunk) => streamed.chunks.push({ text: chunk.toString("utf8"), at: performance.now() - started }),
    end: () => (streamed.ended = true),
    malformed: (reason) => (streamed.malformed = reason),
  });
  const ends = Date.now() + remainingMs;
  await handler(event, responseStream, { getRemainingTimeInMillis: () => ends - Date.now() } as LambdaContext);
  return streamed;
}

function streamingHandler(tools?: readonly Tool[]): { handler: StreamingHandler; lines: RequestLog[] } {
  const lines: RequestLog[] = [];
  const handler = createStreamingLambdaHandler({ tenantClaim: "client_id", scopes: ["mcp/invoke"], allowedOrigins: [], log: (line) => lines.push(line), ...(tools && { tools }) }, localStreamingRuntime);
  return { handler, lines };
}

const countdown = (seconds: number, id = 7) => ({ jsonrpc: "2.0", id, method: "tools/call", params: { name: "countdown", arguments: { seconds }, _meta: { progressToken: "p1" } } });

describe("the streaming Lambda entry", () => {
  it("writes the prelude (status and headers), then a JSON answer for a request that sends nothing before its result", async () => {
    const { handler } = streamingHandler();
    const streamed = await invoke(handler, fixture());
    expect(streamed.malformed).toBeUndefined();
    expect(streamed.prelude).toMatchObject({ statusCode: 200, headers: { "content-type": "application/json" } });
    expect(JSON.parse(streamed.chunks.map((c) => c.text).join(""))).toMatchObject({ id: 1, result: { protocolVersion: "2025-06-18" } });
    expect(streamed.ended).toBe(true);
  });

  it("writes the prelude of an answer without a body (202 for a notification): the runtime sends it only with a write", async () => {
    const { handler } = streamingHandler();
    const streamed = await invoke(handler, post({ jsonrpc: "2.0", method: "notifications/initialized" }));
    expect(streamed.malformed).toBeUndefined();
    expect(streamed.prelude?.statusCode).toBe(202);
    expect(streamed.chunks.map((c) => c.text).join("")).toBe("");
  });

  it("answers a tool call as an SSE stream: each progress event as the tool sends it, then the result, and logs the events and how long it streamed", async () => {
    const { handler, lines } = streamingHandler();
    const streamed = await invoke(handler, post(countdown(2)));
    expect(streamed.prelude).toMatchObject({ statusCode: 200, headers: { "content-type": "text/event-stream", "cache-control": "no-cache" } });
    expect(streamed.events.map((e) => e.method ?? (e.result ? "result" : "error"))).toEqual(["notifications/progress", "notifications/progress", "result"]);
    expect(streamed.events[0].params).toMatchObject({ progressToken: "p1", progress: 1, total: 2 });
    expect(streamed.events[2]).toMatchObject({ id: 7, result: { content: [{ type: "text", text: "Counted 2 s." }] } });
    // Written as produced: the first event a second before the last.
    const progressChunk = streamed.chunks.find((c) => c.text.includes('"progress":1'))!;
    expect(streamed.chunks.at(-1)!.at - progressChunk.at).toBeGreaterThan(700);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ method: "tools/call", tool: "countdown", status: 200, events: 3 });
    expect(lines[0].streamedMs).toBeGreaterThan(1_500);
    expect(lines[0].error).toBeUndefined();
  });

  it("ends a stream at the request's deadline with a JSON-RPC error event, before the runtime would end the invocation", async () => {
    const { handler, lines } = streamingHandler();
    const started = performance.now();
    // 5 s left: the deadline keeps a tenth back, so the answer ends at about 4.5 s, while the tool would run 10 s.
    const streamed = await invoke(handler, post(countdown(10)), 5_000);
    const took = performance.now() - started;
    expect(took).toBeLessThan(5_000);
    expect(took).toBeGreaterThan(4_000);
    const last = streamed.events.at(-1)!;
    expect(last).toMatchObject({ id: 7, error: { code: -32001, message: expect.stringContaining("could not finish it before its deadline") } });
    expect(streamed.events.filter((e) => e.method === "notifications/progress").length).toBeGreaterThanOrEqual(1);
    expect(streamed.ended).toBe(true);
    expect(lines[0]).toMatchObject({ error: "deadline", events: streamed.events.length });
  });

  it("gives up on a reader that stops reading before the invocation's time runs out, and still logs the answer", async () => {
    const { handler, lines } = streamingHandler();
    // A response stream that takes the first bytes and never drains.
    const stalled = new Writable({ highWaterMark: 1, write: () => undefined });
    const ends = Date.now() + 2_000;
    const started = performance.now();
    await handler(post(countdown(10)), stalled, { getRemainingTimeInMillis: () => ends - Date.now() } as LambdaContext);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(stalled.destroyed).toBe(true);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ method: "tools/call", tool: "countdown", status: 200 });
  });

  it("ends a tool still running when its client has left (a write failed), long before the deadline, and logs the answer once", async () => {
    // A tool that reports progress once, then works until its request is aborted, counting the aborts.
    let aborted = 0;
    const watcher: Tool = {
      name: "watch",
      register(server) {
        server.registerTool("watch", { description: "Reports once, then waits for its request to end." }, async (ctx) => {
          await ctx.mcpReq.notify({ method: "notifications/progress", params: { progressToken: "p1", progress: 1 } });
          await new Promise<void>((resolve) => ctx.mcpReq.signal.addEventListener("abort", () => resolve(), { once: true }));
          aborted++;
          return { content: [] };
        });
      },
    };
    const { handler, lines } = streamingHandler([watcher]);
    // The client leaves after the prelude and the first event: every later write fails.
    let writes = 0;
    const left = new Writable({ write: (_chunk, _encoding, done) => done(++writes > 2 ? new Error("the client left") : undefined) });
    left.on("error", () => undefined);
    const call = { jsonrpc: "2.0", id: 9, method: "tools/call", params: { name: "watch", arguments: {}, _meta: { progressToken: "p1" } } };
    const started = performance.now();
    await handler(post(call), left, { getRemainingTimeInMillis: () => 60_000 } as LambdaContext).catch(() => undefined);
    await vi.waitFor(() => expect(aborted).toBe(1), { timeout: 5_000 });
    // Ended by the client's leaving, not by the deadline 59 s away.
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ method: "tools/call", status: 200 });
    expect(lines[0].error).toBeUndefined();
  });

  it("streams a 2026-07-28 tool call the same way, ended by the deadline with an error event", async () => {
    const { handler, lines } = streamingHandler();
    const modern = (seconds: number) => ({
      ...countdown(seconds),
      params: { ...countdown(seconds).params, _meta: { progressToken: "p1", "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {} } },
    });
    const headers = { "MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/call", "Mcp-Name": "countdown" };
    const done = await invoke(handler, post(modern(1), headers));
    expect(done.prelude?.headers["content-type"]).toBe("text/event-stream");
    expect(done.events.map((e) => e.method ?? (e.result ? "result" : "error"))).toEqual(["notifications/progress", "result"]);
    const cut = await invoke(handler, post(modern(10), headers), 2_500);
    expect(cut.events.at(-1)).toMatchObject({ id: 7, error: { code: -32001 } });
    expect(lines.map((l) => l.error)).toEqual([undefined, "deadline"]);
  });
});

describe("the Lambda entry handler/index.ts with MCP_RESPONSE_STREAMING=true", () => {
  it("is the runtime's streaming kind, built with the awslambda global", async () => {
    vi.stubEnv("MCP_RESPONSE_STREAMING", "true");
    const streamify = vi.fn((handler: StreamingHandler) => handler);
    vi.stubGlobal("awslambda", { ...localStreamingRuntime, streamifyResponse: streamify });
    vi.resetModules();
    try {
      const { handler } = await import("../handler/index.js");
      expect(streamify).toHaveBeenCalledOnce();
      const streamed = await invoke(handler as StreamingHandler, fixture());
      expect(streamed.prelude?.statusCode).toBe(200);
    } finally {
      vi.unstubAllEnvs();
      vi.unstubAllGlobals();
    }
  });

  it("fails at start, naming the setting, where the runtime offers no streaming API", async () => {
    vi.stubEnv("MCP_RESPONSE_STREAMING", "true");
    vi.resetModules();
    try {
      await expect(import("../handler/index.js")).rejects.toThrow("MCP_RESPONSE_STREAMING=true, but this runtime has no awslambda global with streamifyResponse");
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe("reading a response stream as API Gateway does (the local gateway)", () => {
  it.each([
    ["no delimiter within 16 KB", [Buffer.alloc(17 * 1024, "a")], "no prelude delimiter within the first 16 KB"],
    ["a prelude that is not JSON", [Buffer.from("{oops"), PRELUDE_DELIMITER], "the prelude is not JSON"],
    ["a stream ended before its prelude", [], "the stream ended before its prelude"],
  ])("refuses %s", async (_case, writes, reason) => {
    let malformed: string | undefined;
    const reader = new PreludeReader({ prelude: () => undefined, body: () => undefined, end: () => undefined, malformed: (r) => (malformed = r) });
    for (const chunk of writes) reader.write(chunk);
    await new Promise<void>((resolve) => reader.end(resolve));
    expect(malformed).toBe(reason);
  });
});
