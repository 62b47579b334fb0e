import type { McpServer } from "@modelcontextprotocol/server";
import type { Caller } from "../caller.js";
import { echo } from "./echo.js";
import { whoami } from "./whoami.js";

/** A tool: its name (the one the request log may record) and how it registers on a server built for `caller`. */
export interface Tool {
  readonly name: string;
  register(server: McpServer, caller: Caller): void;
}

/** Every tool the server offers: add a file under handler/tools/ and its entry here. */
export const TOOLS: readonly Tool[] = [whoami, echo];
