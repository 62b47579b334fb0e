import type { HttpRequest } from "../http-message.js";

/**
 * A request from the parts of an API Gateway event, refusing with a
 * {@link MalformedEventError} what no HTTP request can carry. API Gateway
 * passes on what clients send; the checks are the Fetch API's, so that the
 * 2026-07-28 path can always build a `Request` from what passes. The error
 * message is fixed: it names the kind of part, never echoes what was sent
 * (a value may be a credential).
 */

/** The event holds something no HTTP request can carry; `status` is the answer to give. */
export class MalformedEventError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 405 = 400,
  ) {
    super(message);
    this.name = "MalformedEventError";
  }
}

/** RFC 9110 token: what a method and a header name may be made of. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Methods the Fetch API refuses to build a request with. */
const FORBIDDEN_METHODS = new Set(["CONNECT", "TRACE", "TRACK"]);
/** Methods the Fetch API upper-cases, whatever case they arrive in. */
const NORMALIZED_METHODS = new Set(["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"]);
/** What the Fetch API trims from a header value's ends. */
const HTTP_WHITESPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g;
/** What a header value may not hold: NUL, CR, LF, or a character beyond one byte. */
const INVALID_HEADER_VALUE = /[\0\r\n]|[^\0-\xff]/;

/** The parts of a request, as the adapters read them from an event. */
export interface RequestParts {
  readonly method: string;
  readonly host: string;
  /** Path as the gateway routed it, starting with `/`. */
  readonly path: string;
  /** Query string without `?`, possibly empty. */
  readonly query: string;
  readonly headers: Iterable<readonly [string, string]>;
  readonly body: string | null | undefined;
  readonly isBase64Encoded: boolean;
}

/** Builds the request, or throws {@link MalformedEventError} naming what is wrong. */
export function buildRequest(parts: RequestParts): HttpRequest {
  const method = NORMALIZED_METHODS.has(parts.method.toUpperCase()) ? parts.method.toUpperCase() : parts.method;
  if (!TOKEN.test(method)) throw new MalformedEventError("The request method is not a valid HTTP method. Send POST, GET or DELETE.");
  if (FORBIDDEN_METHODS.has(method.toUpperCase())) throw new MalformedEventError("This method is not allowed. Send POST, GET or DELETE.", 405);
  if (!parts.path.startsWith("/")) throw new MalformedEventError("The request path must start with /. The MCP endpoint is /mcp.");
  const headers = new Map<string, string>();
  for (const [name, raw] of parts.headers) {
    if (!TOKEN.test(name)) throw new MalformedEventError("A request header has a name that is not a valid HTTP header name. Remove it and retry.");
    const value = String(raw).replace(HTTP_WHITESPACE, "");
    if (INVALID_HEADER_VALUE.test(value)) throw new MalformedEventError("A request header holds characters an HTTP header cannot (NUL, CR, LF or beyond one byte). Fix its value and retry.");
    const key = name.toLowerCase();
    const earlier = headers.get(key);
    headers.set(key, earlier === undefined ? value : `${earlier}${key === "cookie" ? "; " : ", "}${value}`);
  }
  let url: URL;
  try {
    url = new URL(`https://${parts.host}${parts.path}${parts.query ? `?${parts.query}` : ""}`);
  } catch {
    throw new MalformedEventError("The request URL cannot be parsed. The MCP endpoint is /mcp.");
  }
  const hasBody = parts.body !== undefined && parts.body !== null && method !== "GET" && method !== "HEAD";
  if (!hasBody) return { method, url, headers };
  // Decoded as the Fetch API's text() would: UTF-8, without a byte order mark.
  const body = parts.isBase64Encoded ? Buffer.from(parts.body!, "base64").toString("utf8") : parts.body!;
  return { method, url, headers, body: body.charCodeAt(0) === 0xfeff ? body.slice(1) : body };
}
