import { createServer, request as httpRequest, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Deadline } from "../handler/deadline.js";
import { DynamoSessionStore } from "../handler/session-store.js";
import { newSessionId, SessionStoreUnavailableError } from "../handler/sessions.js";
import { TenantCredentials } from "../handler/tenant-credentials.js";
import { LocalDynamo, startLocalDynamo } from "../handler/local/dynamo.js";
import { startBlackhole } from "./support/blackhole.js";

/**
 * Per-tenant credentials for the sessions table. STS itself cannot run here,
 * so a stand-in answers AssumeRole (STS's query protocol) and records the
 * session tags it was asked for; DynamoDB calls go to dynalite through a
 * recording proxy that reads the access key each call was signed with and the
 * tenant key it touched.
 */
interface AssumeRoleCall {
  roleArn: string;
  sessionName: string;
  tags: Record<string, string>;
}
const assumeCalls: AssumeRoleCall[] = [];
const dynamoCalls: { accessKey: string; tenant: string | undefined }[] = [];
let stsServer: Server;
let proxy: Server;
let dynamo: LocalDynamo;
let stsEndpoint: string;
let dynamoEndpoint: string;

const read = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c));
    req.on("end", () => resolve(body));
  });

const listen = async (server: Server) => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

beforeAll(async () => {
  stsServer = createServer(async (req, res) => {
    const form = new URLSearchParams(await read(req));
    const tags: Record<string, string> = {};
    for (let i = 1; form.has(`Tags.member.${i}.Key`); i++) tags[form.get(`Tags.member.${i}.Key`)!] = form.get(`Tags.member.${i}.Value`)!;
    assumeCalls.push({ roleArn: form.get("RoleArn")!, sessionName: form.get("RoleSessionName")!, tags });
    // The access key names the tenant it was issued for, so the proxy can tell whose key signed each call.
    const expiration = new Date(Date.now() + Number(form.get("DurationSeconds") ?? 900) * 1000).toISOString();
    res.writeHead(200, { "content-type": "text/xml" });
    res.end(`<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials>
      <AccessKeyId>ASIA-${tags.tenant_id}-${assumeCalls.length}</AccessKeyId><SecretAccessKey>secret</SecretAccessKey><SessionToken>token</SessionToken>
      <Expiration>${expiration}</Expiration></Credentials>
      <AssumedRoleUser><AssumedRoleId>AROAEXAMPLE:${form.get("RoleSessionName")}</AssumedRoleId><Arn>arn:aws:sts::111122223333:assumed-role/tenant-access/x</Arn></AssumedRoleUser>
      </AssumeRoleResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></AssumeRoleResponse>`);
  });
  stsEndpoint = await listen(stsServer);
  dynamo = await startLocalDynamo();
  const target = new URL(dynamo.endpoint);
  proxy = createServer(async (req, res) => {
    const body = await read(req);
    const accessKey = /Credential=([^/]+)\//.exec(req.headers.authorization ?? "")?.[1] ?? "";
    const parsed = JSON.parse(body || "{}") as { Key?: { tenant_id?: { S: string } }; Item?: { tenant_id?: { S: string } } };
    dynamoCalls.push({ accessKey, tenant: (parsed.Key ?? parsed.Item)?.tenant_id?.S });
    const forward = httpRequest({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (upstream) => {
      res.writeHead(upstream.statusCode ?? 500, upstream.headers);
      upstream.pipe(res);
    });
    forward.end(body);
  });
  dynamoEndpoint = await listen(proxy);
});
afterAll(async () => {
  await new Promise((r) => stsServer?.close(r));
  await new Promise((r) => proxy?.close(r));
  await dynamo?.stop();
});

const ROLE = "arn:aws:iam::111122223333:role/mcp-server-tenant-access";
const stsConfig = () => ({ endpoint: stsEndpoint, region: "us-east-1", credentials: { accessKeyId: "FUNCTION-ROLE", secretAccessKey: "x" } });

describe("per-tenant credentials", () => {
  it("assumes the tenant-access role tagged with exactly the tenant, and caches per tenant", async () => {
    assumeCalls.length = 0;
    const credentials = new TenantCredentials({ roleArn: ROLE, stsConfig: stsConfig() });
    const a1 = await credentials.forTenant("acme")();
    const a2 = await credentials.forTenant("acme")();
    const g = await credentials.forTenant("globex")();
    expect(a1.accessKeyId).toBe(a2.accessKeyId);
    expect(a1.accessKeyId).toMatch(/^ASIA-acme-/);
    expect(g.accessKeyId).toMatch(/^ASIA-globex-/);
    expect(assumeCalls).toEqual([
      { roleArn: ROLE, sessionName: expect.stringMatching(/^mcp-tenant-[0-9a-f]{32}$/), tags: { tenant_id: "acme" } },
      { roleArn: ROLE, sessionName: expect.stringMatching(/^mcp-tenant-[0-9a-f]{32}$/), tags: { tenant_id: "globex" } },
    ]);
  });

  it("renews shortly before expiry", async () => {
    assumeCalls.length = 0;
    let clock = Date.now();
    const credentials = new TenantCredentials({ roleArn: ROLE, stsConfig: stsConfig(), now: () => clock, durationSeconds: 900, refreshMarginMs: 60_000 });
    await credentials.forTenant("acme")();
    clock += 800_000;
    await credentials.forTenant("acme")();
    expect(assumeCalls).toHaveLength(1);
    clock += 60_000;
    await credentials.forTenant("acme")();
    expect(assumeCalls).toHaveLength(2);
  });

  it("signs every session read and write of tenant A with A's credentials, never B's", async () => {
    dynamoCalls.length = 0;
    const credentials = new TenantCredentials({ roleArn: ROLE, stsConfig: stsConfig() });
    const table = await dynamo.createSessionsTable();
    const store = new DynamoSessionStore({
      tableName: table,
      ttlSeconds: 600,
      clientConfig: { endpoint: dynamoEndpoint, region: "us-east-1" },
      credentialsFor: (tenant) => credentials.forTenant(tenant),
    });
    const session = (tenantId: string) => ({ tenantId, sessionId: newSessionId(), principal: tenantId, protocolVersion: "2025-06-18" });
    const [a, b] = await Promise.all([store.create(session("acme")), store.create(session("globex"))]);
    await Promise.all([store.touch("acme", a.sessionId), store.touch("globex", b.sessionId), store.delete("globex", b.sessionId).then(() => undefined)]);
    // A tenant asking for another tenant's session still signs with its own credentials and names its own tenant key.
    expect(await store.touch("globex", a.sessionId)).toBeUndefined();

    expect(dynamoCalls).toHaveLength(6);
    for (const call of dynamoCalls) expect(call.accessKey, JSON.stringify(call)).toMatch(new RegExp(`^ASIA-${call.tenant}-`));
  });
});

describe("bounds", () => {
  it("keeps the credentials of the most recently served tenants only (least recently used go first)", async () => {
    assumeCalls.length = 0;
    const credentials = new TenantCredentials({ roleArn: ROLE, stsConfig: stsConfig(), maxTenants: 2 });
    for (const tenant of ["a", "b", "a", "c", "a", "b"]) await credentials.forTenant(tenant)();
    // "b" was evicted by "c" (the least recently used then), so it is assumed again; "a" never was.
    expect(assumeCalls.map((call) => call.tags.tenant_id)).toEqual(["a", "b", "c", "b"]);
  });

  it("keeps the DynamoDB clients of the most recently served tenants only", async () => {
    const built: string[] = [];
    const credentials = new TenantCredentials({ roleArn: ROLE, stsConfig: stsConfig() });
    const store = new DynamoSessionStore({
      tableName: await dynamo.createSessionsTable(),
      ttlSeconds: 600,
      clientConfig: { endpoint: dynamoEndpoint, region: "us-east-1" },
      credentialsFor: (tenant) => (built.push(tenant), credentials.forTenant(tenant)),
      maxTenantClients: 2,
    });
    for (const tenant of ["a", "b", "a", "c", "b"]) await store.touch(tenant, newSessionId());
    expect(built).toEqual(["a", "b", "c", "b"]);
  });

  it("an STS endpoint that accepts and never answers: the client's own request timeout ends AssumeRole", async () => {
    const blackhole = await startBlackhole();
    try {
      const credentials = new TenantCredentials({ roleArn: ROLE, stsConfig: { ...stsConfig(), endpoint: blackhole.endpoint, maxAttempts: 1 } });
      const started = performance.now();
      await expect(credentials.forTenant("acme")()).rejects.toMatchObject({ name: "TimeoutError" });
      expect(performance.now() - started).toBeLessThan(4_000);
    } finally {
      await blackhole.close();
    }
  });

  it("an STS endpoint that never answers: a session request still ends at its deadline, though credentials are resolved before DynamoDB is called", async () => {
    const blackhole = await startBlackhole();
    try {
      const credentials = new TenantCredentials({ roleArn: ROLE, stsConfig: { ...stsConfig(), endpoint: blackhole.endpoint } });
      const store = new DynamoSessionStore({
        tableName: await dynamo.createSessionsTable(),
        ttlSeconds: 600,
        clientConfig: { endpoint: dynamoEndpoint, region: "us-east-1" },
        credentialsFor: (tenant) => credentials.forTenant(tenant),
      });
      const started = performance.now();
      const error = await store.touch("acme", newSessionId(), new Deadline(Date.now() + 300).signal).catch((e: unknown) => e);
      expect(performance.now() - started).toBeLessThan(1_000);
      expect(error).toBeInstanceOf(SessionStoreUnavailableError);
      expect((error as SessionStoreUnavailableError).causeName).toBe("DeadlineExceededError");
    } finally {
      await blackhole.close();
    }
  });
});
