import { randomBytes } from "node:crypto";
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { LRUCache } from "lru-cache";
import { OAUTH_PATHS, TENANT_GROUP_PREFIX } from "../http-contract.js";
import type { Upstream, UpstreamTokens } from "../oauth/upstream.js";
import { verifiesChallenge } from "../oauth/pkce.js";
import type { LocalIssuer } from "./issuer.js";

/** The local sign-in page's path on the local gateway. */
export const SIGN_IN_PATH = "/local/sign-in";
/** The `client_id` of people's local tokens: the front's app client, as Cognito names it in theirs. */
export const LOCAL_SIGN_IN_CLIENT = "local-sign-in";

/** A person as the local sign-in knows them. */
export interface LocalPerson {
  readonly user: string;
  readonly tenant: string;
}

/** `user:tenant`, as `npm start -- --auto-login` takes it; both 1-64 of letters, digits and `._-`. */
export function parsePerson(value: string): LocalPerson {
  const found = /^([A-Za-z0-9._-]{1,64}):([A-Za-z0-9._-]{1,64})$/.exec(value);
  if (!found) throw new Error(`--auto-login takes user:tenant, such as alice:acme (letters, digits, . _ -), got "${value.slice(0, 80)}"`);
  return { user: found[1], tenant: found[2] };
}

/**
 * The local stand-in for Cognito managed login behind the authorization
 * front: a sign-in page (a user name and a tenant, no password: it runs on
 * this machine only) or, with `autoLogin`, none at all, so that scripted
 * clients complete the flow; then the front's callback with a code that
 * this upstream exchanges for tokens the local authorizer accepts.
 */
export class LocalSignIn implements Upstream {
  // Bounded and expiring, as Cognito's are: a server left running keeps no abandoned sign-in for ever.
  /** Each code's person, and the challenge of the sign-in it ends, which the exchange must answer (as Cognito checks PKCE). */
  private readonly codes = new LRUCache<string, LocalPerson & { readonly challenge: string }>({ max: 1000, ttl: 5 * 60_000 });
  private readonly challenges = new LRUCache<string, string>({ max: 1000, ttl: 10 * 60_000 });
  private readonly refreshTokens = new LRUCache<string, LocalPerson>({ max: 10_000, ttl: 30 * 86_400_000 });

  constructor(
    private readonly issuer: LocalIssuer,
    private readonly origin: string,
    private readonly autoLogin?: LocalPerson,
  ) {}

  signInUrl(state: string, codeChallenge: string): string {
    this.challenges.set(state, codeChallenge);
    return `${this.origin}${SIGN_IN_PATH}?state=${encodeURIComponent(state)}`;
  }

  async exchange(code: string, codeVerifier: string): Promise<UpstreamTokens> {
    const signedIn = this.codes.get(code);
    this.codes.delete(code);
    if (!signedIn || !verifiesChallenge(codeVerifier, signedIn.challenge)) throw new Error("unknown code, or a verifier that does not match");
    const person = { user: signedIn.user, tenant: signedIn.tenant };
    const refreshToken = randomBytes(32).toString("base64url");
    this.refreshTokens.set(refreshToken, person);
    return { ...(await this.tokens(person)), refresh_token: refreshToken };
  }

  async refresh(refreshToken: string): Promise<UpstreamTokens> {
    const person = this.refreshTokens.get(refreshToken);
    if (!person) throw new Error("unknown refresh token");
    return this.tokens(person);
  }

  private async tokens(person: LocalPerson): Promise<UpstreamTokens> {
    const access = await this.issuer.mintForPerson({ user: person.user, groups: [`${TENANT_GROUP_PREFIX}${person.tenant}`], clientId: LOCAL_SIGN_IN_CLIENT });
    return { access_token: access, expires_in: 3600 };
  }

  /** The sign-in page: GET shows it (or signs the auto-login person in at once), POST signs the form's person in. */
  page(method: string, query: URLSearchParams, body: string): APIGatewayProxyStructuredResultV2 {
    const form = new URLSearchParams(body);
    const state = (method === "POST" ? form.get("state") : query.get("state")) ?? "";
    const person = method === "POST" ? safePerson(form.get("user"), form.get("tenant")) : this.autoLogin;
    const challenge = this.challenges.get(state);
    if (person && challenge) {
      this.challenges.delete(state);
      const code = randomBytes(32).toString("base64url");
      this.codes.set(code, { ...person, challenge });
      const callback = `${this.origin}${OAUTH_PATHS.callback}?code=${code}&state=${encodeURIComponent(state)}`;
      return { statusCode: 302, headers: { location: callback, "cache-control": "no-store" } };
    }
    if (!challenge) return { statusCode: 400, headers: { "content-type": "text/plain; charset=utf-8" }, body: "This sign-in is unknown or expired; start again from the MCP client." };
    const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in (local)</title></head><body>
<h1>Sign in to the local MCP server</h1>
<p>This page stands in for Cognito managed login. Anyone on this machine can sign in as anyone: it runs locally only.</p>
<form method="post" action="${SIGN_IN_PATH}">
<input type="hidden" name="state" value="${escapeHtml(state)}">
<label>User <input name="user" required pattern="[A-Za-z0-9._-]{1,64}"></label>
<label>Tenant <input name="tenant" required pattern="[A-Za-z0-9._-]{1,64}"></label>
<button type="submit">Sign in</button>
</form></body></html>`;
    return { statusCode: 200, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", "content-security-policy": "default-src 'none'; form-action 'self'" }, body: html };
  }
}

function safePerson(user: string | null, tenant: string | null): LocalPerson | undefined {
  try {
    return parsePerson(`${user ?? ""}:${tenant ?? ""}`);
  } catch {
    return undefined;
  }
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
