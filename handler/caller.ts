import type { AuthInfo } from "@modelcontextprotocol/server";
import type { GatewayRequest } from "./events/types.js";

/** The verified caller of one request. */
export interface Caller {
  /** From the verified claim named by MCP_TENANT_CLAIM; sessions are bound to it. */
  readonly tenant: string;
  /** The token's subject (for Cognito client credentials, the app client id). */
  readonly principal: string;
  /** The 2025-era session the request belongs to, if any. */
  readonly sessionId?: string;
  /** The client's W3C trace context (`traceparent`), when it sent a valid one: a tool's own calls may carry it on. */
  readonly traceparent?: string;
}

/** The caller as the SDK carries it to a tool: API Gateway verified the token, so the server never sees or keeps it. */
export function authInfoOf(caller: Caller, claims: GatewayRequest["claims"]): AuthInfo {
  const scope = typeof claims?.scope === "string" ? claims.scope : "";
  return { token: "", clientId: String(claims?.client_id ?? caller.principal), scopes: scope.split(" ").filter(Boolean), extra: { ...caller } };
}

/** The caller back from the SDK's {@link AuthInfo}, as {@link authInfoOf} put it there. */
export function callerOf(authInfo: AuthInfo | undefined): Caller {
  const extra = authInfo?.extra as { tenant?: string; principal?: string; traceparent?: string } | undefined;
  return { tenant: extra?.tenant ?? "", principal: extra?.principal ?? "", ...(extra?.traceparent && { traceparent: extra.traceparent }) };
}
