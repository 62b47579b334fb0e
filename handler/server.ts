import { McpServer } from "@modelcontextprotocol/server";
import type { Caller } from "./caller.js";
import { TOOLS } from "./tools/index.js";
import type { Tool } from "./tools/tool.js";
// A named import: esbuild inlines this one field at build time, not the whole file.
import { version } from "../package.json";

/** Name and version the server reports in `initialize` and `server/discover`. */
export const SERVER_INFO = { name: "cdktf-aws-mcp-server", version };

/**
 * A fresh MCP server for one request, with `tools` registered. Cheap and
 * side-effect free: Lambda builds one per request, for either protocol era.
 */
export function buildServer(caller: Caller, tools: readonly Tool[] = TOOLS): McpServer {
  const server = new McpServer(SERVER_INFO, { capabilities: { tools: {} } });
  for (const tool of tools) tool.register(server, caller);
  return server;
}
