import { McpServer } from "@modelcontextprotocol/server";
import type { Caller } from "./caller.js";
import { type Tool, TOOLS } from "./tools/index.js";

/** Name and version the server reports in `initialize` and `server/discover`. */
export const SERVER_INFO = { name: "cdktf-aws-mcp-server", version: "0.1.0" };

/**
 * A fresh MCP server for one request, with `tools` registered. Cheap and
 * side-effect free: Lambda builds one per request, for either protocol era.
 */
export function buildServer(caller: Caller, tools: readonly Tool[] = TOOLS): McpServer {
  const server = new McpServer(SERVER_INFO, { capabilities: { tools: {} } });
  for (const tool of tools) tool.register(server, caller);
  return server;
}
