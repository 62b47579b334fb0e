import { execFileSync } from "node:child_process";
import { describe, expect, inject, it } from "vitest";
import { addresses, example, EXAMPLES, plan, planDiagnostics } from "./support/terraform.js";

/** Resources every deployment has, whatever its switches. */
const ALWAYS = [
  "aws_cloudwatch_log_group.api",
  "aws_cloudwatch_log_group.lambda",
  "aws_cloudwatch_metric_alarm.api_5xx",
  "aws_cloudwatch_metric_alarm.api_latency",
  "aws_cloudwatch_metric_alarm.lambda_duration",
  "aws_cloudwatch_metric_alarm.lambda_errors",
  "aws_cloudwatch_metric_alarm.lambda_throttles",
  "aws_cloudwatch_dashboard.this",
  ...["cold-starts", "refused-requests", "slowest-requests", "tenant-requests", "tool-failures"].map((q) => `aws_cloudwatch_query_definition.this["${q}"]`),
  "aws_iam_role.lambda",
  "aws_iam_role_policy.lambda",
  "aws_lambda_function.this",
  "aws_lambda_permission.api",
  "aws_sns_topic.alarms",
  "aws_sns_topic_policy.alarms",
  // Holds every rule that combines inputs (modules/input-rules.ts); creates nothing in AWS.
  "terraform_data.input_rules",
];
const ROUTES = ["DELETE /mcp", "GET /.well-known/oauth-protected-resource", "GET /.well-known/oauth-protected-resource/mcp", "GET /mcp", "POST /mcp"];
const HTTP_FRONT = [
  "aws_apigatewayv2_api.this[0]",
  "aws_apigatewayv2_authorizer.this[0]",
  "aws_apigatewayv2_integration.this[0]",
  ...ROUTES.map((r) => `aws_apigatewayv2_route.${r.includes("well-known") ? "discovery" : "mcp"}["${r}"]`),
  "aws_apigatewayv2_stage.this[0]",
];
const REST_FRONT = [
  "aws_api_gateway_rest_api.this[0]",
  "aws_api_gateway_authorizer.this[0]",
  "aws_api_gateway_deployment.this[0]",
  "aws_api_gateway_gateway_response.unauthorized[0]",
  ...ROUTES.flatMap((r) => [`aws_api_gateway_method.this["${r}"]`, `aws_api_gateway_integration.this["${r}"]`]),
  "aws_api_gateway_method_settings.all[0]",
  ...["mcp", "protected_resource", "protected_resource_mcp", "well_known"].map((r) => `aws_api_gateway_resource.${r}[0]`),
  "aws_api_gateway_stage.this[0]",
  // api_gateway_cloudwatch_role = "create", the default: the account's logging role in the region, which a REST stage needs.
  "aws_api_gateway_account.this[0]",
  "aws_iam_role.api_gateway_cloudwatch[0]",
  "aws_iam_role_policy.api_gateway_cloudwatch[0]",
];
/** The module's pool, with one app client per tenant (default: one tenant, "default"). */
const internalPool = (...tenants: string[]) => [
  "aws_cognito_resource_server.this[0]",
  "aws_cognito_user_pool.this[0]",
  "aws_cognito_user_pool_domain.this[0]",
  ...(tenants.length ? tenants : ["default"]).map((t) => `aws_cognito_user_pool_client.tenant["${t}"]`),
];
const OWN_REPOSITORY = ["aws_ecr_lifecycle_policy.this[0]", "aws_ecr_repository.this[0]"];
const SESSIONS = ["aws_dynamodb_table.sessions[0]", "aws_iam_role.tenant_access[0]", "aws_iam_role_policy.sessions[0]", "aws_iam_role_policy.tenant_access[0]"];
const CLOUDFRONT = [
  "aws_cloudfront_distribution.this[0]",
  "aws_cloudfront_response_headers_policy.this[0]",
  "terraform_data.origin_verify[0]",
  ...["aws_s3_bucket", "aws_s3_bucket_lifecycle_configuration", "aws_s3_bucket_ownership_controls", "aws_s3_bucket_policy", "aws_s3_bucket_public_access_block"].map((t) => `${t}.cloudfront_logs[0]`),
  ...["aws_s3_bucket_server_side_encryption_configuration", "aws_s3_bucket_versioning"].map((t) => `${t}.cloudfront_logs[0]`),
];
/** People's sign-in (the authorization front), in the module's pool with these tenants. */
const OAUTH_ROUTES = ["GET /.well-known/oauth-authorization-server", "GET /.well-known/openid-configuration", "GET /authorize", "GET /oauth/callback", "POST /token", "POST /register"];
const people = (front: "HTTP" | "REST", ...tenants: string[]) => [
  "aws_cognito_user_pool_client.people[0]",
  ...(tenants.length ? tenants : ["default"]).map((t) => `aws_cognito_user_group.tenant["${t}"]`),
  "aws_dynamodb_table.oauth[0]",
  "aws_iam_role_policy.oauth[0]",
  ...(front === "HTTP"
    ? OAUTH_ROUTES.map((r) => `aws_apigatewayv2_route.oauth["${r}"]`)
    : [
        ...OAUTH_ROUTES.flatMap((r) => [`aws_api_gateway_method.this["${r}"]`, `aws_api_gateway_integration.this["${r}"]`]),
        ...["authorization_server", "openid_configuration", "authorize", "token", "register", "oauth", "oauth_callback"].map((r) => `aws_api_gateway_resource.${r}[0]`),
      ]),
];
const emails = (...addresses: string[]) => addresses.map((a) => `aws_sns_topic_subscription.email["${a}"]`);

/** What each example deploys: stable, readable addresses (they are part of the module's contract). */
const EXPECTED: Record<string, string[]> = {
  minimal: [...ALWAYS, ...HTTP_FRONT, ...internalPool(), ...OWN_REPOSITORY, ...emails("oncall@example.com")],
  "external-pool": [...ALWAYS, ...HTTP_FRONT],
  sessions: [
    ...ALWAYS,
    ...HTTP_FRONT,
    ...internalPool("acme", "globex"),
    ...OWN_REPOSITORY,
    ...SESSIONS,
    ...emails("oncall@example.com", "security@example.com"),
    ...["tool_error_rate", "api_4xx", "session_not_found", "store_unavailable"].map((a) => `aws_cloudwatch_metric_alarm.${a}[0]`),
  ],
  "cloudfront-waf": [...ALWAYS, ...HTTP_FRONT, ...internalPool(), ...people("HTTP"), ...OWN_REPOSITORY, ...CLOUDFRONT, "aws_apigatewayv2_domain_name.this[0]", "aws_apigatewayv2_api_mapping.this[0]"],
  "rest-waf": [
    ...ALWAYS,
    ...REST_FRONT,
    ...internalPool("acme", "globex", "initech"),
    ...people("REST", "acme", "globex", "initech"),
    ...OWN_REPOSITORY,
    ...SESSIONS,
    'aws_api_gateway_method_settings.override["POST /mcp"]',
    "aws_wafv2_web_acl_association.stage[0]",
  ],
  "rest-isolated": [...ALWAYS, ...REST_FRONT, ...OWN_REPOSITORY, ...SESSIONS],
  "rest-streaming": [...ALWAYS, ...REST_FRONT, ...internalPool("acme", "globex"), ...OWN_REPOSITORY, ...SESSIONS],
  govcloud: [
    ...ALWAYS,
    ...REST_FRONT,
    ...internalPool("agency-a", "agency-b"),
    ...OWN_REPOSITORY,
    ...SESSIONS,
    "aws_wafv2_web_acl_association.stage[0]",
    ...emails("oncall@example.gov"),
  ],
  "rest-domain-mtls": [
    ...ALWAYS,
    ...REST_FRONT,
    ...internalPool(),
    ...OWN_REPOSITORY,
    ...SESSIONS,
    "aws_wafv2_web_acl_association.stage[0]",
    "aws_api_gateway_domain_name.this[0]",
    "aws_api_gateway_base_path_mapping.this[0]",
  ],
};

describe("examples", () => {
  it("covers every example file: HTTP and REST fronts, internal and external pools, stateless and sessions, CloudFront + WAF, regional WAF, isolation, streaming, custom domain with mutual TLS, AWS GovCloud (US)", () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(EXAMPLES);
  });

  it("passes terraform validate, as built for the mirror's provider and as the 6.x build fitted to it", () => {
    const workdirs = [inject("terraformWorkdir"), ...(inject("sixOnFive") ? [inject("sixOnFive")!.workdir] : [])];
    for (const cwd of workdirs) {
      const out = execFileSync("terraform", ["validate", "-json", "-no-color"], { cwd, encoding: "utf8" });
      const result = JSON.parse(out) as { valid: boolean; error_count: number; warning_count: number };
      expect(result, cwd).toMatchObject({ valid: true, error_count: 0, warning_count: 0 });
    }
  });

  // An example that needs hashicorp/aws 6 (rest-isolated) is planned from the 6.x build fitted to the 5.x mirror: everything but tenancy_config.
  describe.concurrent.each(EXAMPLES)("%s.tfvars", (name) => {
    it("plans offline without errors or warnings", async () => {
      const { errors, warnings } = await planDiagnostics(example(name));
      expect(errors).toEqual([]);
      expect(warnings).toEqual([]);
    });

    it("creates exactly the expected resources at their stable addresses", async () => {
      expect(addresses(await plan(example(name)))).toEqual([...EXPECTED[name]].sort());
    });
  });
});
