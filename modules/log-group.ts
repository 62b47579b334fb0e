import { Construct } from "constructs";
import { CloudwatchLogGroup } from "./framework.js";
import { expr, exprNumber, withAddress } from "./expressions.js";
import { input } from "./inputs.js";

/**
 * A log group encrypted with the customer key and kept `var.log_retention_days`
 * (SC-28, AU-11, CKV_AWS_158, CKV_AWS_338).
 *
 * @param address resource name: `aws_cloudwatch_log_group.<address>`
 * @param nameHcl HCL template for the log group name
 */
export function encryptedLogGroup(scope: Construct, address: string, nameHcl: string): CloudwatchLogGroup {
  return withAddress(
    new CloudwatchLogGroup(scope, address, {
      name: nameHcl,
      kmsKeyId: expr(input.kms_key_arn),
      retentionInDays: exprNumber(input.log_retention_days),
    }),
    address,
  );
}
