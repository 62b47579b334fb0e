/** The verified caller of one request. */
export interface Caller {
  /** From the verified claim named by MCP_TENANT_CLAIM; sessions are bound to it. */
  readonly tenant: string;
  /** The token's subject (for Cognito client credentials, the app client id). */
  readonly principal: string;
  /** The 2025-era session the request belongs to, if any. */
  readonly sessionId?: string;
}
