import { createHash } from "node:crypto";
import { ConditionalCheckFailedException, DynamoDBClient, type DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { awsClientSettings } from "../aws-clients.js";
import { OAUTH_TABLE_KEY, OAUTH_TTL_ATTRIBUTE, type OAuthRecordKind, type OAuthStore } from "./store.js";

/** Options of {@link DynamoOAuthStore}. */
export interface DynamoOAuthStoreOptions {
  readonly tableName: string;
  /** DynamoDB client settings (endpoint for dynalite, region), over the timeouts and retries of {@link awsClientSettings}. */
  readonly clientConfig?: DynamoDBClientConfig;
  /** Clock, epoch milliseconds; tests move it. */
  readonly now?: () => number;
}

/**
 * The front's pending authorizations, codes and registrations in DynamoDB
 * (the table is encrypted with the customer key and expires items by TTL).
 * Items are keyed by a hash of their id, so that reading the table gives no
 * code or state that could be presented; a code is taken with one
 * conditional delete, so two redemptions of it cannot both succeed. DynamoDB
 * removes expired items lazily, so reads treat a past expiry as gone.
 */
export class DynamoOAuthStore implements OAuthStore {
  private readonly documents: DynamoDBDocumentClient;
  private readonly now: () => number;

  constructor(private readonly options: DynamoOAuthStoreOptions) {
    this.documents = DynamoDBDocumentClient.from(new DynamoDBClient({ ...awsClientSettings(), ...options.clientConfig }), { marshallOptions: { removeUndefinedValues: true } });
    this.now = options.now ?? Date.now;
  }

  async put(kind: OAuthRecordKind, id: string, value: unknown, ttlSeconds: number): Promise<void> {
    await this.documents.send(
      new PutCommand({
        TableName: this.options.tableName,
        Item: { [OAUTH_TABLE_KEY]: key(kind, id), value: JSON.stringify(value), [OAUTH_TTL_ATTRIBUTE]: Math.floor(this.now() / 1000) + ttlSeconds },
      }),
    );
  }

  async get<T>(kind: OAuthRecordKind, id: string): Promise<T | undefined> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.options.tableName, Key: { [OAUTH_TABLE_KEY]: key(kind, id) }, ConsistentRead: true }));
    return Item && Item[OAUTH_TTL_ATTRIBUTE] > this.now() / 1000 ? (JSON.parse(Item.value as string) as T) : undefined;
  }

  async take<T>(kind: OAuthRecordKind, id: string): Promise<T | undefined> {
    try {
      const { Attributes } = await this.documents.send(
        new DeleteCommand({
          TableName: this.options.tableName,
          Key: { [OAUTH_TABLE_KEY]: key(kind, id) },
          ConditionExpression: "#expires > :now",
          ExpressionAttributeNames: { "#expires": OAUTH_TTL_ATTRIBUTE },
          ExpressionAttributeValues: { ":now": Math.floor(this.now() / 1000) },
          ReturnValues: "ALL_OLD",
        }),
      );
      return Attributes ? (JSON.parse(Attributes.value as string) as T) : undefined;
    } catch (error) {
      // Absent (never issued, taken already) or expired: nothing to take.
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }
}

/** `kind#SHA-256(id)`: what the table holds instead of the id. */
function key(kind: OAuthRecordKind, id: string): string {
  return `${kind}#${createHash("sha256").update(id).digest("base64url")}`;
}
