import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { ClientMetadataError, ClientMetadataResolver, redirectAllowed } from "../handler/oauth/client-metadata.js";
import { isLoopbackRedirect, matchesRegisteredRedirect } from "../handler/oauth/redirect-uri.js";

/**
 * How the authorization front identifies people's MCP clients (issue 18, in
 * progress): redirect URIs matched exactly but for a loopback URI's port
 * (RFC 8252), and Client ID Metadata Documents fetched as untrusted URLs.
 * The documents come from a real HTTP server on loopback, which only the
 * local mode accepts; the deployed mode's refusals of private addresses run
 * for real too (the refusal happens before any connection).
 */

describe("redirect URI matching", () => {
  const loopbackHost = fc.constantFrom("127.0.0.1", "[::1]", "localhost");
  const path = fc.stringMatching(/^(\/[a-z0-9_-]{1,8}){0,3}$/);
  const port = fc.integer({ min: 1, max: 65535 });

  it("matches a loopback redirect URI on any port, and on nothing else that differs", () => {
    fc.assert(
      fc.property(loopbackHost, path, port, port, (host, p, registeredPort, requestedPort) => {
        const registered = `http://${host}:${registeredPort}${p}/callback`;
        expect(matchesRegisteredRedirect(`http://${host}:${requestedPort}${p}/callback`, [registered])).toBe(true);
        expect(matchesRegisteredRedirect(`http://${host}${p}/callback`, [registered])).toBe(true);
        expect(matchesRegisteredRedirect(`http://${host}:${requestedPort}${p}/callback2`, [registered])).toBe(false);
        expect(matchesRegisteredRedirect(`https://${host}:${requestedPort}${p}/callback`, [registered])).toBe(false);
        expect(matchesRegisteredRedirect(`http://${host}:${requestedPort}${p}/callback?x=1`, [registered])).toBe(false);
        expect(matchesRegisteredRedirect(`http://${host}:${requestedPort}${p}/callback#frag`, [registered])).toBe(false);
      }),
    );
  });

  it("matches any other redirect URI only as the same string: no other port, case, path, query, prefix or host", () => {
    const uri = fc.webUrl({ withQueryParameters: true }).filter((u) => !u.includes("#") && !isLoopbackRedirect(new URL(u)));
    fc.assert(
      fc.property(uri, fc.string({ minLength: 1, maxLength: 4 }), (registered, extra) => {
        expect(matchesRegisteredRedirect(registered, [registered])).toBe(true);
        expect(matchesRegisteredRedirect(`${registered}${extra}`, [registered])).toBe(false);
        expect(matchesRegisteredRedirect(registered.slice(0, -1), [registered])).toBe(false);
        const url = new URL(registered);
        if (url.port !== "8443") expect(matchesRegisteredRedirect(registered.replace(url.host, `${url.hostname}:8443`), [registered])).toBe(false);
      }),
    );
    expect(matchesRegisteredRedirect("https://claude.ai/api/mcp/auth_callback", ["https://claude.ai/api/mcp/auth_callback"])).toBe(true);
    expect(matchesRegisteredRedirect("https://CLAUDE.ai/api/mcp/auth_callback", ["https://claude.ai/api/mcp/auth_callback"])).toBe(false);
    expect(matchesRegisteredRedirect("cursor://anysphere.cursor-mcp/oauth/callback", ["cursor://anysphere.cursor-mcp/oauth/callback"])).toBe(true);
  });

  it("never matches a URI with user information, a fragment, or one that does not parse, whatever is registered", () => {
    for (const requested of ["http://127.0.0.1@evil.example/cb", "http://user:pw@127.0.0.1:9/cb", "https://app.example/cb#x", "not a url", ""]) {
      expect(matchesRegisteredRedirect(requested, [requested, "http://127.0.0.1/cb", "https://app.example/cb"])).toBe(false);
    }
  });
});

describe("Client ID Metadata Documents", () => {
  let server: Server;
  let base: string;
  const requests: string[] = [];
  /** Connections the document server accepted, whatever came over them (a TLS hello included). */
  let connections = 0;
  /** What each path answers; a path absent here never answers (a slow document). */
  const routes: Record<string, (res: ServerResponse, url: string) => void> = {};
  const document = (clientId: string, extra: Record<string, unknown> = {}) => JSON.stringify({ client_id: clientId, client_name: "Test client", redirect_uris: ["http://127.0.0.1/callback", "https://app.example/cb"], ...extra });

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push(req.url!);
      routes[req.url!]?.(res, `${base}${req.url}`);
    });
    server.on("connection", () => connections++);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    routes["/client.json"] = (res, url) => res.writeHead(200, { "content-type": "application/json", "cache-control": "max-age=60" }).end(document(url));
    routes["/no-store.json"] = (res, url) => res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" }).end(document(url));
    routes["/other-id.json"] = (res) => res.writeHead(200, { "content-type": "application/json" }).end(document("https://attacker.example/client.json"));
    routes["/big.json"] = (res, url) => res.writeHead(200, { "content-type": "application/json" }).end(document(url, { padding: "x".repeat(10_000) }));
    // Headers and half the promised body, then the connection is reset.
    routes["/cut.json"] = (res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "100" });
      res.write('{"client_id":');
      setTimeout(() => res.socket?.destroy(), 20);
    };
    routes["/big-chunked.json"] = (res) => {
      res.writeHead(200, { "content-type": "application/json" });
      for (let i = 0; i < 20; i++) res.write("x".repeat(1000));
      res.end();
    };
    routes["/missing.json"] = (res) => res.writeHead(404).end();
    routes["/confidential.json"] = (res, url) => res.writeHead(200, { "content-type": "application/json" }).end(document(url, { token_endpoint_auth_method: "private_key_jwt" }));
  });
  afterAll(() => server?.close());

  const local = () => new ClientMetadataResolver({ allowLoopbackHttp: true, timeoutMs: 500 });
  const refusal = async (resolver: ClientMetadataResolver, clientId: string): Promise<ClientMetadataError> => {
    const error = await resolver.resolve(clientId).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ClientMetadataError);
    return error as ClientMetadataError;
  };

  it("locally, reads a document served on 127.0.0.1 and matches its redirect URIs (a loopback one on any port)", async () => {
    const metadata = await local().resolve(`${base}/client.json`);
    expect(metadata).toEqual({ client_id: `${base}/client.json`, client_name: "Test client", redirect_uris: ["http://127.0.0.1/callback", "https://app.example/cb"] });
    expect(redirectAllowed(metadata, "http://127.0.0.1:53124/callback")).toBe(true);
    expect(redirectAllowed(metadata, "https://app.example/cb")).toBe(true);
    expect(redirectAllowed(metadata, "https://app.example/cb/../elsewhere")).toBe(false);
    expect(redirectAllowed(metadata, "https://evil.example/cb")).toBe(false);
  });

  it("keeps a document as long as its Cache-Control allows, and not at all with no-store", async () => {
    const resolver = local();
    requests.length = 0;
    await resolver.resolve(`${base}/client.json`);
    await resolver.resolve(`${base}/client.json`);
    await resolver.resolve(`${base}/no-store.json`);
    await resolver.resolve(`${base}/no-store.json`);
    expect(requests).toEqual(["/client.json", "/no-store.json", "/no-store.json"]);
  });

  it("deployed, never fetches a loopback, private, link-local or metadata address, nor plain HTTP", async () => {
    const deployed = new ClientMetadataResolver({ timeoutMs: 2_000 });
    const before = connections;
    expect((await refusal(deployed, `${base}/client.json`)).message).toBe("client_id must be an https URL (a Client ID Metadata Document).");
    const port = new URL(base).port;
    for (const host of ["127.0.0.1", "localhost", "10.1.2.3", "192.168.0.10", "169.254.169.254", "[::1]"]) {
      const error = await refusal(deployed, `https://${host}:${port}/client.json`);
      expect(error.message, host).toMatch(/resolves to a private, loopback, link-local or metadata address, which this server never fetches\.$/);
      expect(error.error).toBe("invalid_client");
    }
    // Refused before connecting: the document server (on loopback, the port every URL above names) never saw one.
    expect(connections).toBe(before);
  });

  it.each([
    ["a document that names another client_id", "/other-id.json", "The client's metadata document names another client_id than its own URL."],
    ["a document over the size bound, declared", "/big.json", "is larger than 5120 bytes."],
    ["a document over the size bound, streamed", "/big-chunked.json", "is larger than 5120 bytes."],
    ["a document that does not answer in time", "/slow.json", "did not arrive within 500 ms."],
    ["a document whose connection is reset mid-answer", "/cut.json", "was cut off before its end."],
    ["a document that is not there", "/missing.json", "answered HTTP 404; it must answer 200 with JSON."],
    ["a confidential client's document", "/confidential.json", 'token_endpoint_auth_method must be "none" or absent.'],
  ])("refuses %s, saying so", async (_case, path, message) => {
    const started = performance.now();
    const error = await refusal(local(), `${base}${path}`);
    expect(error.message).toContain(message);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it.each([
    ["not a URL", "my-client", "client_id is neither a registered client nor an HTTPS URL"],
    ["a URL with user information", "https://user@app.example/client.json", "must not contain user information or a fragment"],
    ["a URL with a fragment", "https://app.example/client.json#x", "must not contain user information or a fragment"],
    ["a URL without a path", "https://app.example/", "must name a document by a path"],
    ["a URL with a dot segment", "https://app.example/a/../client.json", "must name a document by a path"],
  ])("refuses a client_id that is %s before fetching anything", async (_case, clientId, message) => {
    requests.length = 0;
    expect((await refusal(local(), clientId)).message).toContain(message);
    expect(requests).toEqual([]);
  });

  it("fetches only from the allowed hosts when a list is given", async () => {
    const listed = new ClientMetadataResolver({ allowedHosts: ["claude.ai", "vscode.dev"] });
    expect((await refusal(listed, "https://attacker.example/client.json")).message).toBe("client_id is on attacker.example, which this server does not accept client metadata from.");
  });
});
