import { DISCOVERY_PATHS, MCP_PATH, OAUTH_PATHS } from "./http-contract.js";
import type { HttpResponse } from "./http-message.js";
import { metricsOf, type MetricsSettings } from "./request-metrics.js";

/**
 * The audit line of one request (AU-2, AU-3): who, what, outcome. Never the
 * Authorization header, a token or tool arguments; the session id only hashed.
 */
export interface RequestLog {
  readonly requestId: string;
  /** The X-Ray trace id of the invocation. */
  readonly traceId?: string;
  /** The client's W3C `traceparent` (header or `_meta`), when valid. */
  readonly traceparent?: string;
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
  /** From the request's arrival to its answer's last byte (a streamed answer's included). */
  readonly durationMs: number;
  /** A streamed answer (SSE): how many JSON-RPC messages it carried, and how long it was open. */
  readonly events?: number;
  readonly streamedMs?: number;
  /** `deadline` when the request's deadline cut it; else the class of a thrown error, the JSON-RPC (`jsonrpc:<code>`) or OAuth (`oauth:<error>`) error of an error answer, or `tool` for a tool's error result. */
  readonly error?: string;
  /** Behind a session store error: the AWS error name or system error code (never its message, which may quote data). */
  readonly cause?: string;
  /** The value a refusal names (an Origin, a path), made printable and cut to 64 characters; answers never echo it. */
  readonly detail?: string;
}

/** What a request has revealed about itself so far, for its log line; each step of the request adds to it. */
export type RequestFacts = { -readonly [K in keyof RequestLog]?: RequestLog[K] };

/**
 * The default destination: one JSON line on stdout, which Lambda sends to CloudWatch, carrying the
 * request's metrics (request-metrics.ts) when `metrics` is given. Written to stdout itself, not
 * through `console`: with Lambda's JSON log format the runtime wraps console output in an object of
 * its own, where CloudWatch would not find the metrics
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Libraries.html).
 */
export function requestLogWriter(metrics?: MetricsSettings): (entry: RequestLog) => void {
  return (entry) => {
    process.stdout.write(`${JSON.stringify({ level: "INFO", message: "request", ...entry, ...(metrics && metricsOf(entry, metrics)) })}\n`);
  };
}

/**
 * What the request log records by name. Methods, paths and tool names (the
 * app's own set) arrive from the client and could carry anything, a
 * credential or an argument included; values outside these sets are logged
 * as "other".
 */
const LOGGED = {
  httpMethods: new Set(["GET", "POST", "DELETE", "PUT", "PATCH", "HEAD", "OPTIONS"]),
  paths: new Set<string>([MCP_PATH, ...DISCOVERY_PATHS, ...Object.values(OAUTH_PATHS)]),
  // The client-to-server methods and notifications of the 2025 and 2026 revisions.
  methods: new Set([
    "initialize", "ping", "server/discover", "subscriptions/listen",
    "tools/list", "tools/call", "resources/list", "resources/templates/list", "resources/read", "resources/subscribe", "resources/unsubscribe",
    "prompts/list", "prompts/get", "completion/complete", "logging/setLevel", "tasks/get", "tasks/result", "tasks/list", "tasks/cancel",
    "notifications/initialized", "notifications/cancelled", "notifications/progress", "notifications/roots/list_changed",
  ]),
};
const known = (set: ReadonlySet<string>, value: string) => (set.has(value) ? value : "other");

/** The HTTP method and path as the log may record them. */
export function loggedRoute(httpMethod: string, path: string): Pick<RequestLog, "httpMethod" | "path"> {
  return { httpMethod: known(LOGGED.httpMethods, httpMethod), path: known(LOGGED.paths, path) };
}

/** The JSON-RPC method and tool of a request body, as far as the log's sets and the app's tools name them (never its arguments). */
export function describeBody(body: unknown, toolNames: ReadonlySet<string>): Pick<RequestLog, "method" | "tool"> {
  if (Array.isArray(body)) return { method: "batch" };
  const message = body as { method?: unknown; params?: { name?: unknown } } | undefined;
  const method = typeof message?.method === "string" ? known(LOGGED.methods, message.method) : undefined;
  const tool = method === "tools/call" && typeof message?.params?.name === "string" ? known(toolNames, message.params.name) : undefined;
  return { method, tool };
}

/** The JSON-RPC error code of an error answer, as text, when it has one. */
export function errorCode(response: HttpResponse): string {
  let error: unknown;
  try {
    error = (JSON.parse(response.body ?? "") as { error?: unknown } | null)?.error;
  } catch {
    // Not JSON: the HTTP status is all there is.
  }
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === "number") return `jsonrpc:${code}`;
  // The authorization front's OAuth errors (RFC 6749 section 5.2): a code from a fixed set, never a value the client sent.
  if (typeof error === "string" && /^[a-z_]{1,40}$/.test(error)) return `oauth:${error}`;
  return `http:${response.status}`;
}

/** The session id as the log keeps it: the first 16 hex digits of its SHA-256. node:crypto loads on first use, as most requests hash nothing. */
export function sessionDigest(sessionId: string): string {
  return process.getBuiltinModule("node:crypto").createHash("sha256").update(sessionId).digest("hex").slice(0, 16);
}
