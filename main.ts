import { App } from "./modules/framework.js";
import { McpServerStack } from "./modules/index.js";

const app = new App();
new McpServerStack(app, "mcp-server");
app.synth();
