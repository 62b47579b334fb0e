import type { Upstream, UpstreamTokens } from "./upstream.js";

/** Settings of {@link CognitoUpstream}. */
export interface CognitoUpstreamOptions {
  /** The user pool's domain, where managed login and the OAuth endpoints answer: `https://<prefix>.auth.<region>.amazoncognito.com`. */
  readonly domain: string;
  /** The module's app client for people: public (no secret), authorization code with PKCE. */
  readonly clientId: string;
  /** The front's callback, the app client's only callback URL. */
  readonly callbackUrl: string;
  /** The scopes asked for; `mcp/invoke` is what the API's authorizer requires. */
  readonly scopes: readonly string[];
  /** How long a token request may take. @default 5000 */
  readonly timeoutMs?: number;
}

/**
 * Cognito managed login as the front's upstream: the browser signs in at
 * the pool's `/oauth2/authorize` and comes back to the front's callback,
 * whose code the front redeems at `/oauth2/token` with its PKCE verifier.
 * The app client is public: the callback is the front's own HTTPS URL and
 * PKCE binds the code to the front, so there is no client secret to keep in
 * the function's environment.
 */
export class CognitoUpstream implements Upstream {
  constructor(private readonly options: CognitoUpstreamOptions) {}

  signInUrl(state: string, codeChallenge: string): string {
    const url = new URL("/oauth2/authorize", this.options.domain);
    url.search = new URLSearchParams({
      response_type: "code",
      client_id: this.options.clientId,
      redirect_uri: this.options.callbackUrl,
      scope: this.options.scopes.join(" "),
      state,
      code_challenge: codeChallenge,
      code_challenge_method: "S256",
    }).toString();
    return url.href;
  }

  exchange(code: string, codeVerifier: string): Promise<UpstreamTokens> {
    return this.token({ grant_type: "authorization_code", code, redirect_uri: this.options.callbackUrl, code_verifier: codeVerifier });
  }

  refresh(refreshToken: string): Promise<UpstreamTokens> {
    return this.token({ grant_type: "refresh_token", refresh_token: refreshToken });
  }

  /** A token request; throws on any refusal, naming only its status and OAuth error code (never a token or the code). */
  private async token(grant: Record<string, string>): Promise<UpstreamTokens> {
    const response = await fetch(new URL("/oauth2/token", this.options.domain), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams({ ...grant, client_id: this.options.clientId }).toString(),
      redirect: "error",
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
    });
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok || typeof body.access_token !== "string" || typeof body.expires_in !== "number") {
      const error = typeof body.error === "string" && /^[a-z_]{1,40}$/.test(body.error) ? body.error : "unreadable answer";
      throw new Error(`Cognito refused the token request: ${response.status} ${error}`);
    }
    // Only what the MCP client needs: the ID token stays out of it (RFC 8707 resource tokens are access tokens).
    return {
      access_token: body.access_token,
      expires_in: body.expires_in,
      ...(typeof body.refresh_token === "string" && { refresh_token: body.refresh_token }),
    };
  }
}
