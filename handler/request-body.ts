import type { HttpRequest, HttpResponse } from "./http-message.js";
import { jsonRpcError } from "./http-message.js";

/** The bound on a POST body, the SDK's own default: a body handed to the SDK parsed is not measured by it again. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;
/**
 * The deepest nesting a body may have. The SDK validates messages with zod,
 * which recurses: a body nested some thousands of levels deep overflows the
 * stack, a server error for what is a client's. No MCP message comes close
 * to this; tool arguments with deep JSON Schema-like structure stay far below.
 */
const MAX_BODY_DEPTH = 128;

/**
 * Parses a POST body once, for the log, the session layer and the SDK. A
 * body that does not parse is left undefined: the POST rules answer it with
 * the SDK's errors, in its order (406, 415, then -32700). A body over the
 * size or depth bound is refused here.
 */
export function readBody(request: HttpRequest): { body: unknown; refused?: HttpResponse } {
  if (request.method !== "POST" || request.body === undefined) return { body: undefined };
  if (Buffer.byteLength(request.body) > MAX_BODY_BYTES) {
    return { body: undefined, refused: jsonRpcError(413, -32600, `The request body is over ${MAX_BODY_BYTES} bytes; send a smaller request.`) };
  }
  let body: unknown;
  try {
    body = JSON.parse(request.body);
  } catch {
    return { body: undefined };
  }
  if (nestsDeeper(body, MAX_BODY_DEPTH)) {
    return { body, refused: jsonRpcError(400, -32600, `Invalid Request: the body nests objects and arrays more than ${MAX_BODY_DEPTH} levels deep.`) };
  }
  return { body };
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
