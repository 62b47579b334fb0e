import { MCP_SCOPE } from "./http-contract.js";
import type { McpAppOptions } from "./mcp-app.js";
import { DynamoSessionStore } from "./session-store.js";
import { TenantCredentials } from "./tenant-credentials.js";

/**
 * The application's settings from the function's environment, which the
 * infrastructure sets from its inputs (modules/stack.ts):
 * MCP_TENANT_CLAIM, MCP_ISSUER, MCP_RESOURCE_URL, MCP_SCOPES,
 * MCP_SESSIONS_TABLE (sessions on when present), MCP_SESSION_TTL_SECONDS,
 * MCP_ALLOWED_ORIGINS (comma-separated), MCP_ORIGIN_VERIFY_SECRET,
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
    originVerifySecret: env.MCP_ORIGIN_VERIFY_SECRET || undefined,
    // No AWS client is created when sessions are off.
    sessions: env.MCP_SESSIONS_TABLE ? new DynamoSessionStore({ tableName: env.MCP_SESSIONS_TABLE, ttlSeconds, credentialsFor: tenantCredentials(env) }) : undefined,
  };
}

function tenantCredentials(env: NodeJS.ProcessEnv): ((tenant: string) => ReturnType<TenantCredentials["forTenant"]>) | undefined {
  if (!env.MCP_TENANT_ACCESS_ROLE_ARN) return undefined;
  const credentials = new TenantCredentials({ roleArn: env.MCP_TENANT_ACCESS_ROLE_ARN });
  return (tenant) => credentials.forTenant(tenant);
}

function list(value: string, separator: string): string[] {
  return value
    .split(separator)
    .map((v) => v.trim())
    .filter(Boolean);
}
