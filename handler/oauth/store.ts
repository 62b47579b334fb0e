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
