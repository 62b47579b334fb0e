import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { LocalServer, startLocalServer } from "../handler/local/server.js";

/**
 * Streamed answers end to end over real HTTP: the SDK's client against the
 * local server, whose gateway passes the streaming Lambda entry's chunks on
 * as API Gateway's streaming integrations do. A short function timeout (5 s)
 * shows how every stream ends at the request's deadline.
 */
let server: LocalServer;
let token: string;

beforeAll(async () => {
  server = await startLocalServer({ port: 0, stateDir: mkdtempSync(join(tmpdir(), "mcp-streaming-")), timeoutSeconds: 5 });
  token = await server.issuer.mint({ tenant: "acme" });
});
afterAll(() => server?.close());

async function connect(pin?: "2026-07-28"): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const client = new Client({ name: "streaming", version: "1" }, pin ? { versionNegotiation: { mode: { pin } } } : {});
  const transport = new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers: { authorization: `Bearer ${token}` } } });
  await client.connect(transport);
  return { client, transport };
}

describe.concurrent("streamed answers", () => {
  it("holds a 2026-07-28 subscription open until the deadline, then completes it cleanly", async () => {
    const { client } = await connect("2026-07-28");
    const started = performance.now();
    const subscription = await client.listen({ toolsListChanged: true });
    expect(subscription.honoredFilter).toMatchObject({ toolsListChanged: true });
    expect(await subscription.closed).toBe("graceful");
    // Open until the deadline (5 s less a tenth), not cut by the function's timeout.
    const open = performance.now() - started;
    expect(open).toBeGreaterThan(4_000);
    expect(open).toBeLessThan(5_000);
    await client.close();
  });

  it.each([["a 2025-line", undefined], ["a 2026-07-28", "2026-07-28" as const]])("ends %s tool call that outlives the deadline with a JSON-RPC error, after its progress", async (_line, pin) => {
    const { client } = await connect(pin);
    const progress: number[] = [];
    const call = client.callTool({ name: "countdown", arguments: { seconds: 10 } }, { onprogress: (p) => progress.push(p.progress) });
    await expect(call).rejects.toThrow(/could not finish it before its deadline/);
    expect(progress.length).toBeGreaterThanOrEqual(1);
    await client.close();
  });

  it("accepts, in a session, any MCP-Protocol-Version the server supports, and refuses one it does not", async () => {
    const { client, transport } = await connect();
    const headers = (version: string) => ({
      authorization: `Bearer ${token}`,
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      "mcp-session-id": transport.sessionId!,
      "mcp-protocol-version": version,
    });
    const list = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" });
    // The session negotiated 2025-11-25; 2025-03-26 is another revision the server supports.
    const other = await fetch(server.url, { method: "POST", headers: headers("2025-03-26"), body: list });
    expect(other.status).toBe(200);
    expect(((await other.json()) as { result: { tools: unknown[] } }).result.tools.length).toBeGreaterThan(0);
    const unsupported = await fetch(server.url, { method: "POST", headers: headers("1999-01-01"), body: list });
    expect(unsupported.status).toBe(400);
    expect(((await unsupported.json()) as { error: { message: string } }).error.message).toMatch(/^Bad Request: Unsupported protocol version \(supported versions: /);
    await client.close();
  });

  it("answers whole when run buffered (--buffered), as the HTTP front does: the result without the progress", async () => {
    const buffered = await startLocalServer({ port: 0, stateDir: mkdtempSync(join(tmpdir(), "mcp-buffered-")), streaming: false });
    try {
      const client = new Client({ name: "buffered", version: "1" });
      await client.connect(new StreamableHTTPClientTransport(new URL(buffered.url), { requestInit: { headers: { authorization: `Bearer ${await buffered.issuer.mint({ tenant: "acme" })}` } } }));
      const progress: number[] = [];
      const result = await client.callTool({ name: "countdown", arguments: { seconds: 2 } }, { onprogress: (p) => progress.push(p.progress) });
      expect(result.content).toEqual([{ type: "text", text: "Counted 2 s." }]);
      expect(progress).toEqual([]);
      await client.close();
    } finally {
      await buffered.close();
    }
  });
});
