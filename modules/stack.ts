import { Construct } from "constructs";
import { Aspects, LocalBackend, TerraformStack } from "./framework.js";
import { declareInputs, ROOT_ONLY_INPUTS, input } from "./inputs.js";
import { declareOutputs } from "./outputs.js";
import { AwsProviderMajor, awsProviderMajor, configureAwsProvider, requireVersions } from "./provider.js";
import { platform } from "./platform.js";
import { TagEverything } from "./tags.js";
import { ImageRepository } from "./ecr-repository.js";
import { SessionsTable } from "./sessions-table.js";
import { CognitoAuth } from "./cognito-auth.js";
import { PeopleSignIn } from "./people-sign-in.js";
import { LAMBDA_LOG_GROUP, McpFunction } from "./lambda-function.js";
import { API_LOG_GROUP, ApiGateway } from "./api-gateway.js";
import { STREAMING_INVOKE } from "./api-rest.js";
import { ALARM_TOPIC_NAME, Alarms } from "./alarms.js";
import { Observability } from "./observability.js";
import { CLOUDFRONT_ENABLED, EdgeDistribution } from "./cloudfront.js";
import { keyPolicyStatements } from "./key-policy.js";
import { cloudfrontLogBucketName } from "./cloudfront-logs.js";
import { InputRules } from "./input-rules.js";
import { address, later, local } from "./expressions.js";
import { MCP_SCOPE } from "./routes.js";
import { OAUTH_PATHS, SETTINGS } from "../handler/http-contract.js";

/** Props of {@link McpServerStack}. */
export interface McpServerStackProps {
  /**
   * hashicorp/aws major version to synthesize for.
   * @default from MCP_AWS_PROVIDER_MAJOR, else 6
   */
  readonly awsProviderMajor?: AwsProviderMajor;
  /**
   * Synthesize a Terraform module: no provider configuration, no backend and
   * no `region` input — the caller's providers and state flow in.
   * @default false
   */
  readonly asModule?: boolean;
}

/**
 * The MCP server on AWS Lambda behind API Gateway (HTTP or REST API), configured entirely by
 * Terraform variables (see `inputs.ts`), so one synthesized configuration
 * serves every `-var-file`.
 */
export class McpServerStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: McpServerStackProps = {}) {
    super(scope, id);
    const major = props.awsProviderMajor ?? awsProviderMajor();
    requireVersions(this, major);
    if (!props.asModule) {
      configureAwsProvider(this);
      // State beside the project, not inside cdktf.out, which every synth rewrites; relative so a clone works anywhere.
      new LocalBackend(this, { path: `../../../terraform.${id}.tfstate` });
    }
    declareInputs(this, props.asModule ? ROOT_ONLY_INPUTS : []);
    const where = platform(this, major);
    new InputRules(this, "input-rules", { platform: where, awsProviderMajor: major });

    const repository = new ImageRepository(this, "image");
    const sessions = new SessionsTable(this, "sessions");
    const auth = new CognitoAuth(this, "auth", { platform: where });

    // The URL clients use: CloudFront's alias when enabled, else the API's own.
    const publicBaseUrl = local(this, "public_base_url", `${CLOUDFRONT_ENABLED} ? ${EdgeDistribution.baseUrl} : ${later("the API's URL", () => api.url)}`);
    // Built from the function's name, not read from the function: the REST deployment is create-before-destroy, and Terraform forces that on
    // everything it depends on, so a reference would make a replaced function (enable_tenant_isolation toggled) be created, under the same
    // name, before the old one is destroyed, which Lambda refuses (hashicorp/terraform#35331).
    const people = new PeopleSignIn(this, "people", { auth, publicBaseUrl });
    const api = new ApiGateway(this, "api", {
      platform: where,
      invokeArn: local(
        this,
        "function_invoke_arn",
        // Streaming integrations call InvokeWithResponseStream, whose path differs in its API version and action.
        `"arn:\${${where.partition}}:apigateway:\${${where.region}}:lambda:path/\${${STREAMING_INVOKE} ? "2021-11-15" : "2015-03-31"}/functions/arn:\${${where.partition}}:lambda:\${${where.region}}:\${${where.account}}:function:\${${input.name}}/\${${STREAMING_INVOKE} ? "response-streaming-invocations" : "invocations"}"`,
      ),
      issuer: auth.issuer,
      // People's tokens name the front's app client: the HTTP API's authorizer checks it as their audience.
      clientIds: local(this, "audience_client_ids", `concat(${auth.clientIds}, ${people.enabled} ? [${people.clientId}] : [])`),
      userPoolArn: auth.userPoolArn,
      publicBaseUrl,
      streamingSupported: major === 6,
      oauthRoutes: people.enabled,
    });
    const edge = new EdgeDistribution(this, "edge", {
      platform: where,
      originDomain: api.originDomain,
      originPath: api.originPath,
      integrationTimeoutMs: api.integrationTimeoutMs,
      streaming: STREAMING_INVOKE,
    });
    const mcpEndpoint = local(this, "mcp_endpoint", `"\${${publicBaseUrl}}/mcp"`);

    // The server's own settings (the handler reads these); the sessions table's exists only when sessions are on.
    const setting = (name: keyof typeof SETTINGS, value: string) => `${SETTINGS[name]} = ${value}`;
    const always = [
      setting("tenantClaim", input.tenant_claim),
      setting("sessionTtlSeconds", `tostring(${input.session_ttl_seconds})`),
      // Clients find the authorization server here: the front when people sign in, else the pool that issues machine tokens.
      setting("issuer", `${people.enabled} ? ${publicBaseUrl} : ${auth.issuer}`),
      setting("resourceUrl", mcpEndpoint),
      setting("scopes", `"${MCP_SCOPE}"`),
      setting("allowedOrigins", `join(",", ${input.allowed_origins})`),
      setting("clientIds", `join(",", ${auth.clientIds})`),
      setting("responseStreaming", `tostring(${STREAMING_INVOKE})`),
      setting("metricsNamespace", input.metrics_namespace),
      setting("metricsTenantDimension", `tostring(${input.metrics_tenant_dimension})`),
    ];
    const withSessions = [setting("sessionsTable", sessions.tableName), setting("tenantAccessRoleArn", later("the tenant-access role's ARN", () => sessions.tenantAccessRoleArn))];
    const behindCloudFront = [setting("originVerifySecret", edge.originVerifySecret)];
    const withPeople = people.settings.map(([name, value]) => `${name} = ${value}`);
    const settings = `merge({
${always.map((line) => `      ${line.replace(/^(\S+) = /, (_, name: string) => `${name.padEnd(24)} = `)}`).join("\n")}
    }, ${SessionsTable.enabled} ? { ${withSessions.join(", ")} } : {}, ${CLOUDFRONT_ENABLED} ? { ${behindCloudFront.join(", ")} } : {}, ${people.enabled} ? { ${withPeople.join(", ")} } : {})`;

    const server = new McpFunction(this, "function", {
      platform: where,
      imageUri: local(this, "function_image_uri", `${input.image_uri} != null ? ${input.image_uri} : try("\${${repository.repositoryUrl}}:\${${input.image_tag}}", null)`),
      settings,
      tenancySupported: major === 6,
    });
    sessions.grantTenantAccess(server.role, where);
    people.grant(server.role, where);
    api.allowInvoke(server.function);
    const alarms = new Alarms(this, "alarms", { function: server.function, api });
    const observability = new Observability(this, "observability", { platform: where, function: server.function, functionLogs: server.logGroup, api });

    declareOutputs(this, {
      mcp_endpoint: mcpEndpoint,
      api_id: api.apiId,
      function_name: `${address(server.function)}.function_name`,
      function_arn: `${address(server.function)}.arn`,
      ecr_repository_url: repository.repositoryUrl,
      cognito_issuer: auth.issuer,
      cognito_token_endpoint: `${auth.createsPool} ? ${auth.tokenEndpoint} : null`,
      cognito_client_id: `length(${auth.clientIds}) == 1 ? ${auth.clientIds}[0] : null`,
      cognito_user_pool_id: auth.userPoolId,
      tenant_client_ids: auth.tenantClientIds,
      oauth_issuer: people.issuer,
      oauth_metadata_url: `${people.enabled} ? "\${${publicBaseUrl}}${OAUTH_PATHS.metadata}" : null`,
      people_client_id: people.clientId,
      sessions_table_name: sessions.tableName,
      alarm_topic_arn: `${address(alarms.topic)}.arn`,
      dashboard_url: observability.dashboardUrl,
      custom_domain_target: api.domain.target,
      kms_key_policy_statements: `jsonencode(${keyPolicyStatements(where, {
        logGroups: [LAMBDA_LOG_GROUP, API_LOG_GROUP],
        alarmTopic: ALARM_TOPIC_NAME,
        cloudfrontLogBucket: { name: cloudfrontLogBucketName(where), when: CLOUDFRONT_ENABLED },
      })})`,
    });

    Aspects.of(this).add(new TagEverything());
  }
}
