import type { HttpRequest, HttpResponse } from "../../handler/http-message.js";

/**
 * The MCP application takes and gives plain requests and answers
 * (handler/http-message.ts); tests write them as Fetch API objects, which
 * are easier to build and to read.
 */
export async function fromFetchRequest(request: Request): Promise<HttpRequest> {
  return { method: request.method, url: new URL(request.url), headers: new Map(request.headers), ...(request.body === null ? {} : { body: await request.text() }) };
}

/** The answer as a Fetch API `Response`, for assertions. */
export function toFetchResponse(response: HttpResponse): Response {
  return new Response(response.body ?? null, { status: response.status, headers: response.headers });
}
