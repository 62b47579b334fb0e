import { Construct } from "constructs";
import { DataResource, CloudfrontDistribution, CloudfrontResponseHeadersPolicy } from "./framework.js";
import { ORIGIN_VERIFY_HEADER } from "../handler/http-contract.js";
import { address, countWhen, expr, exprList, exprNumber, optionalAttr, withAddress } from "./expressions.js";
import { CloudfrontLogBucket } from "./cloudfront-logs.js";
import { Platform, regionalName } from "./platform.js";
import { input } from "./inputs.js";

/** AWS managed cache policy "CachingDisabled": every request reaches the API. */
export const CACHING_DISABLED_POLICY_ID = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";
/** AWS managed origin request policy "AllViewerExceptHostHeader": forwards Authorization and every other viewer header but Host. */
export const ALL_VIEWER_EXCEPT_HOST_POLICY_ID = "b689b0a8-53d0-40ab-baf2-68738e2966ac";

/** How much longer than the integration CloudFront waits for the origin, in seconds. */
export const ORIGIN_READ_SLACK_SECONDS = 5;

/**
 * CloudFront's origin response timeout and keep-alive timeout in front of a
 * streaming API, in seconds: the most CloudFront allows without a quota
 * increase. The response timeout is the longest silence between two packets
 * of an answer, not its length (docs/aws-behaviours.md), and a stream sends
 * an event or a keep-alive comment at least every 15 s
 * (handler/event-stream.ts); the keep-alive timeout holds the connection to
 * API Gateway open for the next request of a long session.
 */
export const STREAMING_ORIGIN_TIMEOUT_SECONDS = 60;

/** HCL: true when the distribution is created. */
export const CLOUDFRONT_ENABLED = input.enable_cloudfront;

/**
 * The optional CloudFront distribution in front of the HTTP API (SC-7, SC-8):
 * the only way to put a WAF in front of an HTTP API. HTTPS only to viewers and
 * origin, TLS 1.2 minimum on the caller's certificate, no caching,
 * `Authorization` forwarded, every method allowed, `web_acl_id` from
 * `var.waf_acl_arn`, security headers on every answer (HSTS for a year),
 * access logs to an encrypted bucket of its own.
 */
export class EdgeDistribution extends Construct {
  /** HCL: the secret value of {@link ORIGIN_VERIFY_HEADER}, or null without CloudFront. */
  readonly originVerifySecret: string;
  readonly distribution: CloudfrontDistribution;

  /**
   * HCL: the public base URL on the first alias. Without an alias it names
   * none: the input rule on enable_cloudfront (input-rules.ts) says what is
   * missing, rather than Terraform's "Invalid index" beside it.
   */
  static readonly baseUrl = `"https://\${try(${input.cloudfront_aliases}[0], "cloudfront-aliases-missing.invalid")}"`;

  /**
   * @param props.originDomain, props.originPath HCL: where the API answers (host, and the REST stage prefix).
   * @param props.integrationTimeoutMs HCL: how long API Gateway waits for the function; CloudFront waits longer.
   * @param props.streaming HCL: true when the API streams its answers (then CloudFront waits on silences, not on whole answers).
   */
  constructor(
    scope: Construct,
    id: string,
    props: { readonly platform: Platform; readonly originDomain: string; readonly originPath: string; readonly integrationTimeoutMs: string; readonly streaming: string },
  ) {
    super(scope, id);
    const enabled = countWhen(CLOUDFRONT_ENABLED);
    const logs = new CloudfrontLogBucket(this, "logs", { platform: props.platform, enabled: CLOUDFRONT_ENABLED });

    // A random value generated once and kept: uuid() changes on every plan, ignore_changes pins the first one.
    const secret = withAddress(
      new DataResource(this, "origin-verify", { count: enabled, input: { secret: expr("uuid()") }, lifecycle: { ignoreChanges: ["input"] } }),
      "origin_verify",
    );
    // Sensitive wherever it goes, so that no plan prints it once it is known.
    this.originVerifySecret = `sensitive(${optionalAttr(secret, "output.secret")})`;

    // A policy of the module's own rather than AWS's managed SecurityHeadersPolicy: scanners (CKV2_AWS_32) recognise
    // only a policy the configuration declares, and the managed one lets the origin's values win for all but nosniff.
    const headers = withAddress(
      new CloudfrontResponseHeadersPolicy(this, "security-headers", {
        count: enabled,
        // Response headers policy names are global to the account, like IAM's.
        name: regionalName(props.platform, "security-headers"),
        comment: `\${${input.name}} MCP server: HSTS and no content sniffing, framing or referrers`,
        securityHeadersConfig: {
          strictTransportSecurity: { accessControlMaxAgeSec: 31536000, includeSubdomains: true, override: true },
          contentTypeOptions: { override: true },
          frameOptions: { frameOption: "DENY", override: true },
          referrerPolicy: { referrerPolicy: "no-referrer", override: true },
        },
      }),
      "this",
    );

    const originId = "api-gateway";
    this.distribution = withAddress(
      new CloudfrontDistribution(this, "distribution", {
        count: enabled,
        enabled: true,
        comment: `\${${input.name}} MCP server`,
        aliases: exprList(input.cloudfront_aliases),
        httpVersion: "http2and3",
        priceClass: "PriceClass_100",
        webAclId: expr(input.waf_acl_arn),
        origin: [
          {
            originId,
            domainName: expr(props.originDomain),
            originPath: expr(props.originPath),
            customOriginConfig: {
              httpPort: 80,
              httpsPort: 443,
              originProtocolPolicy: "https-only",
              originSslProtocols: ["TLSv1.2"],
              // Buffered: longer than API Gateway waits for the function, so that its answer (or its own 504) reaches the client, not CloudFront's
              // 504 after a cold start; at most 35 s, under CloudFront's default quota of 60 s. Streaming: the longest silence allowed.
              originReadTimeout: exprNumber(
                `${props.streaming} ? ${STREAMING_ORIGIN_TIMEOUT_SECONDS} : ceil(${props.integrationTimeoutMs} / 1000) + ${ORIGIN_READ_SLACK_SECONDS}`,
              ),
              originKeepaliveTimeout: exprNumber(`${props.streaming} ? ${STREAMING_ORIGIN_TIMEOUT_SECONDS} : 5`),
            },
            customHeader: [{ name: ORIGIN_VERIFY_HEADER, value: expr(`sensitive(${address(secret)}[0].output.secret)`) }],
          },
        ],
        defaultCacheBehavior: {
          targetOriginId: originId,
          viewerProtocolPolicy: "https-only",
          allowedMethods: ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
          cachedMethods: ["GET", "HEAD"],
          cachePolicyId: CACHING_DISABLED_POLICY_ID,
          originRequestPolicyId: ALL_VIEWER_EXCEPT_HOST_POLICY_ID,
          responseHeadersPolicyId: expr(`${address(headers)}[0].id`),
          compress: false,
        },
        restrictions: { geoRestriction: { restrictionType: "none" } },
        loggingConfig: { bucket: expr(`${address(logs.bucket)}[0].bucket_domain_name`), prefix: `\${${input.name}}/`, includeCookies: false },
        dependsOn: [logs.ownership],
        viewerCertificate: {
          acmCertificateArn: expr(input.cloudfront_certificate_arn),
          sslSupportMethod: "sni-only",
          minimumProtocolVersion: "TLSv1.2_2021",
        },
      }),
      "this",
    );
  }

}
