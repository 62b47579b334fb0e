import { Construct } from "constructs";
import { DataResource, TerraformStack } from "./framework.js";
import { expr, hclList, withAddress } from "./expressions.js";
import { input, type InputName } from "./inputs.js";
import { Platform } from "./platform.js";
import { AwsProviderMajor, STREAMING_MIN_PROVIDER, TENANCY_MIN_PROVIDER } from "./provider.js";
import { REST_FRONT, STREAMING_INVOKE } from "./api-rest.js";
import { CUSTOM_DOMAIN, MUTUAL_TLS } from "./custom-domain.js";
import { OAUTH_ROUTE_KEYS } from "./routes.js";
import { CREATES_POOL, EXTERNAL_CLIENT_IDS, EXTERNAL_CLIENTS_GIVEN, EXTERNAL_POOL_INPUTS, MAX_ALLOWED_CLIENTS, MAX_HTTP_AUDIENCES } from "./cognito-auth.js";

/**
 * Every rule that combines inputs (a variable's own validation can only see
 * that variable), in one place. Errors refuse the plan; warnings (`check`
 * blocks) let it through. Each rule names the input it concerns, and its
 * message starts with that input's name, so a failure says which value to
 * change; each says what to set instead.
 *
 * The rules run whatever the switches, and Terraform evaluates both sides of
 * || and && and a rule's message even when the rule holds: a rule or message
 * that reads a value which may be null (split(), regex()) guards it with a
 * conditional, which evaluates only the branch it takes, or with try()/can().
 */

/** A rule over several inputs: `condition` (HCL) holds for a configuration that can work. */
export interface InputRule {
  /** The input whose value the message tells the user to change. */
  readonly input: InputName;
  readonly condition: string;
  readonly message: string;
}

/** HCL: how many app clients may call: one per tenant of the module's pool, or the external pool's allowed ids. */
const ALLOWED_CLIENT_COUNT = `(${CREATES_POOL} ? length(${input.tenants}) : length(${EXTERNAL_CLIENT_IDS}))`;

/** HCL: how many app clients the HTTP API's authorizer takes as its audience: those, and people's when they sign in. */
const AUDIENCE_COUNT = `(${ALLOWED_CLIENT_COUNT} + (${input.enable_people_sign_in} ? 1 : 0))`;

/** HCL: the region of `image_uri`'s repository, or "" without one. */
const IMAGE_REGION = `try(regex("^[0-9]{12}\\\\.dkr\\\\.ecr(?:-fips)?\\\\.([a-z0-9-]+)\\\\.", ${input.image_uri})[0], "")`;
/** HCL: the value, or "" when null (try() passes a null through). */
const orEmpty = (hcl: string) => `(${hcl} == null ? "" : ${hcl})`;

/** The rules that refuse a plan, for a deployment at `p` synthesized for hashicorp/aws `major`. */
export function inputRules(p: Platform, major: AwsProviderMajor): InputRule[] {
  const externalPoolGiven = `${EXTERNAL_POOL_INPUTS.map((i) => `${input[i]} != null`).join(" && ")} && ${EXTERNAL_CLIENTS_GIVEN}`;
  const missing = `join(", ", compact([${EXTERNAL_POOL_INPUTS.map((i) => `${input[i]} == null ? "${i}" : ""`).join(", ")}, ${EXTERNAL_CLIENTS_GIVEN} ? "" : "cognito_client_id or cognito_client_ids"]))`;
  // CloudFront's own rules pass in GovCloud, where the first refuses it: one message, the one that holds.
  const cloudfrontUnlessGovCloud = (condition: string) => `!${input.enable_cloudfront} || ${p.govCloud} || (${condition})`;
  const restStageAcl = `${REST_FRONT} && ${input.waf_acl_arn} != null && !${input.enable_cloudfront}`;
  return [
    // --- The image and the key -----------------------------------------------
    {
      input: "image_tag",
      condition: `${input.image_uri} != null || ${input.image_tag} != null`,
      message: "image_tag or image_uri: no image to run. Set image_tag (a tag pushed to the module's ECR repository, output ecr_repository_url) or image_uri (an image in another ECR repository).",
    },
    {
      // The input's validation holds image_uri to <account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn]/... (try: Terraform's || does not short-circuit).
      input: "image_uri",
      condition: `${input.image_uri} == null || ${IMAGE_REGION} == ${p.region}`,
      message: `image_uri names an image in region \${${IMAGE_REGION}}, but the module deploys to \${${p.region}}: Lambda runs images from an ECR repository in the function's own region only. Replicate the image to \${${p.region}} (ECR replication) and give that URI.`,
    },
    {
      input: "kms_key_arn",
      condition: `split(":", ${input.kms_key_arn})[3] == ${p.region}`,
      message: `kms_key_arn is a key in region \${split(":", ${input.kms_key_arn})[3]}, but the module deploys to \${${p.region}}: AWS services use keys of their own region only. Give a key (or a multi-Region replica) in \${${p.region}}.`,
    },

    // --- Tenant isolation --------------------------------------------------------
    ...(major === 5
      ? [
          {
            // GovCloud has its own refusal below: one message, the one that holds whatever the provider.
            input: "enable_tenant_isolation" as const,
            condition: `!${input.enable_tenant_isolation} || ${p.govCloud}`,
            message: `enable_tenant_isolation = true needs hashicorp/aws >= ${TENANCY_MIN_PROVIDER} (the first release with the Lambda tenancy_config argument); this configuration was synthesized for 5.x (MCP_AWS_PROVIDER_MAJOR=5). Synthesize for 6.x, or set enable_tenant_isolation = false.`,
          },
        ]
      : []),
    {
      input: "enable_tenant_isolation",
      condition: `!${input.enable_tenant_isolation} || ${REST_FRONT}`,
      message:
        "enable_tenant_isolation = true cannot work behind an HTTP API: every invoke of a tenant-isolated function must carry the X-Amz-Tenant-Id header, and API Gateway HTTP APIs cannot set x-amz-* headers. Set api_type = \"REST\" (the REST integration passes the verified tenant claim), or enable_tenant_isolation = false.",
    },

    // --- Response streaming and the function's timeout ------------------------------
    ...(major === 5
      ? [
          {
            input: "enable_response_streaming" as const,
            condition: `!${input.enable_response_streaming}`,
            message: `enable_response_streaming = true needs hashicorp/aws >= ${STREAMING_MIN_PROVIDER} (response_transfer_mode on the REST integration, with timeouts past 29 s); this configuration was synthesized for 5.x (MCP_AWS_PROVIDER_MAJOR=5). Synthesize for 6.x, or set enable_response_streaming = false.`,
          },
        ]
      : []),
    {
      input: "enable_response_streaming",
      condition: `!${input.enable_response_streaming} || ${REST_FRONT}`,
      message:
        "enable_response_streaming = true needs api_type = \"REST\": API Gateway HTTP APIs buffer every response and wait at most 30 s, and only REST APIs stream a Lambda response (up to 15 minutes). Set api_type = \"REST\", or enable_response_streaming = false.",
    },
    {
      input: "lambda_timeout",
      condition: `${input.lambda_timeout} <= 30 || ${STREAMING_INVOKE}`,
      message: `lambda_timeout = \${${input.lambda_timeout}} s, but a buffered API Gateway waits at most 30 s for the function (29 s on REST), so the rest would only be billed. Set lambda_timeout to 30 or less, or stream responses (api_type = "REST" and enable_response_streaming = true) for up to 900 s.`,
    },
    {
      // Sources in docs/architecture.md, "AWS GovCloud (US)".
      input: "enable_tenant_isolation",
      condition: `!(${p.govCloud} && ${input.enable_tenant_isolation})`,
      message:
        "enable_tenant_isolation = true, but Lambda tenant isolation mode is not offered in AWS GovCloud (US). Set enable_tenant_isolation = false: the server still binds every session to the caller's tenant, and the sessions table still admits each tenant to its own items only.",
    },

    // --- Web ACL and CloudFront ---------------------------------------------------
    {
      input: "waf_acl_arn",
      condition: `${input.waf_acl_arn} == null || ${input.enable_cloudfront} || ${REST_FRONT}`,
      message:
        "waf_acl_arn is set but enable_cloudfront is false: WAFv2 web ACLs cannot be associated with an HTTP API (API Gateway v2). Set api_type = \"REST\" to associate a REGIONAL web ACL with the REST stage, or enable_cloudfront = true to put a CLOUDFRONT-scoped one (us-east-1) on a distribution in front of the API, or remove waf_acl_arn.",
    },
    {
      input: "waf_acl_arn",
      condition: `!(${restStageAcl}) || can(regex(":regional/webacl/", ${input.waf_acl_arn}))`,
      message:
        "waf_acl_arn must be a REGIONAL web ACL (ARN contains \":regional/webacl/\", in the API's region) to associate with the REST stage; a CLOUDFRONT-scoped ACL attaches only to a distribution (set enable_cloudfront).",
    },
    {
      input: "waf_acl_arn",
      condition: `${restStageAcl} && can(regex(":regional/webacl/", ${input.waf_acl_arn})) ? split(":", ${input.waf_acl_arn})[3] == ${p.region} : true`,
      message: `waf_acl_arn is a REGIONAL web ACL in \${try(split(":", ${input.waf_acl_arn})[3], "")}, but the REST stage is in \${${p.region}}: a stage takes a web ACL of its own region only. Create the ACL (scope REGIONAL) in \${${p.region}}.`,
    },
    {
      input: "enable_cloudfront",
      condition: `!${input.enable_cloudfront} || !${p.govCloud}`,
      message:
        "enable_cloudfront = true, but the deployment is in AWS GovCloud (US), which has no CloudFront. Set enable_cloudfront = false; for a web ACL in front of the API use api_type = \"REST\" with a REGIONAL waf_acl_arn, and for your own host name custom_domain_name.",
    },
    {
      input: "enable_cloudfront",
      condition: cloudfrontUnlessGovCloud(`${input.cloudfront_certificate_arn} != null && length(${input.cloudfront_aliases}) > 0`),
      message:
        "enable_cloudfront needs cloudfront_certificate_arn (an ACM certificate in us-east-1) and cloudfront_aliases (the host names it covers): CloudFront's default *.cloudfront.net certificate cannot enforce TLS 1.2.",
    },
    {
      input: "waf_acl_arn",
      condition: cloudfrontUnlessGovCloud(`${input.waf_acl_arn} == null || can(regex(":global/webacl/", ${input.waf_acl_arn}))`),
      message:
        "waf_acl_arn must be a CLOUDFRONT-scoped web ACL (created in us-east-1, ARN contains \":global/webacl/\") to attach to the distribution; a REGIONAL ACL cannot.",
    },

    // --- Custom domain and mutual TLS -------------------------------------------
    {
      input: "custom_domain_name",
      condition: `!(${CUSTOM_DOMAIN}) || ${input.certificate_arn} != null`,
      message: "custom_domain_name needs certificate_arn: an ACM certificate for that name, in the API's region.",
    },
    {
      input: "certificate_arn",
      // Only with a domain to put it on: without one, the rule below says the certificate has no use.
      condition: `${CUSTOM_DOMAIN} && ${input.certificate_arn} != null ? split(":", ${input.certificate_arn})[3] == ${p.region} : true`,
      message: "certificate_arn must be in the API's region: a regional API Gateway domain reads its certificate from ACM there (only CloudFront's certificate lives in us-east-1).",
    },
    {
      input: "mtls_truststore_uri",
      condition: `!(${MUTUAL_TLS}) || ${CUSTOM_DOMAIN}`,
      message: "mtls_truststore_uri needs custom_domain_name: API Gateway enforces mutual TLS only on a custom domain, and the execute-api URL would let requests in without a client certificate.",
    },
    {
      input: "mtls_truststore_version",
      condition: `${input.mtls_truststore_version} == null || ${input.mtls_truststore_uri} != null`,
      message: "mtls_truststore_version pins a version of mtls_truststore_uri; set the URI too, or drop the version.",
    },
    {
      input: "certificate_arn",
      condition: `${input.certificate_arn} == null || ${CUSTOM_DOMAIN}`,
      message: "certificate_arn is the custom domain's certificate; set custom_domain_name too, or drop it (CloudFront's certificate is cloudfront_certificate_arn).",
    },
    {
      input: "mtls_truststore_uri",
      condition: `!(${MUTUAL_TLS} && ${input.enable_cloudfront})`,
      message:
        "mtls_truststore_uri: mutual TLS on the custom domain cannot be combined with enable_cloudfront: CloudFront presents no client certificate to its origin. Terminate client certificates on the domain without CloudFront, or drop mtls_truststore_uri.",
    },

    // --- Cognito -------------------------------------------------------------------
    {
      input: "name",
      condition: `!(${CREATES_POOL}) || !can(regex("aws|amazon|cognito", ${input.name}))`,
      message:
        "name: the Cognito domain prefix is made from name, and Cognito refuses prefixes containing \"aws\", \"amazon\" or \"cognito\". Choose another name, or bring your own pool with the cognito_* inputs.",
    },
    {
      input: "cognito_user_pool_id",
      condition: `${CREATES_POOL} || (${externalPoolGiven})`,
      message: `cognito_user_pool_id: an external Cognito pool needs ${EXTERNAL_POOL_INPUTS.join(", ")} and its allowed app client ids (cognito_client_id, cognito_client_ids); missing: \${${missing}}. Set the missing ones, or set none of them to let the module create a pool.`,
    },
    {
      input: "cognito_user_pool_arn",
      condition: `!(${externalPoolGiven}) || !(${REST_FRONT}) || endswith(${orEmpty(input.cognito_user_pool_arn)}, "userpool/\${${orEmpty(input.cognito_user_pool_id)}}")`,
      message:
        "cognito_user_pool_arn: with api_type = \"REST\" and an external pool, set cognito_user_pool_arn (arn:<partition>:cognito-idp:<region>:<account>:userpool/<cognito_user_pool_id>): the REST API's Cognito authorizer names the pool by ARN, and its account is in no other input.",
    },
    {
      input: "cognito_user_pool_endpoint",
      condition: `!(${externalPoolGiven}) || endswith(${orEmpty(input.cognito_user_pool_endpoint)}, "/\${${orEmpty(input.cognito_user_pool_id)}}")`,
      message: "cognito_user_pool_endpoint must end with cognito_user_pool_id (\"cognito-idp.<region>.amazonaws.com/<pool id>\"): the two inputs name different pools.",
    },
    // --- Optional alarms ------------------------------------------------------------
    {
      input: "session_not_found_alarm_threshold",
      condition: `${input.enable_sessions} || (${input.session_not_found_alarm_threshold} == null && ${input.store_unavailable_alarm_threshold} == null)`,
      message:
        "session_not_found_alarm_threshold and store_unavailable_alarm_threshold watch the sessions table, and enable_sessions is false: no request would ever be counted, so the alarm would never fire. Set enable_sessions = true, or leave them null.",
    },
    // --- People's sign-in ---------------------------------------------------------
    {
      input: "enable_people_sign_in",
      condition: `!${input.enable_people_sign_in} || ${CREATES_POOL}`,
      message:
        "enable_people_sign_in needs the module's own user pool, whose managed login, people's app client and tenant groups it configures; with an external pool (cognito_* inputs) people sign in through your own pool's clients. Remove the cognito_* inputs, or set enable_people_sign_in = false.",
    },
    {
      input: "enable_people_sign_in",
      condition: `!(${input.enable_people_sign_in} && ${input.enable_tenant_isolation})`,
      message:
        "enable_people_sign_in with enable_tenant_isolation: every person's token names the same app client (the front's), and a person's tenant comes from their group, which the REST integration cannot map to X-Amz-Tenant-Id (mapping expressions take one plain claim, and cognito:groups is a list with a colon in its name). Turn one of them off.",
    },
    {
      input: "enable_dynamic_client_registration",
      condition: `!${input.enable_dynamic_client_registration} || ${input.enable_people_sign_in}`,
      message: "enable_dynamic_client_registration is a setting of the authorization front: set enable_people_sign_in = true too, or leave it false.",
    },
    {
      input: "client_metadata_hosts",
      condition: `length(${input.client_metadata_hosts}) == 0 || ${input.enable_people_sign_in}`,
      message: "client_metadata_hosts is a setting of the authorization front: set enable_people_sign_in = true too, or leave it empty.",
    },
    {
      input: "route_throttle_overrides",
      condition: `${input.enable_people_sign_in} || length(setintersection(keys(${input.route_throttle_overrides}), ${hclList(OAUTH_ROUTE_KEYS)})) == 0`,
      message: `route_throttle_overrides names a route of the authorization front (\${join(", ", setintersection(keys(${input.route_throttle_overrides}), ${hclList(OAUTH_ROUTE_KEYS)}))}), which exists only with enable_people_sign_in = true: set it, or remove those keys.`,
    },
    {
      input: "tenants",
      condition: `!(${CREATES_POOL}) || length(${input.tenants}) > 0`,
      message: "tenants is empty: the module's pool would have no app client, so nobody could call the server. Name at least one tenant (the default is [\"default\"]).",
    },
    {
      input: "tenants",
      condition: `${REST_FRONT} || ${AUDIENCE_COUNT} <= ${MAX_HTTP_AUDIENCES}`,
      message: `tenants (or cognito_client_id and cognito_client_ids): the HTTP API's JWT authorizer takes at most ${MAX_HTTP_AUDIENCES} app clients as its audience (an API Gateway quota that cannot be raised), and \${${AUDIENCE_COUNT}} are allowed (people's sign-in adds its own client). Set api_type = "REST", whose server checks up to ${MAX_ALLOWED_CLIENTS}, or use fewer clients.`,
    },
    {
      input: "tenants",
      condition: `${ALLOWED_CLIENT_COUNT} <= ${MAX_ALLOWED_CLIENTS}`,
      message: `tenants (or cognito_client_id and cognito_client_ids): at most ${MAX_ALLOWED_CLIENTS} app clients may be allowed: the server reads their ids from its environment, which Lambda limits to 4 KB in all, and \${${ALLOWED_CLIENT_COUNT}} are allowed. Give tenants a claim of their own (tenant_claim, set by a pre-token-generation trigger) with fewer clients.`,
    },
  ];
}

/** The rules that warn and let the plan through (`check` blocks, by name). */
export function inputWarnings(p: Platform): Record<string, InputRule> {
  return {
    // Short retention is fine for a sandbox, not for a FedRAMP system.
    log_retention: {
      input: "log_retention_days",
      condition: `${input.log_retention_days} == 0 || ${input.log_retention_days} >= 365`,
      message: "log_retention_days is below 365: FedRAMP AU-11 (and CKV_AWS_338) expect at least a year of audit logs.",
    },
    // The function refuses requests without CloudFront's secret, but API Gateway still authorizes and throttles them.
    edge_bypass: {
      input: "enable_cloudfront",
      condition: `!${input.enable_cloudfront} || ${input.custom_domain_name} != null || ${p.govCloud}`,
      message:
        "enable_cloudfront without custom_domain_name leaves the API's execute-api URL reachable around CloudFront and its WAF. The function refuses such requests, but set custom_domain_name (CloudFront's origin) to switch that URL off.",
    },
    // Not an error: the GovCloud guide has listed threat protection as not offered, but its current page no longer says so.
    cognito_threat_protection: {
      input: "cognito_threat_protection",
      condition: `!(${p.govCloud} && ${input.cognito_threat_protection} == true && ${CREATES_POOL})`,
      message:
        "cognito_threat_protection = true in AWS GovCloud (US), where AWS has documented Cognito threat protection (advanced security) as not offered: creating the pool on the Plus plan with ENFORCED may be refused. If it is, set cognito_threat_protection = null (off in GovCloud) or false.",
    },
  };
}

/**
 * Puts the rules in the configuration: the errors as the preconditions of
 * one resource, `terraform_data.input_rules`, which Terraform names in each
 * failure (not a resource the rule has nothing to do with), and the warnings
 * as `check` blocks.
 */
export class InputRules extends Construct {
  constructor(scope: Construct, id: string, props: { readonly platform: Platform; readonly awsProviderMajor: AwsProviderMajor }) {
    super(scope, id);
    withAddress(
      new DataResource(this, "rules", {
        lifecycle: { precondition: inputRules(props.platform, props.awsProviderMajor).map((rule) => ({ condition: expr(rule.condition), errorMessage: rule.message })) },
      }),
      "input_rules",
    );
    for (const [name, rule] of Object.entries(inputWarnings(props.platform))) {
      TerraformStack.of(this).addOverride(`check.${name}`, { assert: [{ condition: expr(rule.condition), error_message: rule.message }] });
    }
  }
}
