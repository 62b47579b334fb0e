import { input } from "./inputs.js";

/**
 * The access log line both API fronts write (AU-2, AU-3): who (source IP,
 * client id, tenant claim), when, and the outcome (status, latency, errors),
 * plus what each front names differently (route, integration variables).
 */
const COMMON = {
  requestId: "$context.requestId",
  requestTime: "$context.requestTimeEpoch",
  sourceIp: "$context.identity.sourceIp",
  userAgent: "$context.identity.userAgent",
  clientId: "$context.authorizer.claims.client_id",
  tenant: `$context.authorizer.claims.\${${input.tenant_claim}}`,
  status: "$context.status",
  responseLength: "$context.responseLength",
  latencyMs: "$context.responseLatency",
  error: "$context.error.message",
};

/** The HTTP API's line. */
export const HTTP_ACCESS_LOG_FORMAT = {
  ...COMMON,
  routeKey: "$context.routeKey",
  integrationLatencyMs: "$context.integrationLatency",
  integrationStatus: "$context.integrationStatus",
  integrationError: "$context.integrationErrorMessage",
  authorizerError: "$context.authorizer.error",
};

/** The REST API's line: the same facts in REST's context variables. */
export const REST_ACCESS_LOG_FORMAT = {
  ...COMMON,
  httpMethod: "$context.httpMethod",
  resourcePath: "$context.resourcePath",
  integrationLatencyMs: "$context.integration.latency",
  integrationStatus: "$context.integration.status",
  integrationError: "$context.integration.error",
};
