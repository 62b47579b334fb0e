import { beforeAll, describe, expect, it } from "vitest";
import { evaluate, synthesized } from "./support/evaluate.js";
import { configurationOf, example, plan, plannableExamples, PlanJson, resourcesOf } from "./support/terraform.js";
import { DISCOVERY_ROUTE_KEYS } from "../modules/index.js";

/**
 * The rules of the scanners FedRAMP reviewers run (checkov, trivy, AWS Config
 * conformance packs; see controls.md) that apply to the resources of the HTTP
 * front, checked over the plan of every example: values where the plan knows
 * them, the configuration's references where it does not.
 */

const KEY = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\//;
/** Every example the offline provider can plan; rest-isolated needs 6.x and is checked by synth.test.ts. */
const EXAMPLES = plannableExamples();
const plans: Record<string, PlanJson> = {};
beforeAll(async () => {
  await Promise.all(EXAMPLES.map(async (name) => (plans[name] = await plan(example(name)))));
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
  it("CKV_AWS_50 / AVD-AWS-0066 tracing is Active", () => {
    expect(everyInstance("aws_lambda_function", (v, where) => expect(v.tracing_config, where).toEqual([{ mode: "Active" }]))).toBe(EXAMPLES.length);
  });
  it("CKV_AWS_117 runs in a VPC with subnets and security groups", () => {
    everyInstance("aws_lambda_function", (v, where) => {
      expect(v.vpc_config[0].subnet_ids.length, where).toBeGreaterThan(0);
      expect(v.vpc_config[0].security_group_ids.length, where).toBeGreaterThan(0);
    });
  });
  it("CKV_AWS_115 reserves concurrency", () => {
    everyInstance("aws_lambda_function", (v, where) => expect(v.reserved_concurrent_executions, where).toBeGreaterThanOrEqual(1));
  });
  it("CKV_AWS_173 encrypts its environment with the customer key", () => {
    everyInstance("aws_lambda_function", (v, where) => expect(v.kms_key_arn, where).toMatch(KEY));
  });
  it("CKV_AWS_301 / CKV_AWS_364 invoke permission names API Gateway and this API's source ARN", async () => {
    for (const name of EXAMPLES) {
      const [permission] = resourcesOf(plans[name], "aws_lambda_permission");
      expect(permission.values.principal, name).toBe("apigateway.amazonaws.com");
      const front = resourcesOf(plans[name], "aws_api_gateway_rest_api").length ? "aws_api_gateway_rest_api" : "aws_apigatewayv2_api";
      expect(await evaluate(example(name), {}, "aws_lambda_permission.api", ["source_arn"]), name).toBe(`<${front}.this.execution_arn>/*`);
    }
  });
});

describe("API Gateway", () => {
  it("CKV_AWS_76 / AVD-AWS-0001 the stage writes access logs to a log group", () => {
    everyExample((p, name) => {
      const stages = [...resourcesOf(p, "aws_apigatewayv2_stage"), ...resourcesOf(p, "aws_api_gateway_stage")];
      expect(stages, name).toHaveLength(1);
      const configured = configurationOf(p, stages[0].address.replace(/\[0\]$/, "")).expressions.access_log_settings[0];
      expect(configured.destination_arn.references, name).toContain("aws_cloudwatch_log_group.api.arn");
      expect(stages[0].values.access_log_settings[0].format, name).toContain("$context.requestId");
    });
  });
  it("CKV_AWS_73 / AVD-AWS-0003 the REST stage traces with X-Ray", () => {
    expect(everyInstance("aws_api_gateway_stage", (v, where) => expect(v.xray_tracing_enabled, where).toBe(true))).toBeGreaterThan(0);
  });
  it("CKV_AWS_309 every REST method that reaches the function requires the Cognito authorizer, but the discovery methods", () => {
    expect(
      everyInstance("aws_api_gateway_method", (v, where) => {
        if (where.includes("well-known")) expect(v.authorization, where).toBe("NONE");
        else {
          expect(v.authorization, where).toBe("COGNITO_USER_POOLS");
          expect(v.authorization_scopes, where).toEqual(["mcp/invoke"]);
        }
      }),
    ).toBeGreaterThan(0);
  });
  it("THROTTLE (own rule) REST method settings set rate and burst above zero", () => {
    expect(
      everyInstance("aws_api_gateway_method_settings", (v, where) => {
        expect(v.settings[0].throttling_rate_limit, where).toBeGreaterThan(0);
        expect(v.settings[0].throttling_burst_limit, where).toBeGreaterThan(0);
      }),
    ).toBeGreaterThan(0);
  });
  it("CKV2_AWS_29 a REST stage given a web ACL is associated with it", () => {
    everyExample((p, name) => {
      if (!resourcesOf(p, "aws_api_gateway_stage").length || resourcesOf(p, "aws_cloudfront_distribution").length) return;
      const hasWaf = resourcesOf(p, "aws_wafv2_web_acl_association").length > 0;
      expect(hasWaf, name).toBe(name.includes("waf"));
    });
  });
  it("CKV_AWS_309 every route that reaches the function requires a JWT, but the RFC 9728 discovery routes", () => {
    everyInstance("aws_apigatewayv2_route", (v, where) => {
      if ((DISCOVERY_ROUTE_KEYS as readonly string[]).includes(v.route_key)) {
        // Exception: clients read protected resource metadata before they hold a token (RFC 9728, MCP authorization).
        expect(v.authorization_type, where).toBe("NONE");
      } else {
        expect(v.authorization_type, where).toBe("JWT");
        expect(v.authorization_scopes, where).toEqual(["mcp/invoke"]);
      }
    });
  });
  it("THROTTLE (own rule) rate and burst are above zero on the default and every route setting", () => {
    everyInstance("aws_apigatewayv2_stage", (v, where) => {
      for (const s of [...v.default_route_settings, ...v.route_settings]) {
        expect(s.throttling_rate_limit, where).toBeGreaterThan(0);
        expect(s.throttling_burst_limit, where).toBeGreaterThan(0);
      }
    });
  });
});

describe("CloudWatch and SNS", () => {
  it("CKV_AWS_158 / AVD-AWS-0017 log groups use the customer key", () => {
    expect(everyInstance("aws_cloudwatch_log_group", (v, where) => expect(v.kms_key_id, where).toMatch(KEY))).toBe(2 * EXAMPLES.length);
  });
  it("CKV_AWS_338 log groups keep logs at least a year (AU-11)", () => {
    everyInstance("aws_cloudwatch_log_group", (v, where) => expect(v.retention_in_days, where).toBeGreaterThanOrEqual(365));
  });
  it("CKV_AWS_319 alarms are enabled and have alarm actions", () => {
    everyExample((p, name) => {
      for (const r of resourcesOf(p, "aws_cloudwatch_metric_alarm")) {
        expect(r.values.actions_enabled, name).toBe(true);
        expect(configurationOf(p, r.address).expressions.alarm_actions.references, name).toContain("aws_sns_topic.alarms.arn");
      }
    });
  });
  it("CKV_AWS_26 / AVD-AWS-0095 / AVD-AWS-0136 the topic uses the customer key, not alias/aws/sns", () => {
    everyInstance("aws_sns_topic", (v, where) => expect(v.kms_master_key_id, where).toMatch(KEY));
  });
});

describe("DynamoDB", () => {
  it("CKV_AWS_28 point-in-time recovery is on", () => {
    expect(everyInstance("aws_dynamodb_table", (v, where) => expect(v.point_in_time_recovery, where).toEqual([{ enabled: true }]))).toBeGreaterThan(0);
  });
  it("CKV_AWS_119 / AVD-AWS-0025 encrypted with the customer key", () => {
    everyInstance("aws_dynamodb_table", (v, where) => expect(v.server_side_encryption, where).toEqual([{ enabled: true, kms_key_arn: expect.stringMatching(KEY) }]));
  });
});

describe("ECR", () => {
  it("CKV_AWS_51 tags are immutable", () => {
    expect(everyInstance("aws_ecr_repository", (v, where) => expect(v.image_tag_mutability, where).toBe("IMMUTABLE"))).toBeGreaterThan(0);
  });
  it("CKV_AWS_163 images are scanned on push", () => {
    everyInstance("aws_ecr_repository", (v, where) => expect(v.image_scanning_configuration, where).toEqual([{ scan_on_push: true }]));
  });
  it("CKV_AWS_136 / AVD-AWS-0033 encrypted with the customer key", () => {
    everyInstance("aws_ecr_repository", (v, where) => expect(v.encryption_configuration, where).toEqual([{ encryption_type: "KMS", kms_key: expect.stringMatching(KEY) }]));
  });
});

describe("Cognito", () => {
  it("Security Hub Cognito.1 (deletion protection) the module's pool cannot be deleted by accident", () => {
    expect(everyInstance("aws_cognito_user_pool", (v, where) => expect(v.deletion_protection, where).toBe("ACTIVE"))).toBeGreaterThan(0);
  });
});

describe("CloudFront", () => {
  it("CKV_AWS_174 viewers need TLS 1.2 or newer", () => {
    expect(everyInstance("aws_cloudfront_distribution", (v, where) => expect(v.viewer_certificate[0].minimum_protocol_version, where).toBe("TLSv1.2_2021"))).toBeGreaterThan(0);
  });
  it("CKV_AWS_34 viewers are never allowed plain HTTP", () => {
    everyInstance("aws_cloudfront_distribution", (v, where) => expect(v.default_cache_behavior[0].viewer_protocol_policy, where).not.toBe("allow-all"));
  });
  it("CKV_AWS_68 a web ACL is attached", () => {
    everyInstance("aws_cloudfront_distribution", (v, where) => expect(v.web_acl_id, where).toMatch(/^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\//));
  });
});

/** Resource attributes that hold IAM policy documents. */
const POLICY_ATTRIBUTES: Record<string, string> = {
  aws_iam_role: "assume_role_policy",
  aws_iam_role_policy: "policy",
  aws_iam_policy: "policy",
  aws_sns_topic_policy: "policy",
};
interface Statement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Action: string | string[];
  Resource?: string | string[];
  Principal?: unknown;
}
const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

describe("IAM: every policy document in the configuration, evaluated for every example", () => {
  const documents: { where: string; type: string; statements: Statement[]; kmsKeyArn: string }[] = [];
  beforeAll(async () => {
    const { resource } = synthesized();
    for (const name of EXAMPLES) {
      const kmsKeyArn = (resourcesOf(plans[name], "aws_lambda_function")[0].values.kms_key_arn as string) ?? "";
      for (const [type, instances] of Object.entries(resource)) {
        const attribute = POLICY_ATTRIBUTES[type];
        if (!attribute) continue;
        for (const instance of Object.keys(instances)) {
          const json = (await evaluate(example(name), {}, `${type}.${instance}`, [attribute])) as string;
          documents.push({ where: `${name}: ${type}.${instance}`, type, statements: list(JSON.parse(json).Statement), kmsKeyArn });
        }
      }
    }
  });

  it("finds every policy document: each resource type holding one is read by these rules", () => {
    const holders = Object.entries(synthesized().resource).flatMap(([type, instances]) =>
      Object.values(instances).some((v) => "policy" in v || "assume_role_policy" in v) ? [type] : [],
    );
    // ECR lifecycle policies are image expiry rules, not IAM documents.
    for (const type of holders.filter((t) => t !== "aws_ecr_lifecycle_policy")) expect(POLICY_ATTRIBUTES, type).toHaveProperty(type);
    expect(documents.length).toBeGreaterThanOrEqual(4 * EXAMPLES.length);
  });

  it("CKV_AWS_63 / CKV2_AWS_40 no allowed action contains *", () => {
    for (const d of documents)
      for (const s of d.statements.filter((s) => s.Effect === "Allow")) for (const a of list(s.Action)) expect(a, `${d.where} ${s.Sid}`).not.toContain("*");
  });

  it('CKV_AWS_355 Resource "*" only for actions that support no resource-level permissions', () => {
    const unscopable = new Set(["ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets", "xray:PutTraceSegments", "xray:PutTelemetryRecords"]);
    for (const d of documents)
      for (const s of d.statements.filter((s) => s.Effect === "Allow" && list(s.Resource).includes("*")))
        for (const a of list(s.Action)) expect(unscopable.has(a), `${d.where} ${s.Sid}: ${a} on "*"`).toBe(true);
  });

  it("CKV_AWS_60 / CKV_AWS_61 trust policies name a service or one role, never * or an account root", () => {
    const trusts = documents.filter((d) => d.type === "aws_iam_role");
    expect(trusts.length).toBeGreaterThanOrEqual(EXAMPLES.length);
    for (const d of trusts)
      for (const s of d.statements) {
        if (d.where.endsWith("aws_iam_role.tenant_access")) expect(s.Principal, d.where).toEqual({ AWS: "<aws_iam_role.lambda.arn>" });
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

  it("FedRAMP IAM_*_BLOCKED_KMS_ACTIONS kms:Decrypt is allowed only on the customer key", () => {
    let seen = 0;
    for (const d of documents)
      for (const s of d.statements.filter((s) => s.Effect === "Allow" && list(s.Action).includes("kms:Decrypt"))) {
        seen += 1;
        expect(list(s.Resource), d.where).toEqual([d.kmsKeyArn]);
      }
    expect(seen).toBeGreaterThanOrEqual(EXAMPLES.length);
  });
});
