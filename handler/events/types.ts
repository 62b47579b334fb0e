/**
 * What every front (HTTP API v2 today, REST v1 later) hands the MCP
 * application: a web-standard request and the identity API Gateway verified.
 */
export interface GatewayRequest {
  readonly request: Request;
  /** Claims of the token the gateway's authorizer verified; undefined on unauthenticated routes. */
  readonly claims: Readonly<Record<string, unknown>> | undefined;
  /** API Gateway's request id, for logs. */
  readonly requestId: string;
}
