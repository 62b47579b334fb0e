import { Construct } from "constructs";
import { ApiGatewayAccount as ApiGatewayAccountSetting, IamRole, IamRolePolicy } from "./framework.js";
import { address, countWhen, expr, withAddress, serviceTrustPolicy } from "./expressions.js";
import { Platform, regionalName } from "./platform.js";
import { input } from "./inputs.js";

/** Props of {@link ApiGatewayCloudWatchRole}. */
export interface ApiGatewayCloudWatchRoleProps {
  readonly platform: Platform;
  /** HCL: true when the REST front is built (only REST stages need the account's role). */
  readonly restFront: string;
}

/**
 * The account's API Gateway CloudWatch Logs role, in this region
 * (`var.api_gateway_cloudwatch_role = "create"`): a REST stage with access
 * logs fails to create until the account names a role API Gateway may log
 * through, and a fresh account names none. The setting is per account and
 * region, so the role serves every REST API there: it may write to any log
 * group of this account and region, and nothing else.
 */
export class ApiGatewayCloudWatchRole extends Construct {
  /** The account setting, which a REST stage must wait for; no instance with `existing`. */
  readonly setting: ApiGatewayAccountSetting;

  constructor(scope: Construct, id: string, props: ApiGatewayCloudWatchRoleProps) {
    super(scope, id);
    const { partition, region, account } = props.platform;
    const count = countWhen(`${props.restFront} && ${input.api_gateway_cloudwatch_role} == "create"`);
    const role = withAddress(
      new IamRole(this, "role", {
        count,
        name: regionalName(props.platform, "apigw-logs"),
        description: "API Gateway's CloudWatch Logs role for REST APIs in this region (account setting)",
        assumeRolePolicy: serviceTrustPolicy("apigateway.amazonaws.com"),
      }),
      "api_gateway_cloudwatch",
    );
    const policy = withAddress(
      new IamRolePolicy(this, "policy", {
        count,
        name: "push-to-cloudwatch-logs",
        role: expr(`${address(role)}[0].id`),
        // The actions of AWS's AmazonAPIGatewayPushToCloudWatchLogs, on this account's and region's log groups instead of "*".
        policy: expr(`jsonencode({
          Version = "2012-10-17"
          Statement = [{
            Sid      = "WriteLogsOfRestApisInThisRegion"
            Effect   = "Allow"
            Action   = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogGroups", "logs:DescribeLogStreams", "logs:PutLogEvents", "logs:GetLogEvents", "logs:FilterLogEvents"]
            Resource = "arn:\${${partition}}:logs:\${${region}}:\${${account}}:log-group:*"
          }]
        })`),
      }),
      "api_gateway_cloudwatch",
    );
    this.setting = withAddress(
      new ApiGatewayAccountSetting(this, "setting", {
        count,
        cloudwatchRoleArn: expr(`${address(role)}[0].arn`),
        // API Gateway checks the role's permissions when the setting is made.
        dependsOn: [policy],
      }),
      "this",
    );
  }
}
