import { describe, expect, it } from "vitest";
import * as z from "zod";
import { createMcpApp } from "../handler/mcp-app.js";
import { listedOnce } from "../handler/tools/schema.js";

/**
 * listedOnce: a tool schema converted to JSON Schema once per environment,
 * while the SDK asks for the conversion on every tools/list of every
 * per-request server.
 */
const TARGET = { target: "draft-2020-12" };
type Convert = (options: Record<string, unknown>) => Record<string, unknown>;
const jsonSchemaOf = (schema: z.ZodType) => (schema["~standard"] as unknown as { jsonSchema: { input: Convert; output: Convert } }).jsonSchema;

/** A schema whose zod conversions are counted, before listedOnce wraps it. */
function counted() {
  const schema = z.object({ text: z.string().max(10).describe("Some text"), n: z.number().int().optional() });
  const zods = jsonSchemaOf(schema);
  const calls = { input: 0, output: 0 };
  (schema as { "~standard": unknown })["~standard"] = {
    ...schema["~standard"],
    jsonSchema: {
      input: (options: Record<string, unknown>) => (calls.input++, zods.input(options)),
      output: (options: Record<string, unknown>) => (calls.output++, zods.output(options)),
    },
  };
  return { schema: listedOnce(schema), calls };
}

describe("listedOnce", () => {
  it("converts each direction once and returns zod's own JSON Schema", () => {
    const { schema, calls } = counted();
    const fresh = z.object({ text: z.string().max(10).describe("Some text"), n: z.number().int().optional() });
    const first = jsonSchemaOf(schema).input(TARGET);
    expect(jsonSchemaOf(schema).input(TARGET)).toBe(first);
    expect(first).toEqual(jsonSchemaOf(fresh).input(TARGET));
    expect(jsonSchemaOf(schema).output(TARGET)).toEqual(jsonSchemaOf(fresh).output(TARGET));
    jsonSchemaOf(schema).output(TARGET);
    expect(calls).toEqual({ input: 1, output: 1 });
  });

  it("keeps one conversion per target", () => {
    const { schema, calls } = counted();
    jsonSchemaOf(schema).input(TARGET);
    jsonSchemaOf(schema).input({ target: "draft-07" });
    jsonSchemaOf(schema).input({ target: "draft-07" });
    expect(calls.input).toBe(2);
  });

  it("does not remember conversions with library options, which change the result", () => {
    const { schema, calls } = counted();
    jsonSchemaOf(schema).input({ ...TARGET, libraryOptions: { unrepresentable: "any" } });
    jsonSchemaOf(schema).input({ ...TARGET, libraryOptions: { unrepresentable: "any" } });
    expect(calls.input).toBe(2);
  });

  it("shares a frozen result, so that changing it fails instead of changing later answers", () => {
    const { schema } = counted();
    const json = jsonSchemaOf(schema).input(TARGET) as { properties: Record<string, { maxLength?: number }> };
    expect(() => {
      json.properties.text.maxLength = 99;
    }).toThrow(TypeError);
  });

  it("leaves validation to zod", () => {
    const { schema } = counted();
    expect(schema.safeParse({ text: "hi" }).success).toBe(true);
    expect(schema.safeParse({ text: "far too long for it" }).success).toBe(false);
    expect(schema.safeParse({ text: "hi", n: 1.5 }).success).toBe(false);
  });

  it("gives every tools/list the same schema as the first", async () => {
    const app = createMcpApp({ tenantClaim: "client_id", scopes: ["mcp/invoke"], allowedOrigins: [], log: () => undefined });
    const list = async () => {
      const response = await app.handle({
        request: {
          method: "POST",
          url: new URL("https://api.example.com/mcp"),
          headers: new Map([
            ["content-type", "application/json"],
            ["accept", "application/json, text/event-stream"],
            ["mcp-protocol-version", "2025-06-18"],
          ]),
          body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
        },
        claims: { client_id: "acme", sub: "acme", scope: "mcp/invoke" },
        requestId: "r-1",
      });
      expect(response.status).toBe(200);
      const { result } = JSON.parse(response.body!) as { result: { tools: { name: string; inputSchema: unknown }[] } };
      return result.tools.find((tool) => tool.name === "echo")!.inputSchema;
    };
    const first = await list();
    expect(first).toMatchObject({ type: "object", properties: { text: { type: "string", maxLength: 10_000, description: "Text to return" } }, required: ["text"] });
    expect(await list()).toEqual(first);
  });
});
