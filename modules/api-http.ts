import { Construct } from "constructs";
import { Precondition, TerraformIterator, Token } from "cdktf";
import { Apigatewayv2Api } from "@cdktf/provider-aws/lib/apigatewayv2-api";
import { Apigatewayv2Authorizer } from "@cdktf/provider-aws/lib/apigatewayv2-authorizer";
import { Apigatewayv2Integration } from "@cdktf/provider-aws/lib/apigatewayv2-integration";
import { Apigatewayv2Route } from "@cdktf/provider-aws/lib/apigatewayv2-route";
import { Apigatewayv2Stage } from "@cdktf/provider-aws/lib/apigatewayv2-stage";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { encryptedLogGroup } from "./log-group.js";
import { expr, exprList, exprNumber, local, withAddress } from "./expressions.js";
import { DISCOVERY_ROUTE_KEYS, MCP_ROUTE_KEYS, MCP_SCOPE } from "./routes.js";

/** HCL: the integration timeout (declared by {@link HttpApi}), one second above the function's so the function's own timeout fires first; HTTP APIs allow 30 s at most. */
export const INTEGRATION_TIMEOUT_MS = "local.integration_timeout_ms";
const INTEGRATION_TIMEOUT_LOCAL = INTEGRATION_TIMEOUT_MS.replace(/^local\./, "");

/** Name of the access log group (HCL template). */
export const API_LOG_GROUP = "/aws/apigateway/${var.name}";

/** HCL: the API's own base URL (`https://<id>.execute-api.<region>.amazonaws.com`). */
export const HTTP_API_ENDPOINT = "aws_apigatewayv2_api.this.api_endpoint";

/** The HTTP API's only stage: no path prefix, deployed on every change. */
export const HTTP_STAGE = "$default";

/**
 * One line of JSON per request (AU-2, AU-3): who (source IP, client id,
 * tenant claim), what (route), when, and the outcome (status, latency,
 * integration and authorizer errors).
 */
export const ACCESS_LOG_FORMAT = {
  requestId: "$context.requestId",
  requestTime: "$context.requestTimeEpoch",
  sourceIp: "$context.identity.sourceIp",
  userAgent: "$context.identity.userAgent",
  clientId: "$context.authorizer.claims.client_id",
  tenant: "$context.authorizer.claims.${var.tenant_claim}",
  routeKey: "$context.routeKey",
  status: "$context.status",
  responseLength: "$context.responseLength",
  latencyMs: "$context.responseLatency",
  integrationLatencyMs: "$context.integrationLatency",
  integrationStatus: "$context.integrationStatus",
  integrationError: "$context.integrationErrorMessage",
  authorizerError: "$context.authorizer.error",
  error: "$context.error.message",
};

/** Props of {@link HttpApi}. */
export interface HttpApiProps {
  readonly function: LambdaFunction;
  /** HCL: the JWT issuer. */
  readonly issuer: string;
  /** HCL: the app client id accepted as audience. */
  readonly clientId: string;
  /** Guards on the authorizer's inputs. */
  readonly authorizerPreconditions: Precondition[];
  /** Guards on the API's inputs. */
  readonly apiPreconditions: Precondition[];
}

/**
 * The HTTP API (v2) front: MCP routes behind the Cognito JWT authorizer with
 * scope `mcp/invoke`, the unauthenticated RFC 9728 discovery routes, one
 * Lambda proxy integration (payload 2.0), and the `$default` stage with JSON
 * access logs and throttling that is never zero.
 */
export class HttpApi extends Construct {
  readonly api: Apigatewayv2Api;
  readonly stage: Apigatewayv2Stage;
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: HttpApiProps) {
    super(scope, id);
    this.logGroup = encryptedLogGroup(this, "api", API_LOG_GROUP);

    this.api = withAddress(
      new Apigatewayv2Api(this, "http-api", {
        name: expr("var.name"),
        description: "MCP server (Streamable HTTP)",
        protocolType: "HTTP",
        lifecycle: { precondition: props.apiPreconditions },
      }),
      "this",
    );

    const authorizer = withAddress(
      new Apigatewayv2Authorizer(this, "authorizer", {
        apiId: this.api.id,
        name: "cognito",
        authorizerType: "JWT",
        identitySources: ["$request.header.Authorization"],
        jwtConfiguration: { issuer: expr(props.issuer), audience: exprList(`[${props.clientId}]`) },
        lifecycle: { precondition: props.authorizerPreconditions },
      }),
      "this",
    );

    const integration = withAddress(
      new Apigatewayv2Integration(this, "integration", {
        apiId: this.api.id,
        integrationType: "AWS_PROXY",
        integrationMethod: "POST",
        integrationUri: props.function.invokeArn,
        payloadFormatVersion: "2.0",
        timeoutMilliseconds: exprNumber(local(this, INTEGRATION_TIMEOUT_LOCAL, "min(var.lambda_timeout + 1, 30) * 1000")),
      }),
      "this",
    );
    const target = `integrations/${integration.id}`;

    const mcpRoutes = TerraformIterator.fromList([...MCP_ROUTE_KEYS]);
    const mcp = withAddress(
      new Apigatewayv2Route(this, "mcp-routes", {
        forEach: mcpRoutes,
        apiId: this.api.id,
        routeKey: mcpRoutes.value,
        target,
        authorizationType: "JWT",
        authorizerId: authorizer.id,
        authorizationScopes: [MCP_SCOPE],
      }),
      "mcp",
    );

    const discoveryRoutes = TerraformIterator.fromList([...DISCOVERY_ROUTE_KEYS]);
    const discovery = withAddress(
      new Apigatewayv2Route(this, "discovery-routes", {
        forEach: discoveryRoutes,
        apiId: this.api.id,
        routeKey: discoveryRoutes.value,
        target,
        // Clients read this metadata before they have a token, to find the authorization server (RFC 9728).
        authorizationType: "NONE",
      }),
      "discovery",
    );

    const overrides = TerraformIterator.fromMap(Token.asAnyMap(expr("var.route_throttle_overrides")));
    this.stage = withAddress(
      new Apigatewayv2Stage(this, "stage", {
        apiId: this.api.id,
        name: HTTP_STAGE,
        autoDeploy: true,
        accessLogSettings: { destinationArn: this.logGroup.arn, format: expr(`jsonencode(${hclObject(ACCESS_LOG_FORMAT)})`) },
        // Both limits always set: a route setting without them throttles to 0, which rejects everything.
        defaultRouteSettings: {
          throttlingRateLimit: exprNumber("var.throttling_rate_limit"),
          throttlingBurstLimit: exprNumber("var.throttling_burst_limit"),
        },
        routeSettings: overrides.dynamic({
          route_key: overrides.key,
          throttling_rate_limit: overrides.getNumber("rate_limit"),
          throttling_burst_limit: overrides.getNumber("burst_limit"),
        }),
        // Route settings name routes by key; the routes must exist before the stage refers to them.
        dependsOn: [mcp, discovery],
      }),
      "this",
    );

    withAddress(
      new LambdaPermission(this, "permission", {
        statementId: "AllowHttpApiInvoke",
        action: "lambda:InvokeFunction",
        functionName: props.function.functionName,
        principal: "apigateway.amazonaws.com",
        sourceArn: `${this.api.executionArn}/*/*`,
      }),
      "api",
    );
  }

}

/** HCL object literal of string values that may contain HCL templates. */
function hclObject(values: Record<string, string>): string {
  return `{ ${Object.entries(values)
    .map(([k, v]) => `${k} = "${v}"`)
    .join(", ")} }`;
}
