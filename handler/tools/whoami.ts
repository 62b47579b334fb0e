import type { Tool } from "./tool.js";

/** `whoami`: the caller as the server sees it — tenant, principal, session, and the trace context a tool's own calls would carry on. */
export const whoami: Tool = {
  name: "whoami",
  register(server, caller) {
    server.registerTool(
      this.name,
      {
        title: "Who am I",
        description: "Returns the caller's tenant, principal, MCP session and W3C traceparent as this server sees them.",
        annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
      },
      async () => {
        const identity = { tenant: caller.tenant, principal: caller.principal, session: caller.sessionId ?? null, ...(caller.traceparent && { traceparent: caller.traceparent }) };
        return { content: [{ type: "text", text: JSON.stringify(identity) }], structuredContent: identity };
      },
    );
  },
};
