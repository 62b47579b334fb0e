import type { HttpRequest } from "../http-message.js";

/**
 * What every front (HTTP API v2, REST v1) hands the MCP application: the
 * request and the identity API Gateway verified.
 */
export interface GatewayRequest {
  readonly request: HttpRequest;
  /** Claims of the token the gateway's authorizer verified; undefined on unauthenticated routes. */
  readonly claims: Readonly<Record<string, unknown>> | undefined;
  /** API Gateway's request id, for logs. */
  readonly requestId: string;
}
