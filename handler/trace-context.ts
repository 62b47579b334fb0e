/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/): a client's
 * `traceparent` travels in the `traceparent` header or, from the 2026-07-28
 * revision, in the request's `params._meta.traceparent`. The server logs it
 * beside the X-Ray trace id and hands it to the tool, whose own calls can
 * then join the client's trace.
 */

/** version-traceid-parentid-flags, lowercase hex; the all-zero ids are invalid. */
const TRACEPARENT = /^(?!ff)[0-9a-f]{2}-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$/;

/** The request's traceparent when it is a valid one (from `_meta` first, then the header); anything else is dropped, never logged. */
export function traceparentOf(header: string | null | undefined, body: unknown): string | undefined {
  const meta = (body as { params?: { _meta?: { traceparent?: unknown } } } | null | undefined)?.params?._meta?.traceparent;
  for (const candidate of [meta, header?.trim()]) if (typeof candidate === "string" && TRACEPARENT.test(candidate)) return candidate;
  return undefined;
}
