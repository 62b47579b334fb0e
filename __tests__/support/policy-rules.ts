import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./terraform-workdir.js";

/** A scanner rule the policy suite mirrors. */
export interface PolicyRule {
  /** The same check under other scanners' ids (trivy's AVD-AWS-*, checkov's CKV2_*). */
  readonly also?: readonly string[];
  /** The resource type (or kind of document) it reads. */
  readonly resource: string;
  /** What must hold. */
  readonly requirement: string;
}

/**
 * The rules FedRAMP reviewers' scanners apply to what this module creates:
 * the rules the project's compliance brief lists (checkov, trivy, AWS Config, Security Hub), the
 * checkov rules for the resources added since (the REST front and its custom
 * domain, CloudFront's log bucket), and our own rules (EDGE, THROTTLE). Each
 * has a test in `policy.test.ts` named after it, or an entry in
 * `docs/policy-exceptions.json` saying why it does not apply.
 */
export const POLICY_RULES: Record<string, PolicyRule> = {
  CKV_AWS_50: { also: ["AVD-AWS-0066"], resource: "aws_lambda_function", requirement: 'tracing_config.mode = "Active"' },
  CKV_AWS_117: { resource: "aws_lambda_function", requirement: "vpc_config with subnets and security groups" },
  CKV_AWS_115: { resource: "aws_lambda_function", requirement: "reserved_concurrent_executions set" },
  CKV_AWS_173: { resource: "aws_lambda_function", requirement: "kms_key_arn set when environment variables exist" },
  CKV_AWS_116: { resource: "aws_lambda_function", requirement: "dead-letter target set" },
  CKV_AWS_272: { resource: "aws_lambda_function", requirement: "code signing configured" },
  CKV_AWS_301: { also: ["CKV_AWS_364"], resource: "aws_lambda_permission", requirement: "principal not *, source_arn set" },
  CKV_AWS_76: { also: ["AVD-AWS-0001"], resource: "aws_apigatewayv2_stage, aws_api_gateway_stage", requirement: "access logging to a log group" },
  CKV_AWS_73: { also: ["AVD-AWS-0003"], resource: "aws_api_gateway_stage", requirement: "X-Ray tracing on the REST stage" },
  CKV2_AWS_29: { resource: "aws_api_gateway_stage", requirement: "a WAF web ACL associated with the REST stage" },
  CKV_AWS_59: { resource: "aws_api_gateway_method", requirement: "authorization on every REST method (no open access to the back end)" },
  CKV2_AWS_53: { resource: "aws_api_gateway_method", requirement: "a request validator on every REST method" },
  CKV_AWS_120: { resource: "aws_api_gateway_stage", requirement: "a cache cluster on the REST stage" },
  CKV_AWS_225: { resource: "aws_api_gateway_method_settings", requirement: "method settings encrypt cached data (checkov reads cache_data_encrypted)" },
  CKV_AWS_308: { resource: "aws_api_gateway_method_settings", requirement: "cached data encrypted wherever caching is on" },
  CKV_AWS_276: { resource: "aws_api_gateway_method_settings", requirement: "data trace (full request and response bodies in execution logs) off" },
  CKV2_AWS_4: { resource: "aws_api_gateway_stage, aws_api_gateway_method_settings", requirement: "execution logging at ERROR or INFO, with metrics" },
  CKV2_AWS_51: { resource: "aws_api_gateway_stage, aws_apigatewayv2_stage", requirement: "a client certificate on the stage, for API Gateway to present to the back end" },
  CKV_AWS_206: { resource: "aws_api_gateway_domain_name", requirement: "the custom domain's security policy is TLS 1.2 or newer" },
  CKV_AWS_217: { resource: "aws_api_gateway_deployment", requirement: "lifecycle create_before_destroy" },
  CKV_AWS_237: { resource: "aws_api_gateway_rest_api", requirement: "lifecycle create_before_destroy" },
  CKV_AWS_309: { resource: "aws_apigatewayv2_route, aws_api_gateway_method", requirement: "authorization on every route that reaches the function" },
  EDGE: { resource: "aws_apigatewayv2_api, aws_api_gateway_rest_api, domain names, aws_cloudfront_distribution", requirement: "no path to the function skips a configured edge control: execute-api off with a custom domain, mutual TLS on the domain when a truststore is given, CloudFront's origin secret (own rule)" },
  THROTTLE: { resource: "aws_apigatewayv2_stage, aws_api_gateway_method_settings", requirement: "rate and burst > 0 on default and every route setting (own rule)" },
  CKV_AWS_158: { also: ["AVD-AWS-0017"], resource: "aws_cloudwatch_log_group", requirement: "kms_key_id set" },
  CKV_AWS_338: { resource: "aws_cloudwatch_log_group", requirement: "retention >= 365 days" },
  CKV_AWS_319: { resource: "aws_cloudwatch_metric_alarm", requirement: "actions enabled, alarm actions set" },
  CKV_AWS_26: { also: ["AVD-AWS-0095", "AVD-AWS-0136"], resource: "aws_sns_topic", requirement: "customer key, not alias/aws/sns" },
  CKV_AWS_28: { resource: "aws_dynamodb_table", requirement: "point-in-time recovery on" },
  CKV2_AWS_16: { resource: "aws_dynamodb_table", requirement: "capacity that scales: on demand, or auto scaling of provisioned capacity" },
  CKV_AWS_119: { also: ["AVD-AWS-0025"], resource: "aws_dynamodb_table", requirement: "SSE with the customer key" },
  CKV_AWS_51: { resource: "aws_ecr_repository", requirement: 'image_tag_mutability = "IMMUTABLE"' },
  CKV_AWS_163: { resource: "aws_ecr_repository", requirement: "scan on push" },
  CKV_AWS_136: { also: ["AVD-AWS-0033"], resource: "aws_ecr_repository", requirement: "KMS encryption with the customer key" },
  CKV_AWS_63: { also: ["CKV2_AWS_40"], resource: "IAM policy documents", requirement: "no * in any allowed action" },
  CKV_AWS_290: { resource: "IAM policy documents", requirement: 'no write action on Resource "*" without a condition' },
  CKV_AWS_355: { resource: "IAM policy documents", requirement: 'no Resource "*" where the action supports resource scoping' },
  CKV_AWS_60: { also: ["CKV_AWS_61"], resource: "IAM trust policies", requirement: "a service or a specific role, never * or an account root" },
  IAM_BLOCKED_KMS_ACTIONS: { resource: "IAM policy documents", requirement: "kms:Decrypt only on the key ARN (FedRAMP pack IAM_*_BLOCKED_KMS_ACTIONS)" },
  "Cognito.1": { resource: "aws_cognito_user_pool", requirement: "threat protection enforced where the feature plan allows; deletion protection on" },
  CKV_AWS_174: { resource: "aws_cloudfront_distribution", requirement: "viewer TLS >= 1.2" },
  CKV_AWS_34: { resource: "aws_cloudfront_distribution", requirement: "no allow-all viewer protocol policy" },
  CKV_AWS_68: { resource: "aws_cloudfront_distribution", requirement: "web_acl_id set" },
  CKV_AWS_86: { resource: "aws_cloudfront_distribution", requirement: "access logging" },
  CKV2_AWS_72: { also: ["CKV2_AWS_54"], resource: "aws_cloudfront_distribution", requirement: "origins reached over HTTPS only, without SSLv3" },
  CKV2_AWS_32: { resource: "aws_cloudfront_distribution", requirement: "a response headers policy attached" },
  CKV_AWS_305: { resource: "aws_cloudfront_distribution", requirement: "a default root object" },
  CKV_AWS_310: { resource: "aws_cloudfront_distribution", requirement: "origin failover: an origin group of two origins" },
  CKV_AWS_374: { resource: "aws_cloudfront_distribution", requirement: "geo restriction on" },
  CKV2_AWS_47: { resource: "aws_cloudfront_distribution, aws_wafv2_web_acl", requirement: "the attached web ACL has AWS's managed rules for Log4j (AnonymousIpList, KnownBadInputsRuleSet)" },
  CKV2_AWS_31: { resource: "aws_wafv2_web_acl", requirement: "logging configuration to a log group named aws-waf-logs-*" },
  CKV_AWS_145: { resource: "aws_s3_bucket", requirement: "default encryption with KMS" },
  CKV2_AWS_6: { resource: "aws_s3_bucket", requirement: "public access block on" },
  CKV_AWS_21: { resource: "aws_s3_bucket", requirement: "versioning on" },
  CKV2_AWS_61: { resource: "aws_s3_bucket", requirement: "lifecycle configuration" },
  CKV_AWS_18: { resource: "aws_s3_bucket", requirement: "server access logging" },
  CKV_AWS_144: { resource: "aws_s3_bucket", requirement: "cross-region replication" },
  CKV2_AWS_62: { resource: "aws_s3_bucket", requirement: "event notifications" },
};

/** Every id a rule is known by: its own and its aliases. */
export const RULE_IDS: ReadonlySet<string> = new Set(Object.entries(POLICY_RULES).flatMap(([id, r]) => [id, ...(r.also ?? [])]));

/** A rule that does not apply to this module, with the reason a reviewer reads. */
export interface PolicyException {
  readonly rule: string;
  readonly reason: string;
  /** What would make the rule apply; the suite checks every example's plan for it. */
  readonly applies_when: string;
}

/** `docs/policy-exceptions.json`: the one list of rules that do not apply. */
export function policyExceptions(): PolicyException[] {
  return JSON.parse(readFileSync(join(ROOT, "docs", "policy-exceptions.json"), "utf8")).exceptions;
}
