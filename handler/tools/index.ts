import type { McpServer } from "@modelcontextprotocol/server";
import type { Caller } from "../caller.js";
import { registerEcho } from "./echo.js";
import { registerWhoami } from "./whoami.js";

/** Registers one tool on a server built for `caller`. */
export type ToolRegistration = (server: McpServer, caller: Caller) => void;

/** Every tool the server offers: add a file under handler/tools/ and its registration here. */
export const TOOLS: readonly ToolRegistration[] = [registerWhoami, registerEcho];
