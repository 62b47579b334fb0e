import { existsSync, mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Browser, chromium } from "playwright-core";
import { LocalServer, startLocalServer } from "../handler/local/server.js";

/**
 * A real browser calls the server across origins: headless Chromium (the
 * Debian package, which .ci/run installs) loads a page from one localhost
 * origin and, from it, calls `npm start`'s server on another with `fetch`,
 * as a browser MCP client would. The page's origin is allowed
 * (`--allow-origin`); a page from an origin that is not gets nothing.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const available = existsSync(CHROMIUM);
// CI installs it (.ci/run): there, a missing browser fails the tests instead of skipping them.
if (!available && process.env.CI) throw new Error(`no Chromium at ${CHROMIUM}: .ci/run installs the Debian package chromium`);
if (!available) console.warn(`browser CORS tests skipped: no Chromium at ${CHROMIUM} (install the Debian package chromium, as .ci/run does, or set CHROMIUM_PATH)`);

/** A page server: an empty HTML page, from whose origin the tests run their fetches. */
async function pageServer(host: string): Promise<{ origin: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html" });
    res.end("<!doctype html><title>MCP browser client</title>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { origin: `http://${host}:${(server.address() as AddressInfo).port}`, server };
}

/** What the page's client got: the answers it could read, or the error fetch threw. */
interface Outcome {
  readonly error?: string;
  readonly unauthorized?: { status: number; challenge: string | null };
  readonly initialize?: { status: number; session: string | null; version: string };
  readonly tools?: string[];
}

/** Runs in the page: an MCP client's first calls, with the token in Authorization and no cookies. */
async function mcpClient({ url, token }: { url: string; token: string }): Promise<Outcome> {
  const json = { "content-type": "application/json", accept: "application/json, text/event-stream" };
  const post = (body: unknown, headers: Record<string, string>) => fetch(url, { method: "POST", credentials: "omit", headers: { ...json, ...headers }, body: JSON.stringify(body) });
  try {
    const anonymous = await post({ jsonrpc: "2.0", id: 0, method: "tools/list" }, {});
    const bearer = { authorization: `Bearer ${token}` };
    const init = await post({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "browser", version: "1" } } }, bearer);
    const initBody = (await init.json()) as { result: { protocolVersion: string } };
    const session = init.headers.get("mcp-session-id");
    const list = await post({ jsonrpc: "2.0", id: 2, method: "tools/list" }, { ...bearer, "mcp-session-id": session ?? "", "mcp-protocol-version": "2025-11-25" });
    return {
      unauthorized: { status: anonymous.status, challenge: anonymous.headers.get("www-authenticate") },
      initialize: { status: init.status, session, version: initBody.result.protocolVersion },
      tools: ((await list.json()) as { result: { tools: { name: string }[] } }).result.tools.map((tool) => tool.name),
    };
  } catch (error) {
    return { error: String(error) };
  }
}

describe.skipIf(!available)("a browser page on another origin calls the server (headless Chromium)", () => {
  let browser: Browser;
  let server: LocalServer;
  let allowed: { origin: string; server: Server };
  let other: { origin: string; server: Server };

  beforeAll(async () => {
    [allowed, other] = await Promise.all([pageServer("localhost"), pageServer("127.0.0.1")]);
    server = await startLocalServer({ port: 0, stateDir: mkdtempSync(join(tmpdir(), "mcp-browser-")), allowedOrigins: [allowed.origin] });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      // As root, without a GPU, and without the background traffic a closed network refuses.
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    for (const page of [allowed, other]) page?.server.close();
  });

  async function callFrom(origin: string): Promise<Outcome> {
    const page = await browser.newPage();
    try {
      await page.goto(`${origin}/`);
      return await page.evaluate(mcpClient, { url: server.url, token: await server.issuer.mint({ tenant: "acme" }) });
    } finally {
      await page.close();
    }
  }

  it("from an allowed origin: the preflight passes, initialize and tools/list complete, and the page reads the session id and the 401's challenge", async () => {
    const outcome = await callFrom(allowed.origin);
    expect(outcome.error).toBeUndefined();
    expect(outcome.unauthorized).toEqual({ status: 401, challenge: "Bearer" });
    expect(outcome.initialize).toMatchObject({ status: 200, version: "2025-11-25", session: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    expect(outcome.tools).toEqual(expect.arrayContaining(["whoami", "echo"]));
  });

  it("from an origin that is not allowed: the browser refuses the call, and the page reads nothing", async () => {
    const outcome = await callFrom(other.origin);
    expect(outcome.error).toMatch(/Failed to fetch/);
    expect(outcome.initialize).toBeUndefined();
  });
});
