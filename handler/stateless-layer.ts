import { createMcpHandler, type AuthInfo } from "@modelcontextprotocol/server";
import { callerOf } from "./caller.js";
import { beforeDeadline, type Deadline, DeadlineExceededError } from "./deadline.js";
import { fromFetchResponse, type HttpRequest, type HttpResponse, jsonResponse, printable, timedOut, toFetchRequest } from "./http-message.js";
import { buildServer } from "./server.js";
import type { Tool } from "./tools/tool.js";

/** Serves one 2026-07-28 request, ended by the deadline. */
export type StatelessLayer = (request: HttpRequest, body: unknown, authInfo: AuthInfo, deadline: Deadline) => Promise<HttpResponse>;

/**
 * 2026-07-28 requests, served by the SDK's stateless handler. The
 * deadline's signal travels on the request, so its passing closes the SDK's
 * transport and aborts the tool's signal; the answer is then a JSON-RPC
 * error, never a wait for the function's timeout.
 */
export function createStatelessLayer(tools: readonly Tool[]): StatelessLayer {
  // Built with the first 2026-07-28 request: a cold start serving a 2025 client need not pay for it.
  let sdkHandler: ReturnType<typeof createMcpHandler> | undefined;
  const handler = () => (sdkHandler ??= createMcpHandler((ctx) => buildServer(callerOf(ctx.authInfo), tools), { responseMode: "json", legacy: "reject" }));

  return async (request, body, authInfo, deadline) => {
    const message = body as { id?: unknown; method?: unknown } | undefined;
    // The SDK answers it with a stream that never ends; a buffered front would wait for its end until the function timed out.
    if (message?.method === "subscriptions/listen") return listenUnavailable(message.id);
    let response: Response | undefined;
    try {
      response = await beforeDeadline(handler().fetch(toFetchRequest(request, deadline.signal), { authInfo, parsedBody: body }), deadline.signal);
      return withoutEcho(await beforeDeadline(fromFetchResponse(response), deadline.signal));
    } catch (error) {
      if (!(error instanceof DeadlineExceededError)) throw error;
      response?.body?.cancel().catch(() => undefined);
      return jsonResponse(200, timedOut(idOf(message?.id)));
    }
  };
}

/** The answer to `subscriptions/listen`, which needs a stream that a buffered API Gateway front cannot hold open. */
function listenUnavailable(id: unknown): HttpResponse {
  return jsonResponse(200, {
    jsonrpc: "2.0",
    id: idOf(id),
    error: {
      code: -32601,
      message: "subscriptions/listen is not available: this deployment answers through a buffered API Gateway front, which cannot hold a stream open. Call the list methods again instead (their results carry ttlMs).",
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
