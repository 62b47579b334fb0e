import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import dynalite from "dynalite";
import { OAUTH_TABLE_KEY } from "../oauth/store.js";
import { SESSION_ID_INDEX, SESSION_KEY, TENANT_KEY } from "../session-schema.js";

/** Client settings that reach a local DynamoDB (credentials are required by the SDK, never checked). */
export interface LocalDynamoConfig {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** An embedded DynamoDB-compatible server (dynalite, in memory) on a free loopback port. */
export interface LocalDynamo {
  readonly endpoint: string;
  readonly clientConfig: LocalDynamoConfig;
  /**
   * Creates a sessions table with the schema the infrastructure deploys and
   * returns its name. dynalite has no TTL sweeper, like DynamoDB's lazy one:
   * expiry is the store's own reading of `expires_at`.
   */
  createSessionsTable(name?: string): Promise<string>;
  /** Creates a table shaped like the authorization front's (handler/oauth/dynamo-store.ts); returns its name. */
  createOAuthTable(name?: string): Promise<string>;
  /** How many DynamoDB API requests it has received so far (for counting round trips). */
  requests(): number;
  stop(): Promise<void>;
}

let tables = 0;

/** Starts dynalite in memory; stop() it when done. */
export async function startLocalDynamo(): Promise<LocalDynamo> {
  const server: Server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let requests = 0;
  server.on("request", () => requests++);
  const clientConfig = { endpoint, region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } };
  return {
    endpoint,
    clientConfig,
    async createSessionsTable(name = `mcp-sessions-${++tables}`) {
      await new DynamoDBClient(clientConfig).send(
        new CreateTableCommand({
          TableName: name,
          BillingMode: "PAY_PER_REQUEST",
          AttributeDefinitions: [
            { AttributeName: TENANT_KEY, AttributeType: "S" },
            { AttributeName: SESSION_KEY, AttributeType: "S" },
          ],
          KeySchema: [
            { AttributeName: TENANT_KEY, KeyType: "HASH" },
            { AttributeName: SESSION_KEY, KeyType: "RANGE" },
          ],
          GlobalSecondaryIndexes: [{ IndexName: SESSION_ID_INDEX, KeySchema: [{ AttributeName: SESSION_KEY, KeyType: "HASH" }], Projection: { ProjectionType: "KEYS_ONLY" } }],
        }),
      );
      return name;
    },
    async createOAuthTable(name = `mcp-oauth-${++tables}`) {
      await new DynamoDBClient(clientConfig).send(
        new CreateTableCommand({
          TableName: name,
          BillingMode: "PAY_PER_REQUEST",
          AttributeDefinitions: [{ AttributeName: OAUTH_TABLE_KEY, AttributeType: "S" }],
          KeySchema: [{ AttributeName: OAUTH_TABLE_KEY, KeyType: "HASH" }],
        }),
      );
      return name;
    },
    requests: () => requests,
    stop: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
