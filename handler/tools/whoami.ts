import type { McpServer } from "@modelcontextprotocol/server";
import type { Caller } from "../caller.js";

/** `whoami`: the caller as the server sees it — tenant, principal and session. */
export function registerWhoami(server: McpServer, caller: Caller): void {
  server.registerTool(
    "whoami",
    {
      title: "Who am I",
      description: "Returns the caller's tenant, principal and MCP session as this server sees them.",
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    async () => {
      const identity = { tenant: caller.tenant, principal: caller.principal, session: caller.sessionId ?? null };
      return { content: [{ type: "text", text: JSON.stringify(identity) }], structuredContent: identity };
    },
  );
}
