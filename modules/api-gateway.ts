import { Construct } from "constructs";
import { LambdaFunction, LambdaPermission, CloudwatchLogGroup } from "./framework.js";
import { address, expr, local, withAddress } from "./expressions.js";
import { encryptedLogGroup } from "./log-group.js";
import { HTTP_FRONT, HTTP_STAGE, HttpApi } from "./api-http.js";
import { REST_FRONT, REST_STAGE, RestApi, STREAMING_INVOKE } from "./api-rest.js";
import { Platform } from "./platform.js";
import { CUSTOM_DOMAIN, CustomDomain } from "./custom-domain.js";
import { input } from "./inputs.js";

/** The gateway's metrics the alarms and the dashboard read, as each front names them (API Gateway developer guide: HTTP API and REST API metrics). */
export const GATEWAY_METRICS = {
  requests: { http: "Count", rest: "Count" },
  clientErrors: { http: "4xx", rest: "4XXError" },
  serverErrors: { http: "5xx", rest: "5XXError" },
  latency: { http: "Latency", rest: "Latency" },
} as const;
/** One of {@link GATEWAY_METRICS}. */
export type GatewayMetric = keyof typeof GATEWAY_METRICS;

/** Name of the access log group both fronts write to (HCL template). */
export const API_LOG_GROUP = `/aws/apigateway/\${${input.name}}`;

/** Props of {@link ApiGateway}. */
export interface ApiGatewayProps {
  readonly platform: Platform;
  /** HCL: the function's invoke ARN. */
  readonly invokeArn: string;
  /** HCL: JWT issuer, audience client ids and user pool ARN. */
  readonly issuer: string;
  /** HCL: the app client ids the HTTP API's authorizer accepts as audience (a list). */
  readonly clientIds: string;
  readonly userPoolArn: string;
  /** HCL: the public base URL clients use (CloudFront's when enabled), for the REST 401's metadata link. */
  readonly publicBaseUrl: string;
  /** Whether the provider can stream REST integrations (the 6.x build). */
  readonly streamingSupported: boolean;
  /** HCL: true when the authorization front's routes are built (`enable_people_sign_in`). */
  readonly oauthRoutes: string;
}

/**
 * The API Gateway front the inputs choose (`api_type`): the HTTP API or the
 * REST API, with what they share — the access log group, the function's
 * invoke permission, the integration timeout, the optional custom domain, the
 * API's own URL and the metric dimensions the alarms watch.
 */
export class ApiGateway extends Construct {
  readonly logGroup: CloudwatchLogGroup;
  /** HCL: the built API's id. */
  readonly apiId: string;
  /** HCL: the API's own base URL, without a trailing slash (`.../v1` on REST). */
  readonly url: string;
  /** HCL: the host and path prefix CloudFront's origin uses. */
  readonly originDomain: string;
  readonly originPath: string;
  /** HCL: the integration timeout in milliseconds. */
  readonly integrationTimeoutMs: string;
  readonly http: HttpApi;
  readonly rest: RestApi;
  readonly domain: CustomDomain;

  constructor(scope: Construct, id: string, props: ApiGatewayProps) {
    super(scope, id);
    const { region, dnsSuffix } = props.platform;
    this.logGroup = encryptedLogGroup(this, "api", API_LOG_GROUP);
    // One second above the function's timeout, so the function's own timeout fires (and is logged) first; HTTP APIs wait 30 s at most,
    // buffered REST integrations 29 s, streaming ones 15 minutes.
    this.integrationTimeoutMs = local(this, "integration_timeout_ms", `min(${input.lambda_timeout} + 1, ${STREAMING_INVOKE} ? 900 : ${REST_FRONT} ? 29 : 30) * 1000`);
    const front = {
      invokeArn: props.invokeArn,
      integrationTimeoutMs: this.integrationTimeoutMs,
      logGroupArn: `${address(this.logGroup)}.arn`,
      // A custom domain is the only way in: every control on it (TLS policy, mutual TLS) would be bypassed through execute-api.
      disableExecuteApiEndpoint: CUSTOM_DOMAIN,
      oauthRoutes: props.oauthRoutes,
    };
    this.http = new HttpApi(this, "http", { ...front, issuer: props.issuer, clientIds: props.clientIds });
    this.rest = new RestApi(this, "rest", {
      ...front,
      platform: props.platform,
      streamingSupported: props.streamingSupported,
      userPoolArn: props.userPoolArn,
      resourceMetadataUrl: `"\${${props.publicBaseUrl}}/.well-known/oauth-protected-resource/mcp"`,
    });

    this.domain = new CustomDomain(this, "domain", {
      platform: props.platform,
      httpApiId: this.http.attribute("id"),
      restApiId: this.rest.attribute("id"),
      httpStage: this.http.stage,
      restStage: this.rest.stage,
    });

    const restHost = `"\${${this.rest.attribute("id")}}.execute-api.\${${region}}.\${${dnsSuffix}}"`;
    this.apiId = local(this, "api_id", `${REST_FRONT} ? ${this.rest.attribute("id")} : ${this.http.attribute("id")}`);
    // The custom domain maps the API at its root: no stage prefix there.
    this.originDomain = local(
      this,
      "api_origin_domain",
      `${CUSTOM_DOMAIN} ? ${input.custom_domain_name} : ${REST_FRONT} ? ${restHost} : trimprefix(${this.http.attribute("api_endpoint")}, "https://")`,
    );
    this.originPath = `${CUSTOM_DOMAIN} ? "" : ${REST_FRONT} ? "/${REST_STAGE}" : ""`;
    this.url = local(this, "api_url", `"https://\${${this.originDomain}}\${${this.originPath}}"`);
  }

  /** Lets this API, and only it, invoke `fn` (`aws_lambda_permission.api`). */
  allowInvoke(fn: LambdaFunction): void {
    withAddress(
      new LambdaPermission(this, "permission", {
        statementId: "AllowApiGatewayInvoke",
        action: "lambda:InvokeFunction",
        functionName: expr(`${address(fn)}.function_name`),
        principal: "apigateway.amazonaws.com",
        // Any stage, method and path of this API only.
        sourceArn: expr(`"\${${REST_FRONT} ? ${this.rest.attribute("execution_arn")} : ${this.http.attribute("execution_arn")}}/*"`),
        // A replaced function (enable_tenant_isolation toggled: tenancy_config forces a new one) loses its resource policy, and this
        // permission with it, while its name stays the same: the function's id is unknown only on replacement, so only then is this replaced.
        lifecycle: { replaceTriggeredBy: [`${address(fn)}.id`] },
      }),
      "api",
    );
  }

  /** HCL: the name and dimensions of one of the gateway's metrics on the built front. */
  metric(which: GatewayMetric): { name: string; dimensions: string } {
    const { http, rest } = GATEWAY_METRICS[which];
    return {
      name: `${HTTP_FRONT} ? "${http}" : "${rest}"`,
      dimensions: `${HTTP_FRONT} ? { ApiId = ${this.http.attribute("id")}, Stage = "${HTTP_STAGE}" } : { ApiName = ${input.name}, Stage = "${REST_STAGE}" }`,
    };
  }
}
