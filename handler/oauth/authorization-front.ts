import { randomBytes } from "node:crypto";
import { type HttpRequest, type HttpResponse, jsonResponse } from "../http-message.js";
import { OAUTH_PATHS } from "../http-contract.js";
import { ClientMetadataError, type ClientMetadata, ClientMetadataResolver, redirectAllowed } from "./client-metadata.js";
import { challengeOf, isS256Challenge, verifiesChallenge } from "./pkce.js";
import type { OAuthStore } from "./store.js";
import type { Upstream, UpstreamTokens } from "./upstream.js";
import { isLoopbackRedirect } from "./redirect-uri.js";

/** Settings of {@link createAuthorizationFront}. */
export interface AuthorizationFrontOptions {
  /** The front's issuer: the public base URL it answers on (RFC 8414 `issuer`, RFC 9207 `iss`). */
  readonly issuer: string;
  /** The MCP endpoint's URL: the only `resource` (RFC 8707) tokens are issued for. */
  readonly resourceUrl: string;
  readonly scopes: readonly string[];
  readonly clients: ClientMetadataResolver;
  readonly store: OAuthStore;
  readonly upstream: Upstream;
  /** The JSON Web Key Set the access tokens are signed with (the Cognito pool's): OpenID discovery requires it. */
  readonly jwksUri?: string;
  /** Whether clients may register dynamically (RFC 7591), the fallback to Client ID Metadata Documents. @default false */
  readonly dynamicRegistration?: boolean;
}

/** How long a pending authorization waits for the sign-in, a code for its redemption, and a registration for its use, in seconds. */
const PENDING_TTL = 600;
const CODE_TTL = 60;
const REGISTRATION_TTL = 30 * 86400;

interface Pending {
  /** The PKCE verifier of the front's own sign-in at the upstream. */
  readonly upstreamVerifier: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly codeChallenge: string;
  readonly resource: string;
  readonly state?: string;
}
interface Code {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly codeChallenge: string;
  readonly resource: string;
  readonly tokens: UpstreamTokens;
}

/** An OAuth error answer (RFC 6749 section 5.2), never cached. */
function oauthError(status: number, error: string, description: string): HttpResponse {
  return jsonResponse(status, { error, error_description: description }, { "cache-control": "no-store" });
}

function redirect(location: string): HttpResponse {
  return { status: 302, headers: { location, "cache-control": "no-store" } };
}

/** 32 random bytes, base64url: codes, states and registered client ids. */
const randomId = () => randomBytes(32).toString("base64url");

/**
 * The authorization front (issue 18): an OAuth 2.1 authorization server for
 * people's MCP clients, in front of an upstream identity provider (Cognito
 * managed login) that cannot identify them. It serves RFC 8414 metadata,
 * `/authorize` (clients identified by Client ID Metadata Documents, or by
 * dynamic registration when it is on; redirect URIs matched exactly, a
 * loopback one on any port; PKCE with S256 only; `resource` must be this
 * server), the upstream's callback, which relays the person to the client
 * with a code of the front's own (single use, 60 s, bound to client,
 * redirect URI, challenge and resource, with `iss`), and `/token`, which
 * checks all of that and hands over the upstream's tokens (and refreshes
 * them). Answers `undefined` for paths that are not its own.
 */
export function createAuthorizationFront(options: AuthorizationFrontOptions) {
  const supportedScope = options.scopes.join(" ");

  /** RFC 8414 metadata; OpenID discovery adds what OpenID Connect Discovery 1.0 requires of it. */
  function metadata(openid: boolean): HttpResponse {
    return jsonResponse(
      200,
      {
        issuer: options.issuer,
        authorization_endpoint: `${options.issuer}${OAUTH_PATHS.authorize}`,
        token_endpoint: `${options.issuer}${OAUTH_PATHS.token}`,
        ...(options.dynamicRegistration && { registration_endpoint: `${options.issuer}${OAUTH_PATHS.register}` }),
        response_types_supported: ["code"],
        grant_types_supported: ["authorization_code", "refresh_token"],
        code_challenge_methods_supported: ["S256"],
        token_endpoint_auth_methods_supported: ["none"],
        scopes_supported: [...options.scopes],
        client_id_metadata_document_supported: true,
        authorization_response_iss_parameter_supported: true,
        ...(openid && { jwks_uri: options.jwksUri, subject_types_supported: ["public"], id_token_signing_alg_values_supported: ["RS256"] }),
      },
      { "cache-control": "public, max-age=300" },
    );
  }

  /** The client's metadata: its Client ID Metadata Document, or its dynamic registration. */
  async function client(clientId: string): Promise<ClientMetadata> {
    if (!clientId.includes("://")) {
      const registered = await options.store.get<ClientMetadata>("client", clientId);
      if (registered) return registered;
      throw new ClientMetadataError("invalid_client", "client_id names no client registered here; use a Client ID Metadata Document (an HTTPS URL) as client_id.");
    }
    return options.clients.resolve(clientId);
  }

  async function authorize(request: HttpRequest): Promise<HttpResponse> {
    const query = request.url.searchParams;
    const clientId = query.get("client_id");
    const redirectUri = query.get("redirect_uri");
    // Until the client and its redirect URI are known good, errors are shown here, never sent anywhere (RFC 6749 section 4.1.2.1).
    if (!clientId || !redirectUri) return oauthError(400, "invalid_request", "client_id and redirect_uri are required.");
    let registered: ClientMetadata;
    try {
      registered = await client(clientId);
    } catch (error) {
      if (error instanceof ClientMetadataError) return oauthError(400, error.error, error.message);
      throw error;
    }
    if (!redirectAllowed(registered, redirectUri)) return oauthError(400, "invalid_request", "redirect_uri is not one the client registered.");
    const state = query.get("state") ?? undefined;
    const back = (error: string, description: string) => {
      const target = new URL(redirectUri);
      target.searchParams.set("error", error);
      target.searchParams.set("error_description", description);
      if (state !== undefined) target.searchParams.set("state", state);
      target.searchParams.set("iss", options.issuer);
      return redirect(target.href);
    };
    if (query.get("response_type") !== "code") return back("unsupported_response_type", "response_type must be code.");
    const codeChallenge = query.get("code_challenge");
    if (!isS256Challenge(codeChallenge, query.get("code_challenge_method"))) return back("invalid_request", "PKCE is required: code_challenge_method S256 with a code_challenge.");
    const resource = query.get("resource") ?? options.resourceUrl;
    if (resource !== options.resourceUrl) return back("invalid_target", `resource must be this server's MCP endpoint, ${options.resourceUrl}.`);
    const scope = query.get("scope") ?? supportedScope;
    if (!scope.split(" ").every((s) => options.scopes.includes(s))) return back("invalid_scope", `scope may only hold ${supportedScope}.`);
    if (state !== undefined && state.length > 512) return back("invalid_request", "state is longer than 512 characters.");
    const id = randomId();
    const upstreamVerifier = randomId();
    await options.store.put("pending", id, { upstreamVerifier, clientId, redirectUri, codeChallenge, resource, ...(state !== undefined && { state }) } satisfies Pending, PENDING_TTL);
    return redirect(options.upstream.signInUrl(id, challengeOf(upstreamVerifier)));
  }

  /** The upstream's answer: the person signed in (or did not); relayed to the client with a code of the front's own. */
  async function callback(request: HttpRequest): Promise<HttpResponse> {
    const query = request.url.searchParams;
    const pending = await options.store.take<Pending>("pending", query.get("state") ?? "");
    if (!pending) return oauthError(400, "invalid_request", "This sign-in is unknown or expired; start again from the MCP client.");
    const target = new URL(pending.redirectUri);
    if (pending.state !== undefined) target.searchParams.set("state", pending.state);
    target.searchParams.set("iss", options.issuer);
    const upstreamCode = query.get("code");
    let tokens: UpstreamTokens | undefined;
    if (upstreamCode) tokens = await options.upstream.exchange(upstreamCode, pending.upstreamVerifier).catch(() => undefined);
    if (!tokens) {
      target.searchParams.set("error", "access_denied");
      target.searchParams.set("error_description", "The sign-in did not complete.");
      return redirect(target.href);
    }
    const code = randomId();
    await options.store.put("code", code, { clientId: pending.clientId, redirectUri: pending.redirectUri, codeChallenge: pending.codeChallenge, resource: pending.resource, tokens } satisfies Code, CODE_TTL);
    target.searchParams.set("code", code);
    return redirect(target.href);
  }

  async function token(request: HttpRequest): Promise<HttpResponse> {
    if (request.method !== "POST") return oauthError(405, "invalid_request", "The token endpoint takes POST.");
    if (!(request.headers.get("content-type") ?? "").startsWith("application/x-www-form-urlencoded")) {
      return oauthError(400, "invalid_request", "The token request must be application/x-www-form-urlencoded.");
    }
    const form = new URLSearchParams(request.body ?? "");
    const grant = form.get("grant_type");
    if (grant === "refresh_token") {
      const refreshToken = form.get("refresh_token");
      if (!refreshToken) return oauthError(400, "invalid_request", "refresh_token is required.");
      const tokens = await options.upstream.refresh(refreshToken).catch(() => undefined);
      return tokens ? tokenResponse(tokens) : oauthError(400, "invalid_grant", "The refresh token is invalid or expired; sign in again.");
    }
    if (grant !== "authorization_code") return oauthError(400, "unsupported_grant_type", "grant_type must be authorization_code or refresh_token.");
    // Taken whatever follows: a code is good for one attempt (RFC 9700 section 4.5), so a stolen one cannot be tried twice.
    const code = await options.store.take<Code>("code", form.get("code") ?? "");
    if (!code) return oauthError(400, "invalid_grant", "The code is invalid, expired or already used; sign in again.");
    if (form.get("client_id") !== code.clientId) return oauthError(400, "invalid_grant", "The code was issued to another client.");
    if (form.get("redirect_uri") !== code.redirectUri) return oauthError(400, "invalid_grant", "redirect_uri differs from the authorization request's.");
    if (!verifiesChallenge(form.get("code_verifier"), code.codeChallenge)) return oauthError(400, "invalid_grant", "The PKCE code_verifier does not match the code_challenge.");
    const resource = form.get("resource");
    if (resource !== null && resource !== code.resource) return oauthError(400, "invalid_target", "resource differs from the authorization request's.");
    return tokenResponse(code.tokens);
  }

  function tokenResponse(tokens: UpstreamTokens): HttpResponse {
    return jsonResponse(200, { token_type: "Bearer", scope: supportedScope, ...tokens }, { "cache-control": "no-store", pragma: "no-cache" });
  }

  async function register(request: HttpRequest): Promise<HttpResponse> {
    if (!options.dynamicRegistration) {
      return oauthError(404, "invalid_request", "Dynamic client registration is off on this server: identify the client with a Client ID Metadata Document (client_id an HTTPS URL).");
    }
    if (request.method !== "POST") return oauthError(405, "invalid_request", "Registration takes POST.");
    let body: { redirect_uris?: unknown; client_name?: unknown; token_endpoint_auth_method?: unknown };
    try {
      body = JSON.parse(request.body ?? "") as typeof body;
    } catch {
      return oauthError(400, "invalid_client_metadata", "The registration request must be a JSON object.");
    }
    const uris = body?.redirect_uris;
    if (!Array.isArray(uris) || uris.length === 0 || uris.length > 10 || !uris.every(acceptableRedirect)) {
      return oauthError(400, "invalid_redirect_uri", "redirect_uris must list 1 to 10 absolute URIs: https, a loopback http URI, or an app's own scheme; no fragment.");
    }
    if (body.token_endpoint_auth_method !== undefined && body.token_endpoint_auth_method !== "none") {
      return oauthError(400, "invalid_client_metadata", 'This server registers public clients only: token_endpoint_auth_method must be "none".');
    }
    const clientId = randomId();
    const registered: ClientMetadata = { client_id: clientId, redirect_uris: uris as string[], ...(typeof body.client_name === "string" && { client_name: body.client_name.slice(0, 200) }) };
    await options.store.put("client", clientId, registered, REGISTRATION_TTL);
    return jsonResponse(201, { ...registered, token_endpoint_auth_method: "none", grant_types: ["authorization_code", "refresh_token"], response_types: ["code"], client_id_issued_at: Math.floor(Date.now() / 1000) }, { "cache-control": "no-store" });
  }

  /** The front's answer to a request on one of its paths; undefined for any other path. */
  return async function handle(request: HttpRequest): Promise<HttpResponse | undefined> {
    switch (request.url.pathname) {
      case OAUTH_PATHS.metadata:
        return metadata(false);
      case OAUTH_PATHS.openidConfiguration:
        // Without a key set there is no valid OpenID document to serve.
        return options.jwksUri ? metadata(true) : undefined;
      case OAUTH_PATHS.authorize:
        return authorize(request);
      case OAUTH_PATHS.callback:
        return callback(request);
      case OAUTH_PATHS.token:
        return token(request);
      case OAUTH_PATHS.register:
        return register(request);
      default:
        return undefined;
    }
  };
}

/** A redirect URI a registration may list: absolute, no fragment, and not plain HTTP but to this machine. */
function acceptableRedirect(uri: unknown): boolean {
  if (typeof uri !== "string" || uri.includes("#") || !URL.canParse(uri)) return false;
  const url = new URL(uri);
  return url.protocol === "http:" ? isLoopbackRedirect(url) : url.protocol !== "javascript:" && url.protocol !== "data:";
}
