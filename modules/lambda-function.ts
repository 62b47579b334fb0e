import { Construct } from "constructs";
import { IamRole, IamRolePolicy, LambdaFunction, CloudwatchLogGroup } from "./framework.js";
import { encryptedLogGroup } from "./log-group.js";
import { address, expr, exprList, exprMap, exprNumber, withAddress, serviceTrustPolicy } from "./expressions.js";
import { Platform, regionalName } from "./platform.js";
import { input } from "./inputs.js";

/** Name of the function's log group (HCL template). */
export const LAMBDA_LOG_GROUP = `/aws/lambda/\${${input.name}}`;

/** Props of {@link McpFunction}. */
export interface McpFunctionProps {
  readonly platform: Platform;
  /** HCL: the image URI the function runs. */
  readonly imageUri: string;
  /**
   * HCL map of the server's own settings (`MCP_*`), merged over
   * `var.environment_variables`.
   */
  readonly settings: string;
  /** Whether the provider can manage `tenancy_config` (hashicorp/aws >= 6.23.0). */
  readonly tenancySupported: boolean;
}

/**
 * The MCP server function, its log group and its execution role
 * `aws_iam_role.lambda`. The role may write only its own log group, manage
 * the VPC network interfaces Lambda creates for it, write X-Ray traces and use
 * the customer key; other constructs grant it more (the sessions table).
 */
export class McpFunction extends Construct {
  readonly function: LambdaFunction;
  readonly role: IamRole;
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: McpFunctionProps) {
    super(scope, id);
    const { partition, region } = props.platform;
    // Account "*": subnets of a shared VPC belong to the VPC owner's account.
    const ec2Arn = (resource: string) => `arn:\${${partition}}:ec2:\${${region}}:*:${resource}`;

    this.logGroup = encryptedLogGroup(this, "lambda", LAMBDA_LOG_GROUP);

    this.role = withAddress(
      new IamRole(this, "role", {
        name: regionalName(props.platform, "lambda"),
        description: "Execution role of the MCP server function",
        assumeRolePolicy: serviceTrustPolicy("lambda.amazonaws.com"),
      }),
      "lambda",
    );

    const policy = withAddress(
      new IamRolePolicy(this, "policy", {
        name: "mcp-server",
        role: this.role.id,
        policy: expr(`jsonencode({
          Version = "2012-10-17"
          Statement = [
            {
              Sid      = "WriteOwnLogGroup"
              Effect   = "Allow"
              Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
              Resource = "\${${address(this.logGroup)}.arn}:*"
            },
            {
              # Lambda creates the function's VPC interfaces with the role's permissions: only in the given subnets and security groups.
              Sid    = "CreateVpcNetworkInterfaces"
              Effect = "Allow"
              Action = ["ec2:CreateNetworkInterface"]
              Resource = concat(
                ["${ec2Arn("network-interface/*")}"],
                [for s in ${input.subnet_ids} : "${ec2Arn("subnet/${s}")}"],
                [for g in ${input.vpc_security_group_ids} : "${ec2Arn("security-group/${g}")}"],
              )
            },
            {
              Sid      = "ManageVpcNetworkInterfaces"
              Effect   = "Allow"
              Action   = ["ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"]
              Resource = "${ec2Arn("network-interface/*")}"
            },
            {
              # These actions support no resource-level permissions: "*" is their only valid resource.
              Sid      = "DescribeAndTrace"
              Effect   = "Allow"
              Action   = ["ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets", "xray:PutTraceSegments", "xray:PutTelemetryRecords"]
              Resource = "*"
            },
            {
              Sid      = "UseCustomerKey"
              Effect   = "Allow"
              Action   = ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey"]
              Resource = ${input.kms_key_arn}
            },
          ]
        })`),
      }),
      "lambda",
    );

    this.function = withAddress(
      new LambdaFunction(this, "function", {
        functionName: expr(input.name),
        description: "MCP server",
        packageType: "Image",
        imageUri: expr(props.imageUri),
        role: this.role.arn,
        timeout: exprNumber(input.lambda_timeout),
        memorySize: exprNumber(input.lambda_memory_size),
        reservedConcurrentExecutions: exprNumber(input.reserved_concurrent_executions),
        kmsKeyArn: expr(input.kms_key_arn),
        environment: { variables: exprMap(`merge(${input.environment_variables}, ${props.settings})`) },
        tracingConfig: { mode: "Active" },
        vpcConfig: { subnetIds: exprList(input.subnet_ids), securityGroupIds: exprList(input.vpc_security_group_ids) },
        // Lambda in AWS GovCloud (US) has no JSON log format; the server writes its lines as JSON either way.
        loggingConfig: { logFormat: expr(`${props.platform.govCloud} ? "Text" : "JSON"`), logGroup: this.logGroup.name },
        // CreateFunction checks the role's network-interface permissions, so the policy must exist first.
        dependsOn: [policy, this.logGroup],
        lifecycle: {
          // Lambda takes the VPC from the subnets; this is where var.vpc_id is held to them.
          postcondition: [
            {
              condition: expr(`self.vpc_config[0].vpc_id == ${input.vpc_id}`),
              errorMessage: `subnet_ids belong to VPC \${self.vpc_config[0].vpc_id}, not to vpc_id (\${${input.vpc_id}}): give subnets and security groups of the VPC named by vpc_id.`,
            },
          ],
        },
      }),
      "this",
    );
    if (props.tenancySupported) {
      // Set at creation only: toggling enable_tenant_isolation replaces the function.
      this.function.addOverride("dynamic.tenancy_config", {
        for_each: expr(`${input.enable_tenant_isolation} ? [1] : []`),
        content: { tenant_isolation_mode: "PER_TENANT" },
      });
    }
  }
}
