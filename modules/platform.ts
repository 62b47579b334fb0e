import { Construct } from "constructs";
import { DataAwsPartition, DataAwsRegion } from "./framework.js";
import { AwsProviderMajor } from "./provider.js";
import { input } from "./inputs.js";

/**
 * Where the module is deployed, as HCL references. Both data sources are
 * answered by the provider itself, without an AWS call, so plans run offline.
 */
export interface Platform {
  /** `aws`, `aws-us-gov`, `aws-cn`. */
  readonly partition: string;
  /** The provider's region. */
  readonly region: string;
  /** `amazonaws.com` or `amazonaws.com.cn`, for service principals. */
  readonly dnsSuffix: string;
  /** The account of the KMS key: the deployment account (the key must live there). */
  readonly account: string;
  /** HCL bool: deployed in AWS GovCloud (US), where some services differ (docs/architecture.md, "AWS GovCloud (US)"). */
  readonly govCloud: string;
}

/** Declares the partition and region data sources and returns references to them. */
export function platform(scope: Construct, major: AwsProviderMajor): Platform {
  const partition = new DataAwsPartition(scope, "partition-data");
  partition.overrideLogicalId("current");
  const region = new DataAwsRegion(scope, "region-data");
  region.overrideLogicalId("current");
  return {
    partition: "data.aws_partition.current.partition",
    // 6.x renamed the attribute (name is deprecated there); 5.x only knows name.
    region: major === 6 ? "data.aws_region.current.region" : "data.aws_region.current.name",
    dnsSuffix: "data.aws_partition.current.dns_suffix",
    account: `split(":", ${input.kms_key_arn})[4]`,
    govCloud: '(data.aws_partition.current.partition == "aws-us-gov")',
  };
}

/**
 * HCL template of a name that is global to the account (IAM roles, CloudFront policies):
 * `<name>-<what>-<region>`, so that the same `name` deploys in a second region of the account.
 */
export function regionalName(p: Platform, what: string): string {
  return `\${${input.name}}-${what}-\${${p.region}}`;
}
