import { describe, expect, it } from "vitest";
import { changeAt, example, planOver } from "./support/terraform.js";

/**
 * Plans of changes to a deployed stack: Terraform state holds the instances
 * that matter, as if applied, and the plan runs without refreshing them
 * (offline, nothing can be read from AWS). What AWS does behind Terraform's
 * back on such a change is in docs/aws-behaviours.md.
 */
const FUNCTION = {
  type: "aws_lambda_function",
  name: "this",
  attributes: {
    id: "mcp-server",
    function_name: "mcp-server",
    package_type: "Image",
    arn: "arn:aws:lambda:us-east-1:111122223333:function:mcp-server",
    role: "arn:aws:iam::111122223333:role/mcp-server-lambda-us-east-1",
    // As in examples/minimal.tfvars: the function's postcondition reads the VPC Lambda derived from the subnets.
    vpc_config: [{ subnet_ids: ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"], security_group_ids: ["sg-0a1b2c3d4e5f60718"], vpc_id: "vpc-0a1b2c3d4e5f60718", ipv6_allowed_for_dual_stack: false }],
  },
};
const HTTP_API = {
  type: "aws_apigatewayv2_api",
  name: "this",
  index: 0,
  attributes: { id: "abc123", name: "mcp-server", protocol_type: "HTTP", execution_arn: "arn:aws:execute-api:us-east-1:111122223333:abc123", api_endpoint: "https://abc123.execute-api.us-east-1.amazonaws.com" },
};
const PERMISSION = {
  type: "aws_lambda_permission",
  name: "api",
  attributes: { id: "AllowApiGatewayInvoke", statement_id: "AllowApiGatewayInvoke", function_name: "mcp-server", action: "lambda:InvokeFunction", principal: "apigateway.amazonaws.com", source_arn: "arn:aws:execute-api:us-east-1:111122223333:abc123/*" },
};

describe.concurrent("plans over a deployed stack", () => {
  it("replacing the function replaces its invoke permission, which AWS deletes with the old function", async () => {
    // enable_tenant_isolation forces this replacement (tenancy_config is set at creation only), but the 5.x mirror cannot plan it: a
    // package type that differs in state forces the same replacement, with the same name, so nothing but the trigger replaces the permission.
    const p = await planOver([{ ...FUNCTION, attributes: { ...FUNCTION.attributes, package_type: "Zip" } }, HTTP_API, PERMISSION], example("minimal"));
    // Destroyed first: Lambda refuses a second function of the same name, so it must not be created before the old one is gone.
    expect(changeAt(p, "aws_lambda_function.this").change.actions).toEqual(["delete", "create"]);
    expect(changeAt(p, "aws_lambda_permission.api")).toMatchObject({ action_reason: "replace_by_triggers", change: { actions: ["delete", "create"] } });
  });

  it("updating the function in place (a new image) leaves the permission alone", async () => {
    const p = await planOver([{ ...FUNCTION, attributes: { ...FUNCTION.attributes, image_uri: "111122223333.dkr.ecr.us-east-1.amazonaws.com/mcp-server:0.0.9" } }, HTTP_API, PERMISSION], example("minimal"));
    expect(changeAt(p, "aws_lambda_function.this").change.actions).toEqual(["update"]);
    expect(changeAt(p, "aws_lambda_permission.api").change.actions).toEqual(["no-op"]);
  });
});
