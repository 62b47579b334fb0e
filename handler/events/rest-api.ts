import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import type { HttpResponse } from "../http-message.js";
import type { GatewayRequest } from "./types.js";
import { buildRequest } from "./request.js";

/** A REST API (v1) proxy event; the Cognito authorizer's claims are at `requestContext.authorizer.claims`. */
export type RestApiEvent = APIGatewayProxyEvent;

/**
 * Turns a REST proxy event into a request: multi-value headers and query,
 * base64 bodies decoded. Throws {@link MalformedEventError} for what no request can carry.
 */
export function fromRestApiEvent(event: RestApiEvent): GatewayRequest {
  const headers: [string, string][] = [];
  const named = new Set<string>();
  for (const [name, values] of Object.entries(event.multiValueHeaders ?? {}))
    for (const value of values ?? []) {
      headers.push([name, value]);
      named.add(name.toLowerCase());
    }
  for (const [name, value] of Object.entries(event.headers ?? {})) if (value !== undefined && !named.has(name.toLowerCase())) headers.push([name, value]);
  const query = new URLSearchParams();
  for (const [name, values] of Object.entries(event.multiValueQueryStringParameters ?? {})) for (const value of values ?? []) query.append(name, value);
  const host = event.requestContext.domainName ?? headers.find(([name]) => name.toLowerCase() === "host")?.[1] ?? "localhost";
  // `path` is the resource path without the stage prefix, which is what the application routes on.
  return {
    request: buildRequest({ method: event.httpMethod, host, path: event.path, query: query.toString(), headers, body: event.body, isBase64Encoded: event.isBase64Encoded }),
    claims: (event.requestContext.authorizer?.claims as Record<string, unknown> | undefined) ?? undefined,
    requestId: event.requestContext.requestId,
  };
}

/** Turns an answer into a REST proxy result. */
export function toRestApiResult(response: HttpResponse): APIGatewayProxyResult {
  const multiValueHeaders = Object.fromEntries(Object.entries(response.headers).map(([name, value]) => [name, [value]]));
  return { statusCode: response.status, multiValueHeaders, body: response.body ?? "", isBase64Encoded: false };
}
