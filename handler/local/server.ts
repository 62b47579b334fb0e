import { localhostAllowedHostnames } from "@modelcontextprotocol/server";
import { MCP_SCOPE, TENANT_GROUP_PREFIX } from "../http-contract.js";
import { createLambdaHandler, createStreamingLambdaHandler } from "../lambda.js";
import type { McpAppOptions } from "../mcp-app.js";
import { localStreamingRuntime } from "./streaming-runtime.js";
import { LOCAL_SIGN_IN_CLIENT, LocalSignIn, type LocalPerson } from "./sign-in.js";
import { createAuthorizationFront } from "../oauth/authorization-front.js";
import { ClientMetadataResolver } from "../oauth/client-metadata.js";
import { DynamoOAuthStore } from "../oauth/dynamo-store.js";
import { DynamoSessionStore } from "../session-store.js";
import { startLocalDynamo } from "./dynamo.js";
import { startLocalGateway } from "./gateway.js";
import { LOCAL_ISSUER, LocalIssuer, localStateDir } from "./issuer.js";

/** Options of {@link startLocalServer}. */
export interface LocalServerOptions {
  /** Default 3000; 0 picks a free port. */
  readonly port?: number;
  /** false: no authorizer, every request comes from the fixed local tenant (for tools such as the MCP Inspector). */
  readonly auth?: boolean;
  /** Where the issuer's signing key is kept. */
  readonly stateDir?: string;
  /** The claim naming the tenant (MCP_TENANT_CLAIM on AWS). */
  readonly tenantClaim?: string;
  /** Client ids the authorizer accepts; empty: any client of the local issuer. */
  readonly audience?: readonly string[];
  /** Session lifetime in seconds. */
  readonly sessionTtlSeconds?: number;
  /** The function's timeout in seconds, as `lambda_timeout` on AWS: every request answers before it. @default 29 */
  readonly timeoutSeconds?: number;
  /** Browser origins allowed to call besides this server's own (`allowed_origins` on AWS), e.g. "http://localhost:5173". */
  readonly allowedOrigins?: readonly string[];
  /**
   * Signs every authorization request of the authorization front in as this person at once, so that
   * scripted clients complete the OAuth flow (`npm start -- --auto-login alice:acme`). Without it, the
   * front shows a local sign-in page.
   */
  readonly autoLogin?: LocalPerson;
  /** Whether clients may register dynamically at the front (RFC 7591). @default false */
  readonly dynamicRegistration?: boolean;
  /**
   * Whether answers stream, as behind the REST front with `enable_response_streaming`
   * (tool calls answer as SSE, progress arrives as it is sent); false answers whole,
   * as the HTTP front does. @default true
   */
  readonly streaming?: boolean;
}

/** A running local MCP server. */
export interface LocalServer {
  readonly url: string;
  readonly issuer: LocalIssuer;
  close(): Promise<void>;
}

/** The tenant of every request when the server runs without its authorizer. */
export const NO_AUTH_TENANT = "local";

/**
 * The MCP server on this machine with the production code path: the Lambda
 * handler behind a local API Gateway (JWT authorizer included) and sessions
 * in an embedded DynamoDB-compatible server (dynalite, in memory).
 */
export async function startLocalServer(options: LocalServerOptions = {}): Promise<LocalServer> {
  const tenantClaim = options.tenantClaim ?? "client_id";
  const issuer = await LocalIssuer.open(options.stateDir ?? localStateDir());
  const dynamo = await startLocalDynamo();
  const sessions = new DynamoSessionStore({
    tableName: await dynamo.createSessionsTable("mcp-server-sessions"),
    ttlSeconds: options.sessionTtlSeconds ?? 86400,
    clientConfig: dynamo.clientConfig,
  });
  // People sign in through the authorization front, on this machine's stand-in for Cognito managed login: with the authorizer only.
  const front = options.auth !== false;
  const oauthStore = new DynamoOAuthStore({ tableName: await dynamo.createOAuthTable("mcp-server-oauth"), clientConfig: dynamo.clientConfig });
  let signIn: LocalSignIn | undefined;
  const signInAt = (url: string) => (signIn ??= new LocalSignIn(issuer, new URL(url).origin, options.autoLogin));
  const gateway = await startLocalGateway({
    ...(front && { signIn: signInAt }),
    port: options.port ?? 3000,
    issuer: options.auth === false ? undefined : issuer,
    // People's tokens name the front's app client, which the authorizer accepts as the HTTP API's does (its audience lists it).
    audience: front && options.audience?.length ? [...options.audience, LOCAL_SIGN_IN_CLIENT] : options.audience,
    timeoutMs: options.timeoutSeconds === undefined ? undefined : options.timeoutSeconds * 1000,
    allowedOrigins: options.allowedOrigins,
    noAuthClaims: { client_id: NO_AUTH_TENANT, sub: NO_AUTH_TENANT, scope: MCP_SCOPE, [tenantClaim]: NO_AUTH_TENANT },
    handler: (url) => {
      const origin = new URL(url).origin;
      const app: McpAppOptions = {
        tenantClaim,
        // With the front, clients are sent to it; its tokens, like `npm run token`'s, are the local issuer's.
        issuer: front ? origin : LOCAL_ISSUER,
        resourceUrl: url,
        scopes: [MCP_SCOPE],
        // Without the authorizer every request is the fixed local client, which no audience names.
        allowedClients: options.auth === false ? [] : (options.audience ?? []),
        // Browsers may call from this server's own localhost origins, and from those given.
        allowedOrigins: [...localhostAllowedHostnames().map((host) => `http://${host}:${new URL(url).port}`), ...(options.allowedOrigins ?? [])],
        sessions,
        ...(front && {
          people: { clientId: LOCAL_SIGN_IN_CLIENT, tenantGroupPrefix: TENANT_GROUP_PREFIX },
          authorizationFront: createAuthorizationFront({
            issuer: origin,
            resourceUrl: url,
            scopes: [MCP_SCOPE],
            // Locally only: client id documents may be served by another local port over plain HTTP.
            clients: new ClientMetadataResolver({ allowLoopbackHttp: true }),
            store: oauthStore,
            upstream: signInAt(url),
            dynamicRegistration: options.dynamicRegistration === true,
          }),
        }),
      };
      // The production entries, each as its invocation mode runs it on Lambda.
      return options.streaming === false
        ? { mode: "buffered", handler: createLambdaHandler(app) }
        : { mode: "streaming", handler: createStreamingLambdaHandler(app, localStreamingRuntime) };
    },
  });
  return {
    url: gateway.url,
    issuer,
    close: async () => {
      await gateway.close();
      await dynamo.stop();
    },
  };
}
