import { ScanCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoOAuthStore } from "../handler/oauth/dynamo-store.js";
import type { OAuthStore } from "../handler/oauth/store.js";
import { type LocalDynamo, startLocalDynamo } from "../handler/local/dynamo.js";

/**
 * The authorization front's store in DynamoDB (dynalite, as `npm start` runs
 * it): what the front's single-use codes and expiring sign-ins rely on.
 */
let dynamo: LocalDynamo;
let table: string;
let clock = Date.now();

beforeAll(async () => {
  dynamo = await startLocalDynamo();
  table = await dynamo.createOAuthTable();
});
afterAll(() => dynamo?.stop());

describe("the OAuth store", () => {
  const make = (): OAuthStore => new DynamoOAuthStore({ tableName: table, clientConfig: dynamo.clientConfig, now: () => clock });
  it("gives an entry back until it expires, and takes it once: a second take, even at the same time, finds nothing", async () => {
    const store = make();
    await store.put("code", "c1", { clientId: "x", n: 1 }, 60);
    expect(await store.get("code", "c1")).toEqual({ clientId: "x", n: 1 });
    expect(await store.get("pending", "c1")).toBeUndefined();
    const takes = await Promise.all([store.take("code", "c1"), store.take("code", "c1"), store.take("code", "c1")]);
    expect(takes.filter(Boolean)).toEqual([{ clientId: "x", n: 1 }]);
    expect(await store.take("code", "c1")).toBeUndefined();
  });

  it("treats an entry past its time as gone, before DynamoDB's TTL has removed it", async () => {
    const store = make();
    await store.put("pending", "p1", { state: "s" }, 60);
    clock += 61_000;
    expect(await store.get("pending", "p1")).toBeUndefined();
    expect(await store.take("pending", "p1")).toBeUndefined();
  });
});

describe("the OAuth table in DynamoDB", () => {
  it("holds a hash of each id, never the id: reading the table gives no code to present", async () => {
    const store = new DynamoOAuthStore({ tableName: table, clientConfig: dynamo.clientConfig });
    const code = "code-value-that-must-not-be-stored-0123456789";
    await store.put("code", code, { clientId: "x" }, 60);
    const { Items } = await new DynamoDBClient(dynamo.clientConfig).send(new ScanCommand({ TableName: table }));
    expect(JSON.stringify(Items)).not.toContain(code);
    expect(Items!.some((item) => item.id.S!.startsWith("code#"))).toBe(true);
  });
});
