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
  type TransportSendOptions,
} from "@modelcontextprotocol/server";
import { beforeDeadline } from "./deadline.js";
import { EVENT_STREAM_HEADERS, EventStream, mayNotifyBeforeResult } from "./event-stream.js";
import { type HttpRequest, type HttpResponse, jsonResponse, jsonRpcError, timedOut } from "./http-message.js";

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
 *
 * Two answers differ from the SDK's on purpose: the unsupported-version
 * error does not echo the header, and an exchange always ends. When
 * `signal` aborts (the request's deadline), every request still unanswered
 * gets a JSON-RPC error and the server is closed, which aborts its
 * handlers; a request the batch itself cancels (`notifications/cancelled`)
 * is dropped from the answer instead of awaited, since the SDK drops its
 * answer.
 *
 * With `streaming` (the response is written as it is produced), a POST
 * holding a request that may send messages before its result (a tool call,
 * or any request with a progress token) is answered as an SSE stream: the
 * messages the server sends for those requests (progress, logging), then
 * each response, as they come; the stream ends with the last response, or
 * at the deadline with an error event for each request still unanswered.
 */
export async function servePost(server: McpServer, request: HttpRequest, body: unknown, authInfo: AuthInfo, options: PostOptions = {}): Promise<HttpResponse> {
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

  const { signal } = options;
  const exchange = new Exchange(messages, options.streaming === true && messages.some(mayNotifyBeforeResult));
  await server.connect(exchange);
  let streamed: EventStream | undefined;
  try {
    if (messages.some((message) => isInitializeRequest(message))) {
      if (messages.length > 1) return jsonRpcError(400, -32600, "Invalid Request: Only one initialization request is allowed");
    } else {
      // Any revision the server supports: the specification refuses only an invalid or unsupported one, as the SDK's transport does.
      const version = request.headers.get("mcp-protocol-version");
      if (version !== undefined && !exchange.supportedVersions.includes(version)) {
        return jsonRpcError(400, -32000, `Bad Request: Unsupported protocol version (supported versions: ${exchange.supportedVersions.join(", ")})`);
      }
    }
    const response = await exchange.deliver(authInfo, signal);
    streamed = exchange.stream;
    return response;
  } finally {
    // A streamed answer closes the server when its last event is sent; a stream opened for an answer refused before
    // delivery (an unsupported version, a second initialize) is ended, or its keep-alive timer would run on.
    if (streamed) void exchange.finished.then(() => server.close());
    else {
      exchange.stream?.end();
      await server.close();
    }
  }
}

/** Options of {@link servePost}. */
export interface PostOptions {
  /** The request's deadline: when it aborts, what is unanswered gets an error and the exchange ends. */
  readonly signal?: AbortSignal;
  /** The response is written as it is produced, so messages sent before a result reach the client as they are sent. */
  readonly streaming?: boolean;
}

/**
 * The transport of one exchange: it hands the request's messages to the
 * connected server and resolves once every JSON-RPC request among them has
 * its response, or has been cancelled by a later message of the same batch,
 * or the deadline passed. Messages the server sends on its own
 * (notifications, requests to the client) are dropped, as the SDK's
 * transport drops them in JSON mode.
 */
class Exchange implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: Transport["onmessage"];
  /** The versions the connected server accepts, which it sets on connect. */
  supportedVersions: readonly string[] = SUPPORTED_PROTOCOL_VERSIONS;
  /** The SSE body, when the answer streams. */
  readonly stream?: EventStream;
  /** Settles when the answer is complete: every awaited response sent, or the deadline passed. */
  readonly finished: Promise<void>;
  private readonly responses = new Map<RequestId, JSONRPCMessage>();
  private readonly requestIds: RequestId[];
  private readonly cancelled = new Set<RequestId>();
  private answered!: () => void;

  constructor(
    private readonly messages: readonly JSONRPCMessage[],
    streaming: boolean,
  ) {
    this.requestIds = messages.filter((message) => isJSONRPCRequest(message)).map((message) => (message as { id: RequestId }).id);
    if (streaming) this.stream = new EventStream();
    this.finished = new Promise<void>((resolve) => (this.answered = resolve));
  }

  async start(): Promise<void> {}

  async close(): Promise<void> {
    this.answered();
    this.onclose?.();
  }

  setSupportedProtocolVersions(versions: string[]): void {
    this.supportedVersions = versions;
  }

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    if (!isJSONRPCResultResponse(message) && !isJSONRPCErrorResponse(message)) {
      // A notification about a request of this exchange (progress, logging) travels on its stream; requests to the client have no way back.
      const related = options?.relatedRequestId;
      if (!("id" in message) && related !== undefined && this.awaited.includes(related)) this.stream?.send(message);
      return;
    }
    if (message.id === undefined) return;
    this.responses.set(message.id, message);
    if (this.awaited.includes(message.id)) this.stream?.send(message);
    this.settleWhenAnswered();
  }

  /** The requests the answer waits for: all but those the batch cancelled. */
  private get awaited(): RequestId[] {
    return this.requestIds.filter((id) => !this.cancelled.has(id));
  }

  private settleWhenAnswered(): void {
    if (this.awaited.every((id) => this.responses.has(id))) this.answered();
  }

  /**
   * Delivers the messages and waits for the answers, at most until `signal`
   * aborts: 202 when none is a request (or every request was cancelled).
   * A streamed answer returns at once; its stream ends as the answer is
   * complete.
   */
  async deliver(authInfo: AuthInfo, signal?: AbortSignal): Promise<HttpResponse> {
    // The SDK handles notifications after the whole batch is delivered, so a cancel aborts a request of the batch wherever it stands, and the SDK drops that request's answer.
    for (const message of this.messages) {
      const cancelledId = cancelledRequestOf(message);
      if (cancelledId !== undefined && this.requestIds.includes(cancelledId)) this.cancelled.add(cancelledId);
    }
    for (const message of this.messages) this.onmessage?.(message, { authInfo });
    if (this.awaited.length === 0) {
      this.answered();
      this.stream?.end();
      return { status: 202, headers: {} };
    }
    this.settleWhenAnswered();
    // `finished` never fails: a rejection here is the signal's.
    const complete = beforeDeadline(this.finished, signal).catch(() => undefined);
    if (this.stream) {
      const stream = this.stream;
      void complete.then(() => {
        for (const id of this.awaited) if (!this.responses.has(id)) stream.send(timedOut(id));
        this.answered();
        stream.end();
      });
      return { status: 200, headers: EVENT_STREAM_HEADERS, stream };
    }
    await complete;
    const responses = this.awaited.map((id) => this.responses.get(id) ?? (signal?.aborted ? timedOut(id) : undefined));
    if (responses.includes(undefined)) return jsonRpcError(500, -32603, "Internal error.");
    return jsonResponse(200, responses.length === 1 ? responses[0] : responses);
  }
}

/** The id a `notifications/cancelled` message names, if `message` is one. */
function cancelledRequestOf(message: JSONRPCMessage): RequestId | undefined {
  const { method, params } = message as { method?: unknown; params?: { requestId?: unknown } };
  if (method !== "notifications/cancelled" || "id" in message) return undefined;
  const id = params?.requestId;
  return typeof id === "string" || typeof id === "number" ? id : undefined;
}
