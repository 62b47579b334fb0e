import { beforeAll, describe, expect, inject, it } from "vitest";
import { Testing } from "../modules/framework.js";
import { McpServerStack } from "../modules/index.js";
import { checkAgainst, jsiiProviderSchema, ProviderSchema, TerraformJson, terraformProviderSchema } from "./support/provider-schema.js";
import { synthesized } from "./support/evaluate.js";
import { configurationOf, example, plan, resourceAt } from "./support/terraform.js";

/**
 * The checks the offline 5.x provider cannot make. Only hashicorp/aws 5.100.0 can be planned here, so
 * the 6.x build (the default, and the only one with tenant isolation) is held to the 6.x schema that
 * `@cdktf/provider-aws` was generated from (its jsii assembly), and planned on the 5.x mirror with only
 * what 5.x lacks dropped. The configuration is the same for every var file (the switches are variables),
 * so one check covers every example and every switch, dynamic blocks included.
 */
const synth = (asModule: boolean): TerraformJson =>
  JSON.parse(Testing.synth(new McpServerStack(Testing.app(), "mcp-server", { awsProviderMajor: 6, asModule }))) as TerraformJson;

let six: ProviderSchema;
beforeAll(() => {
  six = jsiiProviderSchema();
});

describe("the 6.x build against the hashicorp/aws 6.x schema", () => {
  it("reads the schema of the provider version @cdktf/provider-aws was generated from, which has tenant isolation", () => {
    expect(six.version).toMatch(/^6\./);
    expect(six.resource.get("aws_lambda_function")?.block.blocks.get("tenancy_config")).toMatchObject({ single: true, required: false });
    expect(six.resource.size).toBeGreaterThan(1000);
  });

  it.each([
    ["root stack", false],
    ["Terraform module", true],
  ])("%s: every resource type, data source, argument and block exists, required ones are present, single blocks appear once, every referenced attribute exists", (_name, asModule) => {
    expect(checkAgainst(synth(asModule as boolean), six)).toEqual([]);
  });

  it("catches each kind of mistake, so an empty list means something", () => {
    const config = synth(false) as Required<TerraformJson>;
    const fn = config.resource.aws_lambda_function.this;
    fn.tracing_config = [{ mode: "Active" }, { mode: "PassThrough" }];
    fn.timeoutt = 30;
    delete fn.role;
    (fn.dynamic as Record<string, unknown>).tenancy_configs = { for_each: [], content: {} };
    config.resource.aws_lambda_functions = { x: {} };
    (config.output as Record<string, unknown>).function_arn = { value: "${aws_lambda_function.this.arnn}" };
    expect(checkAgainst(config, six).sort()).toEqual(
      [
        "aws_lambda_function.this.tracing_config: a single block, given 2 times",
        'aws_lambda_function.this: no argument or block "timeoutt"',
        'aws_lambda_function.this: required argument "role" missing',
        'aws_lambda_function.this: no block "tenancy_configs" for a dynamic block',
        `aws_lambda_functions: no such resource type in hashicorp/aws ${six.version}`,
        `aws_lambda_function.this.arnn: aws_lambda_function has no attribute "arnn" in hashicorp/aws ${six.version}`,
      ].sort(),
    );
  });
});

describe("the checker against a schema Terraform itself enforces", () => {
  it("finds nothing wrong with the mirror's build, which terraform validate accepts, read against the mirror provider's own schema", () => {
    const mirror = terraformProviderSchema(inject("terraformWorkdir"));
    expect(checkAgainst(synthesized() as TerraformJson, mirror)).toEqual([]);
    // And the 6.x build, as it is, does not fit 5.x: the check tells the majors apart.
    expect(checkAgainst(synth(false), mirror)).toEqual(
      expect.arrayContaining(['aws_lambda_function.this: no block "tenancy_config" for a dynamic block', expect.stringMatching(/aws_region has no attribute "region"/)]),
    );
  });
});

describe.runIf(inject("sixOnFive"))("the 6.x build planned on the 5.x mirror", () => {
  it("drops only tenancy_config and response_transfer_mode, reads data.aws_region's region by its 5.x name, and caps the integration timeout to 5.x's range", () => {
    expect(inject("sixOnFive")).toMatchObject({
      dropped: ["aws_api_gateway_integration.this.response_transfer_mode", "aws_lambda_function.this.dynamic.tenancy_config"],
      renamed: ["aws_region.region → name"],
      problems: [],
      capped: ["aws_api_gateway_integration.this.timeout_milliseconds ≤ 300000"],
    });
  });

  it("plans rest-isolated.tfvars with isolation on: the REST integrations pass the verified tenant as X-Amz-Tenant-Id, on the function's own routes only", async () => {
    const p = await plan(example("rest-isolated"));
    expect(p.variables.enable_tenant_isolation.value).toBe(true);
    const post = resourceAt(p, 'aws_api_gateway_integration.this["POST /mcp"]').values;
    expect(post.request_parameters).toEqual({ "integration.request.header.X-Amz-Tenant-Id": "context.authorizer.claims.client_id" });
    const discovery = resourceAt(p, 'aws_api_gateway_integration.this["GET /.well-known/oauth-protected-resource"]').values;
    expect(discovery.request_parameters).toEqual({ "integration.request.header.X-Amz-Tenant-Id": "'.well-known'" });
    expect(configurationOf(p, "aws_lambda_function.this").expressions).not.toHaveProperty("tenancy_config");
  });

  it("plans rest-isolated.tfvars with streaming on as well: each tenant's invokes go through InvokeWithResponseStream, still naming the verified tenant", async () => {
    const p = await plan(example("rest-isolated"), { enable_response_streaming: true });
    const post = resourceAt(p, 'aws_api_gateway_integration.this["POST /mcp"]').values;
    expect(post.uri).toMatch(/:lambda:path\/2021-11-15\/functions\/arn:aws:lambda:us-east-1:\d{12}:function:mcp-server\/response-streaming-invocations$/);
    expect(post.request_parameters).toEqual({ "integration.request.header.X-Amz-Tenant-Id": "context.authorizer.claims.client_id" });
  });
});
