import { MCP_SCOPE, SETTINGS } from "./http-contract.js";
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
  const streaming = setting("responseStreaming") ?? "false";
  if (streaming !== "true" && streaming !== "false") throw new Error(`${SETTINGS.responseStreaming} must be "true" or "false", got "${streaming.slice(0, 16)}"`);
  return {
    tenantClaim: setting("tenantClaim") || "client_id",
    issuer: setting("issuer") || undefined,
    resourceUrl: setting("resourceUrl") || undefined,
    scopes: list(setting("scopes") ?? MCP_SCOPE, " "),
    allowedOrigins: list(setting("allowedOrigins") ?? "", ","),
    allowedClients: list(setting("clientIds") ?? "", ","),
    originVerifySecret: setting("originVerifySecret") || undefined,
    streaming: streaming === "true",
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

function list(value: string, separator: string): string[] {
  return value
    .split(separator)
    .map((v) => v.trim())
    .filter(Boolean);
}
