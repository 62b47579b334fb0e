import { describe, expect, it } from "vitest";
import { evaluate, evaluateAt, synthesized } from "./support/evaluate.js";
import { addresses as addressesOf, configurationOf, example, outputOf, plan, planOver, resourceAt, resourcesOf } from "./support/terraform.js";
import { Testing } from "../modules/framework.js";
import { McpServerStack } from "../modules/index.js";

/** The 6.x build as synthesized, for arguments the mirror's 5.x provider cannot plan. */
const sixBuild = () => JSON.parse(Testing.synth(new McpServerStack(Testing.app(), "mcp-server", { awsProviderMajor: 6 })));

const environment = (base: string, overrides = {}) =>
  evaluate(example(base), overrides, "aws_lambda_function.this", ["environment", "variables"]) as Promise<Record<string, string>>;

describe.concurrent("resource properties for every switch", () => {
  it("always: the function runs the image in the VPC with tracing, the key, reserved concurrency and JSON logs (text in GovCloud, see govcloud.test.ts)", async () => {
    const p = await plan(example("sessions"));
    const fn = resourceAt(p, "aws_lambda_function.this").values;
    expect(fn).toMatchObject({
      function_name: "mcp-server",
      package_type: "Image",
      timeout: 29,
      memory_size: 1024,
      reserved_concurrent_executions: 100,
      kms_key_arn: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
      tracing_config: [{ mode: "Active" }],
      logging_config: [{ log_format: "JSON", log_group: "/aws/lambda/mcp-server" }],
    });
    expect(fn.vpc_config[0].subnet_ids).toHaveLength(3);
    expect(fn.vpc_config[0].security_group_ids).toEqual(["sg-0a1b2c3d4e5f60718", "sg-0f1e2d3c4b5a69788"]);
    expect(resourceAt(p, "aws_iam_role.lambda").values.name).toBe("mcp-server-lambda-us-east-1");
  });

  it("always: the integration waits one second longer than the function, and the alarms follow both timeouts", async () => {
    const p = await plan(example("minimal"), { lambda_timeout: 10 });
    expect(resourceAt(p, "aws_apigatewayv2_integration.this[0]").values).toMatchObject({
      integration_type: "AWS_PROXY",
      payload_format_version: "2.0",
      timeout_milliseconds: 11000,
    });
    expect(resourceAt(p, "aws_cloudwatch_metric_alarm.lambda_duration").values).toMatchObject({ extended_statistic: "p99", threshold: 8000 });
    expect(resourceAt(p, "aws_cloudwatch_metric_alarm.api_latency").values).toMatchObject({ extended_statistic: "p99", threshold: 9900 });
    const capped = await plan(example("minimal"), { lambda_timeout: 30 });
    expect(resourceAt(capped, "aws_apigatewayv2_integration.this[0]").values.timeout_milliseconds).toBe(30000);
  });

  it("always: the five alarms of the architecture notify the topic when firing and when recovering", async () => {
    const p = await plan(example("minimal"));
    const alarms = Object.fromEntries(resourcesOf(p, "aws_cloudwatch_metric_alarm").map((a) => [a.name, a.values]));
    expect(Object.keys(alarms).sort()).toEqual(["api_5xx", "api_latency", "lambda_duration", "lambda_errors", "lambda_throttles"]);
    const sum = { statistic: "Sum", period: 300, evaluation_periods: 1, comparison_operator: "GreaterThanThreshold" };
    expect(alarms.lambda_errors).toMatchObject({ ...sum, namespace: "AWS/Lambda", metric_name: "Errors", threshold: 5 });
    expect(alarms.lambda_throttles).toMatchObject({ ...sum, namespace: "AWS/Lambda", metric_name: "Throttles", threshold: 5 });
    expect(alarms.api_5xx).toMatchObject({ ...sum, namespace: "AWS/ApiGateway", metric_name: "5xx", threshold: 10 });
    expect(alarms.lambda_duration).toMatchObject({ metric_name: "Duration", threshold: 23200 });
    expect(alarms.api_latency).toMatchObject({ metric_name: "Latency", threshold: 27000 });
    // The API id is known only after apply, so the dimensions are read from the configuration.
    const configured = synthesized().resource.aws_cloudwatch_metric_alarm;
    expect(await evaluate(example("minimal"), {}, "aws_cloudwatch_metric_alarm.api_5xx", ["dimensions"])).toEqual({ ApiId: "<aws_apigatewayv2_api.this.id>", Stage: "$default" });
    expect(configured.lambda_errors.dimensions).toEqual({ FunctionName: "${aws_lambda_function.this.function_name}" });
    for (const name of Object.keys(alarms)) {
      const actions = configurationOf(p, `aws_cloudwatch_metric_alarm.${name}`).expressions;
      expect(actions.alarm_actions.references).toContain("aws_sns_topic.alarms.arn");
      expect(actions.ok_actions.references).toContain("aws_sns_topic.alarms.arn");
    }
    expect(resourceAt(p, 'aws_sns_topic_subscription.email["oncall@example.com"]').values).toMatchObject({ protocol: "email", endpoint: "oncall@example.com" });
    expect(resourcesOf(await plan(example("external-pool")), "aws_sns_topic_subscription")).toEqual([]);
  });

  it("always: MCP routes need the JWT and scope mcp/invoke; discovery routes are open", async () => {
    const p = await plan(example("minimal"));
    for (const route of ["POST /mcp", "GET /mcp", "DELETE /mcp"]) {
      expect(resourceAt(p, `aws_apigatewayv2_route.mcp["${route}"]`).values).toMatchObject({
        route_key: route,
        authorization_type: "JWT",
        authorization_scopes: ["mcp/invoke"],
      });
    }
    for (const route of ["GET /.well-known/oauth-protected-resource", "GET /.well-known/oauth-protected-resource/mcp"]) {
      expect(resourceAt(p, `aws_apigatewayv2_route.discovery["${route}"]`).values).toMatchObject({ route_key: route, authorization_type: "NONE" });
    }
    expect(resourceAt(p, "aws_apigatewayv2_stage.this[0]").values).toMatchObject({ name: "$default", auto_deploy: true });
    expect(resourceAt(p, "aws_lambda_permission.api").values).toMatchObject({ principal: "apigateway.amazonaws.com", action: "lambda:InvokeFunction" });
  });

  it("always: access logs are JSON with who, what, when and outcome, including the tenant claim", async () => {
    const p = await plan(example("minimal"), { tenant_claim: "tenant_id" });
    const format = JSON.parse(resourceAt(p, "aws_apigatewayv2_stage.this[0]").values.access_log_settings[0].format);
    expect(format).toMatchObject({
      requestId: "$context.requestId",
      sourceIp: "$context.identity.sourceIp",
      clientId: "$context.authorizer.claims.client_id",
      tenant: "$context.authorizer.claims.tenant_id",
      routeKey: "$context.routeKey",
      status: "$context.status",
      latencyMs: "$context.responseLatency",
      integrationError: "$context.integrationErrorMessage",
    });
  });

  it("throttling: stage defaults and per-route overrides, both limits always set", async () => {
    const stage = resourceAt(await plan(example("sessions")), "aws_apigatewayv2_stage.this[0]").values;
    expect(stage.default_route_settings).toMatchObject([{ throttling_rate_limit: 50, throttling_burst_limit: 100 }]);
    expect(stage.route_settings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ route_key: "POST /mcp", throttling_rate_limit: 40, throttling_burst_limit: 80 }),
        expect.objectContaining({ route_key: "DELETE /mcp", throttling_rate_limit: 5, throttling_burst_limit: 10 }),
      ]),
    );
    expect(resourceAt(await plan(example("minimal")), "aws_apigatewayv2_stage.this[0]").values.route_settings).toEqual([]);
  });

  it("api_type REST: Cognito-authorized /mcp methods, open discovery, proxy integrations, a redeploying deployment, traced stage", async () => {
    const p = await plan(example("rest-waf"));
    expect(resourceAt(p, "aws_api_gateway_rest_api.this[0]").values).toMatchObject({ name: "mcp-server", endpoint_configuration: [expect.objectContaining({ types: ["REGIONAL"] })] });
    expect(resourceAt(p, "aws_api_gateway_authorizer.this[0]").values).toMatchObject({ type: "COGNITO_USER_POOLS", identity_source: "method.request.header.Authorization" });
    expect(resourceAt(p, 'aws_api_gateway_method.this["POST /mcp"]').values).toMatchObject({ http_method: "POST", authorization: "COGNITO_USER_POOLS", authorization_scopes: ["mcp/invoke"] });
    expect(resourceAt(p, 'aws_api_gateway_method.this["GET /.well-known/oauth-protected-resource/mcp"]').values).toMatchObject({ http_method: "GET", authorization: "NONE" });
    expect(resourceAt(p, 'aws_api_gateway_integration.this["DELETE /mcp"]').values).toMatchObject({
      type: "AWS_PROXY",
      integration_http_method: "POST",
      timeout_milliseconds: 29000,
      request_parameters: {},
    });
    expect(resourceAt(p, "aws_api_gateway_resource.protected_resource_mcp[0]").values.path_part).toBe("mcp");
    expect(resourceAt(p, "aws_api_gateway_stage.this[0]").values).toMatchObject({ stage_name: "v1", xray_tracing_enabled: true });
    expect(configurationOf(p, "aws_api_gateway_deployment.this").expressions.triggers.references).toEqual(
      expect.arrayContaining(["aws_api_gateway_method.this", "aws_api_gateway_integration.this", "aws_api_gateway_gateway_response.unauthorized"]),
    );
    expect(resourceAt(p, "aws_api_gateway_method_settings.all[0]").values).toMatchObject({ method_path: "*/*", settings: [expect.objectContaining({ throttling_rate_limit: 100, throttling_burst_limit: 200 })] });
    expect(resourceAt(p, 'aws_api_gateway_method_settings.override["POST /mcp"]').values).toMatchObject({
      method_path: "mcp/POST",
      settings: [expect.objectContaining({ throttling_rate_limit: 40, throttling_burst_limit: 80 })],
    });
    expect(resourcesOf(p, "aws_apigatewayv2_api")).toEqual([]);
  });

  it("enable_response_streaming on the REST front: every integration streams through InvokeWithResponseStream, waits as long as the function (up to 900 s), the alarms scale with it, and the function answers through Lambda's streaming API", async () => {
    const p = await plan(example("rest-streaming"));
    const streamingUri = "arn:aws:apigateway:us-east-1:lambda:path/2021-11-15/functions/arn:aws:lambda:us-east-1:111122223333:function:mcp-server/response-streaming-invocations";
    const integrations = resourcesOf(p, "aws_api_gateway_integration").filter((r) => r.name === "this");
    expect(integrations.map((r) => r.values.uri)).toEqual(Array(5).fill(streamingUri));
    // The mirror's 5.x provider has no response_transfer_mode and validates timeouts up to 300 s only: those two are read from the 6.x build.
    const sixIntegration = sixBuild().resource.aws_api_gateway_integration.this;
    expect(sixIntegration.response_transfer_mode).toBe('${var.enable_response_streaming ? "STREAM" : "BUFFERED"}');
    expect(await evaluateAt(example("rest-streaming"), {}, ["locals", "integration_timeout_ms"])).toBe(900_000);
    expect(await evaluateAt(example("rest-streaming"), { lambda_timeout: 120 }, ["locals", "integration_timeout_ms"])).toBe(121_000);
    expect(resourceAt(p, "aws_lambda_function.this").values.timeout).toBe(900);
    expect(resourceAt(p, "aws_cloudwatch_metric_alarm.lambda_duration").values.threshold).toBe(720_000);
    expect(resourceAt(p, "aws_cloudwatch_metric_alarm.api_latency").values.threshold).toBe(810_000);
    expect((await environment("rest-streaming")).MCP_RESPONSE_STREAMING).toBe("true");
    // Off, the same front buffers: the 2015-03-31 Invoke path, and the function answers whole.
    const buffered = await plan(example("rest-waf"));
    expect(resourceAt(buffered, 'aws_api_gateway_integration.this["POST /mcp"]').values.uri).toBe(
      "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:111122223333:function:mcp-server/invocations",
    );
    expect((await environment("rest-waf")).MCP_RESPONSE_STREAMING).toBe("false");
  });

  it("enable_response_streaming behind CloudFront: the origin may stay silent 60 s (streams send a keep-alive every 15 s) and connections are kept 60 s, the most without a quota increase", async () => {
    const p = await plan(example("rest-streaming"), {
      enable_cloudfront: true,
      cloudfront_certificate_arn: "arn:aws:acm:us-east-1:111122223333:certificate/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9",
      cloudfront_aliases: ["mcp.example.com"],
    });
    expect(resourceAt(p, "aws_cloudfront_distribution.this[0]").values.origin[0].custom_origin_config[0]).toMatchObject({ origin_read_timeout: 60, origin_keepalive_timeout: 60 });
  });

  it("api_type REST: the account's CloudWatch Logs role is set in the region before the stage (create, the default); existing leaves the setting alone", async () => {
    const p = await plan(example("rest-waf"));
    const role = resourceAt(p, "aws_iam_role.api_gateway_cloudwatch[0]").values;
    expect(role.name).toBe("mcp-server-apigw-logs-us-east-1");
    expect(JSON.parse(role.assume_role_policy).Statement).toEqual([{ Effect: "Allow", Principal: { Service: "apigateway.amazonaws.com" }, Action: "sts:AssumeRole" }]);
    const policy = JSON.parse((await evaluate(example("rest-waf"), {}, "aws_iam_role_policy.api_gateway_cloudwatch", ["policy"])) as string);
    // The role serves every REST API of the account and region (the setting is theirs too), and nothing else.
    // (Partition and region are data sources: placeholders when evaluated offline.)
    expect(policy.Statement).toEqual([expect.objectContaining({ Effect: "Allow", Resource: expect.stringMatching(/^arn:<data\.aws_partition\.current\.partition>:logs:<data\.aws_region\.current\.\w+>:111122223333:log-group:\*$/) })]);
    expect(configurationOf(p, "aws_api_gateway_account.this").expressions.cloudwatch_role_arn.references).toContain("aws_iam_role.api_gateway_cloudwatch");
    expect(configurationOf(p, "aws_api_gateway_stage.this").depends_on).toContain("aws_api_gateway_account.this");

    const existing = await plan(example("rest-waf"), { api_gateway_cloudwatch_role: "existing" });
    for (const type of ["aws_api_gateway_account", "aws_iam_role"]) expect(resourcesOf(existing, type).map((r) => r.address).filter((a) => !a.includes("lambda") && !a.includes("tenant_access"))).toEqual([]);
    expect(resourceAt(existing, "aws_api_gateway_stage.this[0]").values.stage_name).toBe("v1");
    // The HTTP front needs no account setting.
    expect(resourcesOf(await plan(example("minimal")), "aws_api_gateway_account")).toEqual([]);
  });

  it("api_type REST: the 401 points at the protected resource metadata (RFC 9728), and clients use the stage URL", async () => {
    const p = await plan(example("rest-waf"));
    expect(resourceAt(p, "aws_api_gateway_gateway_response.unauthorized[0]").values).toMatchObject({ response_type: "UNAUTHORIZED", status_code: "401" });
    const parameters = (await evaluate(example("rest-waf"), {}, "aws_api_gateway_gateway_response.unauthorized", ["response_parameters"])) as Record<string, string>;
    const header = parameters["gatewayresponse.header.WWW-Authenticate"];
    expect(header).toBe(`'Bearer resource_metadata="https://<aws_api_gateway_rest_api.this.id>.execute-api.<data.aws_region.current.name>.<data.aws_partition.current.dns_suffix>/v1/.well-known/oauth-protected-resource/mcp"'`);
    expect((await environment("rest-waf")).MCP_RESOURCE_URL).toBe(
      "https://<aws_api_gateway_rest_api.this.id>.execute-api.<data.aws_region.current.name>.<data.aws_partition.current.dns_suffix>/v1/mcp",
    );
  });

  it("api_type REST: the regional web ACL is associated with the stage; the alarms watch the REST metrics", async () => {
    const p = await plan(example("rest-waf"));
    expect(resourceAt(p, "aws_wafv2_web_acl_association.stage[0]").values.web_acl_arn).toBe(
      "arn:aws:wafv2:us-east-1:111122223333:regional/webacl/mcp-api/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9",
    );
    expect(configurationOf(p, "aws_wafv2_web_acl_association.stage").expressions.resource_arn.references).toContain("aws_api_gateway_stage.this[0].arn");
    expect(resourceAt(p, "aws_cloudwatch_metric_alarm.api_5xx").values).toMatchObject({ metric_name: "5XXError", dimensions: { ApiName: "mcp-server", Stage: "v1" } });
    expect(resourceAt(p, "aws_cloudwatch_metric_alarm.api_latency").values).toMatchObject({ metric_name: "Latency", threshold: 26100 });
  });

  it("api_type REST with CloudFront: the distribution's origin is the REST stage, and the WAF goes on the distribution", async () => {
    const p = await plan(example("rest-waf"), {
      enable_cloudfront: true,
      cloudfront_certificate_arn: "arn:aws:acm:us-east-1:111122223333:certificate/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9",
      cloudfront_aliases: ["mcp.example.com"],
      waf_acl_arn: "arn:aws:wafv2:us-east-1:111122223333:global/webacl/mcp-edge/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9",
    });
    expect(resourceAt(p, "aws_cloudfront_distribution.this[0]").values.origin[0].origin_path).toBe("/v1");
    expect(resourcesOf(p, "aws_wafv2_web_acl_association")).toEqual([]);
    expect(outputOf(p, "mcp_endpoint")).toBe("https://mcp.example.com/mcp");
  });

  it("enable_sessions on: the tenant-keyed table, rows enforced by IAM through the tenant-access role, and the settings", async () => {
    const p = await plan(example("sessions"));
    expect(resourceAt(p, "aws_dynamodb_table.sessions[0]").values).toMatchObject({
      name: "mcp-server-sessions",
      billing_mode: "PAY_PER_REQUEST",
      hash_key: "tenant_id",
      range_key: "session_id",
      deletion_protection_enabled: true,
      point_in_time_recovery: [{ enabled: true }],
      server_side_encryption: [{ enabled: true, kms_key_arn: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" }],
      ttl: [{ attribute_name: "expires_at", enabled: true }],
      global_secondary_index: [expect.objectContaining({ name: "session-id-index", hash_key: "session_id", projection_type: "KEYS_ONLY" })],
    });
    const document = async (address: string, attribute = "policy") => JSON.parse((await evaluate(example("sessions"), {}, address, [attribute])) as string);
    // The function's role reaches sessions only by assuming the tenant-access role.
    expect((await document("aws_iam_role_policy.sessions")).Statement).toEqual([
      { Sid: "AssumeTenantAccess", Effect: "Allow", Action: ["sts:AssumeRole", "sts:TagSession"], Resource: "<aws_iam_role.tenant_access.arn>" },
    ]);
    expect((await document("aws_iam_role.tenant_access", "assume_role_policy")).Statement).toEqual([
      {
        Sid: "FunctionRoleWithTenantTag",
        Effect: "Allow",
        Principal: { AWS: "<aws_iam_role.lambda.arn>" },
        Action: ["sts:AssumeRole", "sts:TagSession"],
        Condition: { Null: { "aws:RequestTag/tenant_id": "false" }, "ForAllValues:StringEquals": { "aws:TagKeys": ["tenant_id"] } },
      },
    ]);
    expect((await document("aws_iam_role_policy.tenant_access")).Statement).toEqual([
      {
        Sid: "OwnTenantSessionsOnly",
        Effect: "Allow",
        Action: ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
        Resource: "<aws_dynamodb_table.sessions.arn>",
        Condition: { "ForAllValues:StringEquals": { "dynamodb:LeadingKeys": ["${aws:PrincipalTag/tenant_id}"] } },
      },
      {
        Sid: "CustomerKeyThroughDynamoDB",
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"],
        Resource: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        Condition: { StringEquals: { "kms:ViaService": "dynamodb.<data.aws_region.current.name>.<data.aws_partition.current.dns_suffix>" } },
      },
    ]);
    expect(await environment("sessions")).toMatchObject({ MCP_TENANT_ACCESS_ROLE_ARN: "<aws_iam_role.tenant_access.arn>" });
    expect((await environment("sessions")).MCP_SESSIONS_TABLE).toBe("<aws_dynamodb_table.sessions.name>");
    expect(outputOf(p, "sessions_table_name")).toBe("mcp-server-sessions");
  });

  it("enable_sessions off: no table, no grant, no table setting (the server is stateless)", async () => {
    const p = await plan(example("minimal"));
    expect(resourcesOf(p, "aws_dynamodb_table")).toEqual([]);
    expect(resourcesOf(p, "aws_iam_role_policy").map((r) => r.address)).toEqual(["aws_iam_role_policy.lambda"]);
    expect(await environment("minimal")).not.toHaveProperty("MCP_SESSIONS_TABLE");
    expect(await environment("minimal")).not.toHaveProperty("MCP_TENANT_ACCESS_ROLE_ARN");
    expect(resourcesOf(p, "aws_iam_role").map((r) => r.address)).toEqual(["aws_iam_role.lambda"]);
    expect(outputOf(p, "sessions_table_name")).toBeNull();
  });

  it("allowed_origins: reach the server as MCP_ALLOWED_ORIGINS", async () => {
    const env = await environment("minimal", { allowed_origins: ["https://app.example.com", "http://localhost:6274"] });
    expect(env.MCP_ALLOWED_ORIGINS).toBe("https://app.example.com,http://localhost:6274");
  });

  const origins = { allowed_origins: ["https://app.example.com", "http://localhost:6274"] };
  it("allowed_origins on the HTTP front: API Gateway's CORS configuration answers preflights and exposes what an MCP client reads; none without origins", async () => {
    const cors = resourceAt(await plan(example("minimal"), origins), "aws_apigatewayv2_api.this[0]").values.cors_configuration;
    expect(cors).toEqual([
      {
        allow_origins: ["http://localhost:6274", "https://app.example.com"],
        allow_methods: ["DELETE", "GET", "POST"],
        allow_headers: ["accept", "authorization", "content-type", "last-event-id", "mcp-method", "mcp-name", "mcp-protocol-version", "mcp-session-id"],
        expose_headers: ["mcp-protocol-version", "mcp-session-id", "www-authenticate"],
        max_age: 600,
        allow_credentials: false,
      },
    ]);
    expect(resourceAt(await plan(example("minimal")), "aws_apigatewayv2_api.this[0]").values.cors_configuration).toEqual([]);
  });

  it("allowed_origins on the REST front: OPTIONS /mcp answers preflights without the function or the authorizer, only allowed origins get CORS headers, and the 401 is readable", async () => {
    const p = await plan(example("rest-waf"), origins);
    expect(resourceAt(p, "aws_api_gateway_method.cors[0]").values).toMatchObject({ http_method: "OPTIONS", authorization: "NONE" });
    expect(resourceAt(p, "aws_api_gateway_integration.cors[0]").values).toMatchObject({ type: "MOCK", request_templates: { "application/json": '{"statusCode": 204}' } });
    const template = resourceAt(p, "aws_api_gateway_integration_response.cors[0]").values.response_templates["application/json"] as string;
    expect(template).toContain('#if(["https://app.example.com","http://localhost:6274"].contains("$!origin"))');
    expect(template).toContain("Access-Control-Allow-Headers = \"authorization, content-type, accept, mcp-session-id, mcp-protocol-version, mcp-method, mcp-name, last-event-id\"");
    // With people's sign-in (the example has it), a browser-based client's token request and registration are preflighted too.
    for (const name of ["token", "register"]) {
      expect(resourceAt(p, `aws_api_gateway_method.oauth_cors["${name}"]`).values).toMatchObject({ http_method: "OPTIONS", authorization: "NONE" });
      expect(resourceAt(p, `aws_api_gateway_integration_response.oauth_cors["${name}"]`).values.response_templates["application/json"]).toBe(template);
    }
    expect(configurationOf(p, "aws_api_gateway_method.oauth_cors").expressions.resource_id.references).toContain("each.value");
    // Known only after apply (the challenge names the API's URL): evaluated with placeholders.
    expect(await evaluate(example("rest-waf"), origins, "aws_api_gateway_gateway_response.unauthorized", ["response_parameters"])).toMatchObject({
      "gatewayresponse.header.Access-Control-Allow-Origin": "method.request.header.origin",
      "gatewayresponse.header.Access-Control-Expose-Headers": "'WWW-Authenticate'",
    });
    // The preflight is part of what a deployment carries: a change to it deploys the stage again.
    const deployment = synthesized().resource.aws_api_gateway_deployment.this as { triggers: { redeployment: string }; depends_on: string[] };
    for (const type of ["aws_api_gateway_method", "aws_api_gateway_integration", "aws_api_gateway_method_response", "aws_api_gateway_integration_response"]) {
      expect(deployment.triggers.redeployment).toContain(`${type}.cors`);
      expect(deployment.depends_on).toContain(`${type}.cors`);
      expect(deployment.depends_on).toContain(`${type}.oauth_cors`);
    }
    const without = await plan(example("rest-waf"));
    expect(resourcesOf(without, "aws_api_gateway_method").filter((m) => m.address.includes("cors"))).toEqual([]);
  });

  it("the server's settings come from the inputs and extra variables are merged in", async () => {
    expect(await environment("sessions")).toEqual({
      LOG_LEVEL: "info",
      MCP_ALLOWED_ORIGINS: "",
      // The example's two tenants: their app clients.
      MCP_CLIENT_IDS: "<aws_cognito_user_pool_client.tenant.id>,<aws_cognito_user_pool_client.tenant.id>",
      MCP_ISSUER: "https://<aws_cognito_user_pool.this.endpoint>",
      MCP_METRICS_NAMESPACE: "MCPServer",
      MCP_METRICS_TENANT_DIMENSION: "true",
      MCP_RESOURCE_URL: "https://<aws_apigatewayv2_api.this.api_endpoint>/mcp",
      // The HTTP front never streams.
      MCP_RESPONSE_STREAMING: "false",
      MCP_SCOPES: "mcp/invoke",
      MCP_SESSIONS_TABLE: "<aws_dynamodb_table.sessions.name>",
      MCP_TENANT_ACCESS_ROLE_ARN: "<aws_iam_role.tenant_access.arn>",
      MCP_SESSION_TTL_SECONDS: "3600",
      MCP_TENANT_CLAIM: "client_id",
    });
  });

  it("enable_people_sign_in on the HTTP front: the authorization front's routes are open and throttled like every route, people's public app client calls back to the front, their tokens are in the authorizer's audience", async () => {
    const p = await plan(example("cloudfront-waf"));
    const oauth = ["GET /.well-known/oauth-authorization-server", "GET /.well-known/openid-configuration", "GET /authorize", "GET /oauth/callback", "POST /token", "POST /register"];
    for (const route of oauth) expect(resourceAt(p, `aws_apigatewayv2_route.oauth["${route}"]`).values).toMatchObject({ route_key: route, authorization_type: "NONE" });
    // The same integration as every route, and the same stage throttling (no route setting switches it off).
    expect(configurationOf(p, "aws_apigatewayv2_route.oauth").expressions.target.references).toContain("aws_apigatewayv2_integration.this");
    expect(resourceAt(p, "aws_apigatewayv2_stage.this[0]").values.default_route_settings[0]).toMatchObject({ throttling_rate_limit: 100, throttling_burst_limit: 200 });
    expect(resourceAt(p, "aws_cognito_user_pool_client.people[0]").values).toMatchObject({
      name: "mcp-server-people",
      generate_secret: false,
      allowed_oauth_flows: ["code"],
      allowed_oauth_flows_user_pool_client: true,
      explicit_auth_flows: ["ALLOW_USER_SRP_AUTH"],
      refresh_token_rotation: [{ feature: "ENABLED", retry_grace_period_seconds: 10 }],
      supported_identity_providers: ["COGNITO"],
      prevent_user_existence_errors: "ENABLED",
      enable_token_revocation: true,
      access_token_validity: 60,
      refresh_token_validity: 30,
    });
    expect(resourceAt(p, "aws_cognito_user_pool_client.people[0]").values.callback_urls).toEqual(["https://mcp.example.com/oauth/callback"]);
    // The scope is the resource server's (known after apply), so the client is created after it.
    expect(configurationOf(p, "aws_cognito_user_pool_client.people").expressions.allowed_oauth_scopes.references).toContain("aws_cognito_resource_server.this");
    // People sign in with a second factor; machine-only pools keep MFA off (below).
    expect(resourceAt(p, "aws_cognito_user_pool.this[0]").values).toMatchObject({ mfa_configuration: "ON", software_token_mfa_configuration: [{ enabled: true }] });
    expect(resourceAt(p, 'aws_cognito_user_group.tenant["default"]').values.name).toBe("tenant-default");
    const audience = (await evaluate(example("cloudfront-waf"), {}, "aws_apigatewayv2_authorizer.this", ["jwt_configuration", "audience"])) as string[];
    expect(audience).toEqual(["<aws_cognito_user_pool_client.tenant.id>", "<aws_cognito_user_pool_client.people.id>"]);
    const env = await environment("cloudfront-waf");
    expect(env).toMatchObject({
      MCP_ISSUER: "https://mcp.example.com",
      MCP_RESOURCE_URL: "https://mcp.example.com/mcp",
      MCP_PEOPLE_CLIENT_ID: "<aws_cognito_user_pool_client.people.id>",
      MCP_TENANT_GROUP_PREFIX: "tenant-",
      MCP_SIGN_IN_DOMAIN: expect.stringMatching(/^https:\/\/<aws_cognito_user_pool_domain\.this\.domain>\.auth\.<data\.aws_region\.current\.name>\.amazoncognito\.com$/),
      MCP_JWKS_URI: expect.stringMatching(/^https:\/\/<aws_cognito_user_pool\.this\.endpoint>\/\.well-known\/jwks\.json$/),
      MCP_OAUTH_TABLE: "<aws_dynamodb_table.oauth.name>",
      MCP_CLIENT_METADATA_HOSTS: "claude.ai,chatgpt.com,vscode.dev,code.visualstudio.com",
      MCP_DYNAMIC_REGISTRATION: "false",
      // Machine clients are still the allowed ones; the server adds people's client itself.
      MCP_CLIENT_IDS: "<aws_cognito_user_pool_client.tenant.id>",
    });
    expect(outputOf(p, "oauth_issuer")).toBe("https://mcp.example.com");
    expect(outputOf(p, "oauth_metadata_url")).toBe("https://mcp.example.com/.well-known/oauth-authorization-server");
    expect(p.output_changes.people_client_id.after_unknown).toBe(true);
  });

  it("enable_people_sign_in: codes and registrations in a table on the customer key with TTL, which the function alone may read and write item by item", async () => {
    const p = await plan(example("rest-waf"));
    expect(resourceAt(p, "aws_dynamodb_table.oauth[0]").values).toMatchObject({
      name: "mcp-server-oauth",
      billing_mode: "PAY_PER_REQUEST",
      hash_key: "id",
      attribute: [{ name: "id", type: "S" }],
      server_side_encryption: [{ enabled: true, kms_key_arn: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" }],
      point_in_time_recovery: [expect.objectContaining({ enabled: true })],
      ttl: [{ attribute_name: "expires_at", enabled: true }],
      deletion_protection_enabled: true,
    });
    const policy = JSON.parse((await evaluate(example("rest-waf"), {}, "aws_iam_role_policy.oauth", ["policy"])) as string) as { Statement: Record<string, unknown>[] };
    expect(policy.Statement).toEqual([
      { Sid: "AuthorizationFrontItems", Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"], Resource: "<aws_dynamodb_table.oauth.arn>" },
      expect.objectContaining({ Sid: "CustomerKeyThroughDynamoDB", Resource: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", Condition: { StringEquals: { "kms:ViaService": "dynamodb.<data.aws_region.current.name>.<data.aws_partition.current.dns_suffix>" } } }),
    ]);
    expect(configurationOf(p, "aws_iam_role_policy.oauth").expressions.role.references).toContain("aws_iam_role.lambda.id");
    expect(resourcesOf(p, "aws_cognito_user_group").map((g) => g.values.name).sort()).toEqual(["tenant-acme", "tenant-globex", "tenant-initech"]);
  });

  it("enable_people_sign_in on the REST front: the front's paths are open methods of the same proxy integration, in the deployment, and the front's issuer is the stage URL", async () => {
    const p = await plan(example("rest-waf"));
    const paths = { authorization_server: "oauth-authorization-server", openid_configuration: "openid-configuration", authorize: "authorize", token: "token", register: "register", oauth: "oauth", oauth_callback: "callback" };
    for (const [name, part] of Object.entries(paths)) expect(resourceAt(p, `aws_api_gateway_resource.${name}[0]`).values.path_part).toBe(part);
    for (const route of ["GET /authorize", "GET /oauth/callback", "POST /token", "POST /register", "GET /.well-known/openid-configuration"]) {
      expect(resourceAt(p, `aws_api_gateway_method.this["${route}"]`).values).toMatchObject({ http_method: route.split(" ")[0], authorization: "NONE" });
      expect(resourceAt(p, `aws_api_gateway_integration.this["${route}"]`).values).toMatchObject({ type: "AWS_PROXY", integration_http_method: "POST" });
    }
    // A change to any of them deploys the stage again.
    expect(configurationOf(p, "aws_api_gateway_deployment.this").expressions.triggers.references).toContain("local.rest_resource_ids");
    for (const name of Object.keys(paths)) expect(synthesized().locals.rest_resource_ids).toContain(`${name} = aws_api_gateway_resource.${name}[0].id`);
    const env = await environment("rest-waf");
    expect(env.MCP_ISSUER).toBe("https://<aws_api_gateway_rest_api.this.id>.execute-api.<data.aws_region.current.name>.<data.aws_partition.current.dns_suffix>/v1");
    expect(env.MCP_DYNAMIC_REGISTRATION).toBe("true");
    // The callback is the front's, on the same base URL as its issuer.
    expect(synthesized().resource.aws_cognito_user_pool_client.people.callback_urls).toEqual([`\${local.public_base_url}/oauth/callback`]);
  });

  it("enable_people_sign_in off (the default): no front, no people's client, group, table or grant, MFA off, and the pool is the authorization server", async () => {
    const p = await plan(example("minimal"));
    for (const type of ["aws_cognito_user_group", "aws_dynamodb_table"]) expect(resourcesOf(p, type), type).toEqual([]);
    expect(addressesOf(p).filter((a) => /\.(people|oauth)\[/.test(a))).toEqual([]);
    expect(resourceAt(p, "aws_cognito_user_pool.this[0]").values).toMatchObject({ mfa_configuration: "OFF", software_token_mfa_configuration: [] });
    const env = await environment("minimal");
    expect(Object.keys(env).filter((k) => /PEOPLE|OAUTH|SIGN_IN|JWKS|CLIENT_METADATA|REGISTRATION|GROUP/.test(k))).toEqual([]);
    expect(env.MCP_ISSUER).toBe("https://<aws_cognito_user_pool.this.endpoint>");
    expect(outputOf(p, "oauth_issuer")).toBeNull();
    expect(outputOf(p, "people_client_id")).toBeNull();
  });

  describe.each([
    ["HTTP", "sessions", { count: "Count", client: "4xx", server: "5xx", latency: "Latency" }, ["ApiId", "<aws_apigatewayv2_api.this.id>", "Stage", "$default"]],
    ["REST", "rest-waf", { count: "Count", client: "4XXError", server: "5XXError", latency: "Latency" }, ["ApiName", "mcp-server", "Stage", "v1"]],
  ] as const)("the dashboard on the %s front", (_front, base, gatewayMetrics, gatewayDimensions) => {
    it("is valid JSON whose widgets read the server's metrics in its namespace, the front's own gateway metrics and the function's, in the deployment's region", async () => {
      const body = JSON.parse((await evaluate(example(base), {}, "aws_cloudwatch_dashboard.this", ["dashboard_body"])) as string) as { widgets: { type: string; x: number; y: number; width: number; height: number; properties: Record<string, any> }[] };
      const tenants = base === "sessions";
      expect(body.widgets).toHaveLength(tenants ? 12 : 11);
      for (const w of body.widgets) {
        expect(w.properties.region, w.properties.title).toBe("<data.aws_region.current.name>");
        expect(w.x + w.width, w.properties.title).toBeLessThanOrEqual(24);
      }
      const metricRows = body.widgets.filter((w) => w.type === "metric").flatMap((w) => w.properties.metrics as unknown[][]);
      const searches = metricRows.map((row) => (row[0] as { expression?: string }).expression).filter((e): e is string => e !== undefined);
      // By method: requests, errors, p50, p99; by tool: the same; by class; by session event; and the top tenants when on.
      expect(searches).toHaveLength(tenants ? 11 : 10);
      for (const search of searches) {
        const [, namespace, dimensions, metric] = /SEARCH\('\{([^,]+),([^}]+)\} Service="mcp-server" MetricName="(\w+)"/.exec(search)!;
        expect(namespace, search).toBe("MCPServer");
        // Each search names a dimension set the handler writes, and one of its metrics.
        expect(["Service,Method", "Service,Method,Tool", "Service,ErrorClass", "Service,SessionEvent", "Service,Tenant"], search).toContain(dimensions);
        expect(["Requests", "Errors", "Duration", "Sessions"], search).toContain(metric);
      }
      expect(searches.some((s) => s.startsWith("SORT(SEARCH('{MCPServer,Service,Tenant}"))).toBe(tenants);
      const gateway = metricRows.filter((row) => row[0] === "AWS/ApiGateway");
      expect(gateway.map((row) => row[1]).sort()).toEqual([gatewayMetrics.count, gatewayMetrics.client, gatewayMetrics.server, gatewayMetrics.latency].sort());
      for (const row of gateway) expect(row.slice(2, 6)).toEqual([...gatewayDimensions]);
      const lambda = metricRows.filter((row) => row[0] === "AWS/Lambda");
      expect(lambda.map((row) => row.slice(1, 4))).toEqual(["ConcurrentExecutions", "Throttles", "Errors"].map((m) => [m, "FunctionName", "<aws_lambda_function.this.function_name>"]));
      const coldStarts = body.widgets.find((w) => w.type === "log")!;
      expect(coldStarts.properties.query).toMatch(/^SOURCE '<aws_cloudwatch_log_group\.lambda\.name>' \| fields coalesce\(@initDuration, record\.metrics\.initDurationMs\) as initMs/);
    });
  });

  it("observability: the dashboard's console URL, the saved queries on the function's (and the API's) log groups, and the metrics' settings in the function's environment", async () => {
    const p = await plan(example("minimal"));
    expect(outputOf(p, "dashboard_url")).toBe("https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards/dashboard/mcp-server-us-east-1");
    const queries = resourcesOf(p, "aws_cloudwatch_query_definition");
    expect(queries.map((q) => q.values.name).sort()).toEqual(["mcp-server/cold-starts", "mcp-server/refused-requests", "mcp-server/slowest-requests", "mcp-server/tenant-requests", "mcp-server/tool-failures"]);
    const configured = configurationOf(p, "aws_cloudwatch_query_definition.this").expressions;
    expect(configured.log_group_names.references).toEqual(expect.arrayContaining(["each.value.log_groups"]));
    const logGroups = synthesized().resource.aws_cloudwatch_query_definition.this.for_each as string;
    expect(logGroups).toContain('"refused-requests" = { query = ');
    expect(logGroups).toMatch(/"refused-requests" = \{ query = .*, log_groups = \[aws_cloudwatch_log_group\.lambda\.name, aws_cloudwatch_log_group\.api\.name\] \}/);
    expect(await environment("minimal")).toMatchObject({ MCP_METRICS_NAMESPACE: "MCPServer", MCP_METRICS_TENANT_DIMENSION: "false" });
    expect((await environment("sessions")).MCP_METRICS_TENANT_DIMENSION).toBe("true");
  });

  it("optional alarms: off by default; each on with its threshold, on the server's own metrics or the front's gateway, notifying the topic, which lets them publish", async () => {
    expect(resourcesOf(await plan(example("minimal")), "aws_cloudwatch_metric_alarm")).toHaveLength(5);
    const p = await plan(example("sessions"));
    const alarm = (name: string) => resourceAt(p, `aws_cloudwatch_metric_alarm.${name}[0]`).values;
    const common = { evaluation_periods: 1, comparison_operator: "GreaterThanThreshold", treat_missing_data: "notBreaching", actions_enabled: true };
    expect(alarm("session_not_found")).toMatchObject({ ...common, alarm_name: "mcp-server-session-not-found", namespace: "MCPServer", metric_name: "Errors", statistic: "Sum", period: 300, threshold: 50, dimensions: { Service: "mcp-server", ErrorClass: "session_not_found" } });
    expect(alarm("store_unavailable")).toMatchObject({ ...common, metric_name: "Errors", threshold: 1, dimensions: { Service: "mcp-server", ErrorClass: "store_unavailable" } });
    expect(alarm("api_4xx")).toMatchObject({ ...common, namespace: "AWS/ApiGateway", metric_name: "4xx", threshold: 200 });
    const rate = alarm("tool_error_rate");
    expect(rate).toMatchObject({ ...common, threshold: 5 });
    expect(rate.metric_query.find((q: { id: string }) => q.id === "rate")).toMatchObject({ expression: "IF(calls > 0, 100 * errors / calls, 0)", return_data: true });
    expect(rate.metric_query.find((q: { id: string }) => q.id === "errors").metric[0]).toMatchObject({ namespace: "MCPServer", metric_name: "Errors", stat: "Sum", period: 300, dimensions: { Service: "mcp-server", Method: "tools/call" } });
    // The topic's policy lets every alarm that exists publish, the optional ones included.
    const policy = synthesized().resource.aws_sns_topic_policy.alarms.policy as string;
    for (const name of ["tool_error_rate", "api_4xx", "session_not_found", "store_unavailable"]) expect(policy).toContain(`aws_cloudwatch_metric_alarm.${name}[*].arn`);
  });

  it("internal pool: pool with deletion protection and no self sign-up, resource server, one client_credentials-only client per tenant", async () => {
    const p = await plan(example("minimal"));
    expect(resourceAt(p, "aws_cognito_user_pool.this[0]").values).toMatchObject({
      name: "mcp-server",
      deletion_protection: "ACTIVE",
      admin_create_user_config: [expect.objectContaining({ allow_admin_create_user_only: true })],
    });
    expect(resourceAt(p, "aws_cognito_resource_server.this[0]").values).toMatchObject({ identifier: "mcp", scope: [expect.objectContaining({ scope_name: "invoke" })] });
    // The default: one tenant, "default".
    expect(resourcesOf(p, "aws_cognito_user_pool_client").map((c) => c.address)).toEqual(['aws_cognito_user_pool_client.tenant["default"]']);
    expect(resourceAt(p, 'aws_cognito_user_pool_client.tenant["default"]').values).toMatchObject({
      name: "mcp-server-default",
      generate_secret: true,
      allowed_oauth_flows: ["client_credentials"],
      allowed_oauth_flows_user_pool_client: true,
      allowed_oauth_scopes: ["mcp/invoke"],
    });
    expect(await evaluate(example("minimal"), {}, "aws_apigatewayv2_authorizer.this", ["jwt_configuration", "issuer"])).toBe("https://<aws_cognito_user_pool.this.endpoint>");
    expect(p.output_changes.cognito_token_endpoint.after_unknown).toBe(true);
  });

  describe.each([
    ["HTTP", "minimal"],
    ["REST", "rest-waf"],
  ])("tenants on the %s front", (front, base) => {
    const POOL = {
      type: "aws_cognito_user_pool",
      name: "this",
      index: 0,
      attributes: { id: "us-east-1_AbCdEf123", name: "mcp-server", arn: "arn:aws:cognito-idp:us-east-1:111122223333:userpool/us-east-1_AbCdEf123", endpoint: "cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123" },
    };
    const client = (tenant: string) => ({
      type: "aws_cognito_user_pool_client",
      name: "tenant",
      index: tenant,
      attributes: { id: `${tenant}-client-id-0123456789`, name: `mcp-server-${tenant}`, user_pool_id: POOL.attributes.id, generate_secret: true },
    });

    it("one app client per tenant; the server allows them all (and the HTTP authorizer takes them as its audience); the output maps each tenant to its client", async () => {
      const p = await planOver([POOL, client("acme"), client("globex")], example(base), { tenants: ["globex", "acme"] });
      expect(resourcesOf(p, "aws_cognito_user_pool_client").filter((c) => c.name === "tenant").map((c) => c.values.name).sort()).toEqual(["mcp-server-acme", "mcp-server-globex"]);
      const ids = ["acme-client-id-0123456789", "globex-client-id-0123456789"];
      if (front === "HTTP") expect(resourceAt(p, "aws_apigatewayv2_authorizer.this[0]").values.jwt_configuration[0].audience).toEqual(ids);
      // The function's environment is known only after apply (it holds the API's URL): evaluated with its references as placeholders.
      expect((await environment(base, { tenants: ["globex", "acme"] })).MCP_CLIENT_IDS).toBe("<aws_cognito_user_pool_client.tenant.id>,<aws_cognito_user_pool_client.tenant.id>");
      expect(outputOf(p, "tenant_client_ids")).toEqual({ acme: ids[0], globex: ids[1] });
      expect(outputOf(p, "cognito_client_id")).toBeNull();
      expect(outputOf(p, "cognito_user_pool_id")).toBe("us-east-1_AbCdEf123");
    });
  });

  it("cognito_threat_protection: Plus plan with enforced threat protection by default; off, the Essentials plan", async () => {
    const on = resourceAt(await plan(example("minimal")), "aws_cognito_user_pool.this[0]").values;
    expect(on).toMatchObject({ user_pool_tier: "PLUS", user_pool_add_ons: [expect.objectContaining({ advanced_security_mode: "ENFORCED" })] });
    const off = resourceAt(await plan(example("minimal"), { cognito_threat_protection: false }), "aws_cognito_user_pool.this[0]").values;
    expect(off).toMatchObject({ user_pool_tier: "ESSENTIALS", user_pool_add_ons: [expect.objectContaining({ advanced_security_mode: "OFF" })] });
  });

  it("external pool: nothing Cognito is created; the authorizer trusts the given pool and clients, and the server allows only them", async () => {
    const p = await plan(example("external-pool"));
    expect(p.planned_values.root_module.resources.filter((r) => r.type.startsWith("aws_cognito"))).toEqual([]);
    expect(resourceAt(p, "aws_apigatewayv2_authorizer.this[0]").values).toMatchObject({
      authorizer_type: "JWT",
      identity_sources: ["$request.header.Authorization"],
      jwt_configuration: [{ issuer: "https://cognito-idp.us-gov-west-1.amazonaws.com/us-gov-west-1_AbCdEf123", audience: ["1example23456789abcdefghij"] }],
    });
    expect(outputOf(p, "cognito_issuer")).toBe("https://cognito-idp.us-gov-west-1.amazonaws.com/us-gov-west-1_AbCdEf123");
    expect(outputOf(p, "cognito_client_id")).toBe("1example23456789abcdefghij");
    expect(outputOf(p, "cognito_token_endpoint")).toBeNull();
    expect(outputOf(p, "tenant_client_ids")).toEqual({});

    const many = await plan(example("external-pool"), { cognito_client_ids: ["2example23456789abcdefghij", "1example23456789abcdefghij", "3example23456789abcdefghij"] });
    const ids = ["1example23456789abcdefghij", "2example23456789abcdefghij", "3example23456789abcdefghij"];
    expect(resourceAt(many, "aws_apigatewayv2_authorizer.this[0]").values.jwt_configuration[0].audience).toEqual(ids);
    expect((await environment("external-pool", { cognito_client_ids: ["2example23456789abcdefghij", "3example23456789abcdefghij"] })).MCP_CLIENT_IDS).toBe(ids.join(","));
    expect(outputOf(many, "cognito_client_id")).toBeNull();
  });

  it("image_tag: the module's repository (immutable, scanned, customer key, lifecycle) serves the image", async () => {
    const p = await plan(example("minimal"));
    expect(resourceAt(p, "aws_ecr_repository.this[0]").values).toMatchObject({
      name: "mcp-server",
      image_tag_mutability: "IMMUTABLE",
      image_scanning_configuration: [{ scan_on_push: true }],
      encryption_configuration: [{ encryption_type: "KMS", kms_key: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" }],
    });
    expect(JSON.parse(resourceAt(p, "aws_ecr_lifecycle_policy.this[0]").values.policy).rules[0].selection).toMatchObject({ countType: "imageCountMoreThan" });
    expect(await evaluate(example("minimal"), {}, "aws_lambda_function.this", ["image_uri"])).toBe("<aws_ecr_repository.this.repository_url>:0.1.0");
  });

  it("image_uri: no repository is created and the function runs the given image", async () => {
    const p = await plan(example("external-pool"));
    expect(resourcesOf(p, "aws_ecr_repository")).toEqual([]);
    expect(resourceAt(p, "aws_lambda_function.this").values.image_uri).toBe("444455556666.dkr.ecr.us-gov-west-1.amazonaws.com/platform/mcp-server:2.3.1");
    expect(outputOf(p, "ecr_repository_url")).toBeNull();
    const both = await plan(example("minimal"), { image_uri: "111122223333.dkr.ecr.us-east-1.amazonaws.com/mcp@sha256:" + "a".repeat(64) });
    expect(resourceAt(both, "aws_lambda_function.this").values.image_uri).toContain("@sha256:");
  });

  it("enable_cloudfront on: HTTPS-only distribution, TLS 1.2 on the caller's certificate, no caching, all viewer headers, the WAF", async () => {
    const p = await plan(example("cloudfront-waf"));
    const d = resourceAt(p, "aws_cloudfront_distribution.this[0]").values;
    expect(d).toMatchObject({
      aliases: ["mcp.example.com"],
      web_acl_id: "arn:aws:wafv2:us-east-1:111122223333:global/webacl/mcp-edge/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9",
      viewer_certificate: [
        expect.objectContaining({
          acm_certificate_arn: "arn:aws:acm:us-east-1:111122223333:certificate/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9",
          minimum_protocol_version: "TLSv1.2_2021",
          ssl_support_method: "sni-only",
        }),
      ],
    });
    const behavior = d.default_cache_behavior[0];
    expect(behavior).toMatchObject({
      viewer_protocol_policy: "https-only",
      cache_policy_id: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
      origin_request_policy_id: "b689b0a8-53d0-40ab-baf2-68738e2966ac",
    });
    expect([...behavior.allowed_methods].sort()).toEqual(["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"]);
    expect(d.origin[0].custom_origin_config[0]).toMatchObject({ origin_protocol_policy: "https-only", origin_ssl_protocols: ["TLSv1.2"] });
    // API Gateway waits 30 s at most here (lambda_timeout 29 + 1); CloudFront waits 5 s longer, within its default 60 s quota.
    expect(d.origin[0].custom_origin_config[0].origin_read_timeout).toBe(35);
    const shorter = await plan(example("cloudfront-waf"), { lambda_timeout: 10 });
    expect(resourceAt(shorter, "aws_cloudfront_distribution.this[0]").values.origin[0].custom_origin_config[0].origin_read_timeout).toBe(16);
    expect(d.origin[0].custom_origin_config[0].origin_keepalive_timeout).toBe(5);
    expect(d.origin[0].custom_header[0].name).toBe("X-Origin-Verify");
    expect(outputOf(p, "mcp_endpoint")).toBe("https://mcp.example.com/mcp");
    const env = await environment("cloudfront-waf");
    expect(env).toMatchObject({ MCP_RESOURCE_URL: "https://mcp.example.com/mcp", MCP_ORIGIN_VERIFY_SECRET: "<terraform_data.origin_verify.output.secret>" });
    // The secret is sensitive in the function's environment and in the origin header: no plan prints it once it is known.
    const fn = synthesized().resource.aws_lambda_function.this as { environment: { variables: string } };
    expect(fn.environment.variables).toContain("MCP_ORIGIN_VERIFY_SECRET = sensitive(one(terraform_data.origin_verify[*].output.secret))");
    const distribution = p.resource_changes.find((r) => r.address === "aws_cloudfront_distribution.this[0]")!.change as unknown as { after_sensitive: { origin: unknown } };
    expect(distribution.after_sensitive.origin).toBe(true);
  });

  it("enable_cloudfront on: access logs go to a private, TLS-only, versioned bucket on the customer key, kept as long as the log groups", async () => {
    const p = await plan(example("cloudfront-waf"), { log_retention_days: 731 });
    expect(resourceAt(p, "aws_s3_bucket.cloudfront_logs[0]").values.bucket).toBe("mcp-server-cf-111122223333-us-east-1");
    expect(resourceAt(p, "aws_s3_bucket_ownership_controls.cloudfront_logs[0]").values.rule).toEqual([{ object_ownership: "BucketOwnerPreferred" }]);
    const lifecycle = resourceAt(p, "aws_s3_bucket_lifecycle_configuration.cloudfront_logs[0]").values.rule[0];
    expect(lifecycle).toMatchObject({ status: "Enabled", expiration: [expect.objectContaining({ days: 731 })], noncurrent_version_expiration: [expect.objectContaining({ noncurrent_days: 731 })] });
    expect(configurationOf(p, "aws_cloudfront_distribution.this").depends_on).toEqual(["aws_s3_bucket_ownership_controls.cloudfront_logs"]);
    const policy = JSON.parse((await evaluate(example("cloudfront-waf"), {}, "aws_s3_bucket_policy.cloudfront_logs", ["policy"])) as string);
    expect(policy.Statement).toEqual([
      expect.objectContaining({ Effect: "Deny", Principal: "*", Condition: { Bool: { "aws:SecureTransport": "false" } }, Resource: ["<aws_s3_bucket.cloudfront_logs.arn>", "<aws_s3_bucket.cloudfront_logs.arn>/*"] }),
    ]);
    const forever = resourceAt(await plan(example("cloudfront-waf"), { log_retention_days: 0 }), "aws_s3_bucket_lifecycle_configuration.cloudfront_logs[0]");
    expect(forever.values.rule[0].status).toBe("Disabled");
  });

  const domain = { custom_domain_name: "mcp.example.com", certificate_arn: "arn:aws:acm:us-east-1:111122223333:certificate/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9" };
  it.each([
    ["HTTP", "minimal", "aws_apigatewayv2_api.this[0]"],
    ["REST", "rest-waf", "aws_api_gateway_rest_api.this[0]"],
  ])("custom_domain_name on the %s front: TLS 1.2 domain mapped at the root, execute-api off, clients and discovery on the domain", async (front, base, api) => {
    const p = await plan(example(base), domain);
    expect(resourceAt(p, api).values.disable_execute_api_endpoint).toBe(true);
    if (front === "HTTP") {
      expect(resourceAt(p, "aws_apigatewayv2_domain_name.this[0]").values).toMatchObject({
        domain_name: "mcp.example.com",
        domain_name_configuration: [expect.objectContaining({ certificate_arn: domain.certificate_arn, endpoint_type: "REGIONAL", security_policy: "TLS_1_2" })],
        mutual_tls_authentication: [],
      });
      expect(resourceAt(p, "aws_apigatewayv2_api_mapping.this[0]").values).toMatchObject({ stage: "$default", api_mapping_key: null });
      expect(configurationOf(p, "aws_apigatewayv2_api_mapping.this").expressions.domain_name.references).toContain("aws_apigatewayv2_domain_name.this");
      // The stage by reference, so the mapping is created after it (a literal "$default" can win the race and fail on first apply).
      expect(configurationOf(p, "aws_apigatewayv2_api_mapping.this").expressions.stage.references).toContain("aws_apigatewayv2_stage.this");
    } else {
      expect(resourceAt(p, "aws_api_gateway_domain_name.this[0]").values).toMatchObject({
        domain_name: "mcp.example.com",
        regional_certificate_arn: domain.certificate_arn,
        security_policy: "TLS_1_2",
        endpoint_configuration: [expect.objectContaining({ types: ["REGIONAL"] })],
        mutual_tls_authentication: [],
      });
      // No base path: the API sits at the domain's root, so /.well-known/... needs no stage prefix.
      expect(resourceAt(p, "aws_api_gateway_base_path_mapping.this[0]").values.base_path ?? "").toBe("");
      const unauthorized = resourceAt(p, "aws_api_gateway_gateway_response.unauthorized[0]").values;
      expect(JSON.stringify(unauthorized.response_parameters)).toContain("https://mcp.example.com/.well-known/oauth-protected-resource/mcp");
    }
    expect(outputOf(p, "mcp_endpoint")).toBe("https://mcp.example.com/mcp");
    // Known after apply: the regional host and zone a DNS alias points at.
    expect(p.output_changes.custom_domain_target.after_unknown).toEqual({ domain_name: true, hosted_zone_id: true });
    expect((await environment(base, domain)).MCP_RESOURCE_URL).toBe("https://mcp.example.com/mcp");
  });

  it("custom_domain_name added to or removed from a REST stack redeploys the stage, which is when API Gateway applies disable_execute_api_endpoint", async () => {
    const trigger = (overrides: Record<string, unknown>) => evaluate(example("rest-waf"), overrides, "aws_api_gateway_deployment.this", ["triggers", "redeployment"]);
    const [without, withDomain, unrelated] = await Promise.all([trigger({}), trigger(domain), trigger({ log_retention_days: 30 })]);
    expect(withDomain).not.toBe(without);
    expect(unrelated).toBe(without);
  });

  it("mtls_truststore_uri: the custom domain requires client certificates from the pinned truststore", async () => {
    const p = await plan(example("rest-domain-mtls"));
    expect(resourceAt(p, "aws_api_gateway_domain_name.this[0]").values.mutual_tls_authentication).toEqual([
      { truststore_uri: "s3://example-mcp-truststore/clients-ca.pem", truststore_version: "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY" },
    ]);
    expect(resourceAt(p, "aws_api_gateway_rest_api.this[0]").values.disable_execute_api_endpoint).toBe(true);
    const http = await plan(example("minimal"), { ...domain, mtls_truststore_uri: "s3://example-mcp-truststore/clients-ca.pem" });
    expect(resourceAt(http, "aws_apigatewayv2_domain_name.this[0]").values.mutual_tls_authentication).toEqual([
      { truststore_uri: "s3://example-mcp-truststore/clients-ca.pem", truststore_version: null },
    ]);
  });

  it("custom domain behind CloudFront: the origin is the domain at its root, and clients use CloudFront's alias", async () => {
    const p = await plan(example("cloudfront-waf"), { ...domain, custom_domain_name: "origin.mcp.example.com" });
    expect(resourceAt(p, "aws_cloudfront_distribution.this[0]").values.origin[0]).toMatchObject({ domain_name: "origin.mcp.example.com", origin_path: "" });
    expect(resourceAt(p, "aws_apigatewayv2_api.this[0]").values.disable_execute_api_endpoint).toBe(true);
    expect(outputOf(p, "mcp_endpoint")).toBe("https://mcp.example.com/mcp");
  });

  it("no custom domain: the execute-api URL serves the API, no domain is created", async () => {
    for (const base of ["minimal", "rest-waf"]) {
      const p = await plan(example(base));
      const api = resourcesOf(p, "aws_apigatewayv2_api")[0] ?? resourcesOf(p, "aws_api_gateway_rest_api")[0];
      expect(api.values.disable_execute_api_endpoint, base).toBe(false);
      for (const type of ["aws_apigatewayv2_domain_name", "aws_api_gateway_domain_name"]) expect(resourcesOf(p, type), base).toEqual([]);
      expect(outputOf(p, "custom_domain_target"), base).toBeNull();
    }
  });

  it("waf_acl_arn null with CloudFront: the distribution has no web ACL", async () => {
    const p = await plan(example("cloudfront-waf"), { waf_acl_arn: null });
    expect(resourceAt(p, "aws_cloudfront_distribution.this[0]").values.web_acl_id).toBeNull();
  });

  it("enable_cloudfront off: no distribution, and clients use the API's own URL", async () => {
    const p = await plan(example("minimal"));
    expect(resourcesOf(p, "aws_cloudfront_distribution")).toEqual([]);
    expect(resourcesOf(p, "aws_s3_bucket")).toEqual([]);
    expect(p.output_changes.mcp_endpoint.after_unknown).toBe(true);
    expect(await environment("minimal")).not.toHaveProperty("MCP_ORIGIN_VERIFY_SECRET");
  });

  it("use_fips_endpoints: the root provider calls FIPS endpoints (SC-13) when asked, and by default in GovCloud", async () => {
    expect(await evaluateAt(example("minimal"), { use_fips_endpoints: true }, ["provider", "aws", "0", "use_fips_endpoint"])).toBe(true);
    // The plan holds with FIPS on: examples/govcloud.tfvars plans with it on by default (examples.test.ts).
    expect(await evaluateAt(example("govcloud"), {}, ["provider", "aws", "0", "use_fips_endpoint"])).toBe(true);
  });

  it("tags: every taggable resource carries var.tags", async () => {
    const p = await plan(example("external-pool"));
    const taggable = p.planned_values.root_module.resources.filter((r) => r.values && "tags" in r.values);
    expect(taggable.length).toBeGreaterThan(10);
    for (const r of taggable) expect(r.values.tags, r.address).toEqual({ Environment: "prod", System: "mcp" });
  });

  it("name: prefixes every resource name", async () => {
    const p = await plan(example("external-pool"));
    expect(resourceAt(p, "aws_lambda_function.this").values.function_name).toBe("mcp-tools");
    expect(resourceAt(p, "aws_cloudwatch_log_group.api").values.name).toBe("/aws/apigateway/mcp-tools");
    expect(resourceAt(p, "aws_sns_topic.alarms").values.name).toBe("mcp-tools-alarms");
    expect(resourceAt(p, "aws_cloudwatch_metric_alarm.api_5xx").values.alarm_name).toBe("mcp-tools-api-5xx");
  });

  it("name: names that are global to the account (IAM roles, CloudFront's headers policy) carry the region, so the same name deploys in a second region", async () => {
    const global = ["aws_iam_role", "aws_cloudfront_response_headers_policy"];
    const namesIn = async (overrides: Record<string, unknown>) => {
      const p = await plan(example("cloudfront-waf"), { enable_sessions: true, ...overrides });
      return global.flatMap((type) => resourcesOf(p, type).map((r) => r.values.name as string));
    };
    const east = await namesIn({});
    const west = await namesIn({
      region: "us-west-2",
      kms_key_arn: "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
      certificate_arn: "arn:aws:acm:us-west-2:111122223333:certificate/1b2c3d4e-5f60-7182-93a4-b5c6d7e8f9a0",
    });
    expect(east).toEqual(["mcp-server-lambda-us-east-1", "mcp-server-tenant-access-us-east-1", "mcp-server-security-headers-us-east-1"]);
    expect(west.filter((name) => east.includes(name))).toEqual([]);
    // IAM role names take 64 characters: the longest name and one of the longest regions still fit.
    const longest = await plan(example("sessions"), { name: `m${"x".repeat(31)}`, region: "ap-southeast-4", kms_key_arn: "arn:aws:kms:ap-southeast-4:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" });
    for (const role of resourcesOf(longest, "aws_iam_role")) expect(role.values.name.length, role.values.name).toBeLessThanOrEqual(64);
  });

  it("log_retention_days: applies to both log groups", async () => {
    const p = await plan(example("minimal"), { log_retention_days: 731 });
    for (const g of resourcesOf(p, "aws_cloudwatch_log_group")) expect(g.values.retention_in_days).toBe(731);
  });

  it("kms_key_policy_statements: known at plan time, for the log groups of this deployment", async () => {
    const statements = JSON.parse(outputOf(await plan(example("external-pool")), "kms_key_policy_statements") as string);
    expect(statements[0]).toMatchObject({
      Principal: { Service: "logs.us-gov-west-1.amazonaws.com" },
      Condition: {
        ArnLike: {
          "kms:EncryptionContext:aws:logs:arn": [
            "arn:aws-us-gov:logs:us-gov-west-1:111122223333:log-group:/aws/lambda/mcp-tools",
            "arn:aws-us-gov:logs:us-gov-west-1:111122223333:log-group:/aws/apigateway/mcp-tools",
          ],
        },
      },
    });
    expect(statements[1]).toMatchObject({
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Condition: { StringEquals: { "kms:EncryptionContext:aws:sns:topicArn": "arn:aws-us-gov:sns:us-gov-west-1:111122223333:mcp-tools-alarms" } },
    });
  });
});
