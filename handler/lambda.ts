import type { APIGatewayProxyResult, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { fromHttpApiEvent, HttpApiEvent, toHttpApiResult } from "./events/http-api.js";
import { fromRestApiEvent, RestApiEvent, toRestApiResult } from "./events/rest-api.js";
import { createMcpApp, McpAppOptions } from "./mcp-app.js";
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

/** Payload 2.0 events name their version; REST (v1) proxy events do not. */
function isHttpApiEvent(event: HttpApiEvent | RestApiEvent): event is HttpApiEvent {
  return (event as HttpApiEvent).version === "2.0";
}

/** The Lambda handler around an MCP application built once from `options`, for HTTP API and REST API events alike. */
export function createLambdaHandler(options: McpAppOptions): LambdaHandler {
  const app = createMcpApp(options);
  const handle = async (event: HttpApiEvent | RestApiEvent, context: LambdaContext) => {
    const http = isHttpApiEvent(event);
    const toResult = (response: HttpResponse) => (http ? toHttpApiResult(response) : toRestApiResult(response));
    let gateway: GatewayRequest;
    try {
      gateway = http ? fromHttpApiEvent(event) : fromRestApiEvent(event);
    } catch (error) {
      if (!(error instanceof MalformedEventError)) throw error;
      const httpMethod = http ? event.requestContext.http.method : event.httpMethod;
      return toResult(app.refuse(error, { requestId: event.requestContext.requestId, httpMethod, path: http ? event.rawPath : event.path }));
    }
    // The runtime ends the invocation when this runs out; the app answers a margin before it (its deadline).
    const remainingMs = typeof context.getRemainingTimeInMillis === "function" ? context.getRemainingTimeInMillis() : undefined;
    return toResult(await app.handle(gateway, { tenantId: context.tenantId, remainingMs }));
  };
  return handle as LambdaHandler;
}
