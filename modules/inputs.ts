import { Construct } from "constructs";
import { TerraformVariable } from "./framework.js";
import { hclList } from "./expressions.js";
import { ROUTE_KEYS } from "./routes.js";
import { TENANT_GROUP_PREFIX } from "../handler/http-contract.js";

/** A rule a value must satisfy; `condition` is HCL that may refer only to this input. */
export interface InputValidation {
  readonly condition: string;
  /** What is wrong and what to do instead. */
  readonly message: string;
}

/** One Terraform input of the module. */
export interface InputSpec {
  /** HCL type constraint, e.g. `list(string)`. */
  readonly type: string;
  /** Valid values, and when the input applies. */
  readonly description: string;
  /** Absent: the input is required. `null` is a real default ("not set"). */
  readonly default?: unknown;
  readonly validation?: readonly InputValidation[];
}

/** CloudWatch Logs retention values (0 keeps logs forever). */
const LOG_RETENTION_DAYS = [
  0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

const wholeNumber = (v: string) => `floor(${v}) == ${v}`;

/**
 * Every input of the module, declared once: the stack creates its Terraform
 * variables from this table and the README's inputs table is generated from it.
 * Order is the order of the README.
 */
export const INPUTS = {
  // --- General -------------------------------------------------------------
  name: {
    type: "string",
    description:
      "Prefix of every resource name (function, role, repository, table, log groups, alarms, Cognito domain). 3–32 characters: lowercase letters, digits and hyphens, starting with a letter.",
    default: "mcp-server",
    validation: [
      {
        condition: 'can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name))',
        message:
          "name must be 3-32 characters of lowercase letters, digits and hyphens, start with a letter and end with a letter or digit (ECR repository and Cognito domain names allow nothing else). Example: \"mcp-server\".",
      },
    ],
  },
  tags: {
    type: "map(string)",
    description: "Tags added to every taggable resource the module creates.",
    default: {},
    validation: [
      {
        condition: 'alltrue([for k, v in var.tags : length(k) <= 128 && length(v) <= 256 && !startswith(lower(k), "aws:")])',
        message: "tags: keys must be at most 128 characters and not start with \"aws:\" (reserved), values at most 256 characters.",
      },
    ],
  },
  region: {
    type: "string",
    description:
      "AWS region of the root stack's provider, e.g. \"us-gov-west-1\". null uses the provider's default (AWS_REGION or the profile). Ignored when the configuration is used as a module: the caller's provider decides.",
    default: null,
    validation: [
      {
        condition: 'var.region == null || can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]+$", var.region))',
        message: "region must be an AWS region name such as \"us-east-1\" or \"us-gov-west-1\", or null to use AWS_REGION.",
      },
    ],
  },
  use_fips_endpoints: {
    type: "bool",
    description:
      "Have the root stack's provider call AWS through FIPS 140 validated endpoints (SC-13) where the service offers them. null (the default): on when `region` is in AWS GovCloud (US) (`us-gov-*`), otherwise the provider's own default (`AWS_USE_FIPS_ENDPOINT`, the profile's `use_fips_endpoint`). Ignored when the configuration is used as a module: set `use_fips_endpoint` on your own provider.",
    default: null,
  },
  kms_key_arn: {
    type: "string",
    description:
      "ARN of the customer managed KMS key that encrypts everything at rest: Lambda environment, log groups, ECR repository, sessions table, alarm topic, CloudFront's access-log bucket. Must be in the deployment account and region; its key policy must allow the statements of the `kms_key_policy_statements` output.",
    validation: [
      {
        condition: 'can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[a-zA-Z0-9-]+$", var.kms_key_arn))',
        message:
          "kms_key_arn must be the full ARN of a customer managed key, arn:<partition>:kms:<region>:<account>:key/<key-id>. Aliases and bare key ids are not accepted: CloudWatch Logs and Lambda take key ARNs only.",
      },
    ],
  },
  // --- Network -------------------------------------------------------------
  vpc_id: {
    type: "string",
    description: "ID of the VPC the function runs in (SC-7). The subnets and security groups must belong to it.",
    validation: [
      {
        condition: 'can(regex("^vpc-[0-9a-f]{8,17}$", var.vpc_id))',
        message: "vpc_id must be a VPC id such as \"vpc-0123456789abcdef0\".",
      },
    ],
  },
  subnet_ids: {
    type: "list(string)",
    description:
      "Private subnets for the function's network interfaces: 1–16, ideally one per availability zone. They need a route to the AWS APIs the function calls (NAT or VPC endpoints for DynamoDB, KMS, Logs, X-Ray).",
    validation: [
      {
        condition:
          'length(var.subnet_ids) >= 1 && length(var.subnet_ids) <= 16 && alltrue([for s in var.subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", s))])',
        message: "subnet_ids must list 1 to 16 subnet ids such as \"subnet-0123456789abcdef0\"; Lambda needs at least one subnet to place the function in the VPC.",
      },
    ],
  },
  vpc_security_group_ids: {
    type: "list(string)",
    description: "Security groups of the function's network interfaces: 1–5. Egress must reach the AWS APIs the function calls; no ingress is needed.",
    validation: [
      {
        condition:
          'length(var.vpc_security_group_ids) >= 1 && length(var.vpc_security_group_ids) <= 5 && alltrue([for s in var.vpc_security_group_ids : can(regex("^sg-[0-9a-f]{8,17}$", s))])',
        message: "vpc_security_group_ids must list 1 to 5 security group ids such as \"sg-0123456789abcdef0\" (Lambda allows at most 5).",
      },
    ],
  },
  // --- API -----------------------------------------------------------------
  api_type: {
    type: "string",
    description:
      "The API Gateway front: `HTTP` (HTTP API v2: JWT authorizer, cheapest) or `REST` (REST API v1: needed for `enable_tenant_isolation`, takes a regional WAF directly, answers 401 with the RFC 9728 `resource_metadata` link). Changing it replaces the API.",
    default: "HTTP",
    validation: [
      {
        condition: 'contains(["HTTP", "REST"], var.api_type)',
        message: "api_type must be \"HTTP\" (API Gateway HTTP API) or \"REST\" (API Gateway REST API; required for enable_tenant_isolation).",
      },
    ],
  },
  api_gateway_cloudwatch_role: {
    type: "string",
    description:
      "Applies with `api_type = \"REST\"`: a REST stage writes access logs only once the account's API Gateway CloudWatch Logs role is set in its region, a setting a fresh account does not have. `create`: the module creates a role for it and sets it (`aws_api_gateway_account`); the setting is per account and region, so every REST API there then logs through that role, and when the module is destroyed hashicorp/aws 6.x resets the setting (REST logging stops in that region until it is set again) while 5.x leaves it naming the deleted role. `existing`: the setting is already managed elsewhere (a landing zone, another stack) and the module leaves it alone; a stage in a region where it was never set fails to create.",
    default: "create",
    validation: [
      {
        condition: 'contains(["create", "existing"], var.api_gateway_cloudwatch_role)',
        message:
          "api_gateway_cloudwatch_role must be \"create\" (the module sets the account's API Gateway CloudWatch Logs role in this region) or \"existing\" (the setting is managed elsewhere; the module leaves it alone).",
      },
    ],
  },
  custom_domain_name: {
    type: "string",
    description:
      "Host name the API answers on, such as \"mcp.example.com\", with `certificate_arn`. The domain uses a TLS 1.2 security policy and is mapped at its root, so `https://<domain>/mcp` and the discovery URLs work on both fronts. The API's default `execute-api` URL is then switched off. Point a DNS alias at the `custom_domain_target` output.",
    default: null,
    validation: [
      {
        condition: 'var.custom_domain_name == null || can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\\\.)+[a-z]{2,63}$", var.custom_domain_name))',
        message: "custom_domain_name must be a lowercase DNS host name such as \"mcp.example.com\", or null.",
      },
    ],
  },
  certificate_arn: {
    type: "string",
    description: "ACM certificate for `custom_domain_name`, in the API's region. Required with `custom_domain_name`.",
    default: null,
    validation: [
      {
        condition: 'var.certificate_arn == null || can(regex("^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[0-9a-f-]+$", var.certificate_arn))',
        message: "certificate_arn must be an ACM certificate ARN such as \"arn:aws:acm:us-east-1:111122223333:certificate/<id>\", or null.",
      },
    ],
  },
  mtls_truststore_uri: {
    type: "string",
    description:
      "S3 URI of a PEM bundle of the CA certificates that sign client certificates (`s3://bucket/key`). Set, the custom domain requires mutual TLS: no request reaches the function without a client certificate. Only with `custom_domain_name`.",
    default: null,
    validation: [
      {
        condition: 'var.mtls_truststore_uri == null || can(regex("^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/.+$", var.mtls_truststore_uri))',
        message: "mtls_truststore_uri must be an S3 URI such as \"s3://my-bucket/truststore.pem\", or null.",
      },
    ],
  },
  mtls_truststore_version: {
    type: "string",
    description: "S3 object version of the truststore, to pin it (the bucket must be versioned). Only with `mtls_truststore_uri`.",
    default: null,
    validation: [
      {
        condition: 'var.mtls_truststore_version == null || can(regex("^[A-Za-z0-9._-]+$", var.mtls_truststore_version)) && try(length(var.mtls_truststore_version), 0) <= 1024',
        message: "mtls_truststore_version must be an S3 version id (letters, digits, . _ -), such as \"3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY\", or null.",
      },
    ],
  },
  // --- Function ------------------------------------------------------------
  image_tag: {
    type: "string",
    description:
      "Tag of the server image in the module's own ECR repository (output `ecr_repository_url`). Tags are immutable: push a new tag for each release. Give this or `image_uri`.",
    default: null,
    validation: [
      {
        condition: 'var.image_tag == null || can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.image_tag))',
        message: "image_tag must be a Docker tag: 1-128 letters, digits, '_', '.' or '-', not starting with '.' or '-'. Example: \"1.4.0\".",
      },
    ],
  },
  image_uri: {
    type: "string",
    description:
      "Full URI of a server image in another ECR repository, `<account>.dkr.ecr.<region>.amazonaws.com/<repo>:<tag>` or `@sha256:<digest>`. Overrides `image_tag`; when set, the module creates no repository. The repository must be in the deployment region (Lambda pulls images from its own region only; replicate a central registry's image there). In another account, its repository policy must let the function's account and the Lambda service pull (`ecr:BatchGetImage`, `ecr:GetDownloadUrlForLayer`); see the README's Deploy section.",
    default: null,
    validation: [
      {
        condition:
          'var.image_uri == null || can(regex("^[0-9]{12}\\\\.dkr\\\\.ecr(-fips)?\\\\.[a-z0-9-]+\\\\.amazonaws\\\\.com(\\\\.cn)?/[a-z0-9][a-z0-9._/-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[0-9a-f]{64})$", var.image_uri))',
        message:
          "image_uri must name an image in Amazon ECR (Lambda pulls from nowhere else): <account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag> or <repository>@sha256:<digest>.",
      },
    ],
  },
  lambda_timeout: {
    type: "number",
    description:
      "Function timeout in seconds: 1–30, or up to 900 (Lambda's 15 minutes) with `enable_response_streaming` on the REST front. A buffered API Gateway waits at most 30 s for the function (29 s on REST), so a longer timeout would only be billed. The integration timeout is set one second above this value (capped at 30 s, 29 s on REST, 900 s streaming), and the duration and latency alarms scale with it. The server answers every request before this timeout: its deadline is the time left less 1 s (or a tenth of it), when work still running is stopped and answered with a JSON-RPC error.",
    default: 29,
    validation: [
      {
        condition: `var.lambda_timeout >= 1 && var.lambda_timeout <= 900 && ${wholeNumber("var.lambda_timeout")}`,
        message: "lambda_timeout must be a whole number of seconds from 1 to 900 (Lambda's longest timeout); above 30 it needs enable_response_streaming on the REST front.",
      },
    ],
  },
  lambda_memory_size: {
    type: "number",
    description: "Function memory in MB, 128–10240. CPU scales with memory; 1024 keeps cold starts of the bundled MCP SDK short.",
    default: 1024,
    validation: [
      {
        condition: `var.lambda_memory_size >= 128 && var.lambda_memory_size <= 10240 && ${wholeNumber("var.lambda_memory_size")}`,
        message: "lambda_memory_size must be a whole number of MB from 128 to 10240.",
      },
    ],
  },
  reserved_concurrent_executions: {
    type: "number",
    description:
      "Concurrent executions reserved for (and capping) the function, at least 1 (CM-7, CKV_AWS_115). AWS keeps at least 100 of the account's concurrency unreserved in each region, so the default of 100 needs a concurrency quota of 200 or more: new accounts often start at 10 or 100 (Service Quotas, Lambda \"Concurrent executions\"), where PutFunctionConcurrency fails until you lower this or raise the quota.",
    default: 100,
    validation: [
      {
        condition: `var.reserved_concurrent_executions >= 1 && ${wholeNumber("var.reserved_concurrent_executions")}`,
        message:
          "reserved_concurrent_executions must be a whole number of at least 1: 0 would stop the function, and -1 (no reservation) removes the concurrency cap that CM-7 and CKV_AWS_115 ask for.",
      },
    ],
  },
  environment_variables: {
    type: "map(string)",
    description:
      "Extra environment variables for the server, encrypted with the KMS key. Names starting with `MCP_` are the module's own settings and `AWS_` names are reserved by Lambda; both are refused.",
    default: {},
    validation: [
      {
        condition: 'alltrue([for k, v in var.environment_variables : can(regex("^[a-zA-Z][a-zA-Z0-9_]*$", k)) && !startswith(k, "MCP_") && !startswith(k, "AWS_")])',
        message:
          "environment_variables: names must be letters, digits and '_', start with a letter, and not start with MCP_ (the module sets those from its inputs: use the matching input instead) or AWS_ (reserved by Lambda).",
      },
    ],
  },
  allowed_origins: {
    type: "list(string)",
    description:
      "Browser origins (`https://host[:port]`) allowed to call the server. Their preflights are answered (the HTTP API's CORS configuration, or an `OPTIONS /mcp` method on the REST API) and their pages may read the answers, `Mcp-Session-Id`, `MCP-Protocol-Version` and `WWW-Authenticate` included; the token travels in `Authorization`, never in cookies (fetch with `credentials: \"omit\"`). A request whose `Origin` is not listed is refused with 403; requests without `Origin` (non-browser MCP clients) pass. Empty: no browser may call.",
    default: [],
    validation: [
      {
        condition: 'alltrue([for o in var.allowed_origins : can(regex("^https?://[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?$", o))])',
        message: "allowed_origins must be origins such as \"https://app.example.com\" or \"http://localhost:6274\": scheme, lowercase host and optional port, no path or trailing slash.",
      },
    ],
  },
  // --- Authentication --------------------------------------------------------
  cognito_user_pool_id: {
    type: "string",
    description:
      "ID of an existing Cognito user pool (`<region>_<id>`). To use your own pool, give it with `cognito_user_pool_endpoint` and the allowed app client ids (`cognito_client_id` or `cognito_client_ids`), and `cognito_user_pool_arn` with `api_type = \"REST\"`; give none of them to let the module create one.",
    default: null,
    validation: [
      {
        condition: 'var.cognito_user_pool_id == null || can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]+_[0-9a-zA-Z]+$", var.cognito_user_pool_id))',
        message: "cognito_user_pool_id must be a user pool id such as \"us-east-1_AbCdEf123\", or null to let the module create a pool.",
      },
    ],
  },
  cognito_user_pool_endpoint: {
    type: "string",
    description:
      "Endpoint of that pool, `cognito-idp.<region>.amazonaws.com/<pool id>` (with or without `https://`): the token issuer. Only with an external pool.",
    default: null,
    validation: [
      {
        condition:
          'var.cognito_user_pool_endpoint == null || can(regex("^(https://)?cognito-idp\\\\.[a-z0-9-]+\\\\.amazonaws\\\\.com/[a-z]{2}(-[a-z]+)+-[0-9]+_[0-9a-zA-Z]+$", var.cognito_user_pool_endpoint))',
        message:
          "cognito_user_pool_endpoint must look like \"cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123\" (the pool's `endpoint` attribute; https:// optional), or null.",
      },
    ],
  },
  cognito_user_pool_arn: {
    type: "string",
    description:
      "ARN of that pool, `arn:<partition>:cognito-idp:<region>:<account>:userpool/<pool id>`. Only with an external pool and `api_type = \"REST\"`: a REST API's Cognito authorizer names the pool by ARN, and the account (the pool may live in another one) is in no other input.",
    default: null,
    validation: [
      {
        condition: 'var.cognito_user_pool_arn == null || can(regex("^arn:aws[a-z-]*:cognito-idp:[a-z0-9-]+:[0-9]{12}:userpool/[a-z]{2}(-[a-z]+)+-[0-9]+_[0-9a-zA-Z]+$", var.cognito_user_pool_arn))',
        message: "cognito_user_pool_arn must be a user pool ARN such as \"arn:aws:cognito-idp:us-east-1:111122223333:userpool/us-east-1_AbCdEf123\", or null.",
      },
    ],
  },
  cognito_client_id: {
    type: "string",
    description:
      "An app client id of that pool that MCP clients use (the token's `client_id`). Only with an external pool; with several clients (one per tenant), list them in `cognito_client_ids` (this one counts too).",
    default: null,
    validation: [
      {
        condition: 'var.cognito_client_id == null || can(regex("^[a-zA-Z0-9+]{1,128}$", var.cognito_client_id))',
        message: "cognito_client_id must be a Cognito app client id (letters and digits, up to 128), or null.",
      },
    ],
  },
  cognito_client_ids: {
    type: "list(string)",
    description:
      "The app client ids of that pool allowed to call the server, beside `cognito_client_id`: one per tenant when `tenant_claim = \"client_id\"`. The HTTP API's authorizer takes them as its audience (50 at most, an API Gateway quota), and the server refuses (403) any other client on both fronts. Only with an external pool.",
    default: [],
    validation: [
      {
        condition: 'alltrue([for id in var.cognito_client_ids : can(regex("^[a-zA-Z0-9+]{1,128}$", id))])',
        message: "cognito_client_ids must be Cognito app client ids (letters and digits, up to 128 each).",
      },
    ],
  },
  tenants: {
    type: "set(string)",
    description:
      "The tenants of the pool the module creates: one client-credentials app client per tenant (`<name>-<tenant>`), so adding a tenant is a tfvars change. The tenant id the server sees (sessions, logs, tenant isolation) is the claim `tenant_claim` names; with the default `client_id`, it is the tenant's app client id, which the `tenant_client_ids` output maps from the tenant's name and which stays the same for the client's life (a tenant removed and added again gets a new client, and starts without sessions). 1–32 lowercase letters, digits and hyphens each; 50 tenants at most behind the HTTP API, 100 behind the REST API. No effect with an external pool (see `cognito_client_ids`).",
    default: ["default"],
    validation: [
      {
        condition: 'alltrue([for t in var.tenants : can(regex("^[a-z0-9][a-z0-9-]{0,31}$", t))])',
        message: "tenants must be names of 1-32 lowercase letters, digits and hyphens, starting with a letter or digit (each becomes part of an app client name, <name>-<tenant>). Example: [\"acme\", \"globex\"].",
      },
    ],
  },
  cognito_threat_protection: {
    type: "bool",
    description:
      "Threat protection on the pool the module creates: the Plus feature plan with advanced security `ENFORCED` (Security Hub Cognito.1). It judges user sign-ins and token use, and blocks risky ones; machine clients' client-credentials grants are billed by Cognito's M2M pricing either way. false: the Essentials plan, no threat protection. null (the default): on, except in AWS GovCloud (US), where AWS documents it as not offered (true there plans with a warning). No effect with an external pool: configure yours.",
    default: null,
  },
  // --- People's sign-in (the authorization front) ---------------------------
  enable_people_sign_in: {
    type: "bool",
    description:
      "Let people's MCP clients (Claude Code, claude.ai, ChatGPT, VS Code, Cursor, the MCP Inspector) sign in: the function also serves an OAuth authorization front on the API (`/.well-known/oauth-authorization-server`, `/.well-known/openid-configuration`, `/authorize`, `/oauth/callback`, `/token`, `/register`, open and throttled like every route, behind the same WAF), which identifies clients by Client ID Metadata Document, sends people to the pool's managed login through a public app client (`<name>-people`, authorization code + PKCE) and hands their clients Cognito's access tokens, which both fronts' authorizers accept. Codes and registrations live in a DynamoDB table on `kms_key_arn`. Administrators create the people (`admin-create-user`) and put each in the group of their tenant (`tenant_group_prefix`). Needs the module's own pool, and not `enable_tenant_isolation` (people share the front's app client, which is what the REST integration would map to the tenant). See docs/oauth.md.",
    default: false,
  },
  tenant_group_prefix: {
    type: "string",
    description:
      "With `enable_people_sign_in`: a person's tenant is the one Cognito group they are in whose name starts with this prefix, less the prefix (group `tenant-acme`: tenant `acme`). Groups are carried in every access token and only administrators can change them. The module creates the group of each of `tenants`; a person in no such group, or in several, is refused (403) with what to do.",
    default: TENANT_GROUP_PREFIX,
    validation: [
      {
        condition: 'can(regex("^[A-Za-z0-9._:-]{1,32}$", var.tenant_group_prefix))',
        message: "tenant_group_prefix must be 1-32 letters, digits and . _ : - (the start of Cognito group names), such as \"tenant-\".",
      },
    ],
  },
  client_metadata_hosts: {
    type: "list(string)",
    description:
      "With `enable_people_sign_in`: the hosts allowed to serve Client ID Metadata Documents (the `client_id` URLs of people's MCP clients), such as `claude.ai` or `vscode.dev`. Empty: any public host. Whatever the list, documents are fetched over HTTPS only, never from a private, loopback or link-local address, at most 5 KB within 5 s.",
    default: [],
    validation: [
      {
        condition: 'alltrue([for h in var.client_metadata_hosts : can(regex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$", h))])',
        message: "client_metadata_hosts must be lowercase DNS host names such as \"claude.ai\": no scheme, port, path or IP address.",
      },
    ],
  },
  enable_dynamic_client_registration: {
    type: "bool",
    description:
      "With `enable_people_sign_in`: also let clients register themselves (RFC 7591, `POST /register`), the fallback for clients without a Client ID Metadata Document (Cursor, claude.ai's custom connectors). Off by default: anyone may register a client, so a registered client name proves nothing; registrations are public clients only, expire after 30 days and are stored on `kms_key_arn`.",
    default: false,
  },
  // --- Sessions and tenancy -------------------------------------------------
  enable_sessions: {
    type: "bool",
    description:
      "Create the DynamoDB sessions table (keyed by tenant and session id) so 2025-era clients get MCP sessions. false: the server is stateless.",
    default: false,
  },
  session_ttl_seconds: {
    type: "number",
    description: "Lifetime of an idle session in seconds, 300–2592000 (30 days); DynamoDB TTL removes expired sessions. Applies when `enable_sessions` is true.",
    default: 86400,
    validation: [
      {
        condition: `var.session_ttl_seconds >= 300 && var.session_ttl_seconds <= 2592000 && ${wholeNumber("var.session_ttl_seconds")}`,
        message: "session_ttl_seconds must be a whole number from 300 (5 minutes) to 2592000 (30 days).",
      },
    ],
  },
  enable_tenant_isolation: {
    type: "bool",
    description:
      "Run each tenant in its own Lambda micro-VM (`tenancy_config`, PER_TENANT); the REST integration passes the verified tenant claim as `X-Amz-Tenant-Id`. Needs `api_type = \"REST\"` and hashicorp/aws >= 6.23.0. Set at creation only: changing it replaces the function.",
    default: false,
  },
  enable_response_streaming: {
    type: "bool",
    description:
      "Stream responses through the REST front (`response_transfer_mode = \"STREAM\"`, Lambda's InvokeWithResponseStream): tool calls answer as Server-Sent Events, so progress and log messages reach clients as they are sent, a call may run up to `lambda_timeout` = 900 s, and 2026-07-28 clients can hold a `subscriptions/listen` stream open until the deadline. Needs `api_type = \"REST\"` (HTTP APIs cannot stream) and hashicorp/aws >= 6.26.0. Off by default: it changes how API Gateway invokes the function and how the function answers, and a long `lambda_timeout` lets each call bill up to 15 minutes; turn it on deliberately.",
    default: false,
  },
  tenant_claim: {
    type: "string",
    description:
      "JWT claim that names the caller's tenant: letters, digits and `_`. Sessions are bound to it and it is logged with every request. The default `client_id` makes each Cognito app client a tenant.",
    default: "client_id",
    validation: [
      {
        condition: 'can(regex("^[A-Za-z_][A-Za-z0-9_]{0,127}$", var.tenant_claim))',
        message:
          "tenant_claim must be a claim name of letters, digits and '_' (up to 128, not starting with a digit): API Gateway reads it in log and mapping expressions, which allow no other characters. For a claim such as custom:tenant_id, have a Cognito pre token generation trigger (event version V3_0) copy it into a claim named like tenant_id.",
      },
    ],
  },
  // --- Throttling ----------------------------------------------------------
  throttling_rate_limit: {
    type: "number",
    description: "Steady-state requests per second allowed on every route (stage default). Must be above 0: API Gateway treats 0 as \"reject everything\".",
    default: 100,
    validation: [
      {
        condition: "var.throttling_rate_limit > 0",
        message: "throttling_rate_limit must be greater than 0: a limit of 0 makes API Gateway answer every request with 429.",
      },
    ],
  },
  throttling_burst_limit: {
    type: "number",
    description: "Burst of requests allowed on every route (stage default), a whole number above 0.",
    default: 200,
    validation: [
      {
        condition: `var.throttling_burst_limit > 0 && ${wholeNumber("var.throttling_burst_limit")}`,
        message: "throttling_burst_limit must be a whole number greater than 0: a limit of 0 makes API Gateway answer every request with 429.",
      },
    ],
  },
  route_throttle_overrides: {
    type: "map(object({ rate_limit = number, burst_limit = number }))",
    description: `Per-route limits that replace the stage defaults, keyed by route key: ${ROUTE_KEYS.map((k) => `\`${k}\``).join(", ")}.`,
    default: {},
    validation: [
      {
        condition: `alltrue([for k, v in var.route_throttle_overrides : contains(${hclList(ROUTE_KEYS)}, k)])`,
        message: `route_throttle_overrides: every key must be a route key of the API, one of ${ROUTE_KEYS.map((k) => `"${k}"`).join(", ")}.`,
      },
      {
        condition: `alltrue([for k, v in var.route_throttle_overrides : v.rate_limit > 0 && v.burst_limit > 0 && ${wholeNumber("v.burst_limit")}])`,
        message: "route_throttle_overrides: rate_limit and burst_limit must both be greater than 0 (burst_limit a whole number): API Gateway treats 0 as \"reject everything\".",
      },
    ],
  },
  // --- Edge ------------------------------------------------------------------
  waf_acl_arn: {
    type: "string",
    description:
      "ARN of a WAFv2 web ACL to put in front of the API. With `enable_cloudfront`: a CLOUDFRONT-scoped ACL (us-east-1, `...:global/webacl/...`) on the distribution. Otherwise only with `api_type = \"REST\"`: a REGIONAL ACL associated with the stage (WAFv2 cannot attach to an HTTP API).",
    default: null,
    validation: [
      {
        condition: 'var.waf_acl_arn == null || can(regex("^arn:aws[a-z-]*:wafv2:[a-z0-9-]+:[0-9]{12}:(global|regional)/webacl/[^/]+/[0-9a-f-]+$", var.waf_acl_arn))',
        message: "waf_acl_arn must be a WAFv2 web ACL ARN, arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>, or null.",
      },
    ],
  },
  enable_cloudfront: {
    type: "bool",
    description:
      "Put a CloudFront distribution in front of the API (HTTPS only, TLS 1.2, no caching, `Authorization` forwarded); `mcp_endpoint` then points at it. Needs `cloudfront_certificate_arn` and `cloudfront_aliases`.",
    default: false,
  },
  cloudfront_certificate_arn: {
    type: "string",
    description:
      "ACM certificate in us-east-1 for the distribution's aliases. Required with `enable_cloudfront`: CloudFront's default *.cloudfront.net certificate cannot enforce TLS 1.2.",
    default: null,
    validation: [
      {
        condition: 'var.cloudfront_certificate_arn == null || can(regex("^arn:aws[a-z-]*:acm:us-east-1:[0-9]{12}:certificate/[0-9a-f-]+$", var.cloudfront_certificate_arn))',
        message: "cloudfront_certificate_arn must be an ACM certificate ARN in us-east-1 (CloudFront reads certificates only from there), or null.",
      },
    ],
  },
  cloudfront_aliases: {
    type: "list(string)",
    description: "Host names the distribution answers on (covered by the certificate); the first one forms `mcp_endpoint`. Applies with `enable_cloudfront`.",
    default: [],
    validation: [
      {
        condition: 'alltrue([for a in var.cloudfront_aliases : can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\\\.)+[a-z]{2,63}$", a))])',
        message: "cloudfront_aliases must be lowercase DNS host names such as \"mcp.example.com\".",
      },
    ],
  },
  // --- Logging and alarms ---------------------------------------------------
  log_retention_days: {
    type: "number",
    description:
      "Days CloudWatch keeps the function and access logs: one of 0 (forever), 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653. FedRAMP AU-11 asks for at least 365; shorter values plan with a warning.",
    default: 365,
    validation: [
      {
        condition: `contains(${JSON.stringify(LOG_RETENTION_DAYS)}, var.log_retention_days)`,
        message: `log_retention_days must be a value CloudWatch Logs accepts: ${LOG_RETENTION_DAYS.join(", ")} (0 = never expire). AU-11 asks for 365 or more.`,
      },
    ],
  },
  alarm_email_addresses: {
    type: "list(string)",
    description: "E-mail addresses subscribed to the alarm topic (each must confirm the subscription). Empty: subscribe other endpoints to `alarm_topic_arn` yourself.",
    default: [],
    validation: [
      {
        condition: 'alltrue([for a in var.alarm_email_addresses : can(regex("^[^@\\\\s]+@[^@\\\\s]+\\\\.[^@\\\\s]+$", a))])',
        message: "alarm_email_addresses must be e-mail addresses such as \"oncall@example.com\".",
      },
    ],
  },
  tool_error_rate_alarm_percent: {
    type: "number",
    description:
      "Optional alarm: fires when more than this percentage of `tools/call` requests failed in 5 minutes (a tool's error result, a refusal, a deadline), from the server's own metrics. null (the default): no alarm. 0.1–100.",
    default: null,
    validation: [
      {
        condition: "var.tool_error_rate_alarm_percent == null ? true : var.tool_error_rate_alarm_percent >= 0.1 && var.tool_error_rate_alarm_percent <= 100",
        message: "tool_error_rate_alarm_percent must be a percentage from 0.1 to 100, or null for no alarm.",
      },
    ],
  },
  gateway_4xx_alarm_threshold: {
    type: "number",
    description:
      "Optional alarm: fires when API Gateway answers more than this many 4xx in 5 minutes: mostly tokens refused by the authorizer (401, 403) and throttling (429), so a spike is someone probing or a client misconfigured. null (the default): no alarm.",
    default: null,
    validation: [
      {
        condition: `var.gateway_4xx_alarm_threshold == null ? true : var.gateway_4xx_alarm_threshold >= 1 && ${wholeNumber("var.gateway_4xx_alarm_threshold")}`,
        message: "gateway_4xx_alarm_threshold must be a whole number of answers, 1 or more, or null for no alarm.",
      },
    ],
  },
  session_not_found_alarm_threshold: {
    type: "number",
    description:
      "Optional alarm: fires when more than this many requests in 5 minutes named a session the server does not know (404: expired, ended, or never issued), which makes 2025-era clients start over. Needs `enable_sessions`. null (the default): no alarm.",
    default: null,
    validation: [
      {
        condition: `var.session_not_found_alarm_threshold == null ? true : var.session_not_found_alarm_threshold >= 1 && ${wholeNumber("var.session_not_found_alarm_threshold")}`,
        message: "session_not_found_alarm_threshold must be a whole number of requests, 1 or more, or null for no alarm.",
      },
    ],
  },
  store_unavailable_alarm_threshold: {
    type: "number",
    description:
      "Optional alarm: fires when more than this many requests in 5 minutes were answered 503 because the sessions table did not answer in time. Needs `enable_sessions`. null (the default): no alarm.",
    default: null,
    validation: [
      {
        condition: `var.store_unavailable_alarm_threshold == null ? true : var.store_unavailable_alarm_threshold >= 1 && ${wholeNumber("var.store_unavailable_alarm_threshold")}`,
        message: "store_unavailable_alarm_threshold must be a whole number of requests, 1 or more, or null for no alarm.",
      },
    ],
  },
  // --- Metrics -------------------------------------------------------------
  metrics_namespace: {
    type: "string",
    description:
      "CloudWatch namespace of the server's own metrics, which each request's log line carries (Embedded Metric Format, no API call): `Requests`, `Errors` and `Duration` by `Service` (the function's name), `Method` and, for tool calls, `Tool`; `Errors` by `ErrorClass`; `Sessions` by `SessionEvent`. The dashboard and the optional alarms read them. Letters, digits and . - _ / # :, not starting with `AWS/`.",
    default: "MCPServer",
    validation: [
      {
        condition: 'can(regex("^[A-Za-z0-9._/#:-]{1,255}$", var.metrics_namespace)) && !startswith(var.metrics_namespace, "AWS/")',
        message: "metrics_namespace must be 1-255 letters, digits and . - _ / # : (CloudWatch namespaces), and not start with AWS/, which AWS reserves.",
      },
    ],
  },
  metrics_tenant_dimension: {
    type: "bool",
    description:
      "Also publish `Requests`, `Errors` and `Duration` per tenant (a `Tenant` dimension), and show the top tenants on the dashboard. CloudWatch bills each metric: 3 more per tenant that calls, about USD 0.90 a month per tenant at the first tier's USD 0.30 per metric. Off by default; the logs name every request's tenant either way.",
    default: false,
  },
} as const satisfies Record<string, InputSpec>;

/** Name of a module input. */
export type InputName = keyof typeof INPUTS;

/**
 * The HCL reference to each input, for the constructs' expressions:
 * input.name is `var.name`. Derived from {@link INPUTS}, so a misspelt
 * or undeclared input is a compile error, not a `terraform validate` failure.
 */
export const input = Object.fromEntries(Object.keys(INPUTS).map((name) => [name, `var.${name}`])) as { readonly [K in InputName]: `var.${K}` };

/** Inputs of the root stack only: they configure its provider, and a module uses the caller's. */
export const ROOT_ONLY_INPUTS: readonly InputName[] = ["region", "use_fips_endpoints"];

/**
 * Declares every input as a Terraform variable on `scope`, with its type,
 * description, default and validations, but those in `exclude`.
 */
export function declareInputs(scope: Construct, exclude: readonly InputName[] = []): Partial<Record<InputName, TerraformVariable>> {
  const entries = Object.entries(INPUTS).filter(([name]) => !exclude.includes(name as InputName)).map(([name, raw]) => {
    const spec: InputSpec = raw;
    const hasDefault = "default" in spec;
    const variable = new TerraformVariable(scope, name, {
      type: spec.type,
      description: spec.description,
      // Only "not set" inputs may be null; an explicit null anywhere else falls back to the default.
      nullable: spec.default === null,
      validation: spec.validation?.map((v) => ({ condition: `\${${v.condition}}`, errorMessage: v.message })),
    });
    if (hasDefault) {
      // cdktf drops null values from configuration, so a null default is written as an override.
      variable.addOverride("default", spec.default);
    }
    return [name, variable] as const;
  });
  return Object.fromEntries(entries) as Partial<Record<InputName, TerraformVariable>>;
}

/** Markdown cell text: pipes escaped, line breaks removed. */
export function markdownCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");
}

/** The README's inputs table, generated from {@link INPUTS}, but the inputs in `exclude`. */
export function inputsMarkdown(exclude: readonly string[] = []): string {
  const rows = Object.entries(INPUTS).filter(([name]) => !exclude.includes(name)).map(([name, raw]) => {
    const spec: InputSpec = raw;
    const required = !("default" in spec);
    const defaultCell = required ? "" : `\`${JSON.stringify(spec.default)}\``;
    return `| \`${name}\` | ${markdownCell(spec.description)} | \`${markdownCell(spec.type)}\` | ${defaultCell} | ${required ? "yes" : "no"} |`;
  });
  return ["| Name | Description | Type | Default | Required |", "|------|-------------|------|---------|:--------:|", ...rows].join("\n");
}
