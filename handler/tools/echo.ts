// The namespace import, as zod 4 documents it, lets esbuild keep only the parts
// of zod in use. `import { z } from "zod"` would pull all of zod and its 40
// locales into the bundle: 645 KB instead of 304 KB (docs/performance.md).
import * as z from "zod";
import type { Tool } from "./tool.js";
import { listedOnce } from "./schema.js";

/** Built once per environment, not per request: the SDK turns it into JSON Schema for every tools/list. */
const input = listedOnce(z.object({ text: z.string().max(10_000).describe("Text to return") }));

/** `echo`: returns its input; the pattern for a tool with a validated argument. */
export const echo: Tool = {
  name: "echo",
  register(server) {
    server.registerTool(
      this.name,
      {
        title: "Echo",
        description: "Returns the given text unchanged.",
        inputSchema: input,
        annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
      },
      async ({ text }) => ({ content: [{ type: "text", text }] }),
    );
  },
};
