import { execFileSync } from "node:child_process";
import { describe, expect, inject, it } from "vitest";
import { addresses, example, EXAMPLES, plan, planDiagnostics } from "./support/terraform.js";

/** Resources every deployment has, whatever its switches. */
const ALWAYS = [
  "aws_apigatewayv2_api.this",
  "aws_apigatewayv2_authorizer.this",
  "aws_apigatewayv2_integration.this",
  'aws_apigatewayv2_route.discovery["GET /.well-known/oauth-protected-resource"]',
  'aws_apigatewayv2_route.discovery["GET /.well-known/oauth-protected-resource/mcp"]',
  'aws_apigatewayv2_route.mcp["DELETE /mcp"]',
  'aws_apigatewayv2_route.mcp["GET /mcp"]',
  'aws_apigatewayv2_route.mcp["POST /mcp"]',
  "aws_apigatewayv2_stage.this",
  "aws_cloudwatch_log_group.api",
  "aws_cloudwatch_log_group.lambda",
  "aws_cloudwatch_metric_alarm.api_5xx",
  "aws_cloudwatch_metric_alarm.api_latency",
  "aws_cloudwatch_metric_alarm.lambda_duration",
  "aws_cloudwatch_metric_alarm.lambda_errors",
  "aws_cloudwatch_metric_alarm.lambda_throttles",
  "aws_iam_role.lambda",
  "aws_iam_role_policy.lambda",
  "aws_lambda_function.this",
  "aws_lambda_permission.api",
  "aws_sns_topic.alarms",
  "aws_sns_topic_policy.alarms",
];
const INTERNAL_POOL = ["aws_cognito_resource_server.this[0]", "aws_cognito_user_pool.this[0]", "aws_cognito_user_pool_client.this[0]", "aws_cognito_user_pool_domain.this[0]"];
const OWN_REPOSITORY = ["aws_ecr_lifecycle_policy.this[0]", "aws_ecr_repository.this[0]"];
const SESSIONS = ["aws_dynamodb_table.sessions[0]", "aws_iam_role_policy.sessions[0]"];
const CLOUDFRONT = ["aws_cloudfront_distribution.this[0]", "terraform_data.origin_verify[0]"];
const emails = (...addresses: string[]) => addresses.map((a) => `aws_sns_topic_subscription.email["${a}"]`);

/** What each example deploys: stable, readable addresses (they are part of the module's contract). */
const EXPECTED: Record<string, string[]> = {
  minimal: [...ALWAYS, ...INTERNAL_POOL, ...OWN_REPOSITORY, ...emails("oncall@example.com")],
  "external-pool": [...ALWAYS],
  sessions: [...ALWAYS, ...INTERNAL_POOL, ...OWN_REPOSITORY, ...SESSIONS, ...emails("oncall@example.com", "security@example.com")],
  "cloudfront-waf": [...ALWAYS, ...INTERNAL_POOL, ...OWN_REPOSITORY, ...CLOUDFRONT],
};

describe("examples", () => {
  it("covers every example file and the four required setups", () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(EXAMPLES);
  });

  it("passes terraform validate", () => {
    const out = execFileSync("terraform", ["validate", "-json", "-no-color"], { cwd: inject("terraformWorkdir"), encoding: "utf8" });
    const result = JSON.parse(out) as { valid: boolean; error_count: number; warning_count: number };
    expect(result).toMatchObject({ valid: true, error_count: 0, warning_count: 0 });
  });

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
