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

/** The authorization front's paths (handler/oauth/authorization-front.ts), all open: they are how a client gets a token. */
export const OAUTH_PATHS = {
  /** RFC 8414 authorization server metadata. */
  metadata: "/.well-known/oauth-authorization-server",
  /**
   * The same metadata where OpenID clients look for it. Behind a REST API's stage path
   * (`https://host/v1`) it is the one metadata URL API Gateway can route: clients try
   * `<issuer>/.well-known/openid-configuration` after the two path-inserted URLs.
   */
  openidConfiguration: "/.well-known/openid-configuration",
  authorize: "/authorize",
  token: "/token",
  /** RFC 7591 dynamic registration, when it is on. */
  register: "/register",
  /** Where the upstream sign-in (Cognito managed login) returns. */
  callback: "/oauth/callback",
} as const;

/** A person's tenant is the Cognito group they are in whose name starts with this prefix, less the prefix (`tenant-acme`: `acme`), unless configured otherwise. */
export const TENANT_GROUP_PREFIX = "tenant-";

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

/**
 * The names of the function's own environment settings: the infrastructure
 * sets them from its inputs (modules/stack.ts), the server reads them
 * (handler/config.ts). User variables may not start with `MCP_`.
 */
export const SETTINGS = {
  /** The verified claim that names the tenant. */
  tenantClaim: "MCP_TENANT_CLAIM",
  /** Seconds a session lives after its last use. */
  sessionTtlSeconds: "MCP_SESSION_TTL_SECONDS",
  /** The token issuer, advertised as the authorization server. */
  issuer: "MCP_ISSUER",
  /** The public URL of the MCP endpoint, advertised as the protected resource. */
  resourceUrl: "MCP_RESOURCE_URL",
  /** The scopes a token must carry one of, space-separated. */
  scopes: "MCP_SCOPES",
  /** Browser origins allowed to call, comma-separated. */
  allowedOrigins: "MCP_ALLOWED_ORIGINS",
  /** App client ids allowed to call, comma-separated. */
  clientIds: "MCP_CLIENT_IDS",
  /** The sessions table; sessions are on when it is set. */
  sessionsTable: "MCP_SESSIONS_TABLE",
  /** The role assumed, tagged with the tenant, to read and write sessions. */
  tenantAccessRoleArn: "MCP_TENANT_ACCESS_ROLE_ARN",
  /** The secret CloudFront sends in X-Origin-Verify. */
  originVerifySecret: "MCP_ORIGIN_VERIFY_SECRET",
  /** The authorization front's app client for people; the front is on when it is set. */
  peopleClientId: "MCP_PEOPLE_CLIENT_ID",
  /** The prefix of the Cognito groups that name a person's tenant. */
  tenantGroupPrefix: "MCP_TENANT_GROUP_PREFIX",
  /** The user pool's domain (`https://<prefix>.auth.<region>.amazoncognito.com`), where people sign in. */
  signInDomain: "MCP_SIGN_IN_DOMAIN",
  /** The key set people's access tokens are signed with, named by the front's OpenID discovery. */
  jwksUri: "MCP_JWKS_URI",
  /** The table of pending sign-ins, codes and registrations. */
  oauthTable: "MCP_OAUTH_TABLE",
  /** Hosts allowed to serve Client ID Metadata Documents, comma-separated; empty means any public host. */
  clientMetadataHosts: "MCP_CLIENT_METADATA_HOSTS",
  /** "true" when clients may register dynamically (RFC 7591). */
  dynamicRegistration: "MCP_DYNAMIC_REGISTRATION",
  /** The CloudWatch namespace of the metrics each request's log line carries; none without it. */
  metricsNamespace: "MCP_METRICS_NAMESPACE",
  /** "true" when the metrics also carry a Tenant dimension. */
  metricsTenantDimension: "MCP_METRICS_TENANT_DIMENSION",
  /** "true" when API Gateway invokes the function with response streaming: the entry answers through Lambda's streaming API. */
  responseStreaming: "MCP_RESPONSE_STREAMING",
} as const;
