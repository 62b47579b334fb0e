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

/**
 * Cross-origin calls from browsers (CORS), as every front answers them: the
 * HTTP API's CORS configuration, the REST API's OPTIONS method, the server
 * on REST and locally. A browser preflights every call that carries
 * `Authorization` or a JSON body, and reads only the answer headers exposed.
 */
export const CORS = {
  /** What an MCP client sends beyond the safelisted headers. */
  allowHeaders: ["authorization", "content-type", "accept", "mcp-session-id", "mcp-protocol-version", "mcp-method", "mcp-name", "last-event-id"],
  /** What it reads: the session id, the revision, and the challenge that points at the metadata. */
  exposeHeaders: ["mcp-session-id", "mcp-protocol-version", "www-authenticate"],
  allowMethods: ["GET", "POST", "DELETE"],
  /** How long a browser may reuse a preflight's answer. */
  maxAgeSeconds: 600,
} as const;
