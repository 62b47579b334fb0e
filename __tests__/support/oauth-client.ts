import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "vitest";
import type { Client, OAuthClientProvider } from "@modelcontextprotocol/client";

/** What people's MCP clients do around the SDK's OAuth support, for the end-to-end tests of the authorization front. */

/** The SDK's provider interface, kept in memory: what a desktop client keeps on disk. */
export class MemoryProvider implements OAuthClientProvider {
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
export async function signIn(start: URL, redirectUri: string): Promise<{ params: URLSearchParams; hops: string[] }> {
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

export async function whoami(client: Client) {
  return (await client.callTool({ name: "whoami", arguments: {} })).structuredContent as { tenant: string; principal: string };
}

/**
 * A server of Client ID Metadata Documents on another local port: every path answers a document naming
 * its own URL as client_id, with a loopback redirect URI without a port (the client listens on whatever
 * port is free, RFC 8252). Returns it and the URL of `/client.json`.
 */
export async function clientIdDocuments(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const self = `http://127.0.0.1:${(server.address() as AddressInfo).port}${req.url}`;
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ client_id: self, client_name: "e2e", redirect_uris: ["http://127.0.0.1/callback"], token_endpoint_auth_method: "none" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/client.json` };
}
