/**
 * The Lambda handler a user would write with the MCP TypeScript SDK alone,
 * the baseline `npm run bench` compares ours with: createMcpHandler, one
 * tool, an HTTP API (payload 2.0) adapter, nothing else. Bundled by the bench
 * with the same esbuild options as `npm run build:handler`. zod is imported
 * as the SDK's documentation writes it (`import * as z from "zod/v4"`).
 */
import { createMcpHandler, McpServer } from "@modelcontextprotocol/server";
import * as z from "zod/v4";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";

const mcp = createMcpHandler(() => {
  const server = new McpServer({ name: "bare", version: "1.0.0" });
  server.registerTool("echo", { description: "Returns the given text.", inputSchema: z.object({ text: z.string() }) }, async ({ text }) => ({
    content: [{ type: "text", text }],
  }));
  return server;
});

export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const body = event.body === undefined ? undefined : event.isBase64Encoded ? Buffer.from(event.body, "base64") : event.body;
  const request = new Request(`https://${event.requestContext.domainName}${event.rawPath}`, {
    method: event.requestContext.http.method,
    headers: event.headers as Record<string, string>,
    body,
  });
  const response = await mcp.fetch(request);
  return { statusCode: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
}
