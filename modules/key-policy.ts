import { Platform } from "./platform.js";
import { input } from "./inputs.js";

/**
 * HCL: the IAM statement that lets a role use the customer key for a DynamoDB table encrypted with it, only
 * through DynamoDB (`kms:ViaService`): DynamoDB uses the key on the caller's behalf, and only DynamoDB may.
 */
export function customerKeyThroughDynamoDB(p: Platform): string {
  return `{
              Sid       = "CustomerKeyThroughDynamoDB"
              Effect    = "Allow"
              Action    = ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"]
              Resource  = ${input.kms_key_arn}
              Condition = { StringEquals = { "kms:ViaService" = "dynamodb.\${${p.region}}.\${${p.dnsSuffix}}" } }
            }`;
}

/**
 * HCL for the key policy statements the key's owner must add so the services
 * that write with the key on the module's behalf may use it. Built from names,
 * not resource attributes, so they are known at plan time: the key policy
 * must allow them before the log groups and topic can be created.
 *
 * - CloudWatch Logs encrypts the log groups (the encryption context names each one).
 * - CloudWatch alarms publish to the encrypted topic (SNS names the topic in the encryption context).
 * - CloudFront's log delivery writes to the encrypted log bucket, when CloudFront is on (S3 names the bucket).
 *
 * Lambda, DynamoDB and ECR use the key through grants made with the deployer's
 * and the function role's IAM permissions, which the key policy must delegate
 * to IAM (the default key policy does).
 */
export function keyPolicyStatements(
  p: Platform,
  names: {
    readonly logGroups: readonly string[];
    readonly alarmTopic: string;
    /** HCL: the bucket's name template, and the condition under which it exists. */
    readonly cloudfrontLogBucket: { readonly name: string; readonly when: string };
  },
): string {
  const arn = (service: string, resource: string) => `"arn:\${${p.partition}}:${service}:\${${p.region}}:\${${p.account}}:${resource}"`;
  const logGroupArns = names.logGroups.map((n) => arn("logs", `log-group:${n}`));
  return `concat([
    {
      Sid       = "CloudWatchLogsUseOfTheKey"
      Effect    = "Allow"
      Principal = { Service = "logs.\${${p.region}}.\${${p.dnsSuffix}}" }
      Action    = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey"]
      Resource  = "*"
      Condition = { ArnLike = { "kms:EncryptionContext:aws:logs:arn" = [${logGroupArns.join(", ")}] } }
    },
    {
      Sid       = "CloudWatchAlarmsPublishToEncryptedTopic"
      Effect    = "Allow"
      Principal = { Service = "cloudwatch.amazonaws.com" }
      Action    = ["kms:Decrypt", "kms:GenerateDataKey"]
      Resource  = "*"
      Condition = { StringEquals = { "kms:EncryptionContext:aws:sns:topicArn" = ${arn("sns", names.alarmTopic)} } }
    }
  ], ${names.cloudfrontLogBucket.when} ? [
    {
      Sid       = "CloudFrontLogDeliveryToEncryptedBucket"
      Effect    = "Allow"
      Principal = { Service = "delivery.logs.amazonaws.com" }
      Action    = ["kms:GenerateDataKey", "kms:Decrypt"]
      Resource  = "*"
      Condition = { StringEquals = { "kms:EncryptionContext:aws:s3:arn" = "arn:\${${p.partition}}:s3:::${names.cloudfrontLogBucket.name}" } }
    }
  ] : [])`;
}
