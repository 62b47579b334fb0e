import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import type { LambdaHandler, StreamingHandler } from "../lambda.js";
import { PreludeReader } from "./streaming-runtime.js";
import { type LocalSignIn, SIGN_IN_PATH } from "./sign-in.js";
import { hostHeaderValidationResponse, localhostAllowedHostnames, localhostAllowedOrigins, originValidationResponse } from "@modelcontextprotocol/server";
import type { HttpApiEvent } from "../events/http-api.js";
import { corsHeaders, preflightAnswer } from "../cors.js";
import { DISCOVERY_PATHS, MCP_PATH, MCP_SCOPE, OAUTH_PATHS } from "../http-contract.js";
import type { LocalIssuer } from "./issuer.js";

/**
 * The function behind the gateway and how it is invoked: `buffered` returns
 * each answer whole (the HTTP front, REST without streaming); `streaming`
 * writes it to a response stream that the gateway passes on as it arrives
 * (REST with `enable_response_streaming`).
 */
export type LocalFunction = { readonly mode: "buffered"; readonly handler: LambdaHandler } | { readonly mode: "streaming"; readonly handler: StreamingHandler };

/** Options of {@link startLocalGateway}. */
export interface LocalGatewayOptions {
  /** The Lambda function to invoke, given the gateway's own URL (known once it listens). */
  readonly handler: (url: string) => LocalFunction;
  /** Verifies bearer tokens like the HTTP API's JWT authorizer; absent: no authorizer, every request is `noAuthClaims`. */
  readonly issuer?: LocalIssuer;
  /** Client ids accepted as audience; empty: any client of the local issuer. */
  readonly audience?: readonly string[];
  /** Claims of every request when there is no authorizer. */
  readonly noAuthClaims?: Record<string, string>;
  readonly port?: number;
  /** The function's timeout, as `lambda_timeout` on AWS: each invocation's context counts down from it. @default 29000 */
  readonly timeoutMs?: number;
  /** Browser origins allowed to call, as the HTTP API's CORS configuration (`allowed_origins`) allows them: preflights answered, answers readable. */
  readonly allowedOrigins?: readonly string[];
  /** The sign-in page standing in for Cognito managed login, when the authorization front is on; given the gateway's own URL. */
  readonly signIn?: (url: string) => LocalSignIn;
}

/** A running local gateway. */
export interface LocalGateway {
  /** `http://127.0.0.1:<port>/mcp` */
  readonly url: string;
  close(): Promise<void>;
}

const MCP_METHODS = ["POST", "GET", "DELETE"];
/** API Gateway's payload quota, for HTTP and REST APIs alike: a larger request never reaches the function, whatever its route. */
const MAX_REQUEST_BYTES = 10 * 1024 * 1024;
/** Where requests are addressed: the Host header is checked, never used to build a URL. */
const LOOPBACK = "http://127.0.0.1";
const JSON_TYPE = { "content-type": "application/json" };

/**
 * A stand-in for API Gateway on loopback, as strict as what it stands in
 * for: the 10 MB payload quota on every route, the routes of the HTTP API,
 * the JWT authorizer's checks and answers (401 with `WWW-Authenticate:
 * Bearer`, 403 for a missing scope), payload 2.0 events to the Lambda
 * handler with a context that counts down the function's timeout, and DNS
 * rebinding protection (Host and Origin must name this local server).
 */
export async function startLocalGateway(options: LocalGatewayOptions): Promise<LocalGateway> {
  let fn: LocalFunction | undefined;
  let signIn: LocalSignIn | undefined;
  const server: Server = createServer((req, res) => {
    serve(req, res).catch((error: Error) => {
      // The class only: a message may quote the request.
      console.error(JSON.stringify({ level: "ERROR", message: "local gateway error", error: error.name }));
      if (!res.headersSent) send(res, { statusCode: 500, headers: JSON_TYPE, body: '{"message":"Internal Server Error"}' });
    });
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = new URL(req.url ?? "/", LOOPBACK);
    const url = new URL(`${LOOPBACK}${target.pathname}${target.search}`);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    const probe = new Request(url, { headers });
    const allowedOrigins = options.allowedOrigins ?? [];
    const rebinding =
      hostHeaderValidationResponse(probe, localhostAllowedHostnames()) ??
      originValidationResponse(probe, [...localhostAllowedOrigins(), ...allowedOrigins.map((origin) => new URL(origin).hostname)]);
    // A fixed answer: the SDK's names the refused header's value.
    if (rebinding) return send(res, { statusCode: 403, headers: JSON_TYPE, body: '{"message":"Forbidden: the Host or Origin header names another host (DNS rebinding protection)"}' });
    // As an HTTP API with a CORS configuration: the gateway answers preflights itself, and allowed origins may read every answer.
    const origin = headers.get("origin") ?? undefined;
    const cors = corsHeaders(origin, allowedOrigins);
    const reply = (result: APIGatewayProxyStructuredResultV2) => send(res, { ...result, headers: { ...(result.headers as Record<string, string>), ...cors } });

    const body = await read(req, MAX_REQUEST_BYTES);
    if (!body) return reply({ statusCode: 413, headers: { ...JSON_TYPE, connection: "close" }, body: '{"message":"Request Entity Too Large"}' });
    const method = req.method ?? "GET";
    if (method === "OPTIONS" && headers.has("access-control-request-method")) {
      const preflight = preflightAnswer(origin, allowedOrigins);
      return send(res, { statusCode: preflight.status, headers: preflight.headers });
    }
    if (url.pathname === SIGN_IN_PATH && signIn) return reply(signIn.page(method, url.searchParams, body.toString("utf8")));
    // The authorization front's routes are open, as discovery is: they are how a client gets its token.
    const oauth = signIn !== undefined && (Object.values(OAUTH_PATHS) as string[]).includes(url.pathname) && (method === "GET" || method === "POST");
    const discovery = ((DISCOVERY_PATHS as readonly string[]).includes(url.pathname) && method === "GET") || oauth;
    if (!discovery && !(url.pathname === MCP_PATH && MCP_METHODS.includes(method))) {
      return reply({ statusCode: 404, headers: JSON_TYPE, body: '{"message":"Not Found"}' });
    }
    let claims: Record<string, unknown> | undefined;
    if (!discovery) {
      const verdict = await authorize(headers.get("authorization"));
      if (!("claims" in verdict)) return reply(verdict);
      claims = verdict.claims;
    }
    const port = (server.address() as AddressInfo).port;
    const event: HttpApiEvent = {
      version: "2.0",
      routeKey: discovery ? `${method} ${url.pathname}` : `${method} ${MCP_PATH}`,
      rawPath: url.pathname,
      rawQueryString: url.search.slice(1),
      cookies: req.headers.cookie?.split(/;\s*/),
      headers: Object.fromEntries([...headers].filter(([name]) => name !== "cookie")),
      requestContext: {
        accountId: "000000000000",
        apiId: "local",
        domainName: `127.0.0.1:${port}`,
        domainPrefix: "local",
        http: { method, path: url.pathname, protocol: "HTTP/1.1", sourceIp: req.socket.remoteAddress ?? "127.0.0.1", userAgent: headers.get("user-agent") ?? "" },
        requestId: randomUUID(),
        routeKey: discovery ? `${method} ${url.pathname}` : `${method} ${MCP_PATH}`,
        stage: "$default",
        time: new Date().toISOString(),
        timeEpoch: Date.now(),
        ...(claims ? { authorizer: { principalId: "", integrationLatency: 0, jwt: { claims: claims as Record<string, string>, scopes: [MCP_SCOPE] } } } : {}),
      },
      body: body.length ? body.toString("base64") : undefined,
      isBase64Encoded: body.length > 0,
    };
    // As Lambda's: the invocation ends this long after it starts.
    const ends = Date.now() + (options.timeoutMs ?? 29_000);
    const context = { awsRequestId: event.requestContext.requestId, getRemainingTimeInMillis: () => ends - Date.now() } as Context;
    if (fn!.mode === "buffered") return reply(await fn!.handler(event, context));
    await stream(fn!.handler, event, context, res, cors);
  }

  /** The JWT authorizer's decision: the verified claims, or its 401/403 answer. */
  async function authorize(authorization: string | null): Promise<{ claims: Record<string, unknown> } | APIGatewayProxyStructuredResultV2> {
    if (!options.issuer) return { claims: options.noAuthClaims ?? {} };
    const unauthorized = (challenge: string) => ({
      statusCode: 401,
      headers: { "content-type": "application/json", "www-authenticate": challenge },
      body: '{"message":"Unauthorized"}',
    });
    const token = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
    if (!token) return unauthorized("Bearer");
    const invalid = (reason: string) => unauthorized(`Bearer scope="${MCP_SCOPE}" error="invalid_token" error_description="${reason.replace(/"/g, "'")}"`);
    let claims: Record<string, unknown>;
    try {
      claims = await options.issuer.verify(token);
    } catch (error) {
      return invalid((error as Error).message);
    }
    // Cognito's authorizers take access tokens only; an ID token carries no scope.
    if (claims.token_use !== "access") return invalid("the token is not an access token (token_use must be access)");
    if (options.audience?.length && !options.audience.includes(String(claims.client_id))) return invalid("the token's client_id is not an accepted audience");
    // The scope claim is one space-delimited string (RFC 8693 section 4.2), as Cognito issues it.
    if (typeof claims.scope !== "string" || !claims.scope.split(" ").includes(MCP_SCOPE)) {
      return { statusCode: 403, headers: { ...JSON_TYPE, "www-authenticate": `Bearer scope="${MCP_SCOPE}" error="insufficient_scope"` }, body: '{"message":"Forbidden"}' };
    }
    return { claims };
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}${MCP_PATH}`;
  fn = options.handler(url);
  signIn = options.signIn?.(url);
  return {
    url,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

/**
 * Invokes a streaming handler and passes its answer on as API Gateway's
 * streaming integrations do: the status and headers from the prelude, then
 * each chunk of the body as it is written; a stream that breaks the format
 * is a 500, as there.
 */
async function stream(handler: StreamingHandler, event: HttpApiEvent, context: Context, res: ServerResponse, cors: Record<string, string>): Promise<void> {
  const internalError = () => {
    if (res.headersSent) res.destroy();
    else send(res, { statusCode: 500, headers: JSON_TYPE, body: '{"message":"Internal server error"}' });
  };
  const reader = new PreludeReader({
    prelude: ({ statusCode, headers }) => {
      res.writeHead(statusCode, { ...headers, ...cors });
      res.flushHeaders();
    },
    body: (chunk) => void res.write(chunk),
    end: () => void res.end(),
    malformed: (reason) => {
      console.error(JSON.stringify({ level: "ERROR", message: "malformed response stream", reason }));
      internalError();
    },
  });
  await handler(event, reader, context);
  if (!res.writableEnded) internalError();
}

/** The request body, or undefined once it is over `limit` bytes (declared or sent): the rest is never read. */
function read(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  if (Number(req.headers["content-length"]) > limit) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      req.off("data", onData);
      req.pause();
      resolve(undefined);
    };
    req.on("data", onData);
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  const headers: Record<string, string | string[]> = { ...(result.headers as Record<string, string>) };
  if (result.cookies?.length) headers["set-cookie"] = result.cookies;
  res.writeHead(result.statusCode ?? 200, headers);
  res.end(result.body ? Buffer.from(result.body, result.isBase64Encoded ? "base64" : "utf8") : undefined);
  // A body left unread (over the quota) is not drained: the connection closes with the answer.
  if (headers.connection === "close") res.once("finish", () => res.socket?.destroySoon());
}
