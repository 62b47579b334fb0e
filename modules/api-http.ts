import { Construct } from "constructs";
import { TerraformIterator, Token, Apigatewayv2Api, Apigatewayv2Authorizer, Apigatewayv2Integration, Apigatewayv2Route, Apigatewayv2Stage } from "./framework.js";
import { address, countWhen, expr, exprList, exprNumber, forEachIn, hclList, hclObject, optionalAttr, withAddress } from "./expressions.js";
import { HTTP_ACCESS_LOG_FORMAT } from "./access-log.js";
import { DISCOVERY_ROUTE_KEYS, MCP_ROUTE_KEYS, MCP_SCOPE, OAUTH_ROUTE_KEYS } from "./routes.js";
import { CORS } from "../handler/http-contract.js";
import { CORS_ENABLED } from "./rest-cors.js";
import { input } from "./inputs.js";

/** HCL: true when the HTTP API front is built. */
export const HTTP_FRONT = `${input.api_type} == "HTTP"`;

/** The HTTP API's only stage: no path prefix, deployed on every change. */
export const HTTP_STAGE = "$default";

/** Props of {@link HttpApi}. */
export interface HttpApiProps {
  /** HCL: the function's invoke ARN. */
  readonly invokeArn: string;
  /** HCL: the integration timeout in milliseconds. */
  readonly integrationTimeoutMs: string;
  /** HCL: the access log group's ARN. */
  readonly logGroupArn: string;
  /** HCL: the JWT issuer. */
  readonly issuer: string;
  /** HCL: the app client ids accepted as audience (a list). */
  readonly clientIds: string;
  /** HCL: true when the default `execute-api` endpoint is off (a custom domain serves the API). */
  readonly disableExecuteApiEndpoint: string;
  /** HCL: true when the authorization front's routes are built (`enable_people_sign_in`). */
  readonly oauthRoutes: string;
}

/**
 * The HTTP API (v2) front, built when `api_type = "HTTP"`: MCP routes behind
 * the Cognito JWT authorizer with scope `mcp/invoke`, the unauthenticated
 * RFC 9728 discovery routes and, with people's sign-in, the authorization
 * front's, one Lambda proxy integration (payload 2.0), and
 * the `$default` stage with JSON access logs and throttling that is never zero.
 */
export class HttpApi extends Construct {
  readonly api: Apigatewayv2Api;
  /** The `$default` stage, which an API mapping must wait for. */
  readonly stage: Apigatewayv2Stage;

  constructor(scope: Construct, id: string, props: HttpApiProps) {
    super(scope, id);
    const built = countWhen(HTTP_FRONT);
    const routes = (keys: readonly string[], when?: string) => `${HTTP_FRONT}${when ? ` && ${when}` : ""} ? toset(${hclList(keys)}) : toset([])`;

    this.api = withAddress(new Apigatewayv2Api(this, "http-api", {
        count: built,
        name: expr(input.name),
        description: "MCP server (Streamable HTTP)",
        protocolType: "HTTP",
        disableExecuteApiEndpoint: Token.asAny(expr(props.disableExecuteApiEndpoint)),
      }), "this");
    // Browsers at allowed_origins may call: API Gateway answers their preflights itself and sets the CORS headers of every answer.
    this.api.addOverride("dynamic.cors_configuration", {
      for_each: expr(`${CORS_ENABLED} ? [1] : []`),
      content: {
        allow_origins: expr(input.allowed_origins),
        allow_methods: [...CORS.allowMethods],
        allow_headers: [...CORS.allowHeaders],
        expose_headers: [...CORS.exposeHeaders],
        max_age: CORS.maxAgeSeconds,
        // Tokens travel in Authorization, never in cookies.
        allow_credentials: false,
      },
    });
    const apiId = expr(`${address(this.api)}[0].id`);

    const authorizer = withAddress(
      new Apigatewayv2Authorizer(this, "authorizer", {
        count: built,
        apiId,
        name: "cognito",
        authorizerType: "JWT",
        identitySources: ["$request.header.Authorization"],
        jwtConfiguration: { issuer: expr(props.issuer), audience: exprList(props.clientIds) },
      }),
      "this",
    );

    const integration = withAddress(
      new Apigatewayv2Integration(this, "integration", {
        count: built,
        apiId,
        integrationType: "AWS_PROXY",
        integrationMethod: "POST",
        integrationUri: expr(props.invokeArn),
        payloadFormatVersion: "2.0",
        timeoutMilliseconds: exprNumber(props.integrationTimeoutMs),
      }),
      "this",
    );
    const target = `integrations/\${${address(integration)}[0].id}`;

    const mcp = forEachIn(
      withAddress(
        new Apigatewayv2Route(this, "mcp-routes", {
          apiId,
          routeKey: expr("each.value"),
          target,
          authorizationType: "JWT",
          authorizerId: expr(`${address(authorizer)}[0].id`),
          authorizationScopes: [MCP_SCOPE],
        }),
        "mcp",
      ),
      routes(MCP_ROUTE_KEYS),
    );

    const discovery = forEachIn(
      withAddress(
        new Apigatewayv2Route(this, "discovery-routes", {
          apiId,
          routeKey: expr("each.value"),
          target,
          // Clients read this metadata before they have a token, to find the authorization server (RFC 9728).
          authorizationType: "NONE",
        }),
        "discovery",
      ),
      routes(DISCOVERY_ROUTE_KEYS),
    );

    const oauth = forEachIn(
      withAddress(
        new Apigatewayv2Route(this, "oauth-routes", {
          apiId,
          routeKey: expr("each.value"),
          target,
          // How a person's client gets a token: no token yet (the front checks each request itself).
          authorizationType: "NONE",
        }),
        "oauth",
      ),
      routes(OAUTH_ROUTE_KEYS, props.oauthRoutes),
    );

    const overrides = TerraformIterator.fromMap(Token.asAnyMap(expr(input.route_throttle_overrides)));
    this.stage = withAddress(
      new Apigatewayv2Stage(this, "stage", {
        count: built,
        apiId,
        name: HTTP_STAGE,
        autoDeploy: true,
        accessLogSettings: { destinationArn: expr(props.logGroupArn), format: expr(`jsonencode(${hclObject(HTTP_ACCESS_LOG_FORMAT)})`) },
        // Both limits always set: a route setting without them throttles to 0, which rejects everything.
        defaultRouteSettings: {
          throttlingRateLimit: exprNumber(input.throttling_rate_limit),
          throttlingBurstLimit: exprNumber(input.throttling_burst_limit),
        },
        routeSettings: overrides.dynamic({
          route_key: overrides.key,
          throttling_rate_limit: overrides.getNumber("rate_limit"),
          throttling_burst_limit: overrides.getNumber("burst_limit"),
        }),
        // Route settings name routes by key; the routes must exist before the stage refers to them.
        dependsOn: [mcp, discovery, oauth],
      }),
      "this",
    );
  }

  /** HCL attribute of the API, null when the HTTP front is not built. */
  attribute(name: "id" | "api_endpoint" | "execution_arn"): string {
    return optionalAttr(this.api, name);
  }
}
