import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type { HttpResponse } from "../http-message.js";
import type { GatewayRequest } from "./types.js";
import { buildRequest } from "./request.js";

/** An HTTP API payload 2.0 event; `authorizer` is absent on routes without one. */
export type HttpApiEvent = Omit<APIGatewayProxyEventV2WithJWTAuthorizer, "requestContext"> & {
  requestContext: Omit<APIGatewayProxyEventV2WithJWTAuthorizer["requestContext"], "authorizer"> & {
    authorizer?: APIGatewayProxyEventV2WithJWTAuthorizer["requestContext"]["authorizer"];
  };
};

/**
 * Turns a payload 2.0 event into a request: base64 bodies decoded, cookies
 * restored to a Cookie header. Throws {@link MalformedEventError} for what no request can carry.
 */
export function fromHttpApiEvent(event: HttpApiEvent): GatewayRequest {
  const { http, domainName, requestId } = event.requestContext;
  const headers = Object.entries(event.headers ?? {}).flatMap(([name, value]) => (value === undefined ? [] : [[name, value] as const]));
  // Payload 2.0 moves cookies out of the headers.
  if (event.cookies?.length) headers.push(["cookie", event.cookies.join("; ")]);
  return {
    request: buildRequest({ method: http.method, host: domainName, path: event.rawPath, query: event.rawQueryString ?? "", headers, body: event.body, isBase64Encoded: event.isBase64Encoded }),
    claims: event.requestContext.authorizer?.jwt?.claims,
    requestId,
  };
}

/** Turns an answer into a payload 2.0 result. */
export function toHttpApiResult(response: HttpResponse): APIGatewayProxyStructuredResultV2 {
  return { statusCode: response.status, headers: { ...response.headers }, body: response.body ?? "", isBase64Encoded: false };
}
