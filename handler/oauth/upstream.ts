/** Tokens the upstream identity provider issued for a person: what the front hands the MCP client. */
export interface UpstreamTokens {
  readonly access_token: string;
  readonly refresh_token?: string;
  readonly expires_in: number;
}

/**
 * Where people sign in: Cognito managed login on AWS, a local sign-in page
 * with `npm start`. The front sends the browser there with its own state and
 * a PKCE challenge of its own (the front is the upstream's client, and keeps
 * the verifier with the pending authorization), receives the upstream's code
 * at its callback, and exchanges it with that verifier.
 */
export interface Upstream {
  /** Where to send the browser to sign in; the upstream comes back to the front's callback with `state`. */
  signInUrl(state: string, codeChallenge: string): string;
  /** The upstream's code, exchanged for tokens with the verifier of the challenge sent; throws when the upstream refuses it. */
  exchange(code: string, codeVerifier: string): Promise<UpstreamTokens>;
  /** New tokens for a refresh token; throws when the upstream refuses it. */
  refresh(refreshToken: string): Promise<UpstreamTokens>;
}
