import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type AttributeValue, DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { Deadline } from "../handler/deadline.js";
import { DynamoSessionStore } from "../handler/session-store.js";
import { clientOf, NewSession, newSessionId, SESSION_LIMITS, SessionConflictError, SessionStoreRejectedError, SessionStoreUnavailableError } from "../handler/sessions.js";
import { SESSION_KEY, TENANT_KEY } from "../handler/session-schema.js";
import { LocalDynamo, startLocalDynamo } from "../handler/local/dynamo.js";
import { startBlackhole } from "./support/blackhole.js";

/** Session store against dynalite, an embedded DynamoDB-compatible server (no mock). */
let dynamo: LocalDynamo;
let store: DynamoSessionStore;
let clock: number;

const TTL = 600;
const session = (overrides: Partial<NewSession> = {}): NewSession => ({
  tenantId: "acme",
  sessionId: newSessionId(),
  principal: "client-acme",
  protocolVersion: "2025-06-18",
  clientName: "test-client",
  clientVersion: "1.0.0",
  ...overrides,
});

beforeAll(async () => {
  dynamo = await startLocalDynamo();
});
afterAll(() => dynamo?.stop());
beforeEach(async () => {
  clock = Date.UTC(2026, 10, 25, 12, 0, 0);
  store = new DynamoSessionStore({ tableName: await dynamo.createSessionsTable(), ttlSeconds: TTL, clientConfig: dynamo.clientConfig, now: () => clock });
});

describe("DynamoSessionStore", () => {
  it("creates a session and reads it back with everything initialize knew", async () => {
    const created = await store.create(session({ sessionId: "s-1" }));
    expect(created).toMatchObject({ createdAt: clock, lastSeenAt: clock, expiresAt: clock / 1000 + TTL });
    expect(await store.touch("acme", "s-1")).toEqual(created);
  });

  it("answers another tenant's session exactly like a missing one", async () => {
    await store.create(session({ sessionId: "s-1", tenantId: "acme" }));
    expect(await store.touch("globex", "s-1")).toBeUndefined();
    expect(await store.touch("acme", "unknown")).toBeUndefined();
    expect(await store.delete("globex", "s-1")).toBe(false);
    expect(await store.touch("acme", "s-1")).toBeDefined();
  });

  it("treats a session past its TTL as gone, before DynamoDB's lazy sweep removes it", async () => {
    await store.create(session({ sessionId: "s-1" }));
    await store.create(session({ sessionId: "s-2" }));
    clock += (TTL - 1) * 1000;
    expect(await store.touch("acme", "s-1")).toBeDefined();
    clock += 2000;
    expect(await store.touch("acme", "s-2")).toBeUndefined();
    expect(await store.delete("acme", "s-2")).toBe(false);
  });

  it("moves the expiry ahead on every use", async () => {
    await store.create(session({ sessionId: "s-1" }));
    clock += (TTL - 10) * 1000;
    expect(await store.touch("acme", "s-1")).toMatchObject({ protocolVersion: "2025-06-18", lastSeenAt: clock, expiresAt: clock / 1000 + TTL });
    clock += (TTL - 10) * 1000;
    // Past the first expiry, alive because of the use in between.
    expect(await store.touch("acme", "s-1")).toMatchObject({ lastSeenAt: clock });
  });

  it("deletes a session once; a deleted session is gone and cannot be touched back to life", async () => {
    await store.create(session({ sessionId: "s-1" }));
    expect(await store.delete("acme", "s-1")).toBe(true);
    expect(await store.delete("acme", "s-1")).toBe(false);
    expect(await store.touch("acme", "s-1")).toBeUndefined();
    expect(await store.touch("acme", "s-1")).toBeUndefined();
  });

  it("never reuses a session id: a second create of the same id is a conflict", async () => {
    await store.create(session({ sessionId: "s-1" }));
    await expect(store.create(session({ sessionId: "s-1", principal: "someone-else" }))).rejects.toBeInstanceOf(SessionConflictError);
    expect(await store.touch("acme", "s-1")).toMatchObject({ principal: "client-acme" });
  });

  it("lets exactly one of concurrent initializes with the same id win", async () => {
    const attempts = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => store.create(session({ sessionId: "s-race", principal: `p${i}` }))));
    expect(attempts.filter((a) => a.status === "fulfilled")).toHaveLength(1);
    for (const a of attempts.filter((a) => a.status === "rejected")) expect((a as PromiseRejectedResult).reason).toBeInstanceOf(SessionConflictError);
  });

  it("keeps concurrent initializes with distinct ids apart", async () => {
    const created = await Promise.all(Array.from({ length: 8 }, () => store.create(session())));
    expect(new Set(created.map((s) => s.sessionId)).size).toBe(8);
    for (const s of created) expect(await store.touch("acme", s.sessionId)).toBeDefined();
  });

  it("fails with SessionStoreUnavailableError when the store cannot be reached (stopped server)", async () => {
    const stopped = await startLocalDynamo();
    const table = await stopped.createSessionsTable();
    const unreachable = new DynamoSessionStore({ tableName: table, ttlSeconds: TTL, clientConfig: { ...stopped.clientConfig, maxAttempts: 2 } });
    await stopped.stop();
    await expect(unreachable.create(session())).rejects.toBeInstanceOf(SessionStoreUnavailableError);
    await expect(unreachable.touch("acme", "s-1")).rejects.toBeInstanceOf(SessionStoreUnavailableError);
    await expect(unreachable.delete("acme", "s-1")).rejects.toBeInstanceOf(SessionStoreUnavailableError);
  });
});

describe("what a session item holds", () => {
  /**
   * An item's size as DynamoDB counts it for write units: each attribute's
   * name and value in UTF-8; a number at most 21 bytes, which bounds it from
   * above (DynamoDB: "Item sizes and formats").
   */
  function itemBytes(item: Record<string, AttributeValue>): number {
    return Object.entries(item).reduce((bytes, [name, value]) => bytes + Buffer.byteLength(name) + (value.S !== undefined ? Buffer.byteLength(value.S) : 21), 0);
  }

  it("keeps only the client's name and version, trimmed at a character boundary, so the largest item stays under 1 KB (one write unit)", async () => {
    const table = await dynamo.createSessionsTable();
    const bounded = new DynamoSessionStore({ tableName: table, ttlSeconds: TTL, clientConfig: dynamo.clientConfig });
    const largest = {
      tenantId: "t".repeat(256),
      sessionId: newSessionId(),
      principal: "p".repeat(SESSION_LIMITS.principalBytes),
      protocolVersion: "2025-11-25",
      // Three bytes a character in UTF-8, and a lone surrogate DynamoDB could not store.
      ...clientOf({ name: `${"名".repeat(200)}\ud800`, version: "\ud800".concat("v".repeat(500)), extra: { huge: "x".repeat(100_000) } }),
    };
    expect(Buffer.byteLength(largest.clientName!)).toBeLessThanOrEqual(SESSION_LIMITS.clientNameBytes);
    expect(largest.clientName).toBe("名".repeat(42));
    expect(largest.clientVersion).toBe(`\ufffd${"v".repeat(61)}`);
    await bounded.create(largest);
    const { Item } = await new DynamoDBClient(dynamo.clientConfig).send(new GetItemCommand({ TableName: table, Key: { [TENANT_KEY]: { S: largest.tenantId }, [SESSION_KEY]: { S: largest.sessionId } } }));
    expect(Object.keys(Item!).sort()).toEqual(["client_name", "client_version", "created_at", "expires_at", "last_seen_at", "principal", "protocol_version", SESSION_KEY, TENANT_KEY].sort());
    expect(itemBytes(Item!)).toBeLessThan(1024);
  });

  it("leaves out a client name or version that is not text", () => {
    expect(clientOf({ name: 42, version: { a: 1 } })).toEqual({});
    expect(clientOf(undefined)).toEqual({});
  });
});

describe("store failures: client faults are told from outages, and nothing waits forever", () => {
  it("a request DynamoDB refuses as invalid is the client's fault (SessionStoreRejectedError), named by its AWS error name", async () => {
    const error = await store.touch("acme", "x".repeat(1025)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SessionStoreRejectedError);
    expect((error as SessionStoreRejectedError).causeName).toBe("ValidationException");
  });

  it("a refused connection is an outage, named by its system error code", async () => {
    const stopped = await startLocalDynamo();
    const table = await stopped.createSessionsTable();
    await stopped.stop();
    const unreachable = new DynamoSessionStore({ tableName: table, ttlSeconds: TTL, clientConfig: { ...stopped.clientConfig, maxAttempts: 1 } });
    const error = await unreachable.touch("acme", newSessionId()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SessionStoreUnavailableError);
    expect((error as SessionStoreUnavailableError).causeName).toBe("ECONNREFUSED");
  });

  it("an endpoint that accepts and never answers: the client's own request timeout ends the call (no deadline given)", async () => {
    const blackhole = await startBlackhole();
    try {
      const silent = new DynamoSessionStore({ tableName: "mcp-sessions", ttlSeconds: TTL, clientConfig: { ...dynamo.clientConfig, endpoint: blackhole.endpoint, maxAttempts: 1 } });
      const started = performance.now();
      const error = await silent.touch("acme", newSessionId()).catch((e: unknown) => e);
      expect(performance.now() - started).toBeLessThan(4_000);
      expect(error).toBeInstanceOf(SessionStoreUnavailableError);
      expect((error as SessionStoreUnavailableError).causeName).toBe("TimeoutError");
      expect(blackhole.connections()).toBe(1);
    } finally {
      await blackhole.close();
    }
  });

  it("an endpoint that accepts and never answers: the request's deadline ends the call and its retries at once", async () => {
    const blackhole = await startBlackhole();
    try {
      const silent = new DynamoSessionStore({ tableName: "mcp-sessions", ttlSeconds: TTL, clientConfig: { ...dynamo.clientConfig, endpoint: blackhole.endpoint } });
      const started = performance.now();
      const deadline = new Deadline(Date.now() + 200);
      const error = await silent.create(session(), deadline.signal).catch((e: unknown) => e);
      expect(performance.now() - started).toBeLessThan(1_000);
      expect(error).toBeInstanceOf(SessionStoreUnavailableError);
      expect((error as SessionStoreUnavailableError).causeName).toBe("DeadlineExceededError");
    } finally {
      await blackhole.close();
    }
  });
});

describe("newSessionId", () => {
  it("is 256 random bits in visible ASCII", () => {
    const ids = new Set(Array.from({ length: 1000 }, newSessionId));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^[\x21-\x7e]{43}$/);
  });
});
