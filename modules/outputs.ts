import { Construct } from "constructs";
import { TerraformOutput } from "./framework.js";
import { expr } from "./expressions.js";
import { markdownCell } from "./inputs.js";

/** Every output of the module and what it is for; the README's outputs table is generated from this. */
export const OUTPUTS = {
  mcp_endpoint: "URL MCP clients connect to: the CloudFront alias when `enable_cloudfront`, else the API's own URL, ending in `/mcp`.",
  api_id: "ID of the API: the HTTP API's, or the REST API's with `api_type = \"REST\"`.",
  function_name: "Name of the MCP server function.",
  function_arn: "ARN of the MCP server function.",
  ecr_repository_url: "URL of the module's ECR repository to push server images to; null when `image_uri` is used.",
  cognito_issuer: "Issuer of the access tokens the API accepts (`https://cognito-idp.<region>.amazonaws.com/<pool id>`).",
  cognito_token_endpoint: "OAuth 2.0 token endpoint of the module's user pool for the client_credentials grant; null with an external pool.",
  cognito_client_id: "The app client id MCP clients authenticate as when exactly one is allowed (one tenant, or one external client id); null with several: see `tenant_client_ids`.",
  cognito_user_pool_id: "ID of the user pool whose tokens the API accepts: the module's, or `cognito_user_pool_id`.",
  tenant_client_ids:
    "Each tenant of the module's pool and the id of its app client, which is also the tenant id the server sees with `tenant_claim = \"client_id\"`. A client's secret: `aws cognito-idp describe-user-pool-client --user-pool-id <cognito_user_pool_id> --client-id <id> --query UserPoolClient.ClientSecret --output text`. Empty with an external pool.",
  oauth_issuer:
    "With `enable_people_sign_in`: the issuer of the authorization front people's MCP clients sign in through (the public base URL), which the protected resource metadata names as the authorization server; null without it.",
  oauth_metadata_url:
    "With `enable_people_sign_in`: the front's RFC 8414 metadata; behind a REST stage path (`.../v1`) clients find the same document at `<oauth_issuer>/.well-known/openid-configuration`. null without it.",
  people_client_id: "With `enable_people_sign_in`: the public app client people sign in through at the pool's managed login (`<name>-people`); null without it.",
  sessions_table_name: "Name of the DynamoDB sessions table; null when `enable_sessions` is false.",
  alarm_topic_arn: "ARN of the SNS topic the five alarms notify; subscribe paging tools here.",
  dashboard_url:
    "Console URL of the CloudWatch dashboard: requests, errors and latency per method and per tool, errors by class, sessions, the gateway's 4xx and 5xx, the function's concurrency, throttles and cold starts, and the top tenants with `metrics_tenant_dimension`. The saved Logs Insights queries are under `<name>/` in Logs Insights.",
  custom_domain_target:
    "Where `custom_domain_name`'s DNS record points: `domain_name` (the regional API Gateway host) and `hosted_zone_id`, for a Route 53 alias record. null without a custom domain.",
  kms_key_policy_statements:
    "JSON list of the statements the KMS key's policy must contain so CloudWatch Logs, CloudWatch alarms and, with `enable_cloudfront`, CloudFront's log delivery can use the key. Known at plan time: add them before the first apply.",
} as const;

/** Name of a module output. */
export type OutputName = keyof typeof OUTPUTS;

/** Declares every output from HCL values; the descriptions come from {@link OUTPUTS}. */
export function declareOutputs(scope: Construct, values: Record<OutputName, string>): void {
  for (const [name, description] of Object.entries(OUTPUTS) as [OutputName, string][]) {
    // Construct ids are scoped apart from the variables: an output may share its input's name.
    new TerraformOutput(scope, `output-${name}`, { value: expr(values[name]), description }).overrideLogicalId(name);
  }
}

/** The README's outputs table, generated from {@link OUTPUTS}. */
export function outputsMarkdown(): string {
  const rows = Object.entries(OUTPUTS).map(([name, description]) => `| \`${name}\` | ${markdownCell(description)} |`);
  return ["| Name | Description |", "|------|-------------|", ...rows].join("\n");
}
