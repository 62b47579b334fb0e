import { createHash } from "node:crypto";
import { AssumeRoleCommand, STSClient, STSClientConfig } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@aws-sdk/types";
import { LRUCache } from "lru-cache";
import { awsClientSettings } from "./aws-clients.js";
import { TENANT_TAG } from "./session-schema.js";

/** Options of {@link TenantCredentials}. */
export interface TenantCredentialsOptions {
  /** The tenant-access role the function's role may assume with the tenant tag. */
  readonly roleArn: string;
  /** STS client settings (endpoint, region), over the timeouts and retries of {@link awsClientSettings}. */
  readonly stsConfig?: STSClientConfig;
  /** Seconds the assumed credentials last (15 minutes, STS's minimum, keeps a leaked key short-lived). */
  readonly durationSeconds?: number;
  /** Renew this long before expiry. */
  readonly refreshMarginMs?: number;
  /** Clock, epoch milliseconds. */
  readonly now?: () => number;
  /** How many tenants' credentials are kept (least recently used go first). @default 1000 */
  readonly maxTenants?: number;
}

/**
 * Per-tenant AWS credentials: the tenant-access role assumed with the session
 * tag `tenant_id` = the verified tenant, so IAM lets them touch only that
 * tenant's rows. Cached per tenant until shortly before they expire, for the
 * most recently served tenants.
 */
export class TenantCredentials {
  private readonly sts: STSClient;
  private readonly cache: LRUCache<string, Promise<AwsCredentialIdentity>>;
  private readonly now: () => number;

  constructor(private readonly options: TenantCredentialsOptions) {
    this.sts = new STSClient({ ...awsClientSettings(), ...options.stsConfig });
    this.cache = new LRUCache({ max: options.maxTenants ?? 1000 });
    this.now = options.now ?? Date.now;
  }

  /** A credentials provider that always yields this tenant's credentials. */
  forTenant(tenant: string): AwsCredentialIdentityProvider {
    return () => this.credentials(tenant);
  }

  private async credentials(tenant: string): Promise<AwsCredentialIdentity> {
    const margin = this.options.refreshMarginMs ?? 5 * 60_000;
    const cached = await this.cache.get(tenant)?.catch(() => undefined);
    if (cached?.expiration && cached.expiration.getTime() - margin > this.now()) return cached;
    const pending = this.assume(tenant);
    this.cache.set(tenant, pending);
    try {
      return await pending;
    } catch (error) {
      if (this.cache.get(tenant) === pending) this.cache.delete(tenant);
      throw error;
    }
  }

  private async assume(tenant: string): Promise<AwsCredentialIdentity> {
    const { Credentials: c } = await this.sts.send(
      new AssumeRoleCommand({
        RoleArn: this.options.roleArn,
        // Session names appear in CloudTrail; a hash keeps them valid for any tenant value.
        RoleSessionName: `mcp-tenant-${createHash("sha256").update(tenant).digest("hex").slice(0, 32)}`,
        Tags: [{ Key: TENANT_TAG, Value: tenant }],
        DurationSeconds: this.options.durationSeconds ?? 900,
      }),
    );
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error("STS AssumeRole returned no credentials");
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
  }
}
