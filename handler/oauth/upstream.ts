/** Tokens the upstream identity provider issued for a person: what the front hands the MCP client. */
export interface UpstreamTokens {
  readonly access_token: string;
  readonly refresh_token?: string;
  readonly expires_in: number;
  readonly scope?: string;
}

/**
 * Where people sign in: Cognito managed login on AWS, a local sign-in page
 * with `npm start`. The front sends the browser there with its own state,
 * receives the upstream's code at its callback, and exchanges it.
 */
export interface Upstream {
  /** Where to send the browser to sign in; the upstream comes back to the front's callback with `state`. */
  signInUrl(state: string): string;
  /** The upstream's code, exchanged for tokens; throws when the upstream refuses it. */
  exchange(code: string): Promise<UpstreamTokens>;
  /** New tokens for a refresh token; throws when the upstream refuses it. */
  refresh(refreshToken: string): Promise<UpstreamTokens>;
}
