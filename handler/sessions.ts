/*
 * What the application knows of sessions, without the AWS SDK: a function
 * with sessions off never loads DynamoDB's client (see config.ts).
 */

/**
 * An MCP session as stored: bound to the tenant and principal that created
 * it. It keeps only what the server needs, each part bounded, so that an
 * item stays under 1 KB and every `UpdateItem` on it costs one write unit
 * (docs/security.md, "Session items"); never the client's `capabilities` or
 * whole `clientInfo`, which a client could fill with anything.
 */
export interface Session {
  readonly tenantId: string;
  readonly sessionId: string;
  /** The verified caller (token `sub`), at most {@link SESSION_LIMITS}.principalBytes. */
  readonly principal: string;
  /** The protocol revision negotiated by `initialize`. */
  readonly protocolVersion: string;
  /** `clientInfo.name` from initialize, trimmed to {@link SESSION_LIMITS}.clientNameBytes; for operators. */
  readonly clientName?: string;
  /** `clientInfo.version` from initialize, trimmed to {@link SESSION_LIMITS}.clientVersionBytes. */
  readonly clientVersion?: string;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  /** Epoch milliseconds of the last request that used the session. */
  readonly lastSeenAt: number;
  /** Epoch seconds after which the session is gone (the table's TTL attribute). */
  readonly expiresAt: number;
}

/** What `initialize` knows about a new session. */
export type NewSession = Omit<Session, "createdAt" | "lastSeenAt" | "expiresAt">;

/**
 * The bounds on what a session item holds, in UTF-8 bytes. With a tenant of
 * at most 256 characters (the tenant pattern) and a 43-character id, an item
 * holds at most about 900 bytes: under DynamoDB's 1 KB write unit.
 */
export const SESSION_LIMITS = { principalBytes: 256, clientNameBytes: 128, clientVersionBytes: 64 } as const;

/** The name and version a client gave in `initialize`, trimmed to the session's bounds; anything that is not text is left out. */
export function clientOf(clientInfo: unknown): Pick<NewSession, "clientName" | "clientVersion"> {
  const { name, version } = (clientInfo ?? {}) as { name?: unknown; version?: unknown };
  return {
    ...(typeof name === "string" && { clientName: trimUtf8(name, SESSION_LIMITS.clientNameBytes) }),
    ...(typeof version === "string" && { clientVersion: trimUtf8(version, SESSION_LIMITS.clientVersionBytes) }),
  };
}

/** `text` cut to at most `maxBytes` of UTF-8, at a character boundary; lone surrogates, which DynamoDB cannot store, become U+FFFD. */
export function trimUtf8(text: string, maxBytes: number): string {
  const wellFormed = text.toWellFormed();
  const { read } = new TextEncoder().encodeInto(wellFormed, new Uint8Array(maxBytes));
  return wellFormed.slice(0, read);
}

/** A session store call that failed, with what lay behind it. */
abstract class SessionStoreFailure extends Error {
  /** What failed, for the log: the AWS error name, a system error code, or a class name; never a message, which may quote data. */
  readonly causeName: string;
  constructor(message: string, cause: unknown) {
    super(message, { cause });
    this.causeName = nameOf(cause);
  }
}

/**
 * The store did not answer in time, cannot be reached or keeps failing
 * (throttling, network, a 5xx, access denied): the request should be
 * answered 503 and retried later.
 */
export class SessionStoreUnavailableError extends SessionStoreFailure {
  constructor(cause: unknown) {
    super("The session store is unavailable", cause);
    this.name = "SessionStoreUnavailableError";
  }
}

/** The store refused a request as invalid (a validation error): a client fault, answered 400, never 503. */
export class SessionStoreRejectedError extends SessionStoreFailure {
  constructor(cause: unknown) {
    super("The session store refused the request as invalid", cause);
    this.name = "SessionStoreRejectedError";
  }
}

/** A session id is already taken (ids are random, so this means a bug or an attack, never a normal race). */
export class SessionConflictError extends Error {
  constructor(readonly sessionId: string) {
    super("The session id is already in use");
    this.name = "SessionConflictError";
  }
}

/**
 * What the application asks of a session store (DynamoSessionStore in
 * session-store.ts). Each call ends when `signal` aborts (the request's
 * deadline), with a {@link SessionStoreUnavailableError}.
 */
export interface SessionStore {
  /** Stores a new session; fails with {@link SessionConflictError} when the id is taken. */
  create(session: NewSession, signal?: AbortSignal): Promise<Session>;
  /** Records a use of the tenant's live session and returns it; undefined when there is none. */
  touch(tenantId: string, sessionId: string, signal?: AbortSignal): Promise<Session | undefined>;
  /** Ends the tenant's session; false when there was none to end. */
  delete(tenantId: string, sessionId: string, signal?: AbortSignal): Promise<boolean>;
}

/** A new session id: 256 random bits, base64url (visible ASCII only, as Streamable HTTP requires). */
export function newSessionId(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");
}

/** What {@link newSessionId} issues: 43 base64url characters. */
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

/** Whether `value` has the form of an id this server issues; any other value names no session, and the store is never asked. */
export function isSessionId(value: string): boolean {
  return SESSION_ID.test(value);
}

/** An error's AWS error name (the SDK sets `name` to it), system error code (`ECONNREFUSED`), or class. */
function nameOf(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  const code = (error as { code?: unknown }).code;
  return error.name === "Error" && typeof code === "string" ? code : error.name;
}
