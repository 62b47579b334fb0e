import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { App, TerraformStack, Testing } from "../modules/framework.js";
import { later, local } from "../modules/expressions.js";
import { inputRules, inputWarnings } from "../modules/input-rules.js";
import { awsProviderMajor, INPUTS, McpServerStack, OUTPUTS, STREAMING_MIN_PROVIDER, TENANCY_MIN_PROVIDER, USE_FIPS_ENDPOINT } from "../modules/index.js";
import type { AwsProviderMajor } from "../modules/index.js";
import { renderReadme } from "../scripts/render-docs.js";
import { ROOT } from "./support/terraform-workdir.js";

/** The synthesized configuration of a fresh app and stack. */
function synth(major: AwsProviderMajor): any {
  const app = Testing.app();
  return JSON.parse(Testing.synth(new McpServerStack(app, "mcp-server", { awsProviderMajor: major })));
}

describe.each([5, 6] as const)("synthesized for hashicorp/aws %i.x", (major) => {
  const config = synth(major);

  it("pins the provider range of that major and a Terraform that knows check blocks", () => {
    expect(config.terraform.required_providers.aws).toEqual({
      source: "hashicorp/aws",
      version: major === 6 ? ">= 6.26.0, < 7.0.0" : ">= 5.100.0, < 6.0.0",
    });
    expect(config.terraform.required_version).toBe(">= 1.5.0");
  });

  it("configures the root provider's region and FIPS endpoints from the inputs (SC-13)", () => {
    expect(config.provider.aws).toEqual([{ region: "${var.region}", use_fips_endpoint: `\${${USE_FIPS_ENDPOINT}}` }]);
    expect(USE_FIPS_ENDPOINT).toContain("var.use_fips_endpoints");
  });

  it("keeps state at the project root by a relative path (portable clones)", () => {
    expect(config.terraform.backend).toEqual({ local: { path: "../../../terraform.mcp-server.tfstate" } });
  });

  it("reads the region attribute that provider major has", () => {
    const rules = JSON.stringify(config.resource.terraform_data.input_rules.lifecycle);
    expect(rules).toContain(major === 6 ? "data.aws_region.current.region" : "data.aws_region.current.name");
  });

  it(major === 6 ? "configures tenancy_config (PER_TENANT) exactly when enable_tenant_isolation" : "never configures tenancy_config (5.x has no such argument)", () => {
    const fn = config.resource.aws_lambda_function.this;
    expect(fn).not.toHaveProperty("tenancy_config");
    if (major === 6) {
      expect(fn.dynamic.tenancy_config).toEqual({ for_each: "${var.enable_tenant_isolation ? [1] : []}", content: { tenant_isolation_mode: "PER_TENANT" } });
    } else {
      expect(fn).not.toHaveProperty("dynamic");
    }
  });

  it("lets no create-before-destroy resource depend on the function, so a replaced function is destroyed before it is created again (Lambda refuses a second one of the same name)", () => {
    const resources: Record<string, Record<string, { lifecycle?: { create_before_destroy?: boolean }; depends_on?: string[] }>> = config.resource;
    const referencesOf = (address: string): string[] => {
      const [type, name] = address.split(".");
      const { "//": _metadata, ...body } = resources[type][name] as Record<string, unknown>;
      const text = JSON.stringify(body);
      // References to locals are followed to what they name.
      const locals = [...text.matchAll(/\blocal\.([a-z0-9_]+)/g)].map((m) => JSON.stringify(config.locals[m[1]]));
      return [...`${text}${locals.join("")}`.matchAll(/\b(aws_[a-z0-9_]+)\.([a-z0-9_]+)\b/g)].map((m) => `${m[1]}.${m[2]}`).filter((a) => resources[a.split(".")[0]]?.[a.split(".")[1]]);
    };
    const reached = new Set<string>();
    const pending = Object.entries(resources).flatMap(([type, byName]) => Object.entries(byName).filter(([, r]) => r.lifecycle?.create_before_destroy).map(([name]) => `${type}.${name}`));
    expect(pending.length).toBeGreaterThan(0);
    for (let next = pending.pop(); next; next = pending.pop()) {
      if (reached.has(next)) continue;
      reached.add(next);
      pending.push(...referencesOf(next));
    }
    expect([...reached]).toContain("aws_api_gateway_integration.this");
    expect([...reached]).not.toContain("aws_lambda_function.this");
    // The integrations name the function by its ARN, built from its name.
    expect(config.locals.function_invoke_arn).toMatch(/:lambda:path\/.*\/functions\/arn:.*:function:\$\{var\.name\}\/.*invocations/);
  });

  it("replaces the invoke permission whenever the function is replaced (its id is unknown only then)", () => {
    expect(config.resource.aws_lambda_permission.api.lifecycle).toEqual({ replace_triggered_by: ["aws_lambda_function.this.id"] });
  });

  it("maps X-Amz-Tenant-Id from the verified tenant claim on the REST integrations under isolation, never from a client header", () => {
    const parameters = config.resource.aws_api_gateway_integration.this.request_parameters as string;
    expect(parameters).toBe(
      '${var.enable_tenant_isolation ? { "integration.request.header.X-Amz-Tenant-Id" = each.value.authorized ? "context.authorizer.claims.${var.tenant_claim}" : "\'.well-known\'" } : {}}',
    );
    expect(parameters).not.toContain("method.request.header");
  });

  it("keeps every rule that combines inputs in one place, terraform_data.input_rules (warnings as checks), and no resource carries one of its own", () => {
    const where = { partition: "P", region: "R", dnsSuffix: "D", account: "A", govCloud: "G" };
    const rules = inputRules(where, major);
    expect(config.resource.terraform_data.input_rules.lifecycle.precondition).toHaveLength(rules.length);
    const guarded = Object.entries(config.resource as Record<string, Record<string, { lifecycle?: { precondition?: unknown[] } }>>).flatMap(([type, instances]) =>
      Object.entries(instances).filter(([, r]) => r.lifecycle?.precondition).map(([name]) => `${type}.${name}`),
    );
    expect(guarded).toEqual(["terraform_data.input_rules"]);
    expect(Object.keys(config.check).sort()).toEqual(Object.keys(inputWarnings(where)).sort());
  });

  it("refuses tenant isolation in AWS GovCloud (US) by one rule: its other rules hold there behind the REST front", () => {
    const where = { partition: "P", region: "R", dnsSuffix: "D", account: "A", govCloud: "G" };
    const isolation = inputRules(where, major).filter((rule) => rule.input === "enable_tenant_isolation");
    const govCloud = isolation.filter((rule) => rule.message.includes("not offered in AWS GovCloud"));
    expect(govCloud).toHaveLength(1);
    expect(isolation.length).toBe(major === 5 ? 3 : 2);
    for (const rule of isolation.filter((r) => !govCloud.includes(r))) expect(rule.condition).toMatch(/ \|\| (G|var\.api_type == "REST")$/);
  });

  it("names, in each rule's message, the input it concerns, first, so the failure says which value to change", () => {
    const where = { partition: "P", region: "R", dnsSuffix: "D", account: "A", govCloud: "G" };
    for (const rule of [...inputRules(where, major), ...Object.values(inputWarnings(where))]) {
      expect(Object.keys(INPUTS), rule.message).toContain(rule.input);
      expect(rule.message.startsWith(rule.input), rule.message).toBe(true);
    }
  });

  it("carries no moved blocks: 0.1.0, the first release, has no earlier addresses to move from", () => {
    expect(config.moved).toBeUndefined();
  });

  it(`refuses tenant isolation${major === 5 ? ", naming the provider version it needs" : " for the HTTP front only"}`, () => {
    const messages = config.resource.terraform_data.input_rules.lifecycle.precondition.map((p: { error_message: string }) => p.error_message).join("\n");
    expect(messages).toContain("cannot work behind an HTTP API");
    if (major === 5) expect(messages).toContain(`needs hashicorp/aws >= ${TENANCY_MIN_PROVIDER}`);
    else expect(messages).not.toContain("needs hashicorp/aws");
  });

  it(`refuses response streaming${major === 5 ? ", naming the provider version it needs" : " for the HTTP front only"}`, () => {
    const messages = config.resource.terraform_data.input_rules.lifecycle.precondition.map((p: { error_message: string }) => p.error_message).join("\n");
    expect(messages).toContain('enable_response_streaming = true needs api_type = "REST"');
    if (major === 5) expect(messages).toContain(`enable_response_streaming = true needs hashicorp/aws >= ${STREAMING_MIN_PROVIDER}`);
    else expect(messages).not.toContain("enable_response_streaming = true needs hashicorp/aws");
    const integration = config.resource.aws_api_gateway_integration.this;
    if (major === 5) expect(integration).not.toHaveProperty("response_transfer_mode");
    else expect(integration.response_transfer_mode).toBe('${var.enable_response_streaming ? "STREAM" : "BUFFERED"}');
  });

  it("declares exactly the documented inputs, each with type, description and validation where a value can be wrong", () => {
    expect(Object.keys(config.variable).sort()).toEqual(Object.keys(INPUTS).sort());
    for (const [name, variable] of Object.entries<any>(config.variable)) {
      expect(variable.type, name).toBe(INPUTS[name as keyof typeof INPUTS].type);
      expect(variable.description.length, name).toBeGreaterThan(20);
      const switchOrFree = variable.type === "bool";
      if (!switchOrFree) expect(variable.validation?.length, `${name} has no validation`).toBeGreaterThan(0);
    }
  });

  it("declares exactly the documented outputs, each described", () => {
    expect(Object.keys(config.output).sort()).toEqual(Object.keys(OUTPUTS).sort());
    for (const [name, output] of Object.entries<any>(config.output)) expect(output.description, name).toBe(OUTPUTS[name as keyof typeof OUTPUTS]);
  });

  it("gives every resource a readable address, no generated suffix", () => {
    for (const [type, resources] of Object.entries<object>(config.resource))
      for (const name of Object.keys(resources))
        expect(`${type}.${name}`).toMatch(
          /^[a-z0-9_]+\.(this|lambda|api|sessions|alarms|email|mcp|discovery|origin_verify|lambda_errors|lambda_duration|lambda_throttles|api_5xx|api_latency|well_known|protected_resource|protected_resource_mcp|unauthorized|all|override|stage|tenant_access|cloudfront_logs|api_gateway_cloudwatch|tenant|cors|oauth_cors|input_rules|people|oauth|tool_error_rate|api_4xx|session_not_found|store_unavailable|authorization_server|openid_configuration|authorize|token|register|oauth_callback)$/,
        );
  });
});

describe("inputs", () => {
  it("has the defaults the module documents", () => {
    const defaults = Object.fromEntries(Object.entries(INPUTS).map(([k, v]) => [k, (v as { default?: unknown }).default]));
    expect(defaults).toMatchObject({
      name: "mcp-server",
      tags: {},
      region: null,
      image_uri: null,
      lambda_timeout: 29,
      lambda_memory_size: 1024,
      reserved_concurrent_executions: 100,
      environment_variables: {},
      allowed_origins: [],
      cognito_user_pool_id: null,
      cognito_user_pool_endpoint: null,
      cognito_client_id: null,
      enable_sessions: false,
      session_ttl_seconds: 86400,
      enable_tenant_isolation: false,
      use_fips_endpoints: null,
      tenant_claim: "client_id",
      route_throttle_overrides: {},
      waf_acl_arn: null,
      enable_cloudfront: false,
      log_retention_days: 365,
      alarm_email_addresses: [],
      enable_people_sign_in: false,
      tenant_group_prefix: "tenant-",
      client_metadata_hosts: [],
      enable_dynamic_client_registration: false,
    });
    for (const required of ["kms_key_arn", "vpc_id", "subnet_ids", "vpc_security_group_ids"]) expect(INPUTS[required as keyof typeof INPUTS], required).not.toHaveProperty("default");
  });
});

describe("MCP_AWS_PROVIDER_MAJOR", () => {
  it("defaults to 6 and accepts 5", () => {
    expect(awsProviderMajor({})).toBe(6);
    expect(awsProviderMajor({ MCP_AWS_PROVIDER_MAJOR: "5" })).toBe(5);
  });

  it("fails when it names another major, saying what it accepts", () => {
    expect(() => awsProviderMajor({ MCP_AWS_PROVIDER_MAJOR: "4" })).toThrow('MCP_AWS_PROVIDER_MAJOR must be 5 or 6 (the hashicorp/aws major to synthesize for), got "4"');
  });

  it("is what the stack uses when no prop is given", () => {
    const before = process.env.MCP_AWS_PROVIDER_MAJOR;
    process.env.MCP_AWS_PROVIDER_MAJOR = "5";
    try {
      const config = JSON.parse(Testing.synth(new McpServerStack(new App(), "mcp-server")));
      expect(config.terraform.required_providers.aws.version).toBe(">= 5.100.0, < 6.0.0");
    } finally {
      if (before === undefined) delete process.env.MCP_AWS_PROVIDER_MAJOR;
      else process.env.MCP_AWS_PROVIDER_MAJOR = before;
    }
  });
});

describe("README", () => {
  it("tells the deployer that AWS keeps 100 of the account's concurrency unreserved, which the default reservation needs a quota of 200 for", () => {
    expect(INPUTS.reserved_concurrent_executions.default).toBe(100);
    expect(INPUTS.reserved_concurrent_executions.description).toContain("AWS keeps at least 100 of the account's concurrency unreserved");
    expect(INPUTS.reserved_concurrent_executions.description).toContain("quota of 200");
  });

  it("documents every input and output from their declarations (run npm run docs when this fails)", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    expect(renderReadme(readme)).toBe(readme);
    for (const name of [...Object.keys(INPUTS), ...Object.keys(OUTPUTS)]) expect(readme).toContain(`| \`${name}\` |`);
  });
});

describe("the infrastructure's sources", () => {
  /**
   * Each TypeScript file of the project outside node_modules, dist and fixtures, without the comments
   * that open a line (doc comments, line comments): a "/*" inside a string ("*\/*") is no comment's start.
   * A comment after code stays, which can only make a check stricter.
   */
  const sources = ["main.ts", ...["modules", "scripts", "bench", "__tests__", "__tests__/support"].flatMap((dir) => readdirSync(join(ROOT, dir)).filter((f) => f.endsWith(".ts")).map((f) => `${dir}/${f}`))].map(
    (path) => ({ path, code: readFileSync(join(ROOT, path), "utf8").replace(/^\s*\/\*[\s\S]*?\*\//gm, "").replace(/^\s*\/\/.*$/gm, "") }),
  );

  it("reach inputs only through the typed accessor: no construct writes var.<name> itself (INPUTS' own validations aside)", () => {
    const constructs = sources.filter(({ path }) => path.startsWith("modules/") && path !== "modules/inputs.ts");
    expect(constructs.length).toBeGreaterThan(20);
    expect(constructs.filter(({ code }) => /var\.[a-z_]/.test(code)).map(({ path }) => path)).toEqual([]);
  });

  it("import the CDK framework and the AWS provider bindings in modules/framework.ts alone", () => {
    // from "...", import("..."), require("...") and a bare import "...".
    const framework = /(?:from\s*|import\s*\(?\s*|require\s*\(\s*)["'](cdktf|cdktn|@cdktf\/[^"']+|@cdktn\/[^"']+)["']/;
    expect(sources.filter(({ path, code }) => path !== "modules/framework.ts" && framework.test(code)).map(({ path }) => path)).toEqual([]);
    expect(sources.find(({ path }) => path === "modules/framework.ts")?.code).toMatch(framework);
  });
});

describe("values passed to constructs built earlier", () => {
  it("resolve at synthesis, and a value nobody provided fails it with a message that names the value", () => {
    const stack = new TerraformStack(Testing.app(), "later");
    let provided: string | undefined;
    local(stack, "given", `${later("the given value", () => provided)} == 1`);
    provided = "var.x";
    expect(JSON.parse(Testing.synth(stack)).locals.given).toBe("${var.x == 1}");
    const orphan = new TerraformStack(Testing.app(), "orphan");
    local(orphan, "missing", later("the missing value", () => undefined));
    expect(() => Testing.synth(orphan)).toThrow("the missing value was used but never provided");
  });
});
