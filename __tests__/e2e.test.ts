import { type ChildProcess, execFile, spawn } from "node:child_process";
import { request as httpRequest } from "node:http";
import { connect as tcpConnect } from "node:net";
import { cpSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { importJWK, SignJWT } from "jose";
import { LocalServer, startLocalServer } from "../handler/local/server.js";
import { ROOT } from "./support/terraform-workdir.js";
import { clientIdDocuments, MemoryProvider, signIn } from "./support/oauth-client.js";

/**
 * End to end over real HTTP on loopback: the SDK's own client against the
 * local server (Lambda handler, local JWT authorizer, sessions in dynalite).
 */
const stateDir = mkdtempSync(join(tmpdir(), "mcp-local-state-"));
let server: LocalServer;
let acme: string;
let globex: string;

beforeAll(async () => {
  server = await startLocalServer({ port: 0, stateDir });
  acme = await server.issuer.mint({ tenant: "acme" });
  globex = await server.issuer.mint({ tenant: "globex" });
});
afterAll(() => server?.close());

type Whoami = { tenant: string; principal: string; session: string | null };

/** A connected SDK client; `pin` selects the 2026-07-28 revision, otherwise the client speaks the 2025 line. */
async function connect(token: string, pin?: "2026-07-28"): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const client = new Client({ name: "e2e", version: "1.0.0" }, pin ? { versionNegotiation: { mode: { pin } } } : {});
  const transport = new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers: { authorization: `Bearer ${token}` } } });
  await client.connect(transport);
  return { client, transport };
}

async function whoami(client: Client): Promise<Whoami> {
  const result = await client.callTool({ name: "whoami", arguments: {} });
  return result.structuredContent as Whoami;
}

/** A raw HTTP request, so the tests control headers fetch would not let them set (Host, Origin). */
function raw(headers: Record<string, string>, body = '{"jsonrpc":"2.0","id":1,"method":"tools/list"}'): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, path: url.pathname, method: "POST", headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers } },
      (res) => {
        let text = "";
        res.on("data", (c: Buffer) => (text += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** Writes `head` (and `body`) on a raw TCP connection and returns the first bytes of the answer: for what no HTTP client would send. */
function onSocket(head: string, body = ""): Promise<string> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = tcpConnect(Number(url.port), url.hostname, () => {
      socket.write(head);
      if (body) socket.write(body, () => undefined);
    });
    let answer = "";
    socket.on("data", (chunk: Buffer) => {
      answer += chunk;
      if (answer.includes("\r\n")) {
        socket.destroy();
        resolve(answer);
      }
    });
    socket.on("error", (error) => (answer ? resolve(answer) : reject(error)));
    socket.on("close", () => resolve(answer));
  });
}

describe("a 2025-era client", () => {
  it("initializes a session, lists and calls tools in it, ends it with DELETE, and then gets 404", async () => {
    const { client, transport } = await connect(acme);
    expect(transport.sessionId).toMatch(/^[\x21-\x7e]{43}$/);
    expect(client.getServerVersion()).toMatchObject({ name: "cdktf-aws-mcp-server" });
    const tools = await client.listTools();
    expect(tools.tools.map((t) => t.name)).toEqual(expect.arrayContaining(["whoami", "echo"]));
    expect(await whoami(client)).toEqual({ tenant: "acme", principal: "acme", session: transport.sessionId });
    const echoed = await client.callTool({ name: "echo", arguments: { text: "hello" } });
    expect(echoed.content).toEqual([{ type: "text", text: "hello" }]);

    const sessionId = transport.sessionId!;
    await transport.terminateSession();
    const after = await raw({ authorization: `Bearer ${acme}`, "mcp-session-id": sessionId, "mcp-protocol-version": transport.protocolVersion ?? "2025-11-25" });
    expect(after.status).toBe(404);
    await client.close();
  });

  it("cannot use another tenant's session: 404, as if it did not exist", async () => {
    const { client, transport } = await connect(acme);
    const stolen = await raw({ authorization: `Bearer ${globex}`, "mcp-session-id": transport.sessionId!, "mcp-protocol-version": transport.protocolVersion! });
    expect(stolen.status).toBe(404);
    expect(await whoami(client)).toMatchObject({ tenant: "acme" });
    await client.close();
  });
});

describe("a 2026-07-28 client", () => {
  it("is served statelessly: no session id, tools listed and called", async () => {
    const { client, transport } = await connect(acme, "2026-07-28");
    expect(transport.sessionId).toBeUndefined();
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(expect.arrayContaining(["whoami", "echo"]));
    expect(await whoami(client)).toEqual({ tenant: "acme", principal: "acme", session: null });
    await client.close();
  });
});

describe("the local authorizer answers as API Gateway's JWT authorizer does", () => {
  it("401 with WWW-Authenticate: Bearer without a token", async () => {
    const response = await raw({});
    expect(response.status).toBe(401);
    expect(response.headers["www-authenticate"]).toBe("Bearer");
  });
  it("401 invalid_token for an expired token", async () => {
    const response = await raw({ authorization: `Bearer ${await server.issuer.mint({ tenant: "acme", expiresInSeconds: -60 })}` });
    expect(response.status).toBe(401);
    expect(response.headers["www-authenticate"]).toContain('error="invalid_token"');
  });
  it("401 invalid_token for a token signed by someone else", async () => {
    const forged = acme.replace(/\.[^.]+$/, ".c2lnbmF0dXJl");
    expect((await raw({ authorization: `Bearer ${forged}` })).status).toBe(401);
  });
  it("403 insufficient_scope for a token without mcp/invoke", async () => {
    const response = await raw({ authorization: `Bearer ${await server.issuer.mint({ tenant: "acme", scope: "mcp/read" })}` });
    expect(response.status).toBe(403);
    expect(response.headers["www-authenticate"]).toContain('error="insufficient_scope"');
  });
  it("403 for a Host or Origin naming another host (DNS rebinding protection)", async () => {
    expect((await raw({ authorization: `Bearer ${acme}`, host: "evil.example" })).status).toBe(403);
    expect((await raw({ authorization: `Bearer ${acme}`, origin: "http://evil.example" })).status).toBe(403);
  });
  it("403, not 500, for a malformed Host or a request target with credentials in it", async () => {
    expect((await raw({ authorization: `Bearer ${acme}`, host: "127.0.0.1@evil.example" })).status).toBe(403);
    const { port } = new URL(server.url);
    const answer = await onSocket(`POST http://user:pass@127.0.0.1:${port}/mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 401 /);
  });
  describe("tokens Cognito would never issue or its authorizers never accept", () => {
    /** A token signed with the local issuer's own key, with any claims. */
    async function signed(claims: Record<string, unknown>, withExpiry = true): Promise<string> {
      const key = await importJWK(JSON.parse(readFileSync(join(stateDir, "issuer-key.json"), "utf8")), "ES256");
      const jwt = new SignJWT({ client_id: "acme", sub: "acme", token_use: "access", scope: "mcp/invoke", ...claims }).setProtectedHeader({ alg: "ES256" }).setIssuer("urn:cdktf-aws-mcp-server:local-issuer").setIssuedAt();
      return (withExpiry ? jwt.setExpirationTime("1h") : jwt).sign(key);
    }
    it("401 invalid_token without exp", async () => {
      const response = await raw({ authorization: `Bearer ${await signed({}, false)}` });
      expect(response.status).toBe(401);
      expect(response.headers["www-authenticate"]).toContain('error="invalid_token"');
    });
    it("401 invalid_token for an ID token (token_use id) or none", async () => {
      for (const use of ["id", undefined]) {
        const response = await raw({ authorization: `Bearer ${await signed({ token_use: use })}` });
        expect(response.status, String(use)).toBe(401);
        expect(response.headers["www-authenticate"]).toContain("not an access token");
      }
    });
    it("403 insufficient_scope when scope is not one space-delimited string", async () => {
      const response = await raw({ authorization: `Bearer ${await signed({ scope: ["mcp/invoke"] })}` });
      expect(response.status).toBe(403);
      expect(response.headers["www-authenticate"]).toContain('error="insufficient_scope"');
    });
    it("the control: the same signing with every claim right is served", async () => {
      const initialize = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "c", version: "1" } } });
      expect((await raw({ authorization: `Bearer ${await signed({})}` }, initialize)).status).toBe(200);
    });
  });
  it("401 invalid_token for a client that is not an accepted audience", async () => {
    const strict = await startLocalServer({ port: 0, stateDir, audience: ["acme"] });
    try {
      const post = (token: string) =>
        fetch(strict.url, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json", accept: "application/json, text/event-stream" }, body: "{}" });
      const refused = await post(globex);
      expect(refused.status).toBe(401);
      expect(refused.headers.get("www-authenticate")).toContain('error="invalid_token"');
      expect((await post(acme)).status).not.toBe(401);
    } finally {
      await strict.close();
    }
  });
  it("serves discovery metadata without a token", async () => {
    const response = await fetch(new URL("/.well-known/oauth-protected-resource/mcp", server.url));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ resource: server.url, scopes_supported: ["mcp/invoke"] });
  });
});

describe("the local gateway's 10 MB payload quota, as API Gateway's, on every route", () => {
  const big = 10 * 1024 * 1024 + 1;
  it.each([
    ["POST /mcp without a token", "POST", "/mcp"],
    ["GET on the unauthenticated discovery route", "GET", "/.well-known/oauth-protected-resource"],
    ["an unknown path", "PUT", "/elsewhere"],
  ])("413 for %s, whether the size is declared or only sent", async (_name, method, path) => {
    const { port } = new URL(server.url);
    const declared = await onSocket(`${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Length: ${big}\r\n\r\n`);
    expect(declared).toMatch(/^HTTP\/1\.1 413 /);
    const sent = await onSocket(`${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nTransfer-Encoding: chunked\r\n\r\n${big.toString(16)}\r\n`, "x".repeat(big));
    expect(sent).toMatch(/^HTTP\/1\.1 413 /);
  });
});

describe("requests that used to hang, over HTTP", () => {
  it("a 2026-07-28 client's listen() is refused at once by a buffered front, which cannot stream", async () => {
    const buffered = await startLocalServer({ port: 0, stateDir, streaming: false });
    try {
      const client = new Client({ name: "e2e", version: "1.0.0" }, { versionNegotiation: { mode: { pin: "2026-07-28" } } });
      await client.connect(new StreamableHTTPClientTransport(new URL(buffered.url), { requestInit: { headers: { authorization: `Bearer ${acme}` } } }));
      const started = performance.now();
      await expect(client.listen({ toolsListChanged: true })).rejects.toThrow(/cannot hold a stream open \(the REST front with enable_response_streaming can\)/);
      expect(performance.now() - started).toBeLessThan(2_000);
      await client.close();
    } finally {
      await buffered.close();
    }
  });
  it("a batch in a 2025-03-26 session that cancels one of its requests answers the others at once", async () => {
    const initialize = JSON.stringify({ jsonrpc: "2.0", id: 0, method: "initialize", params: { protocolVersion: "2025-03-26", capabilities: {}, clientInfo: { name: "c", version: "1" } } });
    const session = (await raw({ authorization: `Bearer ${acme}` }, initialize)).headers["mcp-session-id"] as string;
    const started = performance.now();
    const response = await raw(
      { authorization: `Bearer ${acme}`, "mcp-protocol-version": "2025-03-26", "mcp-session-id": session },
      JSON.stringify([{ jsonrpc: "2.0", id: 1, method: "tools/list" }, { jsonrpc: "2.0", id: 2, method: "tools/list" }, { jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 2 } }]),
    );
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ id: 1, result: { tools: expect.any(Array) } });
  });
});

describe("npm start -- --no-auth and npm run token", () => {
  it("--no-auth serves every request as the fixed local tenant, even with an audience set for the authorizer it drops", async () => {
    const open = await startLocalServer({ port: 0, auth: false, stateDir, audience: ["1example23456789abcdefghij"] });
    try {
      const client = new Client({ name: "inspector", version: "1" });
      await client.connect(new StreamableHTTPClientTransport(new URL(open.url)));
      expect(await whoami(client)).toMatchObject({ tenant: "local" });
      await client.close();
    } finally {
      await open.close();
    }
  });

  it("npm run token prints only a token the server accepts, with the asked tenant, scope and expiry", async () => {
    const run = promisify(execFile);
    const env = { ...process.env, MCP_LOCAL_STATE_DIR: stateDir };
    const { stdout } = await run("npm", ["run", "--silent", "token", "--", "--tenant", "initech"], { cwd: ROOT, env });
    expect(stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const client = (await connect(stdout.trim())).client;
    expect(await whoami(client)).toMatchObject({ tenant: "initech" });
    await client.close();
    const expired = await run("npm", ["run", "--silent", "token", "--", "--tenant", "initech", "--expires-in=-5"], { cwd: ROOT, env });
    expect((await raw({ authorization: `Bearer ${expired.stdout.trim()}` })).status).toBe(401);
    // With a space before the negative number, as people type it.
    const spaced = await run("npm", ["run", "--silent", "token", "--", "--tenant", "initech", "--expires-in", "-60"], { cwd: ROOT, env });
    const response = await raw({ authorization: `Bearer ${spaced.stdout.trim()}` });
    expect(response.status).toBe(401);
    expect(response.headers["www-authenticate"]).toContain("claim timestamp check failed");
    const wrong = await run("npm", ["run", "--silent", "token", "--", "--expires-in", "soon"], { cwd: ROOT, env }).catch((e: { code: number; stderr: string }) => e);
    expect(wrong).toMatchObject({ code: 1, stderr: expect.stringContaining("--expires-in must be a whole number of seconds") });
  });
});

describe("npm start -- --auto-login alice:acme", () => {
  let child: ChildProcess;
  let url: string;
  let printed = "";
  beforeAll(async () => {
    child = spawn("npm", ["run", "--silent", "start", "--", "--auto-login", "alice:acme"], { cwd: ROOT, env: { ...process.env, PORT: "0", MCP_LOCAL_STATE_DIR: stateDir }, detached: true });
    url = await new Promise<string>((resolve, reject) => {
      child.stdout!.on("data", (chunk: Buffer) => {
        printed += chunk;
        const found = printed.match(/listening on (http:\/\/127\.0\.0\.1:\d+\/mcp)/);
        if (found) resolve(found[1]);
      });
      child.on("exit", (code) => reject(new Error(`npm start exited (${code}) before listening: ${printed}`)));
    });
  });
  afterAll(() => {
    if (child?.pid) process.kill(-child.pid, "SIGTERM");
  });

  /** A client of the server npm start runs, on the 2025 line or pinned to 2026-07-28. */
  async function startedClient(pin?: "2026-07-28"): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
    const token = await server.issuer.mint({ tenant: "acme" });
    const client = new Client({ name: "smoke", version: "1" }, pin ? { versionNegotiation: { mode: { pin } } } : {});
    const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${token}` } } });
    await client.connect(transport);
    return { client, transport };
  }

  it("serves clients of both protocol lines on the printed URL (a session for the 2025 one)", async () => {
    for (const pin of [undefined, "2026-07-28" as const]) {
      const { client, transport } = await startedClient(pin);
      // The 2025 client has a session of the server's issuing; the 2026-07-28 one has none.
      if (pin === undefined) expect(transport.sessionId).toMatch(/^[A-Za-z0-9_-]{43}$/);
      else expect(transport.sessionId).toBeUndefined();
      expect(await whoami(client)).toEqual({ tenant: "acme", principal: "acme", session: transport.sessionId ?? null });
      await client.close();
    }
  });

  it("signs a person's MCP client in through the authorization front as alice of tenant acme, at once", async () => {
    // The lines after "listening on" may come in a later chunk.
    await vi.waitFor(() => expect(printed).toContain("Authorizer: on."), { timeout: 5_000 });
    expect(printed).toContain("sign in through the authorization front");
    expect(printed).toContain("signed in at once as alice:acme (--auto-login)");
    const documents = await clientIdDocuments();
    try {
      const redirect = "http://127.0.0.1:47124/callback";
      const provider = new MemoryProvider(redirect, documents.url);
      await expect(new Client({ name: "person", version: "1" }).connect(new StreamableHTTPClientTransport(new URL(url), { authProvider: provider }))).rejects.toThrow(/Unauthorized/i);
      const { params } = await signIn(provider.authorizationUrl!, redirect);
      await new StreamableHTTPClientTransport(new URL(url), { authProvider: provider }).finishAuth(params);
      const client = new Client({ name: "person", version: "1" });
      await client.connect(new StreamableHTTPClientTransport(new URL(url), { authProvider: provider }));
      expect(await whoami(client)).toMatchObject({ tenant: "acme", principal: "alice" });
      await client.close();
    } finally {
      documents.server.close();
    }
  });

  it.each([["a 2025-line", undefined], ["a 2026-07-28", "2026-07-28" as const]])(
    "streams a tool's progress to %s client as it happens, before the result",
    async (_line, pin) => {
      const { client } = await startedClient(pin);
      const started = performance.now();
      const arrivals: { progress: number; at: number }[] = [];
      const result = await client.callTool({ name: "countdown", arguments: { seconds: 3 } }, { onprogress: ({ progress }) => arrivals.push({ progress, at: performance.now() - started }) });
      const answeredAt = performance.now() - started;
      await client.close();
      expect(result.content).toEqual([{ type: "text", text: "Counted 3 s." }]);
      expect(arrivals.map((a) => a.progress)).toEqual([1, 2, 3]);
      // Each as it was sent, a second apart: the first long before the answer, not all of them at its end.
      expect(arrivals[0].at).toBeLessThan(answeredAt - 1_500);
      expect(arrivals[1].at - arrivals[0].at).toBeGreaterThan(700);
      expect(arrivals[2].at - arrivals[1].at).toBeGreaterThan(700);
    },
  );

  it("stops with the TypeScript error that names the mistake when a tool is listed but not imported", async () => {
    // A copy of the project's handler, so that the mistake never touches the tree other tests read.
    const copy = mkdtempSync(join(tmpdir(), "mcp-start-"));
    cpSync(join(ROOT, "handler"), join(copy, "handler"), { recursive: true });
    for (const file of ["package.json", "tsconfig.json"]) cpSync(join(ROOT, file), join(copy, file));
    symlinkSync(join(ROOT, "node_modules"), join(copy, "node_modules"));
    const index = join(copy, "handler", "tools", "index.ts");
    const listed = readFileSync(index, "utf8");
    expect(listed).toContain("[whoami, echo, countdown]");
    writeFileSync(index, listed.replace("[whoami, echo, countdown]", "[whoami, echo, countdown, add]"));
    // Bounded: were the type check to pass, the server would start and serve until stopped.
    const failed = await promisify(execFile)("npm", ["run", "--silent", "start"], { cwd: copy, timeout: 60_000, env: { ...process.env, PORT: "0", MCP_LOCAL_STATE_DIR: stateDir } }).catch(
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(failed).toMatchObject({ code: expect.any(Number) });
    expect((failed as { code: number }).code).not.toBe(0);
    expect(`${(failed as { stdout: string }).stdout}${(failed as { stderr: string }).stderr}`).toMatch(/handler\/tools\/index\.ts.*Cannot find name 'add'/s);
  });
});
