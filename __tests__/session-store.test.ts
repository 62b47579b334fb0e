import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DynamoSessionStore } from "../handler/session-store.js";
import { NewSession, newSessionId, SessionConflictError, SessionStoreUnavailableError } from "../handler/sessions.js";
import { LocalDynamo, startLocalDynamo } from "../handler/local/dynamo.js";

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
  clientInfo: { name: "test-client", version: "1.0.0" },
  capabilities: { roots: {} },
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

describe("newSessionId", () => {
  it("is 256 random bits in visible ASCII", () => {
    const ids = new Set(Array.from({ length: 1000 }, newSessionId));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^[\x21-\x7e]{43}$/);
  });
});
