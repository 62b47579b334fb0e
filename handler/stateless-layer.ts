import { createMcpHandler, type AuthInfo } from "@modelcontextprotocol/server";
import { callerOf } from "./caller.js";
import { beforeDeadline, type Deadline, DeadlineExceededError } from "./deadline.js";
import { EVENT_STREAM_HEADERS, EventStream, mayNotifyBeforeResult } from "./event-stream.js";
import { fromFetchResponse, type HttpRequest, type HttpResponse, jsonResponse, printable, timedOut, toFetchRequest } from "./http-message.js";
import { buildServer } from "./server.js";
import type { Tool } from "./tools/tool.js";

/** Serves one 2026-07-28 request, ended by the deadline. */
export type StatelessLayer = (request: HttpRequest, body: unknown, authInfo: AuthInfo, deadline: Deadline) => Promise<HttpResponse>;

type SdkHandler = ReturnType<typeof createMcpHandler>;

/**
 * 2026-07-28 requests, served by the SDK's stateless handler. The
 * deadline's signal travels on the request, so its passing closes the SDK's
 * transport and aborts the tool's signal; the answer is then a JSON-RPC
 * error, never a wait for the function's timeout.
 *
 * With `streaming` (the response is written as it is produced), a request
 * that may send messages before its result (a tool call, a progress token)
 * is answered as an SSE stream, and `subscriptions/listen` streams until the
 * deadline, when the SDK completes it (a `complete` result) and the stream
 * ends; without it, both answer as JSON, progress dropped.
 */
export function createStatelessLayer(tools: readonly Tool[], streaming = false): StatelessLayer {
  const build = (responseMode: "json" | "sse") =>
    // Keep-alive comments come from the EventStream the frames are relayed through.
    createMcpHandler((ctx) => buildServer(callerOf(ctx.authInfo), tools), { responseMode, legacy: "reject", keepAliveMs: 0 });
  // Built with the first 2026-07-28 request of their kind: a cold start serving a 2025 client need not pay for them.
  const handlers: { json?: SdkHandler; sse?: SdkHandler } = {};
  const handler = (mode: "json" | "sse") => (handlers[mode] ??= build(mode));

  return async (request, body, authInfo, deadline) => {
    const message = body as { id?: unknown; method?: unknown } | undefined;
    const id = idOf(message?.id);
    if (message?.method === "subscriptions/listen") {
      // The SDK answers it with a stream that never ends; a buffered front would wait for its end until the function timed out.
      if (!streaming) return listenUnavailable(id);
      // A handler of its own, so that closing it at the deadline completes this subscription and no other.
      const listener = build("json");
      const close = () => listener.close().catch(() => undefined);
      try {
        const response = await beforeDeadline(listener.fetch(toFetchRequest(request), { authInfo, parsedBody: body }), deadline.signal);
        if (isEventStream(response)) return relay(response, id, deadline, close);
        // Refused (an invalid subscription): the handler served its one answer.
        const answer = withoutEcho(await beforeDeadline(fromFetchResponse(response), deadline.signal));
        await close();
        return answer;
      } catch (error) {
        await close();
        if (!(error instanceof DeadlineExceededError)) throw error;
        return jsonResponse(200, timedOut(id));
      }
    }
    const mode = streaming && mayNotifyBeforeResult(body) ? "sse" : "json";
    let response: Response | undefined;
    try {
      response = await beforeDeadline(handler(mode).fetch(toFetchRequest(request, deadline.signal), { authInfo, parsedBody: body }), deadline.signal);
      if (isEventStream(response)) return relay(response, id, deadline);
      return withoutEcho(await beforeDeadline(fromFetchResponse(response), deadline.signal));
    } catch (error) {
      if (!(error instanceof DeadlineExceededError)) throw error;
      response?.body?.cancel().catch(() => undefined);
      return jsonResponse(200, timedOut(id));
    }
  };
}

function isEventStream(response: Response): boolean {
  return response.ok && response.body !== null && (response.headers.get("content-type") ?? "").startsWith("text/event-stream");
}

/** How long a subscription's handler may take, once closed at the deadline, to send its completion. */
const COMPLETION_GRACE_MS = 200;

/**
 * The SDK's SSE answer, its frames relayed as they arrive, until the
 * deadline. Then `complete` (a subscription's: closing its handler, which
 * sends the `complete` result) gets a short grace; the relay stops and,
 * unless the request's response was sent, ends with a JSON-RPC error for it.
 */
function relay(response: Response, id: string | number | null, deadline: Deadline, complete?: () => Promise<unknown>): HttpResponse {
  const stream = new EventStream();
  const reader = response.body!.getReader();
  let answered = false;
  const pump = async () => {
    const decoder = new TextDecoder();
    let buffered = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffered += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffered.indexOf("\n\n")) >= 0) {
        const frame = buffered.slice(0, end + 2);
        buffered = buffered.slice(end + 2);
        answered ||= answers(frame, id);
        stream.relay(frame);
      }
    }
  };
  const pumped = pump();
  void beforeDeadline(pumped, deadline.signal)
    .catch(async () => {
      // The grace bounds both the handler's closing and the completion it sends.
      if (complete) await Promise.race([complete().then(() => pumped.catch(() => undefined)), new Promise((resolve) => setTimeout(resolve, COMPLETION_GRACE_MS))]);
      await reader.cancel().catch(() => undefined);
    })
    .then(() => {
      if (!answered && deadline.passed) stream.send(timedOut(id));
      stream.end();
    });
  return { status: response.status, headers: EVENT_STREAM_HEADERS, stream };
}

/** Whether an SSE frame carries the response to request `id`. */
function answers(frame: string, id: string | number | null): boolean {
  const data = /^data: ?(.*)$/m.exec(frame)?.[1];
  if (data === undefined) return false;
  try {
    const message = JSON.parse(data) as { id?: unknown; result?: unknown; error?: unknown };
    return message.id === id && (message.result !== undefined || message.error !== undefined);
  } catch {
    return false;
  }
}

/** The answer to `subscriptions/listen`, which needs a stream that a buffered API Gateway front cannot hold open. */
function listenUnavailable(id: unknown): HttpResponse {
  return jsonResponse(200, {
    jsonrpc: "2.0",
    id: idOf(id),
    error: {
      code: -32601,
      message:
        "subscriptions/listen is not available: this deployment answers through a buffered API Gateway front, which cannot hold a stream open (the REST front with enable_response_streaming can). Call the list methods again instead (their results carry ttlMs).",
    },
  });
}

/**
 * The SDK's 2026-07-28 refusals that quote what the client sent, with the
 * fixed text each gets instead: an unsupported revision (its message and
 * `data.requested` repeat the header or the body's envelope, however long),
 * and headers that disagree with the body (message and `data.mismatch`).
 */
const ECHOING_REFUSALS: ReadonlyMap<number, string> = new Map([
  [-32022, "Unsupported protocol version: send one of the revisions listed in error.data.supported."],
  [-32020, "Bad Request: the MCP-Protocol-Version, Mcp-Method or Mcp-Name header disagrees with the request body; send the values the body names."],
]);

/**
 * A 2026-07-28 refusal without the client's values: a fixed message, and of
 * the data only `supported` and, as the revision requires, `requested` in
 * printable form (an ordinary revision is unchanged by it).
 */
function withoutEcho(response: HttpResponse): HttpResponse {
  if (response.status !== 400 || response.body === undefined) return response;
  const answer = JSON.parse(response.body) as { error?: { code?: unknown; message?: string; data?: { supported?: unknown; requested?: unknown } } };
  const fixed = typeof answer.error?.code === "number" ? ECHOING_REFUSALS.get(answer.error.code) : undefined;
  if (!answer.error || fixed === undefined) return response;
  const { supported, requested } = answer.error.data ?? {};
  answer.error.message = fixed;
  answer.error.data = supported === undefined ? undefined : { supported, ...(typeof requested === "string" && { requested: printable(requested) }) };
  return { ...response, body: JSON.stringify(answer) };
}

/** A request id to answer with: the request's own when it is one JSON-RPC allows, else null. */
function idOf(id: unknown): string | number | null {
  return typeof id === "string" || typeof id === "number" ? id : null;
}
