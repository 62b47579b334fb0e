import { z } from "zod";
import type { McpServer } from "@modelcontextprotocol/server";

/** `echo`: returns its input; the pattern for a tool with a validated argument. */
export function registerEcho(server: McpServer): void {
  server.registerTool(
    "echo",
    {
      title: "Echo",
      description: "Returns the given text unchanged.",
      inputSchema: z.object({ text: z.string().max(10_000).describe("Text to return") }),
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    async ({ text }) => ({ content: [{ type: "text", text }] }),
  );
}
