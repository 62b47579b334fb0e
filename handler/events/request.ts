/**
 * A web request from the parts of an API Gateway event, refusing with a
 * {@link MalformedEventError} what no HTTP request can carry. API Gateway
 * passes on what clients send, and the Fetch API throws on an invalid
 * method, header or URL; the error message names the part, never its value,
 * which may be a credential.
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
export function buildRequest(parts: RequestParts): Request {
  const { method } = parts;
  if (!TOKEN.test(method)) throw new MalformedEventError("The request method is not a valid HTTP method. Send POST, GET or DELETE.");
  if (FORBIDDEN_METHODS.has(method.toUpperCase())) throw new MalformedEventError(`Method ${method} is not allowed. Send POST, GET or DELETE.`, 405);
  if (!parts.path.startsWith("/")) throw new MalformedEventError("The request path must start with /. The MCP endpoint is /mcp.");
  const headers = new Headers();
  for (const [name, value] of parts.headers) {
    if (!TOKEN.test(name)) throw new MalformedEventError("A request header has a name that is not a valid HTTP header name. Remove it and retry.");
    try {
      headers.append(name, value);
    } catch {
      throw new MalformedEventError(`The ${name.slice(0, 64)} header holds characters an HTTP header cannot. Fix its value and retry.`);
    }
  }
  let url: URL;
  try {
    url = new URL(`https://${parts.host}${parts.path}${parts.query ? `?${parts.query}` : ""}`);
  } catch {
    throw new MalformedEventError("The request URL cannot be parsed. The MCP endpoint is /mcp.");
  }
  const hasBody = parts.body !== undefined && parts.body !== null && method !== "GET" && method !== "HEAD";
  const body = hasBody ? (parts.isBase64Encoded ? Buffer.from(parts.body!, "base64") : parts.body!) : undefined;
  return new Request(url, { method, headers, body });
}
