import type { APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { fromHttpApiEvent, HttpApiEvent, toHttpApiResult } from "./events/http-api.js";
import { createMcpApp, McpAppOptions } from "./mcp-app.js";

/** A Lambda handler for HTTP API (payload 2.0) events; `context.tenantId` is set under tenant isolation. */
export type HttpApiHandler = (event: HttpApiEvent, context: Context & { tenantId?: string }) => Promise<APIGatewayProxyStructuredResultV2>;

/** The Lambda handler around an MCP application built once from `options`. */
export function createHttpApiHandler(options: McpAppOptions): HttpApiHandler {
  const app = createMcpApp(options);
  return async (event, context) => toHttpApiResult(await app.handle(fromHttpApiEvent(event), { tenantId: context.tenantId }));
}
