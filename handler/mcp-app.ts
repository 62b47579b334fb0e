import { classifyInboundRequest, createMcpHandler, isInitializeRequest, type AuthInfo, type OAuthProtectedResourceMetadata } from "@modelcontextprotocol/server";
import type { Caller } from "./caller.js";
import { corsHeaders } from "./cors.js";
import { beforeDeadline, Deadline, DeadlineExceededError } from "./deadline.js";
import { DISCOVERY_PATHS, MCP_PATH, ORIGIN_VERIFY_HEADER } from "./http-contract.js";
import type { GatewayRequest } from "./events/types.js";
import type { MalformedEventError } from "./events/request.js";
import { fromFetchResponse, type HttpRequest, type HttpResponse, jsonResponse, jsonRpcError, printable, timedOut, toFetchRequest } from "./http-message.js";
import { buildServer } from "./server.js";
import { servePost } from "./streamable-http-post.js";
import { TOOLS } from "./tools/index.js";
import type { Tool } from "./tools/tool.js";
import { clientOf, isSessionId, newSessionId, SESSION_LIMITS, SessionStore, SessionStoreRejectedError, SessionStoreUnavailableError } from "./sessions.js";

/** node:crypto, loaded on first use: most requests hash nothing and compare no secret, and loading it adds a few milliseconds to every cold start. */
const nodeCrypto = () => process.getBuiltinModule("node:crypto");

/** What a tenant value may hold: the characters both Lambda tenant ids and STS session tags accept. */
const TENANT_PATTERN = /^[a-zA-Z0-9._:/=+\-@ ]{1,256}$/;
/**
 * What the request log records by name. Methods, paths and tool names (the
 * app's own set) arrive from the client and could carry anything, a
 * credential or an argument included; values outside these sets are logged
 * as "other".
 */
const LOGGED = {
  httpMethods: new Set(["GET", "POST", "DELETE", "PUT", "PATCH", "HEAD", "OPTIONS"]),
  paths: new Set<string>([MCP_PATH, ...DISCOVERY_PATHS]),
  // The client-to-server methods and notifications of the 2025 and 2026 revisions.
  methods: new Set([
    "initialize", "ping", "server/discover", "subscriptions/listen",
    "tools/list", "tools/call", "resources/list", "resources/templates/list", "resources/read", "resources/subscribe", "resources/unsubscribe",
    "prompts/list", "prompts/get", "completion/complete", "logging/setLevel", "tasks/get", "tasks/result", "tasks/list", "tasks/cancel",
    "notifications/initialized", "notifications/cancelled", "notifications/progress", "notifications/roots/list_changed",
  ]),
};
const known = (set: ReadonlySet<string>, value: string) => (set.has(value) ? value : "other");

/** The bound on a POST body, the SDK's own default: a body handed to the SDK parsed is not measured by it again. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;
/**
 * The deepest nesting a body may have. The SDK validates messages with zod,
 * which recurses: a body nested some thousands of levels deep overflows the
 * stack, a server error for what is a client's. No MCP message comes close
 * to this; tool arguments with deep JSON Schema-like structure stay far below.
 */
const MAX_BODY_DEPTH = 128;
/** The one revision that allowed JSON-RPC batches. */
const BATCH_REVISION = "2025-03-26";
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
  /** Where the one line per request goes. Default: stdout as JSON, which Lambda sends to CloudWatch. */
  readonly log?: (entry: RequestLog) => void;
}

/**
 * The audit line of one request (AU-2, AU-3): who, what, outcome. Never the
 * Authorization header, a token or tool arguments; the session id only hashed.
 */
export interface RequestLog {
  readonly requestId: string;
  readonly traceId?: string;
  readonly tenant?: string;
  readonly principal?: string;
  /** First 16 hex digits of SHA-256 of the session id. */
  readonly session?: string;
  readonly httpMethod: string;
  readonly path: string;
  /** JSON-RPC method, `batch` for a batch, `other` for one MCP does not define. */
  readonly method?: string;
  /** Tool name of a tools/call, `other` for a tool the server does not offer. */
  readonly tool?: string;
  /** The MCP-Protocol-Version header as sent, made printable and cut to 64 characters. */
  readonly protocolVersion?: string;
  readonly status: number;
  readonly durationMs: number;
  /** `deadline` when the request's deadline cut it; else the class of a thrown error, or the JSON-RPC error code of an error answer. */
  readonly error?: string;
  /** Behind a session store error: the AWS error name or system error code (never its message, which may quote data). */
  readonly cause?: string;
  /** The value a refusal names (an Origin, a path), made printable and cut to 64 characters; answers never echo it. */
  readonly detail?: string;
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
 * origin and tenant checks, then 2026-07-28 requests to the SDK's stateless
 * handler and 2025-era requests to a session layer (DynamoDB, bound to the
 * caller's tenant) in front of a per-request SDK server.
 */
export function createMcpApp(options: McpAppOptions): McpApp {
  const tools = options.tools ?? TOOLS;
  const toolNames = new Set(tools.map((tool) => tool.name));
  // Built with the first 2026-07-28 request: a cold start serving a 2025 client need not pay for it.
  let modernHandler: ReturnType<typeof createMcpHandler> | undefined;
  const modern = () => (modernHandler ??= createMcpHandler((ctx) => buildServer(callerOf(ctx.authInfo), tools), { responseMode: "json", legacy: "reject" }));

  const log = options.log ?? ((entry: RequestLog) => console.log(JSON.stringify({ level: "INFO", message: "request", ...entry })));

  async function handle(gateway: GatewayRequest, invocation: InvocationContext = {}): Promise<HttpResponse> {
    const started = Date.now();
    const { request } = gateway;
    const remaining = invocation.remainingMs;
    // A short function timeout keeps most of its time: the margin is at most a tenth of what remains.
    const margin = remaining === undefined ? 0 : Math.min(options.deadlineMarginMs ?? DEFAULT_DEADLINE_MARGIN_MS, remaining / 10);
    const deadline = new Deadline(started + (remaining === undefined ? (options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS) : remaining - margin));
    const facts: Mutable<Partial<RequestLog>> = {};
    let response: HttpResponse;
    try {
      response = await route(gateway, invocation, facts, deadline);
    } finally {
      deadline.clear();
    }
    // A browser at an allowed origin may read the answer (REST and local fronts; the HTTP API's CORS configuration does the same).
    const cors = corsHeaders(request.headers.get("origin"), options.allowedOrigins);
    if (cors["access-control-allow-origin"]) response = { ...response, headers: { ...response.headers, ...cors } };
    if (deadline.passed) facts.error ??= "deadline";
    if (!facts.error && response.status >= 400) facts.error = errorCode(response);
    const sessionId = response.headers["mcp-session-id"] ?? request.headers.get("mcp-session-id");
    const version = request.headers.get("mcp-protocol-version");
    log({
      requestId: gateway.requestId,
      traceId: process.env._X_AMZN_TRACE_ID,
      ...facts,
      session: sessionId ? nodeCrypto().createHash("sha256").update(sessionId).digest("hex").slice(0, 16) : undefined,
      httpMethod: known(LOGGED.httpMethods, request.method),
      path: known(LOGGED.paths, request.url.pathname),
      ...(version !== undefined && { protocolVersion: printable(version) }),
      status: response.status,
      durationMs: Date.now() - started,
    });
    return response;
  }

  /**
   * The checks, cheapest and most general first, then the request. Every
   * wait ends at `deadline`: the session store's with a 503, the SDK's work
   * with a JSON-RPC error for each request it could not finish.
   */
  async function route(gateway: GatewayRequest, invocation: InvocationContext, facts: Mutable<Partial<RequestLog>>, deadline: Deadline): Promise<HttpResponse> {
    const { request } = gateway;
    // Before any other work, discovery included: a request that skipped CloudFront skipped its WAF.
    const bypassed = checkOriginSecret(request);
    if (bypassed) return bypassed;
    const path = request.url.pathname;
    if ((DISCOVERY_PATHS as readonly string[]).includes(path)) return discovery(request);
    if (path !== MCP_PATH) {
      facts.detail = printable(path);
      return problem(404, `No resource at this path. The MCP endpoint is ${MCP_PATH}.`);
    }

    // The caller first, so that every later refusal's log line names it.
    const caller = identify(gateway.claims);
    if (typeof caller !== "string") {
      facts.tenant = caller.tenant;
      facts.principal = caller.principal;
    }
    const refused = checkOrigin(request, facts);
    if (refused) return refused;
    if (typeof caller === "string") return jsonRpcError(403, -32001, caller);
    const stranger = checkClient(gateway.claims);
    if (stranger) return stranger;
    const unscoped = checkScope(gateway.claims);
    if (unscoped) return unscoped;
    if (invocation.tenantId !== undefined && invocation.tenantId !== caller.tenant) {
      return jsonRpcError(403, -32001, "The invocation's tenant does not match the token's tenant claim; the request is refused.");
    }
    const { body, oversized } = readBody(request);
    Object.assign(facts, describe(body, toolNames));
    if (oversized) return jsonRpcError(413, -32600, `The request body is over ${MAX_BODY_BYTES} bytes; send a smaller request.`);
    if (nestsDeeper(body, MAX_BODY_DEPTH)) return jsonRpcError(400, -32600, `Invalid Request: the body nests objects and arrays more than ${MAX_BODY_DEPTH} levels deep.`);

    try {
      const authInfo = authInfoOf(caller, gateway.claims);
      if (isLegacy(request, body)) return await legacy(request, body, caller, authInfo, deadline);
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

  /**
   * A 2026-07-28 request, served by the SDK's stateless handler. The
   * deadline's signal travels on the request, so its passing closes the
   * SDK's transport and aborts the tool's signal; the answer is then a
   * JSON-RPC error, never a wait for the function's timeout.
   */
  async function serveModern(request: HttpRequest, body: unknown, authInfo: AuthInfo, deadline: Deadline): Promise<HttpResponse> {
    const message = body as { id?: unknown; method?: unknown } | undefined;
    // The SDK answers it with a stream that never ends; a buffered front would wait for its end until the function timed out.
    if (message?.method === "subscriptions/listen") return listenUnavailable(message.id);
    let response: Response | undefined;
    try {
      response = await beforeDeadline(modern().fetch(toFetchRequest(request, deadline.signal), { authInfo, parsedBody: body }), deadline.signal);
      return withoutEcho(await beforeDeadline(fromFetchResponse(response), deadline.signal));
    } catch (error) {
      if (!(error instanceof DeadlineExceededError)) throw error;
      response?.body?.cancel().catch(() => undefined);
      return jsonResponse(200, timedOut(idOf(message?.id)));
    }
  }

  function refuse(error: MalformedEventError, event: { readonly requestId: string; readonly httpMethod: string; readonly path: string }): HttpResponse {
    const started = Date.now();
    const response = jsonRpcError(error.status, -32600, error.message, error.status === 405 ? { allow: "POST, GET, DELETE" } : {});
    log({
      requestId: event.requestId,
      httpMethod: known(LOGGED.httpMethods, event.httpMethod),
      path: known(LOGGED.paths, event.path),
      status: response.status,
      durationMs: Date.now() - started,
      error: error.name,
    });
    return response;
  }

  function discovery(request: HttpRequest): HttpResponse {
    if (request.method !== "GET") return problem(405, "Discovery metadata is read with GET.", { allow: "GET" });
    const metadata: OAuthProtectedResourceMetadata = {
      resource: options.resourceUrl ?? `${request.url.origin}${MCP_PATH}`,
      authorization_servers: options.issuer ? [options.issuer] : [],
      scopes_supported: [...options.scopes],
      bearer_methods_supported: ["header"],
    };
    return jsonResponse(200, metadata, { "cache-control": "public, max-age=300" });
  }

  function checkOrigin(request: HttpRequest, facts: Mutable<Partial<RequestLog>>): HttpResponse | undefined {
    const origin = request.headers.get("origin");
    if (origin === undefined || options.allowedOrigins.includes(origin)) return undefined;
    facts.detail = printable(origin);
    return jsonRpcError(403, -32001, "This browser origin is not allowed to call this server; the operator can add it to allowed_origins.");
  }

  function checkOriginSecret(request: HttpRequest): HttpResponse | undefined {
    if (!options.originVerifySecret) return undefined;
    const given = Buffer.from(request.headers.get(ORIGIN_VERIFY_HEADER.toLowerCase()) ?? "");
    const expected = Buffer.from(options.originVerifySecret);
    if (given.length === expected.length && nodeCrypto().timingSafeEqual(given, expected)) return undefined;
    return jsonRpcError(403, -32001, "Requests must come through the server's CloudFront distribution.");
  }

  /** The verified caller, or what is wrong with the claims. */
  function identify(claims: GatewayRequest["claims"]): Caller | string {
    const tenant = claims?.[options.tenantClaim];
    if (typeof tenant !== "string" && typeof tenant !== "number") {
      return `The access token has no "${options.tenantClaim}" claim, which names the caller's tenant. Use a token issued for this server (or ask its operator which claim MCP_TENANT_CLAIM names).`;
    }
    // Padded values would be tenants of their own that look like another's in every log and console.
    if (!TENANT_PATTERN.test(String(tenant)) || String(tenant).trim() !== String(tenant)) {
      return `The "${options.tenantClaim}" claim must be 1-256 characters of letters, digits, spaces (not at either end) and . _ : / = + - @ (what Lambda tenant ids and AWS session tags carry).`;
    }
    const principal = String(claims?.sub ?? claims?.client_id ?? tenant);
    if (Buffer.byteLength(principal) > SESSION_LIMITS.principalBytes) {
      return `The access token's subject is over ${SESSION_LIMITS.principalBytes} bytes; use a token whose sub claim is shorter.`;
    }
    return { tenant: String(tenant), principal };
  }

  /**
   * Only the operator's app clients (one per tenant) may call. The HTTP API's
   * authorizer checks them as its audience; the REST API's Cognito authorizer
   * checks none, so without this any client of the pool with the scope would get in.
   */
  function checkClient(claims: GatewayRequest["claims"]): HttpResponse | undefined {
    if (!options.allowedClients?.length || options.allowedClients.includes(String(claims?.client_id))) return undefined;
    return jsonRpcError(403, -32001, "This app client is not allowed to call this server. The operator allows clients per tenant (the tenants input, or cognito_client_ids with an external pool).");
  }

  /** The gateway checks the scope; so does the server, in case a route or authorizer was changed by hand (403 as the gateway answers). */
  function checkScope(claims: GatewayRequest["claims"]): HttpResponse | undefined {
    if (options.scopes.length === 0) return undefined;
    const granted = typeof claims?.scope === "string" ? claims.scope.split(" ") : [];
    if (options.scopes.some((scope) => granted.includes(scope))) return undefined;
    const wanted = options.scopes.join(" ");
    return jsonRpcError(403, -32001, `The access token lacks the scope this server requires (${wanted}); request a token with it.`, {
      "www-authenticate": `Bearer error="insufficient_scope", scope="${wanted}"`,
    });
  }

  async function legacy(request: HttpRequest, body: unknown, caller: Caller, authInfo: AuthInfo, deadline: Deadline): Promise<HttpResponse> {
    const sessions = options.sessions;
    const allow = sessions ? "POST, DELETE" : "POST";
    if (request.method === "GET") {
      return jsonRpcError(405, -32000, "This server offers no SSE stream: Lambda buffers responses. Send requests with POST.", { allow });
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
    if (headerVersion !== undefined && headerVersion !== session.protocolVersion) {
      return jsonRpcError(400, -32000, `Bad Request: MCP-Protocol-Version differs from the revision this session negotiated (${session.protocolVersion}).`);
    }
    if (Array.isArray(body) && session.protocolVersion !== BATCH_REVISION) return batchRefused();
    return serve(request, { ...caller, sessionId }, authInfo, body, deadline);
  }

  async function initialize(
    request: HttpRequest,
    body: { params: { clientInfo?: unknown } },
    caller: Caller,
    authInfo: AuthInfo,
    sessions: SessionStore,
    deadline: Deadline,
  ): Promise<HttpResponse> {
    const sessionId = newSessionId();
    const response = await serve(request, { ...caller, sessionId }, authInfo, body, deadline);
    const result = response.status === 200 ? (JSON.parse(response.body ?? "{}") as { result?: { protocolVersion?: string } }).result : undefined;
    if (!result?.protocolVersion) return response;
    await sessions.create(
      { tenantId: caller.tenant, sessionId, principal: caller.principal, protocolVersion: result.protocolVersion, ...clientOf(body.params.clientInfo) },
      deadline.signal,
    );
    return { ...response, headers: { ...response.headers, "mcp-session-id": sessionId } };
  }

  /** One POST through a fresh server bound to the caller (2025 rules: 406, 415, -32700, 202, version checks), ended by the deadline. */
  function serve(request: HttpRequest, caller: Caller, authInfo: AuthInfo, body: unknown, deadline: Deadline): Promise<HttpResponse> {
    return servePost(buildServer(caller, tools), request, body, authInfo, deadline.signal);
  }

  return { handle, refuse };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Parses a POST body once, for the log, the session layer and the SDK. A
 * body that does not parse is left undefined: the POST rules answer it with
 * the SDK's errors, in its order (406, 415, then -32700).
 */
function readBody(request: HttpRequest): { body: unknown; oversized: boolean } {
  if (request.method !== "POST" || request.body === undefined) return { body: undefined, oversized: false };
  if (Buffer.byteLength(request.body) > MAX_BODY_BYTES) return { body: undefined, oversized: true };
  try {
    return { body: JSON.parse(request.body), oversized: false };
  } catch {
    return { body: undefined, oversized: false };
  }
}

/** Whether `value` nests objects and arrays more than `limit` levels deep; walked without recursion, so any depth is safe to measure. */
function nestsDeeper(value: unknown, limit: number): boolean {
  const pending: [unknown, number][] = [[value, 0]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [node, depth] = next;
    if (typeof node !== "object" || node === null) continue;
    if (depth >= limit) return true;
    for (const child of Object.values(node)) if (typeof child === "object" && child !== null) pending.push([child, depth + 1]);
  }
  return false;
}

/**
 * Whether the SDK would serve the request as 2025-era traffic, as its
 * `isLegacyRequest` decides, on the parsed body: a POST without a JSON body
 * is legacy, so that the 2025 rules answer it.
 */
function isLegacy(request: HttpRequest, body: unknown): boolean {
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

/** The JSON-RPC method and tool of a request body, as far as {@link LOGGED} and the app's tools name them (never its arguments). */
function describe(body: unknown, toolNames: ReadonlySet<string>): Pick<RequestLog, "method" | "tool"> {
  if (Array.isArray(body)) return { method: "batch" };
  const message = body as { method?: unknown; params?: { name?: unknown } } | undefined;
  const method = typeof message?.method === "string" ? known(LOGGED.methods, message.method) : undefined;
  const tool = method === "tools/call" && typeof message?.params?.name === "string" ? known(toolNames, message.params.name) : undefined;
  return { method, tool };
}

/** The JSON-RPC error code of an error answer, as text, when it has one. */
function errorCode(response: HttpResponse): string {
  let code: unknown;
  try {
    code = (JSON.parse(response.body ?? "") as { error?: { code?: unknown } } | null)?.error?.code;
  } catch {
    // Not JSON: the HTTP status is all there is.
  }
  return typeof code === "number" ? `jsonrpc:${code}` : `http:${response.status}`;
}

function callerOf(authInfo: AuthInfo | undefined): Caller {
  const extra = authInfo?.extra as { tenant?: string; principal?: string } | undefined;
  return { tenant: extra?.tenant ?? "", principal: extra?.principal ?? "" };
}

function authInfoOf(caller: Caller, claims: GatewayRequest["claims"]): AuthInfo {
  const scope = typeof claims?.scope === "string" ? claims.scope : "";
  // API Gateway verified the token; the server never sees or keeps it.
  return { token: "", clientId: String(claims?.client_id ?? caller.principal), scopes: scope.split(" ").filter(Boolean), extra: { ...caller } };
}

function batchRefused(): HttpResponse {
  return jsonRpcError(400, -32600, `Invalid Request: JSON-RPC batches are allowed only under protocol revision ${BATCH_REVISION}; send one message per request.`);
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

function sessionNotFound(): HttpResponse {
  return jsonRpcError(404, -32001, "Session not found: it ended, expired or never existed. Initialize a new session.");
}

function problem(status: number, message: string, headers: Record<string, string> = {}): HttpResponse {
  return jsonResponse(status, { error: message }, headers);
}
