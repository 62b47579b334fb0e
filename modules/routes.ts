import { DISCOVERY_PATHS, MCP_PATH, MCP_SCOPE } from "../handler/http-contract.js";

/**
 * The routes the API serves, from the paths the server answers. Route keys
 * are part of the contract: they key `route_throttle_overrides` and the
 * addresses of the route and method resources.
 */

/** MCP Streamable HTTP routes; each requires a JWT with scope `mcp/invoke`. */
export const MCP_ROUTE_KEYS: readonly string[] = ["POST", "GET", "DELETE"].map((method) => `${method} ${MCP_PATH}`);

/** RFC 9728 protected resource metadata; unauthenticated by design, so clients can find the authorization server. */
export const DISCOVERY_ROUTE_KEYS: readonly string[] = DISCOVERY_PATHS.map((path) => `GET ${path}`);

/** Every route key the API has. */
export const ROUTE_KEYS: readonly string[] = [...MCP_ROUTE_KEYS, ...DISCOVERY_ROUTE_KEYS];

export { MCP_SCOPE };
