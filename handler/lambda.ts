import { once } from "node:events";
import type { Writable } from "node:stream";
import type { APIGatewayProxyResult, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { fromHttpApiEvent, HttpApiEvent, toHttpApiResult } from "./events/http-api.js";
import { fromRestApiEvent, RestApiEvent, toRestApiResult } from "./events/rest-api.js";
import { createMcpApp, McpApp, McpAppOptions } from "./mcp-app.js";
import { MalformedEventError } from "./events/request.js";
import type { GatewayRequest } from "./events/types.js";
import type { HttpResponse } from "./http-message.js";

/** The Lambda context; `tenantId` is set under tenant isolation. */
export type LambdaContext = Context & { tenantId?: string };

/** A Lambda handler for API Gateway proxy events of either front. */
export interface LambdaHandler {
  (event: HttpApiEvent, context: LambdaContext): Promise<APIGatewayProxyStructuredResultV2>;
  (event: RestApiEvent, context: LambdaContext): Promise<APIGatewayProxyResult>;
}

/** What a streaming handler receives: the event, the stream its answer is written to, and the context. */
export type StreamingHandler = (event: HttpApiEvent | RestApiEvent, responseStream: Writable, context: LambdaContext) => Promise<void>;

/** The HTTP status and headers API Gateway reads before a streamed body. */
export type HttpPrelude = {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
};

/**
 * The part of Lambda's Node.js runtime global `awslambda` that response
 * streaming uses (docs/aws-behaviours.md, "Response streaming"):
 * `streamifyResponse` marks a handler as streaming, and
 * `HttpResponseStream.from` makes the stream write the prelude API Gateway
 * expects (the JSON of status and headers, then 8 NUL bytes) before the
 * first chunk of the body, on the first `write`.
 */
export interface StreamingRuntime {
  streamifyResponse(handler: StreamingHandler): StreamingHandler;
  readonly HttpResponseStream: { from(responseStream: Writable, prelude: HttpPrelude): Writable };
}

/** Payload 2.0 events name their version; REST (v1) proxy events do not. */
function isHttpApiEvent(event: HttpApiEvent | RestApiEvent): event is HttpApiEvent {
  return (event as HttpApiEvent).version === "2.0";
}

/** The app's answer to one API Gateway event, whichever front sent it. */
async function answer(app: McpApp, event: HttpApiEvent | RestApiEvent, context: LambdaContext): Promise<HttpResponse> {
  const http = isHttpApiEvent(event);
  let gateway: GatewayRequest;
  try {
    gateway = http ? fromHttpApiEvent(event) : fromRestApiEvent(event);
  } catch (error) {
    if (!(error instanceof MalformedEventError)) throw error;
    const httpMethod = http ? event.requestContext.http.method : event.httpMethod;
    return app.refuse(error, { requestId: event.requestContext.requestId, httpMethod, path: http ? event.rawPath : event.path });
  }
  // The runtime ends the invocation when this runs out; the app answers a margin before it (its deadline).
  return app.handle(gateway, { tenantId: context.tenantId, remainingMs: remainingMs(context) });
}

/** Milliseconds until the runtime ends the invocation; undefined off Lambda. */
function remainingMs(context: LambdaContext): number | undefined {
  return typeof context.getRemainingTimeInMillis === "function" ? context.getRemainingTimeInMillis() : undefined;
}

/** What writing a streamed answer keeps back from the invocation's time, so that a reader that stops reading cannot hold it to the end. */
const WRITE_MARGIN_MS = 100;

/** The Lambda handler around an MCP application built once from `options`, for HTTP API and REST API events alike, answered whole. */
export function createLambdaHandler(options: McpAppOptions): LambdaHandler {
  const app = createMcpApp({ ...options, streaming: false });
  const handle = async (event: HttpApiEvent | RestApiEvent, context: LambdaContext) => {
    const response = await answer(app, event, context);
    return isHttpApiEvent(event) ? toHttpApiResult(response) : toRestApiResult(response);
  };
  return handle as LambdaHandler;
}

/**
 * The Lambda handler for invocations with response streaming (API
 * Gateway's REST integrations with `response_transfer_mode = "STREAM"`):
 * the same application, whose answers are written as they are produced,
 * through `runtime` (the `awslambda` global on Lambda).
 */
export function createStreamingLambdaHandler(options: McpAppOptions, runtime: StreamingRuntime): StreamingHandler {
  const app = createMcpApp({ ...options, streaming: true });
  return runtime.streamifyResponse(async (event, responseStream, context) => {
    const remaining = remainingMs(context);
    const writable = remaining === undefined ? undefined : AbortSignal.timeout(Math.max(0, remaining - WRITE_MARGIN_MS));
    const response = await answer(app, event, context);
    const out = runtime.HttpResponseStream.from(responseStream, { statusCode: response.status, headers: response.headers });
    await writeBody(out, response, writable);
  });
}

/**
 * Writes the body and ends the stream. The runtime writes the prelude on the
 * first `write` only, so an empty answer is still written once. A stream
 * the client has left fails its writes; the answer's own stream, whose
 * iteration every write of a streamed answer happens in, is then closed,
 * which ends its work and logs it. A reader that stops reading (no `drain`)
 * is given up on when `signal` aborts: the stream is destroyed.
 */
async function writeBody(out: Writable, response: HttpResponse, signal?: AbortSignal): Promise<void> {
  let written = false;
  const write = async (chunk: string) => {
    written = true;
    if (!out.write(chunk)) await once(out, "drain", { signal });
  };
  try {
    if (response.body !== undefined) await write(response.body);
    if (response.stream) for await (const chunk of response.stream) await write(chunk);
    if (!written) await write("");
  } catch (error) {
    out.destroy();
    if (signal?.aborted) return;
    throw error;
  }
  // Ending waits for what is still buffered to be taken: bounded like every write, by `signal`. A stream that fails
  // or is given up on at its end had its answer written already; it is destroyed, as ending one always settled.
  out.end();
  await once(out, "finish", { signal }).catch(() => out.destroy());
}
