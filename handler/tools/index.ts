import { countdown } from "./countdown.js";
import { echo } from "./echo.js";
import type { Tool } from "./tool.js";
import { whoami } from "./whoami.js";

/** Every tool the server offers: add a file under handler/tools/ and its entry here. */
export const TOOLS: readonly Tool[] = [whoami, echo, countdown];
