import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import type { GatewayRequest } from "./types.js";
import { isTextContent } from "./http-api.js";

/** A REST API (v1) proxy event; the Cognito authorizer's claims are at `requestContext.authorizer.claims`. */
export type RestApiEvent = APIGatewayProxyEvent;

/** Turns a REST proxy event into a web request: multi-value headers and query, base64 bodies decoded. */
export function fromRestApiEvent(event: RestApiEvent): GatewayRequest {
  const headers = new Headers();
  for (const [name, values] of Object.entries(event.multiValueHeaders ?? {})) for (const value of values ?? []) headers.append(name, value);
  for (const [name, value] of Object.entries(event.headers ?? {})) if (value !== undefined && !headers.has(name)) headers.set(name, value);
  const query = new URLSearchParams();
  for (const [name, values] of Object.entries(event.multiValueQueryStringParameters ?? {})) for (const value of values ?? []) query.append(name, value);
  const search = query.size ? `?${query}` : "";
  const method = event.httpMethod;
  const hasBody = event.body !== null && event.body !== undefined && method !== "GET" && method !== "HEAD";
  const body = hasBody ? (event.isBase64Encoded ? Buffer.from(event.body!, "base64") : event.body!) : undefined;
  // `path` is the resource path without the stage prefix, which is what the application routes on.
  return {
    request: new Request(`https://${event.requestContext.domainName ?? headers.get("host") ?? "localhost"}${event.path}${search}`, { method, headers, body }),
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
