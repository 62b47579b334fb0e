import { Construct } from "constructs";
import { S3Bucket, S3BucketOwnershipControls, S3BucketPublicAccessBlock, S3BucketServerSideEncryptionConfigurationA, S3BucketVersioningA, S3BucketLifecycleConfiguration, S3BucketPolicy } from "./framework.js";
import { address, countWhen, expr, exprNumber, withAddress } from "./expressions.js";
import { Platform } from "./platform.js";
import { input } from "./inputs.js";

/**
 * HCL template of the log bucket's name. Known at plan time, so the key
 * policy statement for log delivery can name it before the first apply; the
 * account and region make it globally unique, and it fits S3's 63 characters
 * for every `var.name` (at most 32) and region.
 */
export function cloudfrontLogBucketName(p: Platform): string {
  return `\${${input.name}}-cf-\${${p.account}}-\${${p.region}}`;
}

/**
 * The S3 bucket CloudFront writes its access logs to (AU-2, CKV_AWS_86,
 * AWS Config CLOUDFRONT_ACCESSLOGS_ENABLED). Standard logging to S3 is what
 * the scanners check; CloudFront's newer log delivery to CloudWatch Logs must
 * be set up in us-east-1, which a module using its caller's regional provider
 * cannot do.
 *
 * Encrypted with the customer key (SC-28), private, TLS only, versioned, and
 * expiring after `var.log_retention_days` like the log groups (AU-11).
 * CloudFront delivers these logs through a bucket ACL grant it adds itself,
 * so ACLs stay enabled (object ownership `BucketOwnerPreferred`).
 */
export class CloudfrontLogBucket extends Construct {
  /** The bucket (one instance when `enabled`, none otherwise). */
  readonly bucket: S3Bucket;
  /** The ownership setting CloudFront's ACL grant depends on; the distribution must wait for it. */
  readonly ownership: S3BucketOwnershipControls;

  /** @param props.enabled HCL: true when CloudFront is enabled. */
  constructor(scope: Construct, id: string, props: { readonly platform: Platform; readonly enabled: string }) {
    super(scope, id);
    const count = countWhen(props.enabled);
    this.bucket = withAddress(new S3Bucket(this, "bucket", { count, bucket: cloudfrontLogBucketName(props.platform) }), "cloudfront_logs");
    const bucket = expr(`${address(this.bucket)}[0].id`);
    const arn = `${address(this.bucket)}[0].arn`;

    this.ownership = withAddress(
      new S3BucketOwnershipControls(this, "ownership", { count, bucket, rule: { objectOwnership: "BucketOwnerPreferred" } }),
      "cloudfront_logs",
    );
    const publicAccess = withAddress(
      new S3BucketPublicAccessBlock(this, "public-access", {
        count,
        bucket,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      }),
      "cloudfront_logs",
    );
    withAddress(
      new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
        count,
        bucket,
        // A bucket key: one KMS call per bucket and hour instead of one per log object.
        rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: expr(input.kms_key_arn) }, bucketKeyEnabled: true }],
      }),
      "cloudfront_logs",
    );
    // Versions keep an overwritten or deleted log recoverable until it expires.
    withAddress(new S3BucketVersioningA(this, "versioning", { count, bucket, versioningConfiguration: { status: "Enabled" } }), "cloudfront_logs");
    withAddress(
      new S3BucketLifecycleConfiguration(this, "lifecycle", {
        count,
        bucket,
        rule: [
          {
            id: "retention",
            // log_retention_days = 0 keeps logs forever, as it does for the log groups.
            status: expr(`${input.log_retention_days} > 0 ? "Enabled" : "Disabled"`),
            filter: [{}],
            expiration: [{ days: exprNumber(`max(${input.log_retention_days}, 1)`) }],
            noncurrentVersionExpiration: [{ noncurrentDays: exprNumber(`max(${input.log_retention_days}, 1)`) }],
            abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
          },
        ],
      }),
      "cloudfront_logs",
    );
    withAddress(
      new S3BucketPolicy(this, "policy", {
        count,
        bucket,
        policy: expr(`jsonencode({
          Version = "2012-10-17"
          Statement = [
            {
              Sid       = "DenyInsecureTransport"
              Effect    = "Deny"
              Principal = "*"
              Action    = "s3:*"
              Resource  = [${arn}, "\${${arn}}/*"]
              Condition = { Bool = { "aws:SecureTransport" = "false" } }
            },
          ]
        })`),
        // S3 refuses concurrent changes to one bucket's access settings.
        dependsOn: [publicAccess],
      }),
      "cloudfront_logs",
    );
  }
}
