/**
 * Where the authorization front keeps what lives between its requests:
 * pending authorizations (until the user has signed in upstream), codes
 * (until the client redeems them, once) and dynamic registrations. Every
 * entry expires. On AWS this is a DynamoDB table on the customer key;
 * locally, memory.
 */
export interface OAuthStore {
  put(kind: OAuthRecordKind, id: string, value: unknown, ttlSeconds: number): Promise<void>;
  /** The entry, unless it expired. */
  get<T>(kind: OAuthRecordKind, id: string): Promise<T | undefined>;
  /** The entry, removed in the same step, so that a second take of the same id (a replayed code) finds nothing. */
  take<T>(kind: OAuthRecordKind, id: string): Promise<T | undefined>;
}

export type OAuthRecordKind = "pending" | "code" | "client";

/** An {@link OAuthStore} in this process's memory (`npm start`). */
export class MemoryOAuthStore implements OAuthStore {
  private readonly entries = new Map<string, { readonly value: unknown; readonly until: number }>();

  async put(kind: OAuthRecordKind, id: string, value: unknown, ttlSeconds: number): Promise<void> {
    this.entries.set(`${kind}#${id}`, { value: structuredClone(value), until: Date.now() + ttlSeconds * 1000 });
  }

  async get<T>(kind: OAuthRecordKind, id: string): Promise<T | undefined> {
    const entry = this.entries.get(`${kind}#${id}`);
    return entry && entry.until > Date.now() ? (structuredClone(entry.value) as T) : undefined;
  }

  async take<T>(kind: OAuthRecordKind, id: string): Promise<T | undefined> {
    const value = await this.get<T>(kind, id);
    this.entries.delete(`${kind}#${id}`);
    return value;
  }
}
