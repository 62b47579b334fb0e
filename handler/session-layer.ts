import { classifyInboundRequest, isInitializeRequest, type AuthInfo } from "@modelcontextprotocol/server";
import type { Caller } from "./caller.js";
import type { Deadline } from "./deadline.js";
import { type HttpRequest, type HttpResponse, jsonRpcError } from "./http-message.js";
import { buildServer } from "./server.js";
import { clientOf, isSessionId, newSessionId, type SessionStore } from "./sessions.js";
import { servePost } from "./streamable-http-post.js";
import type { Tool } from "./tools/tool.js";

/** The one revision that allowed JSON-RPC batches. */
const BATCH_REVISION = "2025-03-26";

/** Serves one 2025-era request, ended by the deadline. */
export type SessionLayer = (request: HttpRequest, body: unknown, caller: Caller, authInfo: AuthInfo, deadline: Deadline) => Promise<HttpResponse>;

/**
 * Whether the SDK would serve the request as 2025-era traffic, as its
 * `isLegacyRequest` decides, on the parsed body: a POST without a JSON body
 * is legacy, so that the 2025 rules answer it.
 */
export function isLegacy(request: HttpRequest, body: unknown): boolean {
  const method = request.method.toUpperCase();
  if (method === "POST" && body === undefined) return true;
  const outcome = classifyInboundRequest({
    httpMethod: method,
    protocolVersionHeader: request.headers.get("mcp-protocol-version"),
    mcpMethodHeader: request.headers.get("mcp-method"),
    mcpNameHeader: request.headers.get("mcp-name"),
    ...(body !== undefined && { body }),
  });
  return outcome.kind === "legacy";
}

/**
 * 2025-era requests: sessions kept in `sessions` (DynamoDB), bound to the
 * caller's tenant, in front of a fresh SDK server per request. Without a
 * store, the server is stateless and offers no session. With `streaming`,
 * a tool call answers as an SSE stream (streamable-http-post.ts).
 */
export function createSessionLayer(sessions: SessionStore | undefined, tools: readonly Tool[], streaming = false): SessionLayer {
  /** One POST through a fresh server bound to the caller (2025 rules: 406, 415, -32700, 202, version checks), ended by the deadline. */
  const serve = (request: HttpRequest, caller: Caller, authInfo: AuthInfo, body: unknown, deadline: Deadline) =>
    servePost(buildServer(caller, tools), request, body, authInfo, { signal: deadline.signal, streaming });

  async function initialize(request: HttpRequest, body: { params: { clientInfo?: unknown } }, caller: Caller, authInfo: AuthInfo, store: SessionStore, deadline: Deadline): Promise<HttpResponse> {
    const sessionId = newSessionId();
    const response = await serve(request, { ...caller, sessionId }, authInfo, body, deadline);
    const result = response.status === 200 ? (JSON.parse(response.body ?? "{}") as { result?: { protocolVersion?: string } }).result : undefined;
    if (!result?.protocolVersion) return response;
    await store.create({ tenantId: caller.tenant, sessionId, principal: caller.principal, protocolVersion: result.protocolVersion, ...clientOf(body.params.clientInfo) }, deadline.signal);
    return { ...response, headers: { ...response.headers, "mcp-session-id": sessionId } };
  }

  return async (request, body, caller, authInfo, deadline) => {
    const allow = sessions ? "POST, DELETE" : "POST";
    if (request.method === "GET") {
      // A standalone stream would carry only messages unrelated to a request, which this server never sends; a tool's progress streams on its POST.
      return jsonRpcError(405, -32000, "This server offers no standalone SSE stream: it sends nothing outside a request's answer. Send requests with POST.", { allow });
    }
    if (request.method === "DELETE") {
      if (!sessions) return jsonRpcError(405, -32000, "This server keeps no sessions, so there is none to end.", { allow });
      const sessionId = request.headers.get("mcp-session-id");
      if (!sessionId) return jsonRpcError(400, -32000, "Bad Request: Mcp-Session-Id header is required.");
      if (!isSessionId(sessionId)) return sessionNotFound();
      return (await sessions.delete(caller.tenant, sessionId, deadline.signal)) ? { status: 204, headers: {} } : sessionNotFound();
    }
    if (request.method !== "POST") return jsonRpcError(405, -32000, `Method not allowed. Send ${allow.replace(", ", " or ")}.`, { allow });

    // Unparsable: the POST rules answer 400 with -32700 (and 406 / 415 first, where they apply).
    if (body === undefined) return serve(request, caller, authInfo, body, deadline);
    const headerVersion = request.headers.get("mcp-protocol-version");
    if (!sessions) {
      if (Array.isArray(body) && (headerVersion ?? BATCH_REVISION) !== BATCH_REVISION) return batchRefused();
      return serve(request, caller, authInfo, body, deadline);
    }
    // The method check first: the SDK's predicate validates the whole message, which other requests need not pay for.
    if ((body as { method?: unknown } | null)?.method === "initialize" && isInitializeRequest(body)) return initialize(request, body, caller, authInfo, sessions, deadline);
    const sessionId = request.headers.get("mcp-session-id");
    if (!sessionId) return jsonRpcError(400, -32000, "Bad Request: Mcp-Session-Id header is required; initialize first.");
    // An id this server never issues names no session: the store is not asked.
    if (!isSessionId(sessionId)) return sessionNotFound();
    // One round trip: the use is recorded and the session read together.
    const session = await sessions.touch(caller.tenant, sessionId, deadline.signal);
    if (!session) return sessionNotFound();
    if (Array.isArray(body) && session.protocolVersion !== BATCH_REVISION) return batchRefused();
    return serve(request, { ...caller, sessionId }, authInfo, body, deadline);
  };
}

function batchRefused(): HttpResponse {
  return jsonRpcError(400, -32600, `Invalid Request: JSON-RPC batches are allowed only under protocol revision ${BATCH_REVISION}; send one message per request.`);
}

function sessionNotFound(): HttpResponse {
  return jsonRpcError(404, -32001, "Session not found: it ended, expired or never existed. Initialize a new session.");
}
