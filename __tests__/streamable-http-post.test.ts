import { describe, expect, it } from "vitest";
import { WebStandardStreamableHTTPServerTransport, type AuthInfo } from "@modelcontextprotocol/server";
import { buildServer } from "../handler/server.js";
import { servePost } from "../handler/streamable-http-post.js";
import { fromFetchRequest } from "./support/fetch-messages.js";

/**
 * servePost applies the 2025 Streamable HTTP POST rules without the Fetch
 * API. Each case here goes through it and through the SDK's own
 * web-standard transport in JSON mode, which it stands in for: the status,
 * the content type and the JSON body must be the same. An SDK upgrade that
 * changes a rule fails here. Where servePost departs from the SDK on
 * purpose, the case says why, and everything but the departure must match.
 */
const ACCEPT = "application/json, text/event-stream";
const caller = { tenant: "acme", principal: "acme-client" };
const authInfo: AuthInfo = { token: "", clientId: "acme", scopes: ["mcp/invoke"], extra: { ...caller } };
const initialize = (id: number | string = 1) => ({
  jsonrpc: "2.0",
  id,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } },
});
const list = (id: number | string = 2) => ({ jsonrpc: "2.0", id, method: "tools/list" });
const initialized = { jsonrpc: "2.0", method: "notifications/initialized" };

interface Case {
  readonly name: string;
  readonly body: string;
  readonly headers?: Record<string, string>;
  /** servePost's error message differs on purpose: it must not contain this value the client sent, which the SDK echoes. */
  readonly notEchoed?: string;
}
const json = (value: unknown) => JSON.stringify(value);
const v = (version: string) => ({ "mcp-protocol-version": version });
const CASES: Case[] = [
  { name: "initialize", body: json(initialize()) },
  { name: "initialize naming a revision the server does not know", body: json({ ...initialize(), params: { ...initialize().params, protocolVersion: "2024-01-01" } }) },
  { name: "Accept without text/event-stream", body: json(initialize()), headers: { accept: "application/json" } },
  { name: "no Accept", body: json(initialize()), headers: { accept: "" } },
  { name: "a non-JSON content type", body: json(initialize()), headers: { "content-type": "text/plain" } },
  { name: "JSON with a charset", body: json(initialize()), headers: { "content-type": "application/json; charset=utf-8" } },
  { name: "an unparsable body", body: "{oops" },
  { name: "an empty body", body: "" },
  { name: "JSON that is no JSON-RPC message", body: json({ hello: "world" }) },
  { name: "a batch over 100 messages", body: json(Array.from({ length: 101 }, (_, i) => list(i))), headers: v("2025-03-26") },
  { name: "initialize batched with another request", body: json([initialize(), list()]) },
  { name: "an unsupported MCP-Protocol-Version", body: json(list()), headers: v("1999-01-01<b>"), notEchoed: "1999-01-01<b>" },
  { name: "tools/list under 2025-06-18", body: json(list()), headers: v("2025-06-18") },
  { name: "tools/list without a version header", body: json(list()) },
  { name: "tools/call with valid arguments", body: json({ jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "echo", arguments: { text: "hi" } } }), headers: v("2025-06-18") },
  { name: "tools/call with invalid arguments", body: json({ jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "echo", arguments: { text: 5 } } }), headers: v("2025-06-18") },
  { name: "an unknown tool", body: json({ jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "nope", arguments: {} } }), headers: v("2025-06-18") },
  { name: "an unknown method", body: json({ jsonrpc: "2.0", id: "x", method: "no/such" }), headers: v("2025-06-18") },
  { name: "a notification only", body: json(initialized), headers: v("2025-06-18") },
  { name: "a JSON-RPC response from the client", body: json({ jsonrpc: "2.0", id: 9, result: {} }), headers: v("2025-06-18") },
  { name: "a batch of two requests", body: json([list(1), list("two")]), headers: v("2025-03-26") },
  { name: "a batch of a request and a notification", body: json([list(1), initialized]), headers: v("2025-03-26") },
  { name: "a batch of one request", body: json([list(1)]), headers: v("2025-03-26") },
  { name: "ping", body: json({ jsonrpc: "2.0", id: 4, method: "ping" }), headers: v("2025-11-25") },
];

function request(c: Case): Request {
  return new Request("https://api.example.com/mcp", { method: "POST", headers: { accept: ACCEPT, "content-type": "application/json", ...c.headers }, body: c.body });
}

/** Status, content type and JSON body: what a client reads. */
async function observed(status: number, contentType: string | null | undefined, body: string | undefined) {
  return { status, contentType: contentType ?? null, body: body ? JSON.parse(body) : null };
}

async function throughSdk(c: Case) {
  const server = buildServer(caller);
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  await server.connect(transport);
  try {
    const response = await transport.handleRequest(request(c), { authInfo });
    return observed(response.status, response.headers.get("content-type"), await response.text());
  } finally {
    await server.close();
  }
}

async function throughServePost(c: Case) {
  const plain = await fromFetchRequest(request(c));
  let body: unknown;
  try {
    body = JSON.parse(plain.body ?? "");
  } catch {
    body = undefined;
  }
  const response = await servePost(buildServer(caller), plain, body, authInfo);
  return observed(response.status, response.headers["content-type"], response.body);
}

describe("servePost answers as the SDK's web-standard transport does in JSON mode", () => {
  it.each(CASES)("$name", async (c) => {
    const [ours, sdk] = await Promise.all([throughServePost(c), throughSdk(c)]);
    if (c.notEchoed !== undefined) {
      expect(sdk.body.error.message).toContain(c.notEchoed);
      expect(JSON.stringify(ours)).not.toContain(c.notEchoed);
      for (const answer of [ours, sdk]) answer.body.error.message = "(differs on purpose)";
    }
    expect(ours).toEqual(sdk);
  });
});
