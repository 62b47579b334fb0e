import { ConditionalCheckFailedException, DynamoDBClient, DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
import type { AwsCredentialIdentityProvider } from "@aws-sdk/types";
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { LRUCache } from "lru-cache";
import { awsClientSettings } from "./aws-clients.js";
import { beforeDeadline } from "./deadline.js";
import { SESSION_KEY, TENANT_KEY, TTL_ATTRIBUTE } from "./session-schema.js";
import { NewSession, Session, SessionConflictError, SessionStore, SessionStoreRejectedError, SessionStoreUnavailableError } from "./sessions.js";

/** Options of {@link DynamoSessionStore}. */
export interface DynamoSessionStoreOptions {
  readonly tableName: string;
  /** Idle lifetime: each use moves the expiry this far ahead. */
  readonly ttlSeconds: number;
  /** DynamoDB client settings (endpoint for dynalite, region), over the timeouts and retries of {@link awsClientSettings}. */
  readonly clientConfig?: DynamoDBClientConfig;
  /** Clock, epoch milliseconds; tests move it. */
  readonly now?: () => number;
  /**
   * Credentials per tenant (the tenant-access role assumed with the tenant's
   * session tag): every read and write of a tenant's sessions then runs with
   * credentials IAM limits to that tenant's rows. Absent: the default chain.
   */
  readonly credentialsFor?: (tenantId: string) => AwsCredentialIdentityProvider;
  /** How many tenants' clients are kept (least recently used go first). @default 100 */
  readonly maxTenantClients?: number;
}

/**
 * What DynamoDB refuses as invalid in the request itself (a key or an item
 * too large, a value it cannot take): the client's fault, never an outage.
 * Every other error (throttling, network, 5xx, access denied, a missing
 * table) is the store's.
 */
const CLIENT_FAULTS = new Set(["ValidationException"]);

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
  /** Bounded: a warm function serving many tenants keeps the recent ones' clients, not every tenant's it ever saw. */
  private readonly perTenant: LRUCache<string, DynamoDBDocumentClient>;
  private readonly now: () => number;

  constructor(private readonly options: DynamoSessionStoreOptions) {
    if (!options.credentialsFor) this.shared = this.client();
    this.perTenant = new LRUCache({ max: options.maxTenantClients ?? 100 });
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
    const client = new DynamoDBClient({ ...awsClientSettings(), ...this.options.clientConfig, ...(credentials ? { credentials } : {}) });
    return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  /** Stores a new session; fails with {@link SessionConflictError} when the id is taken. */
  async create(session: NewSession, signal?: AbortSignal): Promise<Session> {
    const now = this.now();
    const stored: Session = { ...session, createdAt: now, lastSeenAt: now, expiresAt: this.expiry(now) };
    const written = await this.conditionally(signal, (abortSignal) =>
      this.documents(session.tenantId).send(
        new PutCommand({
          TableName: this.options.tableName,
          Item: toItem(stored),
          ConditionExpression: "attribute_not_exists(#session)",
          ExpressionAttributeNames: { "#session": SESSION_KEY },
        }),
        { abortSignal },
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
  async touch(tenantId: string, sessionId: string, signal?: AbortSignal): Promise<Session | undefined> {
    const now = this.now();
    let updated: Record<string, unknown> | undefined;
    const found = await this.conditionally(signal, async (abortSignal) => {
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
        { abortSignal },
      );
      updated = result.Attributes;
    });
    return found && updated ? fromItem(updated) : undefined;
  }

  /** Ends the tenant's session. Returns false when there was none to end. */
  async delete(tenantId: string, sessionId: string, signal?: AbortSignal): Promise<boolean> {
    return this.conditionally(signal, (abortSignal) =>
      this.documents(tenantId).send(
        new DeleteCommand({
          TableName: this.options.tableName,
          Key: key(tenantId, sessionId),
          ConditionExpression: "attribute_exists(#session) AND #ttl > :nowSeconds",
          ExpressionAttributeNames: { "#session": SESSION_KEY, "#ttl": TTL_ATTRIBUTE },
          ExpressionAttributeValues: { ":nowSeconds": Math.floor(this.now() / 1000) },
        }),
        { abortSignal },
      ),
    );
  }

  private expiry(nowMs: number): number {
    return Math.floor(nowMs / 1000) + this.options.ttlSeconds;
  }

  /**
   * Runs a conditional write, ended by `signal`: false when its condition
   * failed; {@link SessionStoreRejectedError} when DynamoDB refused the
   * request as invalid; {@link SessionStoreUnavailableError} when the store
   * failed or did not answer before `signal` aborted. The signal aborts the
   * HTTP request itself, and the wait too, since resolving per-tenant
   * credentials (STS) happens before the request and does not observe it.
   */
  private async conditionally(signal: AbortSignal | undefined, write: (abortSignal: AbortSignal | undefined) => Promise<unknown>): Promise<boolean> {
    try {
      await beforeDeadline(write(signal), signal);
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      if (error instanceof Error && CLIENT_FAULTS.has(error.name)) throw new SessionStoreRejectedError(error);
      throw new SessionStoreUnavailableError(signal?.aborted ? signal.reason : error);
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
    client_name: s.clientName,
    client_version: s.clientVersion,
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
    ...(item.client_name !== undefined && { clientName: item.client_name }),
    ...(item.client_version !== undefined && { clientVersion: item.client_version }),
    createdAt: item.created_at,
    lastSeenAt: item.last_seen_at,
    expiresAt: item[TTL_ATTRIBUTE],
  };
}
