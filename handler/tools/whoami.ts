import type { Tool } from "./tool.js";

/** `whoami`: the caller as the server sees it — tenant, principal and session. */
export const whoami: Tool = {
  name: "whoami",
  register(server, caller) {
    server.registerTool(
      this.name,
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
  },
};
