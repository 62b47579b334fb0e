import { Construct } from "constructs";
import { TerraformResource, Apigatewayv2DomainName, Apigatewayv2ApiMapping, ApiGatewayDomainName, ApiGatewayBasePathMapping } from "./framework.js";
import { address, countWhen, expr, withAddress } from "./expressions.js";
import { HTTP_FRONT } from "./api-http.js";
import { REST_FRONT } from "./api-rest.js";
import { Platform } from "./platform.js";
import { input } from "./inputs.js";

/** HCL: true when the API is served on the caller's domain (and its `execute-api` URL is off). */
export const CUSTOM_DOMAIN = `${input.custom_domain_name} != null`;

/** HCL: true when the custom domain requires client certificates. */
export const MUTUAL_TLS = `${input.mtls_truststore_uri} != null`;

/**
 * The API on the caller's domain (SC-7, SC-8, IA-3): a regional API Gateway
 * domain name with a TLS 1.2 security policy, mutual TLS when a truststore
 * is given, mapped at the root so that `/mcp` and the discovery URLs need no
 * stage prefix on either front. With it, both fronts switch their default
 * `execute-api` endpoint off (`disable_execute_api_endpoint`), so the domain,
 * and every control on it, is the only way in.
 */
export class CustomDomain extends Construct {
  /** HCL: the regional host name and hosted zone id a DNS alias record points at, or null without a custom domain. */
  readonly target: string;

  /**
   * @param props.httpApiId, props.restApiId HCL: the ids of the HTTP API and of the REST API (null when not built).
   * @param props.httpStage, props.restStage the stages, which the mappings wait for.
   */
  constructor(
    scope: Construct,
    id: string,
    props: { readonly platform: Platform; readonly httpApiId: string; readonly restApiId: string; readonly httpStage: TerraformResource; readonly restStage: TerraformResource },
  ) {
    super(scope, id);
    const mtls = { for_each: expr(`${MUTUAL_TLS} ? [1] : []`), content: { truststore_uri: expr(input.mtls_truststore_uri), truststore_version: expr(input.mtls_truststore_version) } };

    const http = withAddress(
      new Apigatewayv2DomainName(this, "http-domain", {
        count: countWhen(`${CUSTOM_DOMAIN} && ${HTTP_FRONT}`),
        domainName: expr(input.custom_domain_name),
        domainNameConfiguration: { certificateArn: expr(input.certificate_arn), endpointType: "REGIONAL", securityPolicy: "TLS_1_2" },
      }),
      "this",
    );
    http.addOverride("dynamic.mutual_tls_authentication", mtls);
    withAddress(
      new Apigatewayv2ApiMapping(this, "http-mapping", {
        count: countWhen(`${CUSTOM_DOMAIN} && ${HTTP_FRONT}`),
        apiId: expr(props.httpApiId),
        domainName: expr(`${address(http)}[0].id`),
        // The stage's own attribute, not the literal "$default": CreateApiMapping fails ("Invalid stage identifier specified") when it runs before the stage exists (aws-cdk#9078).
        stage: expr(`${address(props.httpStage)}[0].name`),
      }),
      "this",
    );

    const rest = withAddress(
      new ApiGatewayDomainName(this, "rest-domain", {
        count: countWhen(`${CUSTOM_DOMAIN} && ${REST_FRONT}`),
        domainName: expr(input.custom_domain_name),
        regionalCertificateArn: expr(input.certificate_arn),
        endpointConfiguration: { types: ["REGIONAL"] },
        securityPolicy: "TLS_1_2",
      }),
      "this",
    );
    rest.addOverride("dynamic.mutual_tls_authentication", mtls);
    withAddress(
      new ApiGatewayBasePathMapping(this, "rest-mapping", {
        count: countWhen(`${CUSTOM_DOMAIN} && ${REST_FRONT}`),
        apiId: expr(props.restApiId),
        domainName: expr(`${address(rest)}[0].domain_name`),
        // The stage's own attribute, so the mapping waits for the deployed stage.
        stageName: expr(`${address(props.restStage)}[0].stage_name`),
      }),
      "this",
    );

    this.target = `${CUSTOM_DOMAIN} ? (${HTTP_FRONT} ? {
      domain_name    = ${address(http)}[0].domain_name_configuration[0].target_domain_name
      hosted_zone_id = ${address(http)}[0].domain_name_configuration[0].hosted_zone_id
    } : {
      domain_name    = ${address(rest)}[0].regional_domain_name
      hosted_zone_id = ${address(rest)}[0].regional_zone_id
    }) : null`;
  }
}

