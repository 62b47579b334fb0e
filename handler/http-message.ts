/**
 * The request and response the MCP application works with: plain data, not
 * the Fetch API's classes. Node loads its fetch implementation (undici) on
 * the first `Request`, `Response` or `Headers`, about 50 ms of a cold start
 * (docs/performance.md); only the 2026-07-28 path, which the SDK serves on
 * web-standard objects, converts to them and pays for it.
 */

/** One HTTP request as API Gateway passed it on, checked by `events/request.ts`. */
export interface HttpRequest {
  readonly method: string;
  readonly url: URL;
  /** Names in lower case, so look them up in lower case; a repeated header's values joined with ", ". */
  readonly headers: ReadonlyMap<string, string>;
  /** The body as text; undefined when the request has none. */
  readonly body?: string;
}

/** One HTTP answer; header names in lower case. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /**
   * A body written as it is produced (an SSE stream, see event-stream.ts),
   * instead of `body`: only where the response streams. It ends on its own,
   * by the request's deadline at the latest.
   */
  readonly stream?: AsyncIterable<string>;
}

/** A JSON answer. */
export function jsonResponse(status: number, value: unknown, headers: Record<string, string> = {}): HttpResponse {
  return { status, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(value) };
}

/** A plain JSON error for what is not an MCP request (a wrong path, discovery with another method). */
export function problem(status: number, message: string, headers: Record<string, string> = {}): HttpResponse {
  return jsonResponse(status, { error: message }, headers);
}

/** A JSON-RPC error answer, with no id: it answers the HTTP request, not one message. */
export function jsonRpcError(status: number, code: number, message: string, headers: Record<string, string> = {}): HttpResponse {
  return jsonResponse(status, { jsonrpc: "2.0", error: { code, message }, id: null }, headers);
}

/**
 * The JSON-RPC error for a request whose deadline passed before the server
 * finished it. It answers that request (it carries its id), so it travels
 * in-band with HTTP 200, as the SDK answers every error a request's handler
 * produces; the request log records it as `error: "deadline"`.
 */
export function timedOut(id: string | number | null): { jsonrpc: "2.0"; id: string | number | null; error: { code: number; message: string } } {
  return {
    jsonrpc: "2.0",
    id,
    error: { code: -32001, message: "Request timed out: the server could not finish it before its deadline and stopped it. Retry; if it keeps timing out, the work needs a longer function timeout." },
  };
}

/**
 * A value from a request made safe for a log line: characters outside
 * printable ASCII become `?`, and it is cut to `max` characters. Answers
 * never echo request values; the log keeps this form for the operator.
 */
export function printable(value: string, max = 64): string {
  const safe = value.replace(/[^\x20-\x7e]/g, "?");
  return safe.length > max ? `${safe.slice(0, max)}...` : safe;
}

/** The request as a Fetch API `Request`, for the SDK's web-standard handlers; `signal` reaches the SDK's transport, which closes when it aborts. */
export function toFetchRequest(request: HttpRequest, signal?: AbortSignal): Request {
  const hasBody = request.body !== undefined && request.method !== "GET" && request.method !== "HEAD";
  return new Request(request.url, { method: request.method, headers: [...request.headers], body: hasBody ? request.body : undefined, signal });
}

/** A Fetch API `Response`, read into an answer. */
export async function fromFetchResponse(response: Response): Promise<HttpResponse> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => (headers[name] = value));
  const text = await response.text();
  return { status: response.status, headers, ...(text === "" ? {} : { body: text }) };
}
