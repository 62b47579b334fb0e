import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import type { LambdaHandler } from "../lambda.js";
import { hostHeaderValidationResponse, localhostAllowedHostnames, localhostAllowedOrigins, originValidationResponse } from "@modelcontextprotocol/server";
import type { HttpApiEvent } from "../events/http-api.js";
import { DISCOVERY_PATHS, MCP_PATH, MCP_SCOPE } from "../http-contract.js";
import type { LocalIssuer } from "./issuer.js";

/** Options of {@link startLocalGateway}. */
export interface LocalGatewayOptions {
  /** The Lambda handler to invoke, given the gateway's own URL (known once it listens). */
  readonly handler: (url: string) => LambdaHandler;
  /** Verifies bearer tokens like the HTTP API's JWT authorizer; absent: no authorizer, every request is `noAuthClaims`. */
  readonly issuer?: LocalIssuer;
  /** Client ids accepted as audience; empty: any client of the local issuer. */
  readonly audience?: readonly string[];
  /** Claims of every request when there is no authorizer. */
  readonly noAuthClaims?: Record<string, string>;
  readonly port?: number;
}

/** A running local gateway. */
export interface LocalGateway {
  /** `http://127.0.0.1:<port>/mcp` */
  readonly url: string;
  close(): Promise<void>;
}

const MCP_METHODS = ["POST", "GET", "DELETE"];

/**
 * A stand-in for API Gateway on loopback: the routes of the HTTP API, the JWT
 * authorizer's checks and answers (401 with `WWW-Authenticate: Bearer`, 403
 * for a missing scope), payload 2.0 events to the Lambda handler, and DNS
 * rebinding protection (Host and Origin must name this local server).
 */
export async function startLocalGateway(options: LocalGatewayOptions): Promise<LocalGateway> {
  let handler: LambdaHandler | undefined;
  const server: Server = createServer((req, res) => {
    serve(req, res).catch((error: Error) => {
      console.error(JSON.stringify({ level: "ERROR", message: "local gateway error", error: error.name, detail: error.message }));
      if (!res.headersSent) send(res, { statusCode: 500, headers: { "content-type": "application/json" }, body: '{"message":"Internal Server Error"}' });
    });
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "127.0.0.1"}`);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    const probe = new Request(url, { headers });
    const rebinding = hostHeaderValidationResponse(probe, localhostAllowedHostnames()) ?? originValidationResponse(probe, localhostAllowedOrigins());
    if (rebinding) return send(res, { statusCode: 403, headers: { "content-type": "application/json" }, body: await rebinding.text() });

    const method = req.method ?? "GET";
    const discovery = (DISCOVERY_PATHS as readonly string[]).includes(url.pathname) && method === "GET";
    if (!discovery && !(url.pathname === MCP_PATH && MCP_METHODS.includes(method))) {
      return send(res, { statusCode: 404, headers: { "content-type": "application/json" }, body: '{"message":"Not Found"}' });
    }
    let claims: Record<string, unknown> | undefined;
    if (!discovery) {
      const verdict = await authorize(headers.get("authorization"));
      if (!("claims" in verdict)) return send(res, verdict);
      claims = verdict.claims;
    }
    const body = await read(req);
    const port = (server.address() as AddressInfo).port;
    const event: HttpApiEvent = {
      version: "2.0",
      routeKey: discovery ? `GET ${url.pathname}` : `${method} ${MCP_PATH}`,
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
        routeKey: discovery ? `GET ${url.pathname}` : `${method} ${MCP_PATH}`,
        stage: "$default",
        time: new Date().toISOString(),
        timeEpoch: Date.now(),
        ...(claims ? { authorizer: { principalId: "", integrationLatency: 0, jwt: { claims: claims as Record<string, string>, scopes: [MCP_SCOPE] } } } : {}),
      },
      body: body.length ? body.toString("base64") : undefined,
      isBase64Encoded: body.length > 0,
    };
    send(res, await handler!(event, { awsRequestId: event.requestContext.requestId } as Context));
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
    let claims: Record<string, unknown>;
    try {
      claims = await options.issuer.verify(token);
    } catch (error) {
      return unauthorized(`Bearer scope="${MCP_SCOPE}" error="invalid_token" error_description="${(error as Error).message.replace(/"/g, "'")}"`);
    }
    if (options.audience?.length && !options.audience.includes(String(claims.client_id))) {
      return unauthorized(`Bearer scope="${MCP_SCOPE}" error="invalid_token" error_description="the token's client_id is not an accepted audience"`);
    }
    if (!String(claims.scope ?? "").split(" ").includes(MCP_SCOPE)) {
      return { statusCode: 403, headers: { "content-type": "application/json", "www-authenticate": `Bearer scope="${MCP_SCOPE}" error="insufficient_scope"` }, body: '{"message":"Forbidden"}' };
    }
    return { claims };
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}${MCP_PATH}`;
  handler = options.handler(url);
  return {
    url,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

function read(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  const headers: Record<string, string | string[]> = { ...(result.headers as Record<string, string>) };
  if (result.cookies?.length) headers["set-cookie"] = result.cookies;
  res.writeHead(result.statusCode ?? 200, headers);
  res.end(result.body ? Buffer.from(result.body, result.isBase64Encoded ? "base64" : "utf8") : undefined);
}
