import type { APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { optionsFromEnvironment } from "./config.js";
import { fromHttpApiEvent, HttpApiEvent, toHttpApiResult } from "./events/http-api.js";
import { createMcpApp } from "./mcp-app.js";

// Built once per cold start; every request reuses it.
const app = createMcpApp(optionsFromEnvironment(process.env));

/** Lambda entry for API Gateway HTTP API (payload 2.0) events. */
export async function handler(event: HttpApiEvent, context: Context & { tenantId?: string }): Promise<APIGatewayProxyStructuredResultV2> {
  return toHttpApiResult(await app.handle(fromHttpApiEvent(event), { tenantId: context.tenantId }));
}
