import { randomUUID } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { MCP_SCOPE } from "../http-contract.js";
import { GROUPS_CLAIM } from "../request-checks.js";
import { exportJWK, generateKeyPair, importJWK, type JWK, jwtVerify, SignJWT, type JWTPayload } from "jose";

/** The `iss` of every local token. */
export const LOCAL_ISSUER = "urn:cdktf-aws-mcp-server:local-issuer";
const ALGORITHM = "ES256";
type Key = Awaited<ReturnType<typeof importJWK>>;

/** Where the local issuer keeps its signing key between runs: MCP_LOCAL_STATE_DIR, else the XDG state directory. */
export function localStateDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.MCP_LOCAL_STATE_DIR ?? join(env.XDG_STATE_HOME ?? join(homedir(), ".local", "state"), "cdktf-aws-mcp-server");
}

/** What a local token says: a Cognito client-credentials access token, one app client per tenant. */
export interface TokenRequest {
  readonly tenant: string;
  /** Space-separated scopes. */
  readonly scope?: string;
  /** Seconds from now; negative for an already expired token. */
  readonly expiresInSeconds?: number;
  /** The claim the server reads the tenant from, when it is not client_id. */
  readonly tenantClaim?: string;
}

/**
 * A stand-in for the Cognito user pool: signs access tokens shaped like
 * Cognito's client-credentials tokens with a key it creates once and keeps.
 */
export class LocalIssuer {
  private constructor(
    private readonly privateKey: Key,
    private readonly publicKey: Key,
  ) {}

  /** Loads the key from `stateDir`, creating it on first use. */
  static async open(stateDir = localStateDir()): Promise<LocalIssuer> {
    const file = join(stateDir, "issuer-key.json");
    if (!existsSync(file)) {
      const { privateKey } = await generateKeyPair(ALGORITHM, { extractable: true });
      mkdirSync(stateDir, { recursive: true, mode: 0o700 });
      writeFileSync(file, JSON.stringify(await exportJWK(privateKey)), { mode: 0o600 });
      chmodSync(file, 0o600);
    }
    const jwk = JSON.parse(readFileSync(file, "utf8")) as JWK;
    const { d: _private, ...publicJwk } = jwk;
    return new LocalIssuer(await importJWK(jwk, ALGORITHM), await importJWK(publicJwk, ALGORITHM));
  }

  /** A signed access token for the tenant. */
  async mint({ tenant, scope = MCP_SCOPE, expiresInSeconds = 3600, tenantClaim = "client_id" }: TokenRequest): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ client_id: tenant, scope, token_use: "access", [tenantClaim]: tenant })
      .setProtectedHeader({ alg: ALGORITHM })
      .setIssuer(LOCAL_ISSUER)
      .setSubject(tenant)
      .setJti(randomUUID())
      .setIssuedAt(now)
      .setExpirationTime(now + expiresInSeconds)
      .sign(this.privateKey);
  }

  /**
   * A signed access token for a person who signed in through the authorization front: shaped like
   * Cognito's authorization-code tokens (the front's app client as `client_id`, the person as `sub`
   * and `username`), with the person's Cognito groups in `cognito:groups`.
   */
  async mintForPerson({ user, groups, clientId, expiresInSeconds = 3600 }: { user: string; groups: readonly string[]; clientId: string; expiresInSeconds?: number }): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ client_id: clientId, username: user, scope: MCP_SCOPE, token_use: "access", [GROUPS_CLAIM]: [...groups] })
      .setProtectedHeader({ alg: ALGORITHM })
      .setIssuer(LOCAL_ISSUER)
      .setSubject(user)
      .setJti(randomUUID())
      .setIssuedAt(now)
      .setExpirationTime(now + expiresInSeconds)
      .sign(this.privateKey);
  }

  /** The token's claims when its signature, issuer and expiry hold (a token without `exp` never does, as with Cognito); throws otherwise. */
  async verify(token: string): Promise<JWTPayload> {
    return (await jwtVerify(token, this.publicKey, { issuer: LOCAL_ISSUER, algorithms: [ALGORITHM], requiredClaims: ["exp"] })).payload;
  }
}
