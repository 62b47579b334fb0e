import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import type { GatewayRequest } from "./types.js";
import { isTextContent } from "./http-api.js";
import { buildRequest } from "./request.js";

/** A REST API (v1) proxy event; the Cognito authorizer's claims are at `requestContext.authorizer.claims`. */
export type RestApiEvent = APIGatewayProxyEvent;

/**
 * Turns a REST proxy event into a web request: multi-value headers and query,
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

/** Turns a web response into a REST proxy result: every header value kept (Set-Cookie included), binary bodies base64. */
export async function toRestApiResult(response: Response): Promise<APIGatewayProxyResult> {
  const multiValueHeaders: Record<string, string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie") multiValueHeaders[name] = [value];
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) multiValueHeaders["set-cookie"] = cookies;
  const bytes = Buffer.from(await response.arrayBuffer());
  const text = isTextContent(response.headers.get("content-type"), bytes.length);
  return { statusCode: response.status, multiValueHeaders, body: text ? bytes.toString("utf8") : bytes.toString("base64"), isBase64Encoded: !text };
}
