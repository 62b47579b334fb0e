import { authInfoOf, type Caller } from "./caller.js";
import { corsHeaders } from "./cors.js";
import { beforeDeadline, Deadline, DeadlineExceededError } from "./deadline.js";
import { discovery } from "./discovery.js";
import { countEvents } from "./event-stream.js";
import type { GatewayRequest } from "./events/types.js";
import type { MalformedEventError } from "./events/request.js";
import { DISCOVERY_PATHS, MCP_PATH } from "./http-contract.js";
import { type HttpRequest, type HttpResponse, jsonResponse, jsonRpcError, printable, problem } from "./http-message.js";
import { readBody } from "./request-body.js";
import { checkClient, checkOrigin, checkOriginSecret, checkScope, identify, type PeopleSettings } from "./request-checks.js";
import { describeBody, errorCode, loggedRoute, type RequestFacts, type RequestLog, requestLogWriter, sessionDigest } from "./request-log.js";
import type { MetricsSettings } from "./request-metrics.js";
import { traceparentOf } from "./trace-context.js";
import { createSessionLayer, isLegacy } from "./session-layer.js";
import { SessionStoreRejectedError, SessionStoreUnavailableError, type SessionStore } from "./sessions.js";
import { createStatelessLayer } from "./stateless-layer.js";
import { TOOLS } from "./tools/index.js";
import type { Tool } from "./tools/tool.js";

export type { RequestLog } from "./request-log.js";

/** How long a request may take when the invocation says nothing (off Lambda): the default lambda_timeout. */
const DEFAULT_REQUEST_TIMEOUT_MS = 29_000;
/** What the deadline keeps back from Lambda's remaining time: enough to close the work, answer and log before the function would time out. */
const DEFAULT_DEADLINE_MARGIN_MS = 1_000;

/** Settings of the MCP application; on Lambda they come from the environment (see config.ts). */
export interface McpAppOptions {
  /** Verified claim that names the tenant. */
  readonly tenantClaim: string;
  /** Token issuer, advertised as the authorization server. */
  readonly issuer?: string;
  /** Public URL of the MCP endpoint, advertised as the protected resource. Default: this request's origin + /mcp. */
  readonly resourceUrl?: string;
  readonly scopes: readonly string[];
  /** Browser origins allowed to call; requests without Origin always pass. */
  readonly allowedOrigins: readonly string[];
  /** App client ids allowed to call (the token's `client_id`); empty: any client the gateway accepted. */
  readonly allowedClients?: readonly string[];
  /** When set, requests must carry it in X-Origin-Verify (they came through CloudFront). */
  readonly originVerifySecret?: string;
  /** Session store: 2025-era sessions on; absent: stateless. */
  readonly sessions?: SessionStore;
  /** How long a request may take when the invocation gives no remaining time (off Lambda). @default 29000, the default lambda_timeout */
  readonly requestTimeoutMs?: number;
  /** What the deadline keeps back from the invocation's remaining time, so the function answers before it times out; at most a tenth of that time. @default 1000 */
  readonly deadlineMarginMs?: number;
  /** The tools the server offers. @default TOOLS, every tool under handler/tools/ */
  readonly tools?: readonly Tool[];
  /** Where the one line per request goes. Default: stdout as JSON, which Lambda sends to CloudWatch, with {@link metrics}. */
  readonly log?: (entry: RequestLog) => void;
  /** The CloudWatch metrics each request's log line carries (Embedded Metric Format); none when absent. */
  readonly metrics?: MetricsSettings;
  /** People signed in through the authorization front: which client their tokens name, and the claim that names their tenant. */
  readonly people?: PeopleSettings;
  /** The authorization front (handler/oauth/authorization-front.ts): it answers its own paths, open like discovery. */
  readonly authorizationFront?: (request: HttpRequest) => Promise<HttpResponse | undefined>;
  /**
   * Whether answers are written as they are produced (Lambda invoked with
   * response streaming, behind the REST front with `enable_response_streaming`;
   * `npm start`): tool calls then answer as SSE streams, so progress reaches
   * the client as it is sent, and `subscriptions/listen` is served. @default false
   */
  readonly streaming?: boolean;
}

/** What the runtime knows about the invocation (Lambda: `context.tenantId` under tenant isolation, `getRemainingTimeInMillis()`). */
export interface InvocationContext {
  readonly tenantId?: string;
  /** Milliseconds until the runtime ends the invocation; the request's deadline is this less the margin. */
  readonly remainingMs?: number;
}

/** Serves MCP for one verified request at a time. */
export interface McpApp {
  handle(gateway: GatewayRequest, invocation?: InvocationContext): Promise<HttpResponse>;
  /** Answers, and logs, an event that no HTTP request can carry (see `events/request.ts`). */
  refuse(error: MalformedEventError, event: { readonly requestId: string; readonly httpMethod: string; readonly path: string }): HttpResponse;
}

/**
 * The MCP application behind any API Gateway front: discovery metadata,
 * origin and tenant checks (request-checks.ts), then 2026-07-28 requests to
 * the SDK's stateless handler (stateless-layer.ts) and 2025-era requests to
 * a session layer bound to the caller's tenant (session-layer.ts), each
 * ended by the request's deadline, with one log line per request
 * (request-log.ts).
 */
export function createMcpApp(options: McpAppOptions): McpApp {
  const tools = options.tools ?? TOOLS;
  const toolNames = new Set(tools.map((tool) => tool.name));
  const serveModern = createStatelessLayer(tools, options.streaming);
  const serveLegacy = createSessionLayer(options.sessions, tools, options.streaming);
  const log = options.log ?? requestLogWriter(options.metrics);
  // People's tokens name the front's app client: on a list of allowed clients, it is one of them.
  const allowedClients = options.allowedClients?.length && options.people ? [...options.allowedClients, options.people.clientId] : options.allowedClients;

  async function handle(gateway: GatewayRequest, invocation: InvocationContext = {}): Promise<HttpResponse> {
    const started = Date.now();
    const { request } = gateway;
    const remaining = invocation.remainingMs;
    // A short function timeout keeps most of its time: the margin is at most a tenth of what remains.
    const margin = remaining === undefined ? 0 : Math.min(options.deadlineMarginMs ?? DEFAULT_DEADLINE_MARGIN_MS, remaining / 10);
    const deadline = new Deadline(started + (remaining === undefined ? (options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS) : remaining - margin));
    const facts: RequestFacts = {};
    let response: HttpResponse;
    try {
      response = await route(gateway, invocation, facts, deadline);
    } catch (error) {
      deadline.clear();
      throw error;
    }
    // A browser at an allowed origin may read the answer (REST and local fronts; the HTTP API's CORS configuration does the same).
    const cors = corsHeaders(request.headers.get("origin"), options.allowedOrigins);
    if (cors["access-control-allow-origin"]) response = { ...response, headers: { ...response.headers, ...cors } };
    const finish = (streamed?: Streamed) => {
      deadline.clear();
      // A subscription ends at the deadline by design; anything else it cut was cut short.
      if (deadline.passed && facts.method !== "subscriptions/listen") facts.error ??= "deadline";
      if (!facts.error && response.status >= 400) facts.error = errorCode(response);
      if (!facts.error && facts.method === "tools/call" && (streamed?.toolError || (response.body !== undefined && isToolError(response.body)))) facts.error = "tool";
      const sessionId = response.headers["mcp-session-id"] ?? request.headers.get("mcp-session-id");
      const version = request.headers.get("mcp-protocol-version");
      log({
        requestId: gateway.requestId,
        traceId: process.env._X_AMZN_TRACE_ID,
        ...facts,
        session: sessionId ? sessionDigest(sessionId) : undefined,
        ...loggedRoute(request.method, request.url.pathname),
        ...(version !== undefined && { protocolVersion: printable(version) }),
        status: response.status,
        durationMs: Date.now() - started,
        ...(streamed && { events: streamed.events, streamedMs: streamed.streamedMs }),
      });
    };
    if (!response.stream) {
      finish();
      return response;
    }
    // A streamed answer is logged, and its deadline stopped, when its last event is written; one whose reader left
    // before its end also ends what is still producing it. Only a tool call's answer can hold a tool's error result.
    return { ...response, stream: logged(response.stream, facts.method === "tools/call", finish, () => deadline.abandon()) };
  }

  /**
   * The checks, cheapest and most general first, then the request. Every
   * wait ends at `deadline`: the session store's with a 503, the SDK's work
   * with a JSON-RPC error for each request it could not finish.
   */
  async function route(gateway: GatewayRequest, invocation: InvocationContext, facts: RequestFacts, deadline: Deadline): Promise<HttpResponse> {
    const { request } = gateway;
    // Before any other work, discovery included: a request that skipped CloudFront skipped its WAF.
    const bypassed = checkOriginSecret(request, options.originVerifySecret);
    if (bypassed) return bypassed;
    const path = request.url.pathname;
    if ((DISCOVERY_PATHS as readonly string[]).includes(path)) return discovery(request, options);
    // The front's work (a client's document, the upstream's token endpoint, its table) ends at the deadline like any other.
    const oauth =
      options.authorizationFront &&
      (await beforeDeadline(options.authorizationFront(request), deadline.signal).catch((error: unknown) => {
        if (!(error instanceof DeadlineExceededError)) throw error;
        facts.error = "deadline";
        return jsonResponse(503, { error: "temporarily_unavailable", error_description: "The authorization server could not answer in time; try again." }, { "cache-control": "no-store", "retry-after": "1" });
      }));
    if (oauth) return oauth;
    if (path !== MCP_PATH) {
      facts.detail = printable(path);
      return problem(404, `No resource at this path. The MCP endpoint is ${MCP_PATH}.`);
    }

    // The caller first, so that every later refusal's log line names it.
    const caller = identify(gateway.claims, options.tenantClaim, options.people, request.headers.get("authorization"));
    if (typeof caller !== "string") {
      facts.tenant = caller.tenant;
      facts.principal = caller.principal;
    }
    const origin = request.headers.get("origin");
    const refused = checkOrigin(origin, options.allowedOrigins);
    if (refused) {
      facts.detail = printable(origin!);
      return refused;
    }
    if (typeof caller === "string") return jsonRpcError(403, -32001, caller);
    const stranger = checkClient(gateway.claims, allowedClients) ?? checkScope(gateway.claims, options.scopes);
    if (stranger) return stranger;
    if (invocation.tenantId !== undefined && invocation.tenantId !== caller.tenant) {
      return jsonRpcError(403, -32001, "The invocation's tenant does not match the token's tenant claim; the request is refused.");
    }
    const { body, refused: unreadable } = readBody(request);
    Object.assign(facts, describeBody(body, toolNames));
    if (unreadable) return unreadable;
    facts.traceparent = traceparentOf(request.headers.get("traceparent"), body);
    // The tool gets the client's trace context, so that its own calls can join the trace.
    const traced: Caller = facts.traceparent ? { ...caller, traceparent: facts.traceparent } : caller;

    try {
      const authInfo = authInfoOf(traced, gateway.claims);
      if (isLegacy(request, body)) return await serveLegacy(request, body, traced, authInfo, deadline);
      return await serveModern(request, body, authInfo, deadline);
    } catch (error) {
      if (error instanceof SessionStoreUnavailableError) {
        if (error.cause instanceof DeadlineExceededError) facts.error = "deadline";
        else [facts.error, facts.cause] = [error.name, error.causeName];
        return jsonRpcError(503, -32002, "Sessions are temporarily unavailable; retry shortly.", { "retry-after": "1" });
      }
      if (error instanceof SessionStoreRejectedError) {
        [facts.error, facts.cause] = [error.name, error.causeName];
        return jsonRpcError(400, -32600, "Invalid Request: the session store refused this request as invalid. Initialize a new session and retry.");
      }
      facts.error = (error as Error).name;
      // Where it failed, not what it said: a message may quote request data (a key, an argument), which logs never hold.
      const frames = ((error as Error).stack ?? "").split("\n").slice(1, 6).map((frame) => frame.trim());
      console.error(JSON.stringify({ level: "ERROR", message: "unhandled error", requestId: gateway.requestId, error: (error as Error).name, frames }));
      return jsonRpcError(500, -32603, "Internal error.");
    }
  }

  function refuse(error: MalformedEventError, event: { readonly requestId: string; readonly httpMethod: string; readonly path: string }): HttpResponse {
    const started = Date.now();
    const response = jsonRpcError(error.status, -32600, error.message, error.status === 405 ? { allow: "POST, GET, DELETE" } : {});
    log({ requestId: event.requestId, ...loggedRoute(event.httpMethod, event.path), status: response.status, durationMs: Date.now() - started, error: error.name });
    return response;
  }

  return { handle, refuse };
}

/** What a streamed answer's log line records: its events, how long it ran, and whether a tool's result in it was an error. */
type Streamed = Pick<RequestLog, "events" | "streamedMs"> & { readonly toolError?: boolean };

/**
 * `stream`, counting its events; `finish` gets the count, how long the stream ran and (for a tool call) whether it
 * carried a tool's error, once it ends, however it ends. When it ends before its last event (its reader left, or a
 * write failed), `abandon` then ends what is still producing it.
 */
async function* logged(stream: AsyncIterable<string>, toolCall: boolean, finish: (streamed: Streamed) => void, abandon: () => void): AsyncIterable<string> {
  const opened = Date.now();
  let events = 0;
  let toolError = false;
  let complete = false;
  try {
    for await (const chunk of stream) {
      events += countEvents(chunk);
      if (toolCall) toolError ||= chunk.split("\n").some((line) => line.startsWith("data:") && isToolError(line.slice(5)));
      yield chunk;
    }
    complete = true;
  } finally {
    finish({ events, streamedMs: Date.now() - opened, toolError });
    if (!complete) abandon();
  }
}

/** Whether a JSON-RPC answer is a tool's error result (`result.isError`); the text is parsed only when it can be one. */
function isToolError(text: string): boolean {
  if (!text.includes('"isError":true')) return false;
  try {
    const message = JSON.parse(text) as { result?: { isError?: unknown } } | { result?: { isError?: unknown } }[];
    return (Array.isArray(message) ? message : [message]).some((m) => m?.result?.isError === true);
  } catch {
    return false;
  }
}
