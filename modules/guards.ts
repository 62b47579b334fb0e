import { Precondition } from "./framework.js";
import { expr } from "./expressions.js";
import { AwsProviderMajor, TENANCY_MIN_PROVIDER } from "./provider.js";
import { Platform } from "./platform.js";
import { input } from "./inputs.js";

/**
 * Plan-time guards that combine inputs (a variable's own validation can only
 * see that variable). Each says what is wrong and what to set instead.
 */

/** HCL: the region of `var.image_uri`'s repository, or "" without one. */
const IMAGE_REGION = `try(regex("^[0-9]{12}\\\\.dkr\\\\.ecr(?:-fips)?\\\\.([a-z0-9-]+)\\\\.", ${input.image_uri})[0], "")`;

/** Guards on the function: an image to run, in its region, a key in its region, and tenant isolation it can honour. */
export function functionGuards(p: Platform, major: AwsProviderMajor): Precondition[] {
  const guards: Precondition[] = [
    {
      condition: expr(`${input.image_uri} != null || ${input.image_tag} != null`),
      errorMessage:
        "No image to run: set image_tag (a tag pushed to the module's ECR repository, output ecr_repository_url) or image_uri (an image in another ECR repository).",
    },
    {
      // The input's validation holds image_uri to <account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn]/... (try: Terraform's || does not short-circuit).
      condition: expr(`${input.image_uri} == null || ${IMAGE_REGION} == ${p.region}`),
      errorMessage: `image_uri names an image in region \${${IMAGE_REGION}}, but the module deploys to \${${p.region}}: Lambda runs images from an ECR repository in the function's own region only. Replicate the image to \${${p.region}} (ECR replication) and give that URI.`,
    },
    {
      condition: expr(`split(":", ${input.kms_key_arn})[3] == ${p.region}`),
      errorMessage: `kms_key_arn is a key in region \${split(":", ${input.kms_key_arn})[3]}, but the module deploys to \${${p.region}}: AWS services use keys of their own region only. Give a key (or a multi-Region replica) in \${${p.region}}.`,
    },
  ];
  if (major === 5) {
    guards.push({
      // GovCloud has its own refusal (govCloudGuards): one message, the one that holds whatever the provider.
      condition: expr(`!${input.enable_tenant_isolation} || ${p.govCloud}`),
      errorMessage: `enable_tenant_isolation = true needs hashicorp/aws >= ${TENANCY_MIN_PROVIDER} (the first release with the Lambda tenancy_config argument); this configuration was synthesized for 5.x (MCP_AWS_PROVIDER_MAJOR=5). Synthesize for 6.x, or set enable_tenant_isolation = false.`,
    });
  }
  guards.push({
    condition: expr(`!${input.enable_tenant_isolation} || ${input.api_type} == "REST"`),
    errorMessage:
      "enable_tenant_isolation = true cannot work behind an HTTP API: every invoke of a tenant-isolated function must carry the X-Amz-Tenant-Id header, and API Gateway HTTP APIs cannot set x-amz-* headers. Set api_type = \"REST\" (the REST integration passes the verified tenant claim), or enable_tenant_isolation = false.",
  });
  return guards;
}

/**
 * Guards for AWS GovCloud (US): what AWS does not offer there is refused at plan time, before anything is
 * created (sources in docs/architecture.md, "AWS GovCloud (US)"). CloudFront's guard is on the distribution.
 */
export function govCloudGuards(p: Platform): Precondition[] {
  return [
    {
      condition: expr(`!(${p.govCloud} && ${input.enable_tenant_isolation})`),
      errorMessage:
        "enable_tenant_isolation = true, but Lambda tenant isolation mode is not offered in AWS GovCloud (US). Set enable_tenant_isolation = false: the server still binds every session to the caller's tenant, and the sessions table still admits each tenant to its own items only.",
    },
  ];
}

/** Guards on the API: no WAF an HTTP API cannot take. */
export function apiGuards(): Precondition[] {
  return [
    {
      condition: expr(`${input.waf_acl_arn} == null || ${input.enable_cloudfront} || ${input.api_type} == "REST"`),
      errorMessage:
        "waf_acl_arn is set but enable_cloudfront is false: WAFv2 web ACLs cannot be associated with an HTTP API (API Gateway v2). Set api_type = \"REST\" to associate a REGIONAL web ACL with the REST stage, or enable_cloudfront = true to put a CLOUDFRONT-scoped one (us-east-1) on a distribution in front of the API, or remove waf_acl_arn.",
    },
  ];
}
