import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, StreamableHTTPClientTransport, type OAuthClientProvider } from "@modelcontextprotocol/client";
import { LocalServer, startLocalServer } from "../handler/local/server.js";

/**
 * A person's MCP client signing in through the authorization front (issue 18,
 * in progress), end to end on this machine: the SDK's own client and its
 * OAuth support (code no one here wrote) against `npm start`'s server with
 * `--auto-login alice:acme`, the client identified by a Client ID Metadata
 * Document served from another local port, or by dynamic registration.
 */

/** The SDK's provider interface, kept in memory: what a desktop client keeps on disk. */
class MemoryProvider implements OAuthClientProvider {
  information?: { client_id: string };
  saved?: { access_token: string; refresh_token?: string; token_type: string };
  verifier?: string;
  authorizationUrl?: URL;

  constructor(
    readonly redirectUrl: string,
    clientId?: string,
  ) {
    if (clientId) this.information = { client_id: clientId };
  }

  get clientMetadata() {
    return { client_name: "e2e", redirect_uris: [this.redirectUrl], grant_types: ["authorization_code", "refresh_token"], response_types: ["code"], token_endpoint_auth_method: "none" };
  }
  clientInformation() {
    return this.information;
  }
  saveClientInformation(information: { client_id: string }) {
    this.information = information;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: { access_token: string; refresh_token?: string; token_type: string }) {
    this.saved = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    return this.verifier!;
  }
}

/** Follows the front's redirects as a browser would, up to the client's redirect URI; its query, and where each hop went. */
async function signIn(start: URL, redirectUri: string): Promise<{ params: URLSearchParams; hops: string[] }> {
  const hops: string[] = [];
  let location = start.href;
  for (let i = 0; i < 5 && !location.startsWith(redirectUri); i++) {
    const response = await fetch(location, { redirect: "manual" });
    expect(response.status, `${location}: ${await response.clone().text()}`).toBe(302);
    location = new URL(response.headers.get("location")!, location).href;
    hops.push(new URL(location).pathname);
  }
  return { params: new URL(location).searchParams, hops };
}

async function whoami(client: Client) {
  return (await client.callTool({ name: "whoami", arguments: {} })).structuredContent as { tenant: string; principal: string };
}

let documents: Server;
let cimd: string;
const REDIRECT = "http://127.0.0.1:47123/callback";

beforeAll(async () => {
  documents = createServer((req, res) => {
    const self = `http://127.0.0.1:${(documents.address() as AddressInfo).port}${req.url}`;
    // A loopback redirect URI without a port: the client listens on whatever port is free (RFC 8252).
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ client_id: self, client_name: "e2e", redirect_uris: ["http://127.0.0.1/callback"], token_endpoint_auth_method: "none" }));
  });
  await new Promise<void>((resolve) => documents.listen(0, "127.0.0.1", resolve));
  cimd = `http://127.0.0.1:${(documents.address() as AddressInfo).port}/client.json`;
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
