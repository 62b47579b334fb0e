import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type { GatewayRequest } from "./types.js";

/** An HTTP API payload 2.0 event; `authorizer` is absent on routes without one. */
export type HttpApiEvent = Omit<APIGatewayProxyEventV2WithJWTAuthorizer, "requestContext"> & {
  requestContext: Omit<APIGatewayProxyEventV2WithJWTAuthorizer["requestContext"], "authorizer"> & {
    authorizer?: APIGatewayProxyEventV2WithJWTAuthorizer["requestContext"]["authorizer"];
  };
};

/** Media types returned as text; anything else is base64-encoded, as API Gateway expects binary bodies. */
const TEXT_TYPES = /^(text\/|application\/(json|[\w.+-]+\+json|javascript|xml)|text\/event-stream)/i;

/** Whether a body of this type goes back to API Gateway as text (empty bodies always do). */
export function isTextContent(contentType: string | null, length: number): boolean {
  return length === 0 || TEXT_TYPES.test(contentType ?? "text/plain");
}

/** Turns a payload 2.0 event into a web request: base64 bodies decoded, cookies restored to a Cookie header. */
export function fromHttpApiEvent(event: HttpApiEvent): GatewayRequest {
  const { http, domainName, requestId } = event.requestContext;
  const query = event.rawQueryString ? `?${event.rawQueryString}` : "";
  const headers = new Headers();
  for (const [name, value] of Object.entries(event.headers ?? {})) if (value !== undefined) headers.set(name, value);
  // Payload 2.0 moves cookies out of the headers.
  if (event.cookies?.length) headers.set("cookie", event.cookies.join("; "));
  const hasBody = event.body !== undefined && event.body !== null && http.method !== "GET" && http.method !== "HEAD";
  const body = hasBody ? (event.isBase64Encoded ? Buffer.from(event.body!, "base64") : event.body!) : undefined;
  return {
    request: new Request(`https://${domainName}${event.rawPath}${query}`, { method: http.method, headers, body }),
    claims: event.requestContext.authorizer?.jwt?.claims,
    requestId,
  };
}

/** Turns a web response into a payload 2.0 result: one value per header, Set-Cookie as cookies, binary bodies base64. */
export async function toHttpApiResult(response: Response): Promise<APIGatewayProxyStructuredResultV2> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie") headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  const bytes = Buffer.from(await response.arrayBuffer());
  const text = isTextContent(response.headers.get("content-type"), bytes.length);
  return {
    statusCode: response.status,
    headers,
    ...(cookies.length ? { cookies } : {}),
    body: text ? bytes.toString("utf8") : bytes.toString("base64"),
    isBase64Encoded: !text,
  };
}
