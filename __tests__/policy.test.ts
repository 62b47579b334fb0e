import { beforeAll, describe, expect, it } from "vitest";
import { evaluate, synthesized } from "./support/evaluate.js";
import { configurationOf, EXAMPLES as EXAMPLE_FILES, example, outputOf, plan, PlanJson, PlannedResource, resourcesOf, Vars } from "./support/terraform.js";
import { policyExceptions, POLICY_RULES, RULE_IDS } from "./support/policy-rules.js";
import { DISCOVERY_ROUTE_KEYS, OAUTH_ROUTE_KEYS } from "../modules/index.js";

/**
 * The rules of the scanners FedRAMP reviewers run (checkov, trivy, AWS Config
 * conformance packs, Security Hub; see `support/policy-rules.ts`), checked
 * over the plan of every example: values where the plan knows them, the
 * configuration's references where it does not. Each test is named after its
 * rule ids; rules that do not apply are in `docs/policy-exceptions.json`.
 */

/**
 * The routes open by design: the RFC 9728 discovery documents, which clients read before they hold a token, and the
 * authorization front's endpoints (people's sign-in), which are how a client gets one.
 */
const OPEN_ROUTES: readonly string[] = [...DISCOVERY_ROUTE_KEYS, ...OAUTH_ROUTE_KEYS];

/** Rule ids some test below checks (filled as the tests are declared). */
const TESTED = new Set<string>();

/** Declares the test of the scanner rules `ids`, named "<ids> <title>"; every id must be a known rule. */
function rule(ids: string[], title: string, check: () => void | Promise<void>): void {
  for (const id of ids) {
    if (!RULE_IDS.has(id)) throw new Error(`policy test "${title}" names ${id}, which is not in support/policy-rules.ts`);
    TESTED.add(id);
  }
  it(`${ids.join(" / ")} ${title}`, check);
}

const KEY = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\//;
/**
 * Every example, planned. An example that needs a newer provider major than the mirror holds (tenant
 * isolation: 6.x) is planned from that major's build fitted to the mirror, without what the mirror's schema
 * lacks (tenancy_config, held to the 6.x schema by provider-schema.test.ts).
 */
const CASES: { name: string; base: string; overrides: Vars }[] = EXAMPLE_FILES.map((file) => ({ name: file, base: example(file), overrides: {} }));
const EXAMPLES = CASES.map((c) => c.name);
const caseOf = (name: string) => CASES.find((c) => c.name === name)!;
const plans: Record<string, PlanJson> = {};
beforeAll(async () => {
  await Promise.all(CASES.map(async (c) => (plans[c.name] = await plan(c.base, c.overrides))));
});

/** Runs `check` on the plan of every example, naming the example in failures. */
function everyExample(check: (p: PlanJson, name: string) => void): void {
  for (const name of EXAMPLES) check(plans[name], name);
}

/** Instances of `type` across all examples, with their example's name. */
function everyInstance(type: string, check: (values: Record<string, any>, where: string) => void): number {
  let count = 0;
  everyExample((p, name) => {
    for (const r of resourcesOf(p, type)) {
      count += 1;
      check(r.values ?? {}, `${name}: ${r.address}`);
    }
  });
  return count;
}

describe("Lambda", () => {
  rule(["CKV_AWS_50", "AVD-AWS-0066"], "tracing is Active", () => {
    expect(everyInstance("aws_lambda_function", (v, where) => expect(v.tracing_config, where).toEqual([{ mode: "Active" }]))).toBe(EXAMPLES.length);
  });
  rule(["CKV_AWS_117"], "runs in a VPC with subnets and security groups", () => {
    everyInstance("aws_lambda_function", (v, where) => {
      expect(v.vpc_config[0].subnet_ids.length, where).toBeGreaterThan(0);
      expect(v.vpc_config[0].security_group_ids.length, where).toBeGreaterThan(0);
    });
  });
  rule(["CKV_AWS_115"], "reserves concurrency", () => {
    everyInstance("aws_lambda_function", (v, where) => expect(v.reserved_concurrent_executions, where).toBeGreaterThanOrEqual(1));
  });
  rule(["CKV_AWS_173"], "encrypts its environment with the customer key", () => {
    everyInstance("aws_lambda_function", (v, where) => expect(v.kms_key_arn, where).toMatch(KEY));
  });
  rule(["CKV_AWS_301", "CKV_AWS_364"], "invoke permission names API Gateway and this API's source ARN", async () => {
    for (const name of EXAMPLES) {
      const [permission] = resourcesOf(plans[name], "aws_lambda_permission");
      expect(permission.values.principal, name).toBe("apigateway.amazonaws.com");
      const front = resourcesOf(plans[name], "aws_api_gateway_rest_api").length ? "aws_api_gateway_rest_api" : "aws_apigatewayv2_api";
      expect(await evaluate(caseOf(name).base, caseOf(name).overrides, "aws_lambda_permission.api", ["source_arn"]), name).toBe(`<${front}.this.execution_arn>/*`);
    }
  });
});

describe("API Gateway", () => {
  rule(["CKV_AWS_76", "AVD-AWS-0001"], "the stage writes access logs to a log group", () => {
    everyExample((p, name) => {
      const stages = [...resourcesOf(p, "aws_apigatewayv2_stage"), ...resourcesOf(p, "aws_api_gateway_stage")];
      expect(stages, name).toHaveLength(1);
      const configured = configurationOf(p, stages[0].address.replace(/\[0\]$/, "")).expressions.access_log_settings[0];
      expect(configured.destination_arn.references, name).toContain("aws_cloudwatch_log_group.api.arn");
      expect(stages[0].values.access_log_settings[0].format, name).toContain("$context.requestId");
    });
  });
  rule(["CKV_AWS_73", "AVD-AWS-0003"], "the REST stage traces with X-Ray", () => {
    expect(everyInstance("aws_api_gateway_stage", (v, where) => expect(v.xray_tracing_enabled, where).toBe(true))).toBeGreaterThan(0);
  });
  rule(["CKV_AWS_59", "CKV_AWS_309"], "every REST method that reaches the function requires the Cognito authorizer, but the discovery and authorization front methods", () => {
    expect(
      everyInstance("aws_api_gateway_method", (v, where) => {
        if (OPEN_ROUTES.some((key) => where.endsWith(`["${key}"]`))) expect(v.authorization, where).toBe("NONE");
        else {
          expect(v.authorization, where).toBe("COGNITO_USER_POOLS");
          expect(v.authorization_scopes, where).toEqual(["mcp/invoke"]);
        }
      }),
    ).toBeGreaterThan(0);
  });
  rule(["THROTTLE"], "(own rule) REST method settings set rate and burst above zero", () => {
    expect(
      everyInstance("aws_api_gateway_method_settings", (v, where) => {
        expect(v.settings[0].throttling_rate_limit, where).toBeGreaterThan(0);
        expect(v.settings[0].throttling_burst_limit, where).toBeGreaterThan(0);
      }),
    ).toBeGreaterThan(0);
  });
  rule(["CKV_AWS_276"], "REST method settings never turn data trace on (it would log whole requests, tokens included)", () => {
    expect(everyInstance("aws_api_gateway_method_settings", (v, where) => expect([undefined, false], where).toContain(v.settings[0].data_trace_enabled))).toBeGreaterThan(0);
  });
  rule(["CKV_AWS_308"], "no REST method caches data unencrypted", () => {
    expect(
      everyInstance("aws_api_gateway_method_settings", (v, where) => {
        if (v.settings[0].caching_enabled === true) expect(v.settings[0].cache_data_encrypted, where).toBe(true);
      }),
    ).toBeGreaterThan(0);
  });
  rule(["CKV_AWS_217", "CKV_AWS_237"], "the REST API and its deployment are replaced create-before-destroy", () => {
    const resources = synthesized().resource;
    for (const type of ["aws_api_gateway_deployment", "aws_api_gateway_rest_api"])
      expect((resources[type]?.this?.lifecycle as { create_before_destroy?: boolean } | undefined)?.create_before_destroy, type).toBe(true);
  });
  rule(["CKV_AWS_206"], "a custom domain on either front uses the TLS 1.2 security policy", () => {
    const rest = everyInstance("aws_api_gateway_domain_name", (v, where) => expect(v.security_policy, where).toBe("TLS_1_2"));
    const http = everyInstance("aws_apigatewayv2_domain_name", (v, where) => expect(v.domain_name_configuration[0].security_policy, where).toBe("TLS_1_2"));
    expect(rest).toBeGreaterThan(0);
    expect(http).toBeGreaterThan(0);
  });
  rule(["CKV2_AWS_29"], "a REST stage given a web ACL is associated with it", () => {
    let associated = 0;
    everyExample((p, name) => {
      if (!resourcesOf(p, "aws_api_gateway_stage").length) return;
      const acl = p.variables.waf_acl_arn.value;
      const associations = resourcesOf(p, "aws_wafv2_web_acl_association");
      // Without an ACL nothing can be associated: the README and docs/fedramp.md name it the customer's choice (SC-7).
      expect(associations.map((a) => a.values.web_acl_arn), name).toEqual(acl ? [acl] : []);
      associated += associations.length;
    });
    expect(associated).toBeGreaterThan(0);
  });
  rule(["EDGE"], "(own rule) no path to the function skips an edge control: a custom domain turns execute-api off, a truststore makes the domain require client certificates, CloudFront adds the origin secret and reaches the API through the domain", () => {
    let domains = 0;
    everyExample((p, name) => {
      const domain = p.variables.custom_domain_name.value;
      const truststore = p.variables.mtls_truststore_uri.value;
      const [api] = [...resourcesOf(p, "aws_apigatewayv2_api"), ...resourcesOf(p, "aws_api_gateway_rest_api")];
      expect(api.values.disable_execute_api_endpoint, name).toBe(domain !== null);
      const names = [...resourcesOf(p, "aws_apigatewayv2_domain_name"), ...resourcesOf(p, "aws_api_gateway_domain_name")];
      expect(names.length, name).toBe(domain === null ? 0 : 1);
      for (const d of names) {
        domains += 1;
        expect(d.values.mutual_tls_authentication.map((m: { truststore_uri: string }) => m.truststore_uri), name).toEqual(truststore === null ? [] : [truststore]);
      }
      for (const d of resourcesOf(p, "aws_cloudfront_distribution")) {
        expect(d.values.origin[0].custom_header.map((h: { name: string }) => h.name), name).toContain("X-Origin-Verify");
        // CloudFront's origin is the custom domain, so the execute-api URL around it is off.
        expect(api.values.disable_execute_api_endpoint, `${name}: CloudFront with execute-api still on`).toBe(true);
        expect(d.values.origin[0].domain_name, name).toBe(domain);
      }
    });
    expect(domains).toBeGreaterThan(0);
  });
  rule(["CKV_AWS_309"], "every route that reaches the function requires a JWT, but the RFC 9728 discovery routes and the authorization front's", () => {
    everyInstance("aws_apigatewayv2_route", (v, where) => {
      if (OPEN_ROUTES.includes(v.route_key)) {
        // Exception: clients read protected resource metadata before they hold a token (RFC 9728, MCP authorization), and get one from the front.
        expect(v.authorization_type, where).toBe("NONE");
      } else {
        expect(v.authorization_type, where).toBe("JWT");
        expect(v.authorization_scopes, where).toEqual(["mcp/invoke"]);
      }
    });
  });
  rule(["THROTTLE"], "(own rule) rate and burst are above zero on the default and every route setting", () => {
    everyInstance("aws_apigatewayv2_stage", (v, where) => {
      for (const s of [...v.default_route_settings, ...v.route_settings]) {
        expect(s.throttling_rate_limit, where).toBeGreaterThan(0);
        expect(s.throttling_burst_limit, where).toBeGreaterThan(0);
      }
    });
  });
});

describe("CloudWatch and SNS", () => {
  rule(["CKV_AWS_158", "AVD-AWS-0017"], "log groups use the customer key", () => {
    expect(everyInstance("aws_cloudwatch_log_group", (v, where) => expect(v.kms_key_id, where).toMatch(KEY))).toBe(2 * EXAMPLES.length);
  });
  rule(["CKV_AWS_338"], "log groups keep logs at least a year (AU-11)", () => {
    everyInstance("aws_cloudwatch_log_group", (v, where) => expect(v.retention_in_days, where).toBeGreaterThanOrEqual(365));
  });
  rule(["CKV_AWS_319"], "alarms are enabled and have alarm actions", () => {
    everyExample((p, name) => {
      for (const r of resourcesOf(p, "aws_cloudwatch_metric_alarm")) {
        expect(r.values.actions_enabled, name).toBe(true);
        expect(configurationOf(p, r.address.replace(/\[\d+\]$/, "")).expressions.alarm_actions.references, name).toContain("aws_sns_topic.alarms.arn");
      }
    });
  });
  rule(["CKV_AWS_26", "AVD-AWS-0095", "AVD-AWS-0136"], "the topic uses the customer key, not alias/aws/sns", () => {
    everyInstance("aws_sns_topic", (v, where) => expect(v.kms_master_key_id, where).toMatch(KEY));
  });
});

describe("DynamoDB", () => {
  rule(["CKV_AWS_28"], "point-in-time recovery is on", () => {
    expect(everyInstance("aws_dynamodb_table", (v, where) => expect(v.point_in_time_recovery, where).toEqual([{ enabled: true }]))).toBeGreaterThan(0);
  });
  rule(["CKV_AWS_119", "AVD-AWS-0025"], "encrypted with the customer key", () => {
    everyInstance("aws_dynamodb_table", (v, where) => expect(v.server_side_encryption, where).toEqual([{ enabled: true, kms_key_arn: expect.stringMatching(KEY) }]));
  });
  rule(["CKV2_AWS_16"], "capacity scales on demand", () => {
    expect(everyInstance("aws_dynamodb_table", (v, where) => expect(v.billing_mode, where).toBe("PAY_PER_REQUEST"))).toBeGreaterThan(0);
  });
});

describe("ECR", () => {
  rule(["CKV_AWS_51"], "tags are immutable", () => {
    expect(everyInstance("aws_ecr_repository", (v, where) => expect(v.image_tag_mutability, where).toBe("IMMUTABLE"))).toBeGreaterThan(0);
  });
  rule(["CKV_AWS_163"], "images are scanned on push", () => {
    everyInstance("aws_ecr_repository", (v, where) => expect(v.image_scanning_configuration, where).toEqual([{ scan_on_push: true }]));
  });
  rule(["CKV_AWS_136", "AVD-AWS-0033"], "encrypted with the customer key", () => {
    everyInstance("aws_ecr_repository", (v, where) => expect(v.encryption_configuration, where).toEqual([{ encryption_type: "KMS", kms_key: expect.stringMatching(KEY) }]));
  });
});

describe("Cognito", () => {
  rule(["Cognito.1"], "(Security Hub) the module's pool enforces threat protection on the Plus plan and cannot be deleted by accident", () => {
    expect(
      everyInstance("aws_cognito_user_pool", (v, where) => {
        expect(v.deletion_protection, where).toBe("ACTIVE");
        // Neither threat protection nor the AWS Config rule behind Cognito.1 is offered in GovCloud (docs/architecture.md, "AWS GovCloud (US)").
        if (where.startsWith("govcloud:")) return expect(v.user_pool_tier, where).toBe("ESSENTIALS");
        expect(v.user_pool_tier, where).toBe("PLUS");
        expect(v.user_pool_add_ons, where).toEqual([expect.objectContaining({ advanced_security_mode: "ENFORCED" })]);
      }),
    ).toBeGreaterThan(0);
  });
});

describe("CloudFront", () => {
  rule(["CKV_AWS_174"], "viewers need TLS 1.2 or newer", () => {
    expect(everyInstance("aws_cloudfront_distribution", (v, where) => expect(v.viewer_certificate[0].minimum_protocol_version, where).toBe("TLSv1.2_2021"))).toBeGreaterThan(0);
  });
  rule(["CKV_AWS_34"], "viewers are never allowed plain HTTP", () => {
    everyInstance("aws_cloudfront_distribution", (v, where) => expect(v.default_cache_behavior[0].viewer_protocol_policy, where).not.toBe("allow-all"));
  });
  rule(["CKV_AWS_68"], "a web ACL is attached", () => {
    everyInstance("aws_cloudfront_distribution", (v, where) => expect(v.web_acl_id, where).toMatch(/^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\//));
  });
  rule(["CKV_AWS_86"], "access logs go to the module's log bucket", () => {
    everyExample((p, name) => {
      for (const d of resourcesOf(p, "aws_cloudfront_distribution")) {
        const logging = configurationOf(p, "aws_cloudfront_distribution.this").expressions.logging_config[0];
        expect(logging.bucket.references, name).toContain("aws_s3_bucket.cloudfront_logs");
        expect(d.values.logging_config, name).toEqual([expect.objectContaining({ include_cookies: false, prefix: `${p.variables.name.value}/` })]);
      }
    });
  });
  rule(["CKV2_AWS_72", "CKV2_AWS_54"], "the origin is reached over HTTPS only, with TLS 1.2", () => {
    expect(
      everyInstance("aws_cloudfront_distribution", (v, where) => {
        for (const o of v.origin) expect(o.custom_origin_config[0], where).toMatchObject({ origin_protocol_policy: "https-only", origin_ssl_protocols: ["TLSv1.2"] });
      }),
    ).toBeGreaterThan(0);
  });
  rule(["CKV2_AWS_32"], "answers carry the module's security headers: HSTS for a year, no sniffing, framing or referrers (SC-8)", () => {
    let distributions = 0;
    everyExample((p, name) => {
      const policies = resourcesOf(p, "aws_cloudfront_response_headers_policy");
      expect(policies.length, name).toBe(resourcesOf(p, "aws_cloudfront_distribution").length);
      for (const policy of policies) {
        distributions += 1;
        const behavior = configurationOf(p, "aws_cloudfront_distribution.this").expressions.default_cache_behavior[0];
        expect(behavior.response_headers_policy_id.references, name).toContain("aws_cloudfront_response_headers_policy.this");
        const headers = policy.values.security_headers_config[0];
        expect(headers.strict_transport_security[0].access_control_max_age_sec, name).toBeGreaterThanOrEqual(31536000);
        for (const header of ["strict_transport_security", "content_type_options", "frame_options", "referrer_policy"]) expect(headers[header][0].override, `${name}: ${header}`).toBe(true);
      }
    });
    expect(distributions).toBeGreaterThan(0);
  });
});

describe("S3 (CloudFront's access-log bucket)", () => {
  /** Every instance of the bucket companion `type`, checked to be one per bucket and pointed at it. */
  function perBucket(type: string, check: (values: Record<string, any>, where: string) => void): void {
    let buckets = 0;
    everyExample((p, name) => {
      const instances = resourcesOf(p, type);
      buckets += resourcesOf(p, "aws_s3_bucket").length;
      expect(instances.length, `${name}: ${type}`).toBe(resourcesOf(p, "aws_s3_bucket").length);
      for (const r of instances) {
        expect(configurationOf(p, r.address.replace(/\[0\]$/, "")).expressions.bucket.references, name).toContain("aws_s3_bucket.cloudfront_logs");
        check(r.values, `${name}: ${r.address}`);
      }
    });
    expect(buckets).toBeGreaterThan(0);
  }
  rule(["CKV_AWS_145"], "encrypted by default with the customer key (SC-28)", () => {
    perBucket("aws_s3_bucket_server_side_encryption_configuration", (v, where) =>
      expect(v.rule, where).toEqual([expect.objectContaining({ apply_server_side_encryption_by_default: [{ sse_algorithm: "aws:kms", kms_master_key_id: expect.stringMatching(KEY) }] })]),
    );
  });
  rule(["CKV2_AWS_6"], "public access is blocked", () => {
    perBucket("aws_s3_bucket_public_access_block", (v, where) =>
      expect(v, where).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true }),
    );
  });
  rule(["CKV_AWS_21"], "versioning is on", () => {
    perBucket("aws_s3_bucket_versioning", (v, where) => expect(v.versioning_configuration, where).toEqual([expect.objectContaining({ status: "Enabled" })]));
  });
  rule(["CKV2_AWS_61"], "logs expire with the log groups' retention, at least a year (AU-11)", () => {
    perBucket("aws_s3_bucket_lifecycle_configuration", (v, where) => {
      expect(v.rule[0].status, where).toBe("Enabled");
      expect(v.rule[0].expiration[0].days, where).toBeGreaterThanOrEqual(365);
    });
  });
});

/** Resource attributes that hold IAM policy documents. */
const POLICY_ATTRIBUTES: Record<string, string> = {
  aws_iam_role: "assume_role_policy",
  aws_iam_role_policy: "policy",
  aws_iam_policy: "policy",
  aws_sns_topic_policy: "policy",
  aws_s3_bucket_policy: "policy",
};
interface Statement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Action: string | string[];
  Resource?: string | string[];
  Principal?: unknown;
  Condition?: unknown;
}
const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
/** Actions that only read, by IAM's naming. */
const READS = /^[a-z0-9-]+:(Describe|Get|List)[A-Za-z]*$/;
/** X-Ray's writes of the function's traces, which support no resource-level permissions. */
const X_RAY_WRITES = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"];

/** Every IAM policy document of the configuration, evaluated for every example (the IAM rules and CKV_AWS_290's exception read them). */
const documents: { example: string; where: string; type: string; statements: Statement[]; kmsKeyArn: string }[] = [];
beforeAll(async () => {
  const { resource } = synthesized();
  const pendingDocuments: Promise<(typeof documents)[number]>[] = [];
  for (const name of EXAMPLES) {
    const kmsKeyArn = (resourcesOf(plans[name], "aws_lambda_function")[0].values.kms_key_arn as string) ?? "";
    for (const [type, instances] of Object.entries(resource)) {
      const attribute = POLICY_ATTRIBUTES[type];
      if (!attribute) continue;
      for (const instance of Object.keys(instances)) {
        // Asked for together, so that one plan per example evaluates them all.
        pendingDocuments.push(
          evaluate(caseOf(name).base, caseOf(name).overrides, `${type}.${instance}`, [attribute]).then((json) => ({ example: name, where: `${name}: ${type}.${instance}`, type, statements: list(JSON.parse(json as string).Statement), kmsKeyArn })),
        );
      }
    }
  }
  documents.push(...(await Promise.all(pendingDocuments)));
});

describe("IAM: every policy document in the configuration, evaluated for every example", () => {
  it("finds every policy document: each resource type holding one is read by these rules", () => {
    const holders = Object.entries(synthesized().resource).flatMap(([type, instances]) =>
      Object.values(instances).some((v) => "policy" in v || "assume_role_policy" in v) ? [type] : [],
    );
    // ECR lifecycle policies are image expiry rules, not IAM documents.
    for (const type of holders.filter((t) => t !== "aws_ecr_lifecycle_policy")) expect(POLICY_ATTRIBUTES, type).toHaveProperty(type);
    expect(documents.length).toBeGreaterThanOrEqual(4 * EXAMPLES.length);
  });

  rule(["CKV_AWS_63", "CKV2_AWS_40"], "no allowed action contains *", () => {
    for (const d of documents)
      for (const s of d.statements.filter((s) => s.Effect === "Allow")) for (const a of list(s.Action)) expect(a, `${d.where} ${s.Sid}`).not.toContain("*");
  });

  rule(["CKV_AWS_355"], 'Resource "*" only for actions that support no resource-level permissions', () => {
    const unscopable = new Set(["ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets", ...X_RAY_WRITES]);
    for (const d of documents)
      for (const s of d.statements.filter((s) => s.Effect === "Allow" && list(s.Resource).includes("*")))
        for (const a of list(s.Action)) expect(unscopable.has(a), `${d.where} ${s.Sid}: ${a} on "*"`).toBe(true);
  });

  rule(["CKV_AWS_60", "CKV_AWS_61"], "trust policies name a service or one role, never * or an account root", () => {
    const trusts = documents.filter((d) => d.type === "aws_iam_role");
    expect(trusts.length).toBeGreaterThanOrEqual(EXAMPLES.length);
    for (const d of trusts)
      for (const s of d.statements) {
        if (d.where.endsWith("aws_iam_role.tenant_access")) expect(s.Principal, d.where).toEqual({ AWS: "<aws_iam_role.lambda.arn>" });
        else if (d.where.endsWith("aws_iam_role.api_gateway_cloudwatch")) expect(s.Principal, d.where).toEqual({ Service: "apigateway.amazonaws.com" });
        else expect(s.Principal, d.where).toEqual({ Service: "lambda.amazonaws.com" });
      }
  });

  it("tenant rows: the tenant-access role may touch only items whose partition key is its tenant tag", () => {
    const grants = documents.filter((d) => d.where.endsWith("aws_iam_role_policy.tenant_access"));
    expect(grants.length).toBe(EXAMPLES.length);
    expect(grants.flatMap((d) => d.statements).filter((s) => list(s.Action).some((a) => a.startsWith("dynamodb:"))).length).toBe(EXAMPLES.length);
    for (const d of grants)
      for (const s of d.statements.filter((s) => list(s.Action).some((a) => a.startsWith("dynamodb:"))))
        expect((s as Statement & { Condition?: unknown }).Condition, d.where).toEqual({ "ForAllValues:StringEquals": { "dynamodb:LeadingKeys": ["${aws:PrincipalTag/tenant_id}"] } });
  });

  rule(["IAM_BLOCKED_KMS_ACTIONS"], "(FedRAMP pack IAM_*_BLOCKED_KMS_ACTIONS) kms:Decrypt is allowed only on the customer key", () => {
    let seen = 0;
    for (const d of documents)
      for (const s of d.statements.filter((s) => s.Effect === "Allow" && list(s.Action).includes("kms:Decrypt"))) {
        seen += 1;
        expect(list(s.Resource), d.where).toEqual([d.kmsKeyArn]);
      }
    expect(seen).toBeGreaterThanOrEqual(EXAMPLES.length);
  });
});

/**
 * What would make each excepted rule apply, read from one example's plan (and
 * its policy documents): the offending resources' addresses, or statements'
 * actions (empty while the exception holds).
 */
const EXCEPTION_APPLIES: Record<string, (p: PlanJson, example: string) => string[]> = {
  CKV_AWS_116: (p) => [
    ...resourcesOf(p, "aws_lambda_event_source_mapping"),
    ...resourcesOf(p, "aws_lambda_function_event_invoke_config"),
    ...resourcesOf(p, "aws_sns_topic_subscription").filter((r) => r.values.protocol === "lambda"),
    ...resourcesOf(p, "aws_lambda_permission").filter((r) => r.values.principal !== "apigateway.amazonaws.com"),
  ].map((r) => r.address),
  CKV_AWS_272: (p) => addressesOf(p, "aws_lambda_function", (v) => v.package_type !== "Image"),
  CKV2_AWS_31: ownWebAcls,
  CKV_AWS_120: caches,
  CKV_AWS_225: caches,
  CKV2_AWS_4: (p) => addressesOf(p, "aws_api_gateway_method_settings", (v) => ![undefined, "OFF"].includes(v.settings[0].logging_level)),
  CKV2_AWS_51: otherIntegrations,
  CKV2_AWS_53: (p) => [...otherIntegrations(p), ...addressesOf(p, "aws_api_gateway_method", (v) => Object.keys(v.request_models ?? {}).length > 0)],
  CKV_AWS_290: (_p, example) =>
    documents
      .filter((d) => d.example === example)
      .flatMap((d) =>
        d.statements
          .filter((s) => s.Effect === "Allow" && list(s.Resource).includes("*") && s.Condition === undefined)
          .flatMap((s) => list(s.Action).filter((a) => !READS.test(a) && !X_RAY_WRITES.includes(a)).map((a) => `${d.where} ${s.Sid}: ${a}`)),
      ),
  CKV_AWS_305: (p) => addressesOf(p, "aws_cloudfront_distribution", (v) => v.origin.some((o: { s3_origin_config: unknown[] }) => o.s3_origin_config.length > 0)),
  CKV_AWS_310: (p) => addressesOf(p, "aws_cloudfront_distribution", (v) => v.origin.length > 1),
  CKV_AWS_374: (p) => addressesOf(p, "aws_cloudfront_distribution", (v) => v.restrictions[0].geo_restriction[0].restriction_type !== "none"),
  CKV2_AWS_47: ownWebAcls,
  CKV_AWS_18: otherBuckets,
  CKV_AWS_144: otherBuckets,
  CKV2_AWS_62: otherBuckets,
};
/** Addresses of the planned instances of `type` whose values pass `test` (all of them without one). */
function addressesOf(p: PlanJson, type: string, test: (values: Record<string, any>) => boolean = () => true): string[] {
  return resourcesOf(p, type)
    .filter((r) => test(r.values))
    .map((r) => r.address);
}
/** Web ACLs the module would create itself (it attaches the caller's). */
function ownWebAcls(p: PlanJson): string[] {
  return addressesOf(p, "aws_wafv2_web_acl");
}
/** REST stages with a cache cluster and method settings that cache. */
function caches(p: PlanJson): string[] {
  return [
    ...addressesOf(p, "aws_api_gateway_stage", (v) => v.cache_cluster_enabled === true),
    ...addressesOf(p, "aws_api_gateway_method_settings", (v) => v.settings[0].caching_enabled === true),
  ];
}
/** Integrations of either front that are not the function's Lambda proxy integration. */
function otherIntegrations(p: PlanJson): string[] {
  return [
    ...addressesOf(p, "aws_api_gateway_integration", (v) => v.type !== "AWS_PROXY"),
    ...addressesOf(p, "aws_apigatewayv2_integration", (v) => v.integration_type !== "AWS_PROXY"),
  ];
}
function otherBuckets(p: PlanJson): string[] {
  return resourcesOf(p, "aws_s3_bucket").filter((r: PlannedResource) => r.address !== "aws_s3_bucket.cloudfront_logs[0]").map((r) => r.address);
}

describe("exceptions: docs/policy-exceptions.json", () => {
  const exceptions = policyExceptions();
  it("names only rules of the catalogue, each once, with a reason and what would make it apply", () => {
    expect(exceptions.length).toBeGreaterThan(0);
    expect(new Set(exceptions.map((e) => e.rule)).size).toBe(exceptions.length);
    for (const e of exceptions) {
      expect(Object.keys(POLICY_RULES), `${e.rule} is excepted but is no rule the suite knows`).toContain(e.rule);
      expect(e.reason.length, e.rule).toBeGreaterThan(40);
      expect(e.applies_when.length, e.rule).toBeGreaterThan(10);
      expect(EXCEPTION_APPLIES, `${e.rule}: no check of when it would apply`).toHaveProperty(e.rule);
    }
    expect(Object.keys(EXCEPTION_APPLIES).sort()).toEqual(exceptions.map((e) => e.rule).sort());
  });
  it.each(exceptions.map((e) => [e.rule, e.applies_when]))("%s still does not apply: no example's plan has %s", (id) => {
    let resources = 0;
    everyExample((p, name) => {
      resources += p.planned_values.root_module.resources.length;
      expect(EXCEPTION_APPLIES[id](p, name), `${name}: ${id} now applies`).toEqual([]);
    });
    expect(resources).toBeGreaterThan(0);
  });
  it("every rule of the catalogue has a test or an exception, never both", () => {
    const excepted = new Set(exceptions.map((e) => e.rule));
    for (const id of Object.keys(POLICY_RULES)) {
      expect(TESTED.has(id) || excepted.has(id), `${id} has neither a test nor an exception`).toBe(true);
      expect(TESTED.has(id) && excepted.has(id), `${id} is both tested and excepted`).toBe(false);
    }
  });
});

/** The key policy statement each kind of resource encrypted with the customer key needs, by the service that uses the key for it. */
const KEY_USERS: { type: string; service: (region: string) => string; context: string; arn: (r: PlannedResource, at: { partition: string; region: string; account: string }) => string }[] = [
  {
    type: "aws_cloudwatch_log_group",
    service: (region) => `logs.${region}.amazonaws.com`,
    context: "kms:EncryptionContext:aws:logs:arn",
    arn: (r, at) => `arn:${at.partition}:logs:${at.region}:${at.account}:log-group:${r.values.name}`,
  },
  {
    type: "aws_sns_topic",
    service: () => "cloudwatch.amazonaws.com",
    context: "kms:EncryptionContext:aws:sns:topicArn",
    arn: (r, at) => `arn:${at.partition}:sns:${at.region}:${at.account}:${r.values.name}`,
  },
  {
    type: "aws_s3_bucket",
    service: () => "delivery.logs.amazonaws.com",
    context: "kms:EncryptionContext:aws:s3:arn",
    arn: (r, at) => `arn:${at.partition}:s3:::${r.values.bucket}`,
  },
];

/**
 * Resources that use the key through grants, made with the deployer's or the
 * function role's IAM permissions: the key policy needs only delegate to IAM
 * (the default key policy does). The bucket's encryption setting names the
 * key for S3, whose writer (log delivery) is covered by the aws_s3_bucket entry above.
 */
const GRANT_USERS = ["aws_lambda_function", "aws_dynamodb_table", "aws_ecr_repository", "aws_s3_bucket_server_side_encryption_configuration"];

describe("KMS: the kms_key_policy_statements output", () => {
  it("knows every resource type that names the key", () => {
    everyExample((p, name) => {
      const key = p.variables.kms_key_arn.value as string;
      const users = p.planned_values.root_module.resources.filter((r) => JSON.stringify(r.values ?? {}).includes(key)).map((r) => r.type);
      for (const type of users) expect([...KEY_USERS.map((u) => u.type), ...GRANT_USERS], `${name}: ${type} uses the key`).toContain(type);
      expect(users, name).toContain("aws_cloudwatch_log_group");
    });
  });
  it("lets every service that writes with the key do so for each resource the plan creates, and for nothing else", () => {
    let covered = 0;
    everyExample((p, name) => {
      const statements = JSON.parse(outputOf(p, "kms_key_policy_statements") as string) as Record<string, any>[];
      const region = p.variables.region.value as string;
      // The key's ARN names the partition and the account, as it does for the module.
      const [, partition, , , account] = (p.variables.kms_key_arn.value as string).split(":");
      const needed = new Map<string, string[]>();
      for (const user of KEY_USERS)
        for (const r of resourcesOf(p, user.type)) {
          const key = `${user.service(region)} ${user.context}`;
          needed.set(key, [...(needed.get(key) ?? []), user.arn(r, { partition, region, account })]);
        }
      const granted = new Map<string, string[]>();
      for (const s of statements) {
        const [conditionValues] = Object.values(s.Condition) as Record<string, string | string[]>[];
        for (const [context, arns] of Object.entries(conditionValues)) granted.set(`${s.Principal.Service} ${context}`, list(arns));
        expect(s.Resource, `${name}: ${s.Sid}`).toBe("*");
        for (const a of list<string>(s.Action)) expect(a, `${name}: ${s.Sid}`).toMatch(/^kms:[A-Za-z]+$/);
      }
      expect([...granted.keys()].sort(), name).toEqual([...needed.keys()].sort());
      for (const [key, arns] of needed) {
        expect(granted.get(key)!.sort(), `${name}: ${key}`).toEqual(arns.sort());
        covered += arns.length;
      }
    });
    expect(covered).toBeGreaterThanOrEqual(3 * EXAMPLES.length);
  });
});
