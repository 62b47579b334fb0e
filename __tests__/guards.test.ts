import { describe, expect, inject, it } from "vitest";
import { INPUTS, InputName, STREAMING_MIN_PROVIDER, TENANCY_MIN_PROVIDER } from "../modules/index.js";
import { example, planDiagnostics, Vars } from "./support/terraform.js";

/**
 * Every validation and guard refuses a wrong value at plan time with its
 * message. Cases run `terraform plan` on the minimal example with one input changed.
 */
interface Case {
  readonly name: string;
  readonly vars: Vars;
  /** Text the errors contain (each of them, for a case that breaks several rules in one plan). */
  readonly expected: string | readonly string[];
  /** The input validation this case proves, when it is one. */
  readonly validation?: [InputName, number];
}

const message = (input: InputName, index = 0): string => {
  const rules = (INPUTS[input] as { validation?: readonly { message: string }[] }).validation;
  if (!rules?.[index]) throw new Error(`${input} has no validation #${index}`);
  return rules[index].message;
};
const validation = (input: InputName, vars: Vars, name: string, index = 0): Case => ({
  name,
  vars,
  expected: message(input, index),
  validation: [input, index],
});

const otherRegionKey = "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const cloudfront = {
  enable_cloudfront: true,
  cloudfront_certificate_arn: "arn:aws:acm:us-east-1:111122223333:certificate/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9",
  cloudfront_aliases: ["mcp.example.com"],
};

const domain = {
  custom_domain_name: "mcp.example.com",
  certificate_arn: "arn:aws:acm:us-east-1:111122223333:certificate/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9",
};
const truststore = { mtls_truststore_uri: "s3://my-truststore/ca.pem" };

const CASES: Case[] = [
  validation("custom_domain_name", { ...domain, custom_domain_name: "https://mcp.example.com" }, "fails when custom_domain_name is a URL, not a host name"),
  validation("certificate_arn", { ...domain, certificate_arn: "mcp.example.com" }, "fails when certificate_arn is not an ACM ARN"),
  validation("mtls_truststore_uri", { ...domain, mtls_truststore_uri: "https://bucket/ca.pem" }, "fails when mtls_truststore_uri is not an S3 URI"),
  validation("mtls_truststore_version", { ...domain, ...truststore, mtls_truststore_version: "v 1/2" }, "fails when mtls_truststore_version is not an S3 version id"),
  {
    name: "fails when image_uri names an image in another region than the function's",
    vars: { image_uri: "444455556666.dkr.ecr.us-west-2.amazonaws.com/mcp-server:1.0.0" },
    expected: "image_uri names an image in region us-west-2, but the module deploys to us-east-1",
  },
  { name: "fails when custom_domain_name has no certificate", vars: { custom_domain_name: "mcp.example.com" }, expected: "custom_domain_name needs certificate_arn" },
  {
    name: "fails when the custom domain's certificate is in another region than the API",
    vars: { ...domain, certificate_arn: "arn:aws:acm:us-west-2:111122223333:certificate/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9" },
    expected: "certificate_arn must be in the API's region",
  },
  { name: "fails when certificate_arn is given without custom_domain_name", vars: { certificate_arn: domain.certificate_arn }, expected: "certificate_arn is the custom domain's certificate" },
  { name: "fails when mutual TLS is asked for without a custom domain (execute-api would skip it)", vars: truststore, expected: "mtls_truststore_uri needs custom_domain_name" },
  { name: "fails when a truststore version is given without its URI", vars: { ...domain, mtls_truststore_version: "3" }, expected: "mtls_truststore_version pins a version of mtls_truststore_uri" },
  { name: "fails when mutual TLS is combined with CloudFront", vars: { ...domain, ...truststore, ...cloudfront }, expected: "cannot be combined with enable_cloudfront" },
  validation("name", { name: "MCP_Server" }, "fails when name has uppercase letters or underscores"),
  validation("api_gateway_cloudwatch_role", { api_gateway_cloudwatch_role: "manage" }, "fails when api_gateway_cloudwatch_role is neither create nor existing"),
  validation("tags", { tags: { "aws:owner": "me" } }, "fails when a tag key uses the reserved aws: prefix"),
  validation("region", { region: "useast1" }, "fails when region is not a region name"),
  validation("kms_key_arn", { kms_key_arn: "alias/mcp" }, "fails when kms_key_arn is an alias"),
  validation("vpc_id", { vpc_id: "my-vpc" }, "fails when vpc_id is not a VPC id"),
  validation("subnet_ids", { subnet_ids: [] }, "fails when subnet_ids is empty"),
  validation(
    "vpc_security_group_ids",
    { vpc_security_group_ids: ["sg-01", "sg-02", "sg-03", "sg-04", "sg-05", "sg-06"].map((s) => `${s}23456789abcdef`) },
    "fails when more than five security groups are given",
  ),
  validation("api_type", { api_type: "GRPC" }, "fails when api_type is neither HTTP nor REST"),
  validation("image_tag", { image_tag: "-latest" }, "fails when image_tag is not a Docker tag"),
  validation("image_uri", { image_uri: "docker.io/library/node:22" }, "fails when image_uri is not in ECR"),
  validation("lambda_timeout", { lambda_timeout: 901 }, "fails when lambda_timeout exceeds Lambda's 900 s"),
  {
    name: "fails when lambda_timeout exceeds what a buffered API Gateway waits for (30 s), naming streaming as the way to longer calls",
    vars: { lambda_timeout: 60 },
    expected: 'lambda_timeout = 60 s, but a buffered API Gateway waits at most 30 s for the function (29 s on REST), so the rest would only be billed. Set lambda_timeout to 30 or less, or stream responses (api_type = "REST" and enable_response_streaming = true)',
  },
  {
    name: "fails when response streaming is enabled behind the HTTP API, naming the REST front",
    vars: { enable_response_streaming: true },
    expected: 'enable_response_streaming = true needs api_type = "REST": API Gateway HTTP APIs buffer every response',
  },
  validation("lambda_memory_size", { lambda_memory_size: 64 }, "fails when lambda_memory_size is below 128 MB"),
  validation("reserved_concurrent_executions", { reserved_concurrent_executions: 0 }, "fails when reserved_concurrent_executions is 0"),
  validation("environment_variables", { environment_variables: { MCP_ISSUER: "https://evil.example" } }, "fails when environment_variables sets a module MCP_ setting"),
  validation("allowed_origins", { allowed_origins: ["https://app.example.com/"] }, "fails when an allowed origin has a path or trailing slash"),
  validation("cognito_user_pool_id", { cognito_user_pool_id: "my-pool" }, "fails when cognito_user_pool_id is not a pool id"),
  validation("cognito_user_pool_endpoint", { cognito_user_pool_endpoint: "https://login.example.com" }, "fails when cognito_user_pool_endpoint is not a Cognito endpoint"),
  validation("cognito_user_pool_arn", { cognito_user_pool_arn: "us-east-1_AbCdEf123" }, "fails when cognito_user_pool_arn is not a user pool ARN"),
  validation("cognito_client_id", { cognito_client_id: "not a client id!" }, "fails when cognito_client_id has invalid characters"),
  validation("cognito_client_ids", { cognito_client_ids: ["1example23456789abcdefghij", "not a client id!"] }, "fails when a cognito_client_ids entry has invalid characters"),
  validation("tenants", { tenants: ["acme", "Globex Corp"] }, "fails when a tenant name is not lowercase letters, digits and hyphens"),
  { name: "fails when the module's pool has no tenant (nobody could call)", vars: { tenants: [] }, expected: "tenants is empty: the module's pool would have no app client" },
  {
    name: "fails when the HTTP API would take more than 50 clients as its audience (an API Gateway quota)",
    vars: { tenants: Array.from({ length: 51 }, (_, i) => `t${i}`) },
    expected: "tenants (or cognito_client_id and cognito_client_ids): the HTTP API's JWT authorizer takes at most 50 app clients as its audience",
  },
  {
    name: "fails when more than 100 clients would be allowed (the function's environment holds 4 KB)",
    vars: { api_type: "REST", tenants: Array.from({ length: 101 }, (_, i) => `t${i}`) },
    expected: "tenants (or cognito_client_id and cognito_client_ids): at most 100 app clients may be allowed",
  },
  validation("tenant_group_prefix", { tenant_group_prefix: "tenant " }, "fails when tenant_group_prefix has a space, which no Cognito group name holds"),
  validation("client_metadata_hosts", { client_metadata_hosts: ["https://claude.ai"] }, "fails when a client metadata host is a URL, not a host name"),
  {
    // One plan for the rules of people's sign-in that refuse a combination with another switch.
    name: "fails when people's sign-in is asked for with an external pool or with tenant isolation",
    vars: {
      api_type: "REST",
      enable_tenant_isolation: true,
      enable_people_sign_in: true,
      cognito_user_pool_id: "us-east-1_AbCdEf123",
      cognito_user_pool_endpoint: "cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123",
      cognito_user_pool_arn: "arn:aws:cognito-idp:us-east-1:111122223333:userpool/us-east-1_AbCdEf123",
      cognito_client_id: "1example23456789abcdefghij",
    },
    expected: ["enable_people_sign_in needs the module's own user pool", "enable_people_sign_in with enable_tenant_isolation: every person's token names the same app client"],
  },
  {
    name: "fails when a setting of the authorization front is given without it",
    vars: { enable_dynamic_client_registration: true, client_metadata_hosts: ["claude.ai"], route_throttle_overrides: { "POST /token": { rate_limit: 5, burst_limit: 10 } } },
    expected: [
      "enable_dynamic_client_registration is a setting of the authorization front",
      "client_metadata_hosts is a setting of the authorization front",
      "route_throttle_overrides names a route of the authorization front (POST /token), which exists only with enable_people_sign_in = true",
    ],
  },
  validation("tool_error_rate_alarm_percent", { tool_error_rate_alarm_percent: 0 }, "fails when the tool error rate alarm's percentage is 0"),
  validation("gateway_4xx_alarm_threshold", { gateway_4xx_alarm_threshold: 0.5 }, "fails when the gateway 4xx alarm's threshold is not a whole number"),
  validation("session_not_found_alarm_threshold", { session_not_found_alarm_threshold: 0 }, "fails when the session-not-found alarm's threshold is 0"),
  validation("store_unavailable_alarm_threshold", { store_unavailable_alarm_threshold: -1 }, "fails when the store-unavailable alarm's threshold is negative"),
  validation("metrics_namespace", { metrics_namespace: "AWS/MCP" }, "fails when metrics_namespace is in AWS's reserved AWS/ namespaces"),
  {
    name: "fails when a session alarm is asked for without sessions (it could never fire)",
    vars: { store_unavailable_alarm_threshold: 1 },
    expected: "session_not_found_alarm_threshold and store_unavailable_alarm_threshold watch the sessions table, and enable_sessions is false",
  },
  validation("session_ttl_seconds", { session_ttl_seconds: 10 }, "fails when session_ttl_seconds is under 5 minutes"),
  validation("tenant_claim", { tenant_claim: "custom:tenant_id" }, "fails when tenant_claim has characters API Gateway expressions cannot hold"),
  validation("throttling_rate_limit", { throttling_rate_limit: 0 }, "fails when throttling_rate_limit is 0"),
  validation("throttling_burst_limit", { throttling_burst_limit: 0 }, "fails when throttling_burst_limit is 0"),
  validation("route_throttle_overrides", { route_throttle_overrides: { "PUT /mcp": { rate_limit: 1, burst_limit: 1 } } }, "fails when a throttle override names no route"),
  validation(
    "route_throttle_overrides",
    { route_throttle_overrides: { "POST /mcp": { rate_limit: 0, burst_limit: 10 } } },
    "fails when a throttle override has a zero limit",
    1,
  ),
  validation("waf_acl_arn", { waf_acl_arn: "arn:aws:waf::111122223333:webacl/abc" }, "fails when waf_acl_arn is not a WAFv2 ACL"),
  validation(
    "cloudfront_certificate_arn",
    { cloudfront_certificate_arn: "arn:aws:acm:eu-west-1:111122223333:certificate/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9" },
    "fails when the CloudFront certificate is not in us-east-1",
  ),
  validation("cloudfront_aliases", { cloudfront_aliases: ["Not A Host"] }, "fails when a CloudFront alias is not a host name"),
  validation("log_retention_days", { log_retention_days: 100 }, "fails when log_retention_days is not a CloudWatch value"),
  validation("alarm_email_addresses", { alarm_email_addresses: ["on-call"] }, "fails when an alarm address is not an e-mail address"),
  { name: "fails when neither image_tag nor image_uri is given", vars: { image_tag: null, image_uri: null }, expected: "image_tag or image_uri: no image to run. Set image_tag" },
  {
    name: "fails when the KMS key is in another region",
    vars: { kms_key_arn: otherRegionKey },
    expected: "kms_key_arn is a key in region us-west-2, but the module deploys to us-east-1",
  },
  {
    name: "fails when only some external Cognito inputs are given, naming the missing ones",
    vars: { cognito_user_pool_id: "us-east-1_AbCdEf123" },
    expected: "missing: cognito_user_pool_endpoint, cognito_client_id or cognito_client_ids. Set the missing ones",
  },
  {
    name: "fails when the external pool endpoint names another pool",
    vars: {
      cognito_user_pool_id: "us-east-1_AbCdEf123",
      cognito_user_pool_endpoint: "cognito-idp.us-east-1.amazonaws.com/us-east-1_Other9999",
      cognito_client_id: "1example23456789abcdefghij",
    },
    expected: "the two inputs name different pools",
  },
  { name: "fails when the module's pool domain would contain a reserved word", vars: { name: "aws-mcp" }, expected: "Cognito refuses prefixes containing" },
  {
    name: "fails when waf_acl_arn is set without CloudFront (WAFv2 cannot attach to an HTTP API)",
    vars: { waf_acl_arn: "arn:aws:wafv2:us-east-1:111122223333:regional/webacl/mcp/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9" },
    expected: "WAFv2 web ACLs cannot be associated with an HTTP API",
  },
  {
    name: "fails when CloudFront has no certificate of the caller's (TLS 1.2 cannot be enforced)",
    vars: { enable_cloudfront: true },
    expected: "cannot enforce TLS 1.2",
  },
  {
    name: "fails when CloudFront gets a REGIONAL web ACL",
    vars: { ...cloudfront, waf_acl_arn: "arn:aws:wafv2:us-east-1:111122223333:regional/webacl/mcp/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9" },
    expected: "must be a CLOUDFRONT-scoped web ACL",
  },
  {
    name: "fails when a REST front trusts an external pool without its ARN",
    vars: {
      api_type: "REST",
      cognito_user_pool_id: "us-east-1_AbCdEf123",
      cognito_user_pool_endpoint: "cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123",
      cognito_client_id: "1example23456789abcdefghij",
    },
    expected: "cognito_user_pool_arn: with api_type = \"REST\" and an external pool, set cognito_user_pool_arn",
  },
  {
    name: "fails when the REST stage gets a CLOUDFRONT-scoped web ACL",
    vars: { api_type: "REST", waf_acl_arn: "arn:aws:wafv2:us-east-1:111122223333:global/webacl/mcp/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9" },
    expected: "must be a REGIONAL web ACL",
  },
  {
    name: "fails when the REST stage gets a REGIONAL web ACL of another region",
    vars: { api_type: "REST", waf_acl_arn: "arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/mcp/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9" },
    expected: "waf_acl_arn is a REGIONAL web ACL in eu-west-1, but the REST stage is in us-east-1",
  },
  {
    name: "fails when tenant isolation is enabled behind the HTTP API",
    vars: { enable_tenant_isolation: true },
    expected: "enable_tenant_isolation = true cannot work behind an HTTP API: every invoke of a tenant-isolated function must carry the X-Amz-Tenant-Id header, and API Gateway HTTP APIs cannot set x-amz-* headers. Set api_type = \"REST\"",
  },
];

describe.concurrent("plan-time validations and guards", () => {
  it.each(CASES)("$name", async ({ vars, expected, validation }) => {
    const { errors } = await planDiagnostics(example("minimal"), vars, { variablesOnly: validation !== undefined });
    expect(errors.length, "the plan should fail").toBeGreaterThan(0);
    for (const text of typeof expected === "string" ? [expected] : expected) expect(errors.join("\n")).toContain(text);
    // A rule over several inputs fails at the one place they all live, never on a resource it has nothing to do with.
    if (!validation) {
      for (const error of errors.filter((e) => (typeof expected === "string" ? [expected] : expected).some((text) => e.includes(text)))) {
        expect(error).toMatch(/^\[resource\.terraform_data\.input_rules\.lifecycle\.precondition\[\d+\]\] Resource precondition failed: /);
      }
    }
  });

  it("fails when tenant isolation is enabled on the 5.x build, naming the provider version it needs", async ({ skip }) => {
    if (inject("awsProviderMajor") !== 5) skip("the offline mirror holds a 6.x provider; the 5.x message is checked in synth.test.ts");
    const { errors } = await planDiagnostics(example("minimal"), { enable_tenant_isolation: true });
    expect(errors.join("\n")).toContain(`needs hashicorp/aws >= ${TENANCY_MIN_PROVIDER}`);
  });

  it("fails when response streaming is enabled on the 5.x build, naming the provider version it needs", async ({ skip }) => {
    if (inject("awsProviderMajor") !== 5) skip("the offline mirror holds a 6.x provider; the 5.x message is checked in synth.test.ts");
    const { errors } = await planDiagnostics(example("rest-waf"), { enable_response_streaming: true });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(`enable_response_streaming = true needs hashicorp/aws >= ${STREAMING_MIN_PROVIDER}`);
  });

  it("fails with the guard's own message alone when CloudFront has no aliases, not Terraform's index error beside it", async () => {
    const { errors } = await planDiagnostics(example("minimal"), { enable_cloudfront: true, cloudfront_certificate_arn: cloudfront.cloudfront_certificate_arn });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain("enable_cloudfront needs cloudfront_certificate_arn (an ACM certificate in us-east-1) and cloudfront_aliases");
  });

  it("fails with the one message that applies when a certificate of another region is given without a custom domain", async () => {
    const { errors } = await planDiagnostics(example("minimal"), { certificate_arn: "arn:aws:acm:us-west-2:111122223333:certificate/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9" });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain("certificate_arn is the custom domain's certificate");
  });

  it("warns (and still plans) when CloudFront fronts an API whose execute-api URL stays on", async () => {
    const { errors, warnings } = await planDiagnostics(example("cloudfront-waf"), { custom_domain_name: null, certificate_arn: null });
    expect(errors).toEqual([]);
    expect(warnings.join("\n")).toContain("enable_cloudfront without custom_domain_name leaves the API's execute-api URL reachable");
  });

  it("warns (and still plans) when log retention is below a year", async () => {
    const { errors, warnings } = await planDiagnostics(example("minimal"), { log_retention_days: 30 });
    expect(errors).toEqual([]);
    expect(warnings.join("\n")).toContain("log_retention_days is below 365");
  });

  it("has a failing case for every input validation", () => {
    const covered = new Set(CASES.flatMap((c) => (c.validation ? [c.validation.join("#")] : [])));
    const declared = Object.entries(INPUTS).flatMap(([name, spec]) =>
      ((spec as { validation?: readonly unknown[] }).validation ?? []).map((_, i) => `${name}#${i}`),
    );
    expect(declared.filter((v) => !covered.has(v))).toEqual([]);
  });
});
