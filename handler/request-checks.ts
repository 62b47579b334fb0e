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
 * client as `client_id`, the same for every person, so their tenant is read from a claim of their own,
 * one only administrators can set (never one the person can edit).
 */
export interface PeopleSettings {
  /** The front's app client id: the `client_id` of every person's token. */
  readonly clientId: string;
  /** The claim naming a person's tenant. */
  readonly tenantClaim: string;
}

/** The verified caller, or what is wrong with the claims. */
export function identify(claims: Claims, tenantClaim: string, people?: PeopleSettings): Caller | string {
  const person = people !== undefined && claims?.client_id === people.clientId;
  if (person) tenantClaim = people.tenantClaim;
  const tenant = claims?.[tenantClaim];
  if (typeof tenant !== "string" && typeof tenant !== "number") {
    if (person) return `Your account belongs to no tenant of this server (its token has no "${tenantClaim}" claim). Ask an administrator to assign you to a tenant, then sign in again.`;
    return `The access token has no "${tenantClaim}" claim, which names the caller's tenant. Use a token issued for this server (or ask its operator which claim MCP_TENANT_CLAIM names).`;
  }
  // Padded values would be tenants of their own that look like another's in every log and console.
  if (!TENANT_PATTERN.test(String(tenant)) || String(tenant).trim() !== String(tenant)) {
    return `The "${tenantClaim}" claim must be 1-256 characters of letters, digits, spaces (not at either end) and . _ : / = + - @ (what Lambda tenant ids and AWS session tags carry).`;
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
