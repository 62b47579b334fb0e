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
}

/** A JSON answer. */
export function jsonResponse(status: number, value: unknown, headers: Record<string, string> = {}): HttpResponse {
  return { status, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(value) };
}

/** A JSON-RPC error answer, with no id: it answers the HTTP request, not one message. */
export function jsonRpcError(status: number, code: number, message: string, headers: Record<string, string> = {}): HttpResponse {
  return jsonResponse(status, { jsonrpc: "2.0", error: { code, message }, id: null }, headers);
}

/** The request as a Fetch API `Request`, for the SDK's web-standard handlers. */
export function toFetchRequest(request: HttpRequest): Request {
  const hasBody = request.body !== undefined && request.method !== "GET" && request.method !== "HEAD";
  return new Request(request.url, { method: request.method, headers: [...request.headers], body: hasBody ? request.body : undefined });
}

/** A Fetch API `Response`, read into an answer. */
export async function fromFetchResponse(response: Response): Promise<HttpResponse> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => (headers[name] = value));
  const text = await response.text();
  return { status: response.status, headers, ...(text === "" ? {} : { body: text }) };
}
