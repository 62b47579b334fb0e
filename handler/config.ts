import { MCP_SCOPE } from "./http-contract.js";
import type { McpAppOptions } from "./mcp-app.js";
import type { DynamoSessionStoreOptions } from "./session-store.js";
import type { SessionStore } from "./sessions.js";

/**
 * The application's settings from the function's environment, which the
 * infrastructure sets from its inputs (modules/stack.ts):
 * MCP_TENANT_CLAIM, MCP_ISSUER, MCP_RESOURCE_URL, MCP_SCOPES,
 * MCP_SESSIONS_TABLE (sessions on when present), MCP_SESSION_TTL_SECONDS,
 * MCP_ALLOWED_ORIGINS (comma-separated), MCP_CLIENT_IDS (comma-separated), MCP_ORIGIN_VERIFY_SECRET,
 * MCP_TENANT_ACCESS_ROLE_ARN (sessions read and written with per-tenant credentials).
 */
export function optionsFromEnvironment(env: NodeJS.ProcessEnv): McpAppOptions {
  const ttlSeconds = Number(env.MCP_SESSION_TTL_SECONDS ?? 86400);
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) throw new Error(`MCP_SESSION_TTL_SECONDS must be a whole number of seconds, got "${env.MCP_SESSION_TTL_SECONDS}"`);
  return {
    tenantClaim: env.MCP_TENANT_CLAIM || "client_id",
    issuer: env.MCP_ISSUER || undefined,
    resourceUrl: env.MCP_RESOURCE_URL || undefined,
    scopes: list(env.MCP_SCOPES ?? MCP_SCOPE, " "),
    allowedOrigins: list(env.MCP_ALLOWED_ORIGINS ?? "", ","),
    allowedClients: list(env.MCP_CLIENT_IDS ?? "", ","),
    originVerifySecret: env.MCP_ORIGIN_VERIFY_SECRET || undefined,
    // Sessions off: the AWS SDK is never loaded. On: it loads with the first request that needs a session.
    sessions: env.MCP_SESSIONS_TABLE ? dynamoSessions(env.MCP_SESSIONS_TABLE, ttlSeconds, env.MCP_TENANT_ACCESS_ROLE_ARN) : undefined,
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
