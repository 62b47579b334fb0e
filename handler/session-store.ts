import { ConditionalCheckFailedException, DynamoDBClient, DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
import type { AwsCredentialIdentityProvider } from "@aws-sdk/types";
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { SESSION_KEY, TENANT_KEY, TTL_ATTRIBUTE } from "./session-schema.js";
import { NewSession, Session, SessionConflictError, SessionStore, SessionStoreUnavailableError } from "./sessions.js";

/** Options of {@link DynamoSessionStore}. */
export interface DynamoSessionStoreOptions {
  readonly tableName: string;
  /** Idle lifetime: each use moves the expiry this far ahead. */
  readonly ttlSeconds: number;
  /** DynamoDB client settings (endpoint for dynalite, region); retries default to 3 attempts with backoff. */
  readonly clientConfig?: DynamoDBClientConfig;
  /** Clock, epoch milliseconds; tests move it. */
  readonly now?: () => number;
  /**
   * Credentials per tenant (the tenant-access role assumed with the tenant's
   * session tag): every read and write of a tenant's sessions then runs with
   * credentials IAM limits to that tenant's rows. Absent: the default chain.
   */
  readonly credentialsFor?: (tenantId: string) => AwsCredentialIdentityProvider;
}

/**
 * MCP sessions in DynamoDB, keyed (tenant, session id). Every read and write
 * names the caller's tenant, so a session of another tenant is
 * indistinguishable from one that does not exist. Writes are conditional: a
 * session id is never reused, and a touch never revives an ended or expired
 * session. DynamoDB deletes expired items lazily (TTL), so reads treat a past
 * `expires_at` as gone.
 */
export class DynamoSessionStore implements SessionStore {
  private readonly shared?: DynamoDBDocumentClient;
  private readonly perTenant = new Map<string, DynamoDBDocumentClient>();
  private readonly now: () => number;

  constructor(private readonly options: DynamoSessionStoreOptions) {
    if (!options.credentialsFor) this.shared = this.client();
    this.now = options.now ?? Date.now;
  }

  /** The client for a tenant's rows: its own credentials when they are scoped per tenant. */
  private documents(tenantId: string): DynamoDBDocumentClient {
    if (this.shared) return this.shared;
    let client = this.perTenant.get(tenantId);
    if (!client) {
      client = this.client(this.options.credentialsFor!(tenantId));
      this.perTenant.set(tenantId, client);
    }
    return client;
  }

  private client(credentials?: AwsCredentialIdentityProvider): DynamoDBDocumentClient {
    // The SDK's standard retry strategy: bounded attempts with exponential backoff and jitter.
    const client = new DynamoDBClient({ maxAttempts: 3, retryMode: "standard", ...this.options.clientConfig, ...(credentials ? { credentials } : {}) });
    return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  /** Stores a new session; fails with {@link SessionConflictError} when the id is taken. */
  async create(session: NewSession): Promise<Session> {
    const now = this.now();
    const stored: Session = { ...session, createdAt: now, lastSeenAt: now, expiresAt: this.expiry(now) };
    const written = await this.conditionally(() =>
      this.documents(session.tenantId).send(
        new PutCommand({
          TableName: this.options.tableName,
          Item: toItem(stored),
          ConditionExpression: "attribute_not_exists(#session)",
          ExpressionAttributeNames: { "#session": SESSION_KEY },
        }),
      ),
    );
    if (!written) throw new SessionConflictError(session.sessionId);
    return stored;
  }

  /**
   * Records a use of the tenant's live session, moves its expiry ahead and
   * returns it: one round trip per request. Undefined when there is no such
   * session (unknown, ended, expired, or another tenant's); a gone session is
   * not revived.
   */
  async touch(tenantId: string, sessionId: string): Promise<Session | undefined> {
    const now = this.now();
    let updated: Record<string, unknown> | undefined;
    const found = await this.conditionally(async () => {
      const result = await this.documents(tenantId).send(
        new UpdateCommand({
          TableName: this.options.tableName,
          Key: key(tenantId, sessionId),
          UpdateExpression: "SET last_seen_at = :now, #ttl = :expires",
          ConditionExpression: "attribute_exists(#session) AND #ttl > :nowSeconds",
          ExpressionAttributeNames: { "#session": SESSION_KEY, "#ttl": TTL_ATTRIBUTE },
          ExpressionAttributeValues: { ":now": now, ":expires": this.expiry(now), ":nowSeconds": Math.floor(now / 1000) },
          ReturnValues: "ALL_NEW",
        }),
      );
      updated = result.Attributes;
    });
    return found && updated ? fromItem(updated) : undefined;
  }

  /** Ends the tenant's session. Returns false when there was none to end. */
  async delete(tenantId: string, sessionId: string): Promise<boolean> {
    return this.conditionally(() =>
      this.documents(tenantId).send(
        new DeleteCommand({
          TableName: this.options.tableName,
          Key: key(tenantId, sessionId),
          ConditionExpression: "attribute_exists(#session) AND #ttl > :nowSeconds",
          ExpressionAttributeNames: { "#session": SESSION_KEY, "#ttl": TTL_ATTRIBUTE },
          ExpressionAttributeValues: { ":nowSeconds": Math.floor(this.now() / 1000) },
        }),
      ),
    );
  }

  private expiry(nowMs: number): number {
    return Math.floor(nowMs / 1000) + this.options.ttlSeconds;
  }

  /** Runs a conditional write: false when its condition failed, SessionStoreUnavailableError when the store did. */
  private async conditionally(write: () => Promise<unknown>): Promise<boolean> {
    try {
      await write();
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw new SessionStoreUnavailableError(error);
    }
  }
}

function key(tenantId: string, sessionId: string): Record<string, string> {
  return { [TENANT_KEY]: tenantId, [SESSION_KEY]: sessionId };
}

function toItem(s: Session): Record<string, unknown> {
  return {
    ...key(s.tenantId, s.sessionId),
    principal: s.principal,
    protocol_version: s.protocolVersion,
    client_info: s.clientInfo,
    capabilities: s.capabilities,
    created_at: s.createdAt,
    last_seen_at: s.lastSeenAt,
    [TTL_ATTRIBUTE]: s.expiresAt,
  };
}

function fromItem(item: Record<string, any>): Session {
  return {
    tenantId: item[TENANT_KEY],
    sessionId: item[SESSION_KEY],
    principal: item.principal,
    protocolVersion: item.protocol_version,
    clientInfo: item.client_info ?? {},
    capabilities: item.capabilities ?? {},
    createdAt: item.created_at,
    lastSeenAt: item.last_seen_at,
    expiresAt: item[TTL_ATTRIBUTE],
  };
}
