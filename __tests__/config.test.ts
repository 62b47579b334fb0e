import { describe, expect, it } from "vitest";
import { optionsFromEnvironment } from "../handler/config.js";
import { DynamoSessionStore } from "../handler/session-store.js";

/** The handler's settings, as the infrastructure sets them in the function's environment. */
describe("optionsFromEnvironment", () => {
  it("reads every setting the stack sets", () => {
    const options = optionsFromEnvironment({
      MCP_TENANT_CLAIM: "tenant_id",
      MCP_ISSUER: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123",
      MCP_RESOURCE_URL: "https://mcp.example.com/mcp",
      MCP_SCOPES: "mcp/invoke",
      MCP_ALLOWED_ORIGINS: "https://a.example.com, https://b.example.com",
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
      originVerifySecret: "s",
    });
    expect(options.sessions).toBeInstanceOf(DynamoSessionStore);
  });

  it("creates no AWS client when sessions are off, and falls back to the defaults", () => {
    expect(optionsFromEnvironment({})).toEqual({
      tenantClaim: "client_id",
      issuer: undefined,
      resourceUrl: undefined,
      scopes: ["mcp/invoke"],
      allowedOrigins: [],
      originVerifySecret: undefined,
      sessions: undefined,
    });
  });

  it("fails on a session TTL that is not a whole number of seconds, naming the variable", () => {
    expect(() => optionsFromEnvironment({ MCP_SESSION_TTL_SECONDS: "a day" })).toThrow('MCP_SESSION_TTL_SECONDS must be a whole number of seconds, got "a day"');
  });
});
