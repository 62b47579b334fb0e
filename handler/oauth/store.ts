/**
 * Where the authorization front keeps what lives between its requests:
 * pending authorizations (until the user has signed in upstream), codes
 * (until the client redeems them, once) and dynamic registrations. Every
 * entry expires. A DynamoDB table on the customer key (dynamo-store.ts); locally, the same in dynalite.
 */
export interface OAuthStore {
  put(kind: OAuthRecordKind, id: string, value: unknown, ttlSeconds: number): Promise<void>;
  /** The entry, unless it expired. */
  get<T>(kind: OAuthRecordKind, id: string): Promise<T | undefined>;
  /** The entry, removed in the same step, so that a second take of the same id (a replayed code) finds nothing. */
  take<T>(kind: OAuthRecordKind, id: string): Promise<T | undefined>;
}

export type OAuthRecordKind = "pending" | "code" | "client";

/**
 * The DynamoDB table's schema, shared with the table the infrastructure creates
 * (modules/people-sign-in.ts): one partition key, and the attribute DynamoDB's TTL removes expired items by.
 */
export const OAUTH_TABLE_KEY = "id";
export const OAUTH_TTL_ATTRIBUTE = "expires_at";
/** What the store does to the table: nothing else is granted. */
export const OAUTH_TABLE_ACTIONS = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"];
