/**
 * What API Gateway, CloudFront and the server must agree on: the paths the
 * API routes, the scope its authorizer requires, and the header CloudFront
 * proves itself with. Depends on nothing, so the infrastructure (modules/)
 * imports it too and the two sides cannot drift.
 */

/** The path MCP clients use. */
export const MCP_PATH = "/mcp";

/** RFC 9728 metadata, at the root and at the path-suffixed location 2025-11-25 clients also try. */
export const DISCOVERY_PATHS = ["/.well-known/oauth-protected-resource", `/.well-known/oauth-protected-resource${MCP_PATH}`] as const;

/** The OAuth scope every MCP route requires, `<resource server>/<scope>`. */
export const MCP_SCOPE = "mcp/invoke";

/** Header CloudFront adds to every origin request with a secret; the server refuses requests without it when one is configured. */
export const ORIGIN_VERIFY_HEADER = "X-Origin-Verify";
