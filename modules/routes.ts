import { DISCOVERY_PATHS, MCP_PATH, MCP_SCOPE, OAUTH_PATHS } from "../handler/http-contract.js";

/**
 * The routes the API serves, from the paths the server answers. Route keys
 * are part of the contract: they key `route_throttle_overrides` and the
 * addresses of the route and method resources.
 */

/** MCP Streamable HTTP routes; each requires a JWT with scope `mcp/invoke`. */
export const MCP_ROUTE_KEYS: readonly string[] = ["POST", "GET", "DELETE"].map((method) => `${method} ${MCP_PATH}`);

/** RFC 9728 protected resource metadata; unauthenticated by design, so clients can find the authorization server. */
export const DISCOVERY_ROUTE_KEYS: readonly string[] = DISCOVERY_PATHS.map((path) => `GET ${path}`);

/**
 * The authorization front's routes, with `enable_people_sign_in`: open like discovery, since they are how a
 * person's client gets a token (the front checks every request itself), and throttled like every route.
 */
export const OAUTH_ROUTE_KEYS: readonly string[] = [
  `GET ${OAUTH_PATHS.metadata}`,
  `GET ${OAUTH_PATHS.openidConfiguration}`,
  `GET ${OAUTH_PATHS.authorize}`,
  `GET ${OAUTH_PATHS.callback}`,
  `POST ${OAUTH_PATHS.token}`,
  `POST ${OAUTH_PATHS.register}`,
];

/** Every route key the API may have. */
export const ROUTE_KEYS: readonly string[] = [...MCP_ROUTE_KEYS, ...DISCOVERY_ROUTE_KEYS, ...OAUTH_ROUTE_KEYS];

export { MCP_SCOPE };
