import type { Server } from "node:http";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { clientIdDocuments, MemoryProvider, signIn, whoami } from "./support/oauth-client.js";
import { LocalServer, startLocalServer } from "../handler/local/server.js";

/**
 * A person's MCP client signing in through the authorization front (issue 18,
 * in progress), end to end on this machine: the SDK's own client and its
 * OAuth support (code no one here wrote) against `npm start`'s server with
 * `--auto-login alice:acme`, the client identified by a Client ID Metadata
 * Document served from another local port, or by dynamic registration.
 */

let documents: Server;
let cimd: string;
const REDIRECT = "http://127.0.0.1:47123/callback";

beforeAll(async () => {
  ({ server: documents, url: cimd } = await clientIdDocuments());
});
afterAll(() => documents?.close());

describe.each([
  ["a Client ID Metadata Document", false],
  ["dynamic registration", true],
] as const)("a person's MCP client signs in, identified by %s", (_how, dynamicRegistration) => {
  let server: LocalServer;
  beforeAll(async () => {
    server = await startLocalServer({ port: 0, stateDir: mkdtempSync(join(tmpdir(), "mcp-oauth-")), autoLogin: { user: "alice", tenant: "acme" }, dynamicRegistration });
  });
  afterAll(() => server?.close());

  it("discovers the front from a 401, signs in with PKCE, calls a tool as tenant acme, and refreshes its token", async () => {
    const provider = new MemoryProvider(REDIRECT, dynamicRegistration ? undefined : cimd);
    await expect(new Client({ name: "e2e", version: "1" }).connect(new StreamableHTTPClientTransport(new URL(server.url), { authProvider: provider }))).rejects.toThrow(/Unauthorized/i);
    if (dynamicRegistration) expect(provider.information?.client_id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const authorize = provider.authorizationUrl!;
    expect(authorize.origin + authorize.pathname).toBe(`${new URL(server.url).origin}/authorize`);
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorize.searchParams.get("resource")).toBe(server.url);

    const { params, hops } = await signIn(authorize, REDIRECT);
    expect(hops).toEqual(["/local/sign-in", "/oauth/callback", "/callback"]);
    expect(params.get("iss")).toBe(new URL(server.url).origin);
    expect(params.get("state")).toBe(authorize.searchParams.get("state"));
    const transport = new StreamableHTTPClientTransport(new URL(server.url), { authProvider: provider });
    await transport.finishAuth(params);
    expect(provider.saved?.refresh_token).toBeTruthy();

    const client = new Client({ name: "e2e", version: "1" });
    await client.connect(new StreamableHTTPClientTransport(new URL(server.url), { authProvider: provider }));
    expect(await whoami(client)).toMatchObject({ tenant: "acme", principal: "alice" });
    await client.close();

    // An access token that no longer passes: the client refreshes it at the front and carries on.
    provider.saved = { ...provider.saved!, access_token: "expired.access.token" };
    const again = new Client({ name: "e2e", version: "1" });
    await again.connect(new StreamableHTTPClientTransport(new URL(server.url), { authProvider: provider }));
    expect(provider.saved.access_token).not.toBe("expired.access.token");
    expect(await whoami(again)).toMatchObject({ tenant: "acme", principal: "alice" });
    await again.close();
  });
});
