import { Construct } from "constructs";
import { Token, ApiGatewayRestApi, ApiGatewayAuthorizer, ApiGatewayResource, ApiGatewayMethod, ApiGatewayIntegration, ApiGatewayDeployment, ApiGatewayStage, ApiGatewayMethodSettings, ApiGatewayGatewayResponse, Wafv2WebAclAssociation } from "./framework.js";
import { ApiGatewayCloudWatchRole } from "./api-gateway-account.js";
import { CORS_ENABLED, RestCors } from "./rest-cors.js";
import { Platform } from "./platform.js";
import { address, countWhen, expr, exprList, exprMap, exprNumber, forEachIn, hclObject, local, optionalAttr, withAddress } from "./expressions.js";
import { REST_ACCESS_LOG_FORMAT } from "./access-log.js";
import { DISCOVERY_ROUTE_KEYS, MCP_ROUTE_KEYS, MCP_SCOPE, OAUTH_ROUTE_KEYS } from "./routes.js";
import { input } from "./inputs.js";

/** HCL: true when the REST API front is built. */
export const REST_FRONT = `${input.api_type} == "REST"`;

/**
 * HCL: true when API Gateway invokes the function with response streaming: the REST front with
 * `enable_response_streaming` (HTTP APIs cannot stream; the input rules refuse the switch there).
 */
export const STREAMING_INVOKE = `(${REST_FRONT} && ${input.enable_response_streaming})`;

/** The REST stage; its name prefixes every path (`/v1/mcp`). */
export const REST_STAGE = "v1";

/** Tenant id of the unauthenticated discovery invokes of a tenant-isolated function (they carry no token, so no tenant). */
export const DISCOVERY_TENANT = ".well-known";

/** The REST resource of each path, by the name its `aws_api_gateway_resource` gets; `oauth` ones exist with people's sign-in only. */
const RESOURCES: Record<string, { readonly parent: string | null; readonly pathPart: string; readonly oauth?: true }> = {
  mcp: { parent: null, pathPart: "mcp" },
  well_known: { parent: null, pathPart: ".well-known" },
  protected_resource: { parent: "well_known", pathPart: "oauth-protected-resource" },
  protected_resource_mcp: { parent: "protected_resource", pathPart: "mcp" },
  authorization_server: { parent: "well_known", pathPart: "oauth-authorization-server", oauth: true },
  openid_configuration: { parent: "well_known", pathPart: "openid-configuration", oauth: true },
  authorize: { parent: null, pathPart: "authorize", oauth: true },
  token: { parent: null, pathPart: "token", oauth: true },
  register: { parent: null, pathPart: "register", oauth: true },
  oauth: { parent: null, pathPart: "oauth", oauth: true },
  oauth_callback: { parent: "oauth", pathPart: "callback", oauth: true },
};
/** The name of the resource of `path`: the one whose path parts, from the root, spell it. */
function resourceOf(path: string): string {
  const pathOf = (name: string): string => `${RESOURCES[name].parent ? pathOf(RESOURCES[name].parent!) : ""}/${RESOURCES[name].pathPart}`;
  const found = Object.keys(RESOURCES).find((name) => pathOf(name) === path);
  if (!found) throw new Error(`no REST resource for ${path}`);
  return found;
}

/** HCL: the REST methods of route keys (the keys `route_throttle_overrides` takes), with their method path (`mcp/POST`). */
const methodsOf = (keys: readonly string[]) =>
  `{ ${keys
    .map((key) => {
      const [method, path] = key.split(" ");
      const authorized = (MCP_ROUTE_KEYS as readonly string[]).includes(key);
      return `${JSON.stringify(key)} = { http_method = "${method}", resource = "${resourceOf(path)}", method_path = "${path.slice(1)}/${method}", authorized = ${authorized} }`;
    })
    .join(", ")} }`;

/** Props of {@link RestApi}. */
export interface RestApiProps {
  /** HCL: the function's invoke ARN. */
  readonly invokeArn: string;
  /** HCL: the integration timeout in milliseconds. */
  readonly integrationTimeoutMs: string;
  /** HCL: the access log group's ARN. */
  readonly logGroupArn: string;
  /** HCL: the Cognito user pool ARN the authorizer trusts. */
  readonly userPoolArn: string;
  /** HCL: the URL of the protected resource metadata, for the 401's `resource_metadata`. */
  readonly resourceMetadataUrl: string;
  /** HCL: true when the default `execute-api` endpoint is off (a custom domain serves the API). */
  readonly disableExecuteApiEndpoint: string;
  /** Where the API is deployed: a regional web ACL must be in its region, and the account's logging role names it. */
  readonly platform: Platform;
  /** Whether the provider has `response_transfer_mode` (6.x); the 5.x build's input rules refuse streaming. */
  readonly streamingSupported: boolean;
  /** HCL: true when the authorization front's paths are built (`enable_people_sign_in`). */
  readonly oauthRoutes: string;
}

/**
 * The REST API (v1) front, built when `api_type = "REST"`: regional API,
 * `/mcp` with POST, GET and DELETE behind a Cognito user pool authorizer with
 * scope `mcp/invoke`, the unauthenticated discovery paths, Lambda proxy
 * integrations (carrying the verified tenant as `X-Amz-Tenant-Id` under
 * tenant isolation; streaming with `enable_response_streaming`), a deployment replaced whenever the API changes, the
 * stage with JSON access logs, X-Ray and method throttling, a 401 that
 * points at the protected resource metadata, and the regional WAF.
 */
export class RestApi extends Construct {
  readonly api: ApiGatewayRestApi;
  readonly stage: ApiGatewayStage;

  constructor(scope: Construct, id: string, props: RestApiProps) {
    super(scope, id);
    const built = countWhen(REST_FRONT);
    this.api = withAddress(
      new ApiGatewayRestApi(this, "rest-api", {
        count: built,
        name: expr(input.name),
        description: "MCP server (Streamable HTTP)",
        endpointConfiguration: { types: ["REGIONAL"] },
        disableExecuteApiEndpoint: Token.asAny(expr(props.disableExecuteApiEndpoint)),
        // Terraform already forces this on every dependency of the deployment's create_before_destroy;
        // written out so that scanners (CKV_AWS_237) read what Terraform does.
        lifecycle: { createBeforeDestroy: true },
      }),
      "this",
    );
    const api = `${address(this.api)}[0]`;
    const restApiId = expr(`${api}.id`);

    const resources: Record<string, string> = {};
    const withOAuth = `${REST_FRONT} && ${props.oauthRoutes}`;
    for (const [name, { parent, pathPart, oauth }] of Object.entries(RESOURCES)) {
      const resource = withAddress(
        new ApiGatewayResource(this, `resource-${name}`, {
          count: oauth ? countWhen(withOAuth) : built,
          restApiId,
          parentId: expr(parent ? `${resources[parent]}.id` : `${api}.root_resource_id`),
          pathPart,
        }),
        name,
      );
      resources[name] = `${address(resource)}[0]`;
    }
    const ids = (oauth: boolean) => `{ ${Object.entries(resources).filter(([n]) => !!RESOURCES[n].oauth === oauth).map(([n, r]) => `${n} = ${r}.id`).join(", ")} }`;
    const resourceIds = local(this, "rest_resource_ids", `${REST_FRONT} ? merge(${ids(false)}, ${props.oauthRoutes} ? ${ids(true)} : {}) : {}`);
    const methods = local(this, "rest_methods", `${REST_FRONT} ? merge(${methodsOf([...MCP_ROUTE_KEYS, ...DISCOVERY_ROUTE_KEYS])}, ${props.oauthRoutes} ? ${methodsOf(OAUTH_ROUTE_KEYS)} : {}) : {}`);

    const authorizer = withAddress(
      new ApiGatewayAuthorizer(this, "authorizer", {
        count: built,
        restApiId,
        name: "cognito",
        type: "COGNITO_USER_POOLS",
        providerArns: [expr(props.userPoolArn)],
        identitySource: "method.request.header.Authorization",
      }),
      "this",
    );

    const method = forEachIn(
      withAddress(
        new ApiGatewayMethod(this, "method", {
          restApiId,
          resourceId: expr(`${resourceIds}[each.value.resource]`),
          httpMethod: expr("each.value.http_method"),
          // Discovery and the authorization front stay open: clients use them before they hold a token (RFC 9728).
          authorization: expr('each.value.authorized ? "COGNITO_USER_POOLS" : "NONE"'),
          authorizerId: expr(`each.value.authorized ? ${address(authorizer)}[0].id : null`),
          authorizationScopes: exprList(`each.value.authorized ? ["${MCP_SCOPE}"] : null`),
        }),
        "this",
      ),
      methods,
    );

    const integration = forEachIn(
      withAddress(
        new ApiGatewayIntegration(this, "integration", {
          restApiId,
          resourceId: expr(`${resourceIds}[each.value.resource]`),
          httpMethod: expr(`${address(method)}[each.key].http_method`),
          type: "AWS_PROXY",
          integrationHttpMethod: "POST",
          uri: expr(props.invokeArn),
          timeoutMilliseconds: exprNumber(props.integrationTimeoutMs),
          // Every path streams or none: a streaming function's answer through a buffered integration loses its body.
          ...(props.streamingSupported && { responseTransferMode: expr(`${input.enable_response_streaming} ? "STREAM" : "BUFFERED"`) }),
          // Every invoke of a tenant-isolated function names its tenant: the verified claim, never a client header.
          requestParameters: exprMap(
            `${input.enable_tenant_isolation} ? { "integration.request.header.X-Amz-Tenant-Id" = each.value.authorized ? "context.authorizer.claims.\${${input.tenant_claim}}" : "'${DISCOVERY_TENANT}'" } : {}`,
          ),
        }),
        "this",
      ),
      methods,
    );

    const unauthorized = withAddress(
      new ApiGatewayGatewayResponse(this, "unauthorized", {
        count: built,
        restApiId,
        responseType: "UNAUTHORIZED",
        statusCode: "401",
        // RFC 9728: the challenge names the protected resource metadata, where clients find the authorization server.
        // A browser client reads the challenge too: a gateway response cannot check an allow-list, so it names the caller's origin, which
        // lets any page read a 401 that says only where the public metadata is.
        responseParameters: exprMap(
          `merge({ "gatewayresponse.header.WWW-Authenticate" = "'Bearer resource_metadata=\\"\${${props.resourceMetadataUrl}}\\"'" }, ${CORS_ENABLED} ? { "gatewayresponse.header.Access-Control-Allow-Origin" = "method.request.header.origin", "gatewayresponse.header.Access-Control-Expose-Headers" = "'WWW-Authenticate'", "gatewayresponse.header.Vary" = "'Origin'" } : {})`,
        ),
        responseTemplates: { "application/json": '{"message":$context.error.messageString}' },
      }),
      "unauthorized",
    );

    const cors = new RestCors(this, "cors", { when: REST_FRONT, restApiId: `${api}.id`, resources: { id: `${resources.mcp}.id` }, address: "cors" });
    // A browser-based client's token request and registration are preflighted too (JSON body, or a form with its own headers).
    const oauthCors = new RestCors(this, "oauth-cors", {
      when: withOAuth,
      restApiId: `${api}.id`,
      resources: { ids: `{ token = ${resources.token}.id, register = ${resources.register}.id }` },
      address: "oauth_cors",
    });

    const deployment = withAddress(
      new ApiGatewayDeployment(this, "deployment", {
        count: built,
        restApiId,
        // A new deployment whenever a method, integration, authorizer, gateway response or the preflight changes, and whenever the execute-api endpoint is
        // switched on or off: API Gateway applies disable_execute_api_endpoint to a REST API only with its next deployment.
        triggers: {
          redeployment: expr(
            `sha1(jsonencode([${[method, integration, authorizer, unauthorized, ...cors.resources, ...oauthCors.resources].map((r) => address(r)).join(", ")}, ${resourceIds}, ${props.disableExecuteApiEndpoint}]))`,
          ),
        },
        lifecycle: { createBeforeDestroy: true },
        dependsOn: [method, integration, unauthorized, ...cors.resources, ...oauthCors.resources],
      }),
      "this",
    );

    const cloudWatchRole = new ApiGatewayCloudWatchRole(this, "cloudwatch-role", { platform: props.platform, restFront: REST_FRONT });
    this.stage = withAddress(
      new ApiGatewayStage(this, "stage", {
        count: built,
        restApiId,
        stageName: REST_STAGE,
        deploymentId: expr(`${address(deployment)}[0].id`),
        xrayTracingEnabled: true,
        accessLogSettings: { destinationArn: expr(props.logGroupArn), format: expr(`jsonencode(${hclObject(REST_ACCESS_LOG_FORMAT)})`) },
        // A stage with access logs fails to create until the account's CloudWatch Logs role is set in the region.
        dependsOn: [cloudWatchRole.setting],
      }),
      "this",
    );
    const stage = `${address(this.stage)}[0]`;

    // Both limits always set: a setting without them throttles to 0, which rejects everything.
    withAddress(
      new ApiGatewayMethodSettings(this, "settings-all", {
        count: built,
        restApiId,
        stageName: expr(`${stage}.stage_name`),
        methodPath: "*/*",
        settings: {
          throttlingRateLimit: exprNumber(input.throttling_rate_limit),
          throttlingBurstLimit: exprNumber(input.throttling_burst_limit),
          metricsEnabled: true,
        },
      }),
      "all",
    );
    forEachIn(
      withAddress(
        new ApiGatewayMethodSettings(this, "settings-override", {
          restApiId,
          stageName: expr(`${stage}.stage_name`),
          methodPath: expr(`${methods}[each.key].method_path`),
          settings: {
            throttlingRateLimit: exprNumber("each.value.rate_limit"),
            throttlingBurstLimit: exprNumber("each.value.burst_limit"),
            metricsEnabled: true,
          },
        }),
        "override",
      ),
      `${REST_FRONT} ? ${input.route_throttle_overrides} : {}`,
    );

    // A regional web ACL attaches to the stage directly; with CloudFront the ACL goes on the distribution instead.
    withAddress(
      new Wafv2WebAclAssociation(this, "waf", {
        count: countWhen(`${REST_FRONT} && ${input.waf_acl_arn} != null && !${input.enable_cloudfront}`),
        resourceArn: expr(`${stage}.arn`),
        webAclArn: expr(input.waf_acl_arn),
      }),
      "stage",
    );
  }

  /** HCL attribute of the API, null when the REST front is not built. */
  attribute(name: "id" | "execution_arn" | "root_resource_id"): string {
    return optionalAttr(this.api, name);
  }
}
