import { describe, expect, it, vi } from "vitest";
import { optionsFromEnvironment } from "../handler/config.js";
import { startLocalDynamo } from "../handler/local/dynamo.js";
import { Deadline } from "../handler/deadline.js";
import type { SessionStoreUnavailableError } from "../handler/sessions.js";
import { startBlackhole } from "./support/blackhole.js";

/** As on Lambda: the AWS SDK takes its DynamoDB endpoint, region and credentials from the process environment. */
function stubAwsEnvironment(dynamoEndpoint: string): void {
  vi.stubEnv("AWS_ENDPOINT_URL_DYNAMODB", dynamoEndpoint);
  vi.stubEnv("AWS_REGION", "us-east-1");
  vi.stubEnv("AWS_ACCESS_KEY_ID", "local");
  vi.stubEnv("AWS_SECRET_ACCESS_KEY", "local");
}

/** The handler's settings, as the infrastructure sets them in the function's environment. */
describe("optionsFromEnvironment", () => {
  it("reads every setting the stack sets", () => {
    const options = optionsFromEnvironment({
      MCP_TENANT_CLAIM: "tenant_id",
      MCP_ISSUER: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123",
      MCP_RESOURCE_URL: "https://mcp.example.com/mcp",
      MCP_SCOPES: "mcp/invoke",
      MCP_ALLOWED_ORIGINS: "https://a.example.com, https://b.example.com",
      MCP_CLIENT_IDS: "1example23456789abcdefghij,2example23456789abcdefghij",
      MCP_ORIGIN_VERIFY_SECRET: "s",
      MCP_SESSIONS_TABLE: "mcp-server-sessions",
      MCP_SESSION_TTL_SECONDS: "3600",
    });
    expect(options).toMatchObject({
      tenantClaim: "tenant_id",
      issuer: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123",
      resourceUrl: "https://mcp.example.com/mcp",
      scopes: ["mcp/invoke"],
      allowedOrigins: ["https://a.example.com", "https://b.example.com"],
      allowedClients: ["1example23456789abcdefghij", "2example23456789abcdefghij"],
      originVerifySecret: "s",
    });
    expect(Object.keys(options.sessions!).sort()).toEqual(["create", "delete", "touch"]);
  });

  it("loads the DynamoDB store on the first session request, then reads and writes the table", async () => {
    const dynamo = await startLocalDynamo();
    try {
      stubAwsEnvironment(dynamo.endpoint);
      const { sessions } = optionsFromEnvironment({ MCP_SESSIONS_TABLE: await dynamo.createSessionsTable(), MCP_SESSION_TTL_SECONDS: "600" });
      const before = dynamo.requests();
      const session = { tenantId: "acme", sessionId: "s-1", principal: "p", protocolVersion: "2025-06-18" };
      await sessions!.create(session);
      expect(await sessions!.touch("acme", "s-1")).toMatchObject({ protocolVersion: "2025-06-18" });
      expect(await sessions!.delete("acme", "s-1")).toBe(true);
      expect(dynamo.requests() - before).toBe(3);
    } finally {
      vi.unstubAllEnvs();
      await dynamo.stop();
    }
  });

  it("hands each call's deadline on to the store it loads", async () => {
    const blackhole = await startBlackhole();
    try {
      stubAwsEnvironment(blackhole.endpoint);
      const { sessions } = optionsFromEnvironment({ MCP_SESSIONS_TABLE: "mcp-sessions" });
      const started = performance.now();
      const error = await sessions!.touch("acme", "s-1", new Deadline(Date.now() + 200).signal).catch((e: unknown) => e);
      expect(performance.now() - started).toBeLessThan(1_000);
      expect((error as SessionStoreUnavailableError).causeName).toBe("DeadlineExceededError");
    } finally {
      vi.unstubAllEnvs();
      await blackhole.close();
    }
  });

  it("creates no AWS client when sessions are off, and falls back to the defaults", () => {
    expect(optionsFromEnvironment({})).toEqual({
      tenantClaim: "client_id",
      issuer: undefined,
      resourceUrl: undefined,
      scopes: ["mcp/invoke"],
      allowedOrigins: [],
      allowedClients: [],
      originVerifySecret: undefined,
      streaming: false,
      sessions: undefined,
    });
  });

  it("answers through Lambda's streaming API only when MCP_RESPONSE_STREAMING is true, and refuses any other value, naming the variable", () => {
    expect(optionsFromEnvironment({ MCP_RESPONSE_STREAMING: "true" }).streaming).toBe(true);
    expect(optionsFromEnvironment({ MCP_RESPONSE_STREAMING: "false" }).streaming).toBe(false);
    expect(() => optionsFromEnvironment({ MCP_RESPONSE_STREAMING: "yes" })).toThrow('MCP_RESPONSE_STREAMING must be "true" or "false", got "yes"');
  });

  it("fails on a session TTL that is not a whole number of seconds, naming the variable", () => {
    expect(() => optionsFromEnvironment({ MCP_SESSION_TTL_SECONDS: "a day" })).toThrow('MCP_SESSION_TTL_SECONDS must be a whole number of seconds, got "a day"');
  });
});
