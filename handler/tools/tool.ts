import type { McpServer } from "@modelcontextprotocol/server";
import type { Caller } from "../caller.js";

/** A tool: its name (the one the request log may record) and how it registers on a server built for `caller`. */
export interface Tool {
  readonly name: string;
  register(server: McpServer, caller: Caller): void;
}
