import {
  isInitializeRequest,
  isJsonContentType,
  isJSONRPCErrorResponse,
  isJSONRPCRequest,
  isJSONRPCResultResponse,
  parseJSONRPCMessage,
  SUPPORTED_PROTOCOL_VERSIONS,
  type AuthInfo,
  type JSONRPCMessage,
  type McpServer,
  type RequestId,
  type Transport,
} from "@modelcontextprotocol/server";
import { type HttpRequest, type HttpResponse, jsonResponse, jsonRpcError } from "./http-message.js";

/** The SDK transport's bound on a batch. */
const MAX_BATCH_SIZE = 100;

/**
 * Serves one 2025-era Streamable HTTP POST, statelessly and answered as
 * JSON, with `server`: the rules of the SDK's web-standard transport in JSON
 * mode (406, 415, -32700, batch bounds, one initialize per request, the
 * MCP-Protocol-Version check, 202 for notifications), applied to plain
 * data so that no Fetch API object is built (see http-message.ts). The
 * server, the protocol and every message's validation stay the SDK's.
 * `server` is a fresh server for this request, closed before the answer
 * returns; `body` is the parsed body, undefined when it did not parse.
 * `__tests__/streamable-http-post.test.ts` holds the answers to the SDK's.
 */
export async function servePost(server: McpServer, request: HttpRequest, body: unknown, authInfo: AuthInfo): Promise<HttpResponse> {
  const accept = request.headers.get("accept");
  if (!accept?.includes("application/json") || !accept.includes("text/event-stream")) {
    return jsonRpcError(406, -32000, "Not Acceptable: Client must accept both application/json and text/event-stream");
  }
  if (!isJsonContentType(request.headers.get("content-type"))) return jsonRpcError(415, -32000, "Unsupported Media Type: Content-Type must be application/json");
  if (body === undefined) return jsonRpcError(400, -32700, "Parse error: Invalid JSON");
  if (Array.isArray(body) && body.length > MAX_BATCH_SIZE) return jsonRpcError(400, -32600, `Invalid Request: Batch must not exceed ${MAX_BATCH_SIZE} messages`);
  let messages: JSONRPCMessage[];
  try {
    messages = (Array.isArray(body) ? body : [body]).map((message) => parseJSONRPCMessage(message));
  } catch {
    return jsonRpcError(400, -32700, "Parse error: Invalid JSON-RPC message");
  }

  const exchange = new Exchange(messages);
  await server.connect(exchange);
  try {
    if (messages.some((message) => isInitializeRequest(message))) {
      if (messages.length > 1) return jsonRpcError(400, -32600, "Invalid Request: Only one initialization request is allowed");
    } else {
      const version = request.headers.get("mcp-protocol-version");
      if (version !== undefined && !exchange.supportedVersions.includes(version)) {
        return jsonRpcError(400, -32000, `Bad Request: Unsupported protocol version: ${version} (supported versions: ${exchange.supportedVersions.join(", ")})`);
      }
    }
    return await exchange.deliver(authInfo);
  } finally {
    await server.close();
  }
}

/**
 * The transport of one exchange: it hands the request's messages to the
 * connected server and resolves once every JSON-RPC request among them has
 * its response. Messages the server sends on its own (notifications,
 * requests to the client) are dropped, as the SDK's transport drops them in
 * JSON mode.
 */
class Exchange implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: Transport["onmessage"];
  /** The versions the connected server accepts, which it sets on connect. */
  supportedVersions: readonly string[] = SUPPORTED_PROTOCOL_VERSIONS;
  private readonly responses = new Map<RequestId, JSONRPCMessage>();
  private readonly requestIds: RequestId[];
  private answered?: () => void;

  constructor(private readonly messages: readonly JSONRPCMessage[]) {
    this.requestIds = messages.filter((message) => isJSONRPCRequest(message)).map((message) => (message as { id: RequestId }).id);
  }

  async start(): Promise<void> {}

  async close(): Promise<void> {
    this.answered?.();
    this.onclose?.();
  }

  setSupportedProtocolVersions(versions: string[]): void {
    this.supportedVersions = versions;
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if (!isJSONRPCResultResponse(message) && !isJSONRPCErrorResponse(message)) return;
    if (message.id === undefined) return;
    this.responses.set(message.id, message);
    if (this.requestIds.every((id) => this.responses.has(id))) this.answered?.();
  }

  /** Delivers the messages and waits for the answers: 202 when none is a request. */
  async deliver(authInfo: AuthInfo): Promise<HttpResponse> {
    const answered = new Promise<void>((resolve) => (this.answered = resolve));
    for (const message of this.messages) this.onmessage?.(message, { authInfo });
    if (this.requestIds.length === 0) return { status: 202, headers: {} };
    await answered;
    const responses = this.requestIds.flatMap((id) => this.responses.get(id) ?? []);
    if (responses.length < this.requestIds.length) return jsonRpcError(500, -32603, "Internal error.");
    return jsonResponse(200, responses.length === 1 ? responses[0] : responses);
  }
}
