import { MCP_SCOPE, OAUTH_PATHS, SETTINGS, TENANT_GROUP_PREFIX } from "./http-contract.js";
import type { HttpRequest, HttpResponse } from "./http-message.js";
import type { McpAppOptions } from "./mcp-app.js";
import type { DynamoSessionStoreOptions } from "./session-store.js";
import type { SessionStore } from "./sessions.js";

/**
 * The application's settings from the function's environment, which the
 * infrastructure sets from its inputs (modules/stack.ts), under the names
 * {@link SETTINGS} declares for both.
 */
export function optionsFromEnvironment(env: NodeJS.ProcessEnv): McpAppOptions {
  const setting = (name: keyof typeof SETTINGS) => env[SETTINGS[name]];
  const ttl = setting("sessionTtlSeconds");
  const ttlSeconds = Number(ttl ?? 86400);
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) throw new Error(`${SETTINGS.sessionTtlSeconds} must be a whole number of seconds, got "${ttl}"`);
  const table = setting("sessionsTable");
  const streaming = flag(env, "responseStreaming");
  const scopes = list(setting("scopes") ?? MCP_SCOPE, " ");
  const issuer = setting("issuer") || undefined;
  const resourceUrl = setting("resourceUrl") || undefined;
  const peopleClientId = setting("peopleClientId");
  const namespace = setting("metricsNamespace");
  return {
    // The Service dimension is the function's name, which Lambda sets.
    ...(namespace && { metrics: { namespace, service: env.AWS_LAMBDA_FUNCTION_NAME || "mcp-server", tenantDimension: flag(env, "metricsTenantDimension") } }),
    ...(peopleClientId && {
      people: { clientId: peopleClientId, tenantGroupPrefix: setting("tenantGroupPrefix") || TENANT_GROUP_PREFIX },
      authorizationFront: authorizationFront(env, peopleClientId, scopes, issuer, resourceUrl),
    }),
    tenantClaim: setting("tenantClaim") || "client_id",
    issuer,
    resourceUrl,
    scopes,
    allowedOrigins: list(setting("allowedOrigins") ?? "", ","),
    allowedClients: list(setting("clientIds") ?? "", ","),
    originVerifySecret: setting("originVerifySecret") || undefined,
    streaming,
    // Sessions off: the AWS SDK is never loaded. On: it loads with the first request that needs a session.
    sessions: table ? dynamoSessions(table, ttlSeconds, setting("tenantAccessRoleArn")) : undefined,
  };
}

/** The DynamoDB session store, loaded (with the AWS SDK) on first use. */
function dynamoSessions(tableName: string, ttlSeconds: number, tenantAccessRoleArn: string | undefined): SessionStore {
  let loading: Promise<SessionStore> | undefined;
  const store = () =>
    (loading ??= (async () => {
      const { DynamoSessionStore } = await import("./session-store.js");
      const options: DynamoSessionStoreOptions = { tableName, ttlSeconds };
      if (!tenantAccessRoleArn) return new DynamoSessionStore(options);
      const { TenantCredentials } = await import("./tenant-credentials.js");
      const credentials = new TenantCredentials({ roleArn: tenantAccessRoleArn });
      return new DynamoSessionStore({ ...options, credentialsFor: (tenant) => credentials.forTenant(tenant) });
    })());
  return {
    create: async (session, signal) => (await store()).create(session, signal),
    touch: async (tenant, id, signal) => (await store()).touch(tenant, id, signal),
    delete: async (tenant, id, signal) => (await store()).delete(tenant, id, signal),
  };
}

/**
 * The authorization front for people's MCP clients, on Cognito managed login. Its code (the
 * client-document fetcher and the AWS SDK among it) loads with the first request on one of its
 * paths, so MCP requests never pay for it; its settings are checked at once.
 */
function authorizationFront(env: NodeJS.ProcessEnv, clientId: string, scopes: string[], issuer: string | undefined, resourceUrl: string | undefined): (request: HttpRequest) => Promise<HttpResponse | undefined> {
  const required = (name: keyof typeof SETTINGS) => {
    const value = env[SETTINGS[name]];
    if (!value) throw new Error(`${SETTINGS.peopleClientId} is set, so the authorization front is on, and it needs ${SETTINGS[name]}.`);
    return value;
  };
  const [domain, table] = [required("signInDomain"), required("oauthTable")];
  const [front, resource] = [issuer ?? required("issuer"), resourceUrl ?? required("resourceUrl")];
  const allowedHosts = list(env[SETTINGS.clientMetadataHosts] ?? "", ",");
  const dynamicRegistration = flag(env, "dynamicRegistration");
  const jwksUri = env[SETTINGS.jwksUri] || undefined;
  const paths = new Set<string>(Object.values(OAUTH_PATHS));
  let loading: Promise<(request: HttpRequest) => Promise<HttpResponse | undefined>> | undefined;
  const load = () =>
    (loading ??= (async () => {
      const [{ createAuthorizationFront }, { ClientMetadataResolver }, { DynamoOAuthStore }, { CognitoUpstream }] = await Promise.all([
        import("./oauth/authorization-front.js"),
        import("./oauth/client-metadata.js"),
        import("./oauth/dynamo-store.js"),
        import("./oauth/cognito-upstream.js"),
      ]);
      return createAuthorizationFront({
        issuer: front,
        resourceUrl: resource,
        scopes,
        jwksUri,
        dynamicRegistration,
        clients: new ClientMetadataResolver({ allowedHosts }),
        store: new DynamoOAuthStore({ tableName: table }),
        upstream: new CognitoUpstream({ domain, clientId, callbackUrl: `${front}${OAUTH_PATHS.callback}`, scopes: ["openid", ...scopes] }),
      });
    })());
  return async (request) => (paths.has(request.url.pathname) ? (await load())(request) : undefined);
}

/** A "true" or "false" setting; absent is false. */
function flag(env: NodeJS.ProcessEnv, name: keyof typeof SETTINGS): boolean {
  const value = env[SETTINGS[name]] ?? "false";
  if (value !== "true" && value !== "false") throw new Error(`${SETTINGS[name]} must be "true" or "false", got "${value.slice(0, 16)}"`);
  return value === "true";
}

function list(value: string, separator: string): string[] {
  return value
    .split(separator)
    .map((v) => v.trim())
    .filter(Boolean);
}
