import { App } from "cdktf";
import { McpServerStack } from "./modules/index.js";

const app = new App();
new McpServerStack(app, "mcp-server");
app.synth();
