/*
 * What the application knows of sessions, without the AWS SDK: a function
 * with sessions off never loads DynamoDB's client (see config.ts).
 */

/** An MCP session as stored: bound to the tenant and principal that created it. */
export interface Session {
  readonly tenantId: string;
  readonly sessionId: string;
  /** The verified caller (token `sub`). */
  readonly principal: string;
  /** The protocol revision negotiated by `initialize`. */
  readonly protocolVersion: string;
  readonly clientInfo: Record<string, unknown>;
  readonly capabilities: Record<string, unknown>;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  /** Epoch milliseconds of the last request that used the session. */
  readonly lastSeenAt: number;
  /** Epoch seconds after which the session is gone (the table's TTL attribute). */
  readonly expiresAt: number;
}

/** What `initialize` knows about a new session. */
export type NewSession = Omit<Session, "createdAt" | "lastSeenAt" | "expiresAt">;

/** The store cannot be reached or keeps failing: the request should be answered 503 and retried later. */
export class SessionStoreUnavailableError extends Error {
  constructor(cause: unknown) {
    super("The session store is unavailable", { cause });
    this.name = "SessionStoreUnavailableError";
  }
}

/** A session id is already taken (ids are random, so this means a bug or an attack, never a normal race). */
export class SessionConflictError extends Error {
  constructor(readonly sessionId: string) {
    super(`Session id ${sessionId} is already in use`);
    this.name = "SessionConflictError";
  }
}

/** What the application asks of a session store (DynamoSessionStore in session-store.ts). */
export interface SessionStore {
  /** Stores a new session; fails with {@link SessionConflictError} when the id is taken. */
  create(session: NewSession): Promise<Session>;
  /** Records a use of the tenant's live session and returns it; undefined when there is none. */
  touch(tenantId: string, sessionId: string): Promise<Session | undefined>;
  /** Ends the tenant's session; false when there was none to end. */
  delete(tenantId: string, sessionId: string): Promise<boolean>;
}

/** A new session id: 256 random bits, base64url (visible ASCII only, as Streamable HTTP requires). */
export function newSessionId(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");
}
