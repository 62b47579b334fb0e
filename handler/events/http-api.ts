import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type { GatewayRequest } from "./types.js";
import { buildRequest } from "./request.js";

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

/**
 * Turns a payload 2.0 event into a web request: base64 bodies decoded, cookies
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
