import type { Caller } from "./caller.js";
import { isAllowedOrigin } from "./cors.js";
import type { GatewayRequest } from "./events/types.js";
import { ORIGIN_VERIFY_HEADER } from "./http-contract.js";
import { type HttpRequest, type HttpResponse, jsonRpcError } from "./http-message.js";
import { SESSION_LIMITS } from "./sessions.js";

/**
 * Who may call, checked before any MCP work: the CloudFront origin secret,
 * the browser origin, the caller's tenant and subject, the app client and
 * the scope. Each check answers the refusal a client can act on, or
 * undefined when the request passes.
 */

/** What a tenant value may hold: the characters both Lambda tenant ids and STS session tags accept. */
const TENANT_PATTERN = /^[a-zA-Z0-9._:/=+\-@ ]{1,256}$/;

type Claims = GatewayRequest["claims"];

/** Requests must carry the secret CloudFront adds (compared in constant time) when one is configured: a request that skipped CloudFront skipped its WAF. */
export function checkOriginSecret(request: HttpRequest, secret: string | undefined): HttpResponse | undefined {
  if (!secret) return undefined;
  const given = Buffer.from(request.headers.get(ORIGIN_VERIFY_HEADER.toLowerCase()) ?? "");
  const expected = Buffer.from(secret);
  if (given.length === expected.length && process.getBuiltinModule("node:crypto").timingSafeEqual(given, expected)) return undefined;
  return jsonRpcError(403, -32001, "Requests must come through the server's CloudFront distribution.");
}

/** A browser's Origin must be allowed; requests without one (not from a browser) pass. */
export function checkOrigin(origin: string | undefined, allowedOrigins: readonly string[]): HttpResponse | undefined {
  if (origin === undefined || isAllowedOrigin(origin, allowedOrigins)) return undefined;
  return jsonRpcError(403, -32001, "This browser origin is not allowed to call this server; the operator can add it to allowed_origins.");
}

/**
 * People signed in through the authorization front (handler/oauth/): their tokens carry the front's app
 * client as `client_id`, the same for every person, so their tenant comes from their Cognito groups,
 * which only administrators can change (never from anything the person can edit).
 */
export interface PeopleSettings {
  /** The front's app client id: the `client_id` of every person's token. */
  readonly clientId: string;
  /** The prefix of the groups that name tenants: a person in group `tenant-acme` belongs to tenant `acme` with the prefix `tenant-`. */
  readonly tenantGroupPrefix: string;
}

/** The Cognito claim that lists a user's groups. */
export const GROUPS_CLAIM = "cognito:groups";

/**
 * A person's groups, read from the bearer token itself: the gateways hand a list claim to the function
 * as a string whose format neither documents, while the token holds it as JSON. The gateway verified this
 * token (its signature, issuer, expiry); its subject and client must be the verified claims', or it is not
 * the token the gateway checked, and the person has no groups.
 */
function groupsOf(authorization: string | null, claims: Claims): string[] {
  const token = /^Bearer ([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.[A-Za-z0-9_-]+$/i.exec(authorization ?? "");
  if (!token) return [];
  let payload: Record<string, unknown>;
  try {
    payload = JSON.parse(Buffer.from(token[2], "base64url").toString("utf8")) as Record<string, unknown>;
  } catch {
    return [];
  }
  if (payload?.sub !== claims?.sub || payload?.client_id !== claims?.client_id) return [];
  const groups = payload[GROUPS_CLAIM];
  return Array.isArray(groups) ? groups.filter((g): g is string => typeof g === "string") : [];
}

/** The verified caller, or what is wrong with the claims; a person's tenant is read from `authorization` (see {@link groupsOf}). */
export function identify(claims: Claims, tenantClaim: string, people?: PeopleSettings, authorization: string | null = null): Caller | string {
  let tenant: unknown;
  if (people !== undefined && claims?.client_id === people.clientId) {
    const tenants = groupsOf(authorization, claims)
      .filter((group) => group.startsWith(people.tenantGroupPrefix) && group.length > people.tenantGroupPrefix.length)
      .map((group) => group.slice(people.tenantGroupPrefix.length));
    if (tenants.length === 0) return `Your account belongs to no tenant of this server (it is in no group named ${people.tenantGroupPrefix}<tenant>). Ask an administrator to add you to your tenant's group, then sign in again.`;
    if (tenants.length > 1) return `Your account belongs to ${tenants.length} tenants of this server (groups ${people.tenantGroupPrefix}<tenant>); a person acts for one. Ask an administrator to leave you in one tenant's group, then sign in again.`;
    [tenant] = tenants;
  } else {
    tenant = claims?.[tenantClaim];
    if (typeof tenant !== "string" && typeof tenant !== "number") {
      return `The access token has no "${tenantClaim}" claim, which names the caller's tenant. Use a token issued for this server (or ask its operator which claim MCP_TENANT_CLAIM names).`;
    }
  }
  // Padded values would be tenants of their own that look like another's in every log and console.
  if (!TENANT_PATTERN.test(String(tenant)) || String(tenant).trim() !== String(tenant)) {
    return `The tenant (the "${tenantClaim}" claim, or a person's tenant group) must be 1-256 characters of letters, digits, spaces (not at either end) and . _ : / = + - @ (what Lambda tenant ids and AWS session tags carry).`;
  }
  const principal = String(claims?.sub ?? claims?.client_id ?? tenant);
  if (Buffer.byteLength(principal) > SESSION_LIMITS.principalBytes) {
    return `The access token's subject is over ${SESSION_LIMITS.principalBytes} bytes; use a token whose sub claim is shorter.`;
  }
  return { tenant: String(tenant), principal };
}

/**
 * Only the operator's app clients (one per tenant) may call. The HTTP API's
 * authorizer checks them as its audience; the REST API's Cognito authorizer
 * checks none, so without this any client of the pool with the scope would get in.
 */
export function checkClient(claims: Claims, allowedClients: readonly string[] | undefined): HttpResponse | undefined {
  if (!allowedClients?.length || allowedClients.includes(String(claims?.client_id))) return undefined;
  return jsonRpcError(403, -32001, "This app client is not allowed to call this server. The operator allows clients per tenant (the tenants input, or cognito_client_ids with an external pool).");
}

/** The gateway checks the scope; so does the server, in case a route or authorizer was changed by hand (403 as the gateway answers). */
export function checkScope(claims: Claims, scopes: readonly string[]): HttpResponse | undefined {
  if (scopes.length === 0) return undefined;
  const granted = typeof claims?.scope === "string" ? claims.scope.split(" ") : [];
  if (scopes.some((scope) => granted.includes(scope))) return undefined;
  const wanted = scopes.join(" ");
  return jsonRpcError(403, -32001, `The access token lacks the scope this server requires (${wanted}); request a token with it.`, {
    "www-authenticate": `Bearer error="insufficient_scope", scope="${wanted}"`,
  });
}
