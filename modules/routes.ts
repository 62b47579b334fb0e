/**
 * The routes the API serves. Route keys are part of the contract: they key
 * `route_throttle_overrides` and the addresses of the route resources.
 */

/** MCP Streamable HTTP routes; each requires a JWT with scope `mcp/invoke`. */
export const MCP_ROUTE_KEYS = ["POST /mcp", "GET /mcp", "DELETE /mcp"] as const;

/** RFC 9728 protected resource metadata; unauthenticated by design, so clients can find the authorization server. */
export const DISCOVERY_ROUTE_KEYS = [
  "GET /.well-known/oauth-protected-resource",
  "GET /.well-known/oauth-protected-resource/mcp",
] as const;

/** Every route key the API has. */
export const ROUTE_KEYS = [...MCP_ROUTE_KEYS, ...DISCOVERY_ROUTE_KEYS] as const;

/** The OAuth scope every MCP route requires, `<resource server>/<scope>`. */
export const MCP_SCOPE = "mcp/invoke";
