import { describe, expect, it } from "vitest";
import { evaluateAt } from "./support/evaluate.js";
import { example, outputOf, plan, planDiagnostics, planOver, resourceAt } from "./support/terraform.js";

/**
 * AWS GovCloud (US): examples/govcloud.tfvars plans offline in us-gov-west-1 (the provider answers the
 * partition, aws-us-gov, without AWS), and what AWS offers differently there (docs/architecture.md,
 * "AWS GovCloud (US)") is planned differently or refused.
 */
const GOVCLOUD = example("govcloud");

describe.concurrent("AWS GovCloud (US)", () => {
  it("plans every ARN in the aws-us-gov partition, none in the commercial one", async () => {
    const planned = JSON.stringify((await plan(GOVCLOUD)).planned_values);
    expect(planned).toContain("arn:aws-us-gov:");
    expect(planned).not.toMatch(/arn:aws:/);
  });

  it("gives Cognito's token endpoint on the auth-fips host, the only one GovCloud's Cognito answers on, and the dashboard on GovCloud's console", async () => {
    // The endpoint names the domain, which names the pool's id: known once the pool exists, so the pool is put in state.
    const pool = (partition: string, region: string) => ({
      type: "aws_cognito_user_pool",
      name: "this",
      index: 0,
      attributes: {
        id: `${region}_AbCdEf123`,
        name: "mcp-server",
        arn: `arn:${partition}:cognito-idp:${region}:111122223333:userpool/${region}_AbCdEf123`,
        endpoint: `cognito-idp.${region}.amazonaws.com/${region}_AbCdEf123`,
      },
    });
    const gov = await planOver([pool("aws-us-gov", "us-gov-west-1")], GOVCLOUD);
    expect(outputOf(gov, "cognito_token_endpoint")).toBe("https://mcp-server-abcdef123.auth-fips.us-gov-west-1.amazoncognito.com/oauth2/token");
    // The dashboard is on GovCloud's own console.
    expect(outputOf(gov, "dashboard_url")).toBe("https://console.amazonaws-us-gov.com/cloudwatch/home?region=us-gov-west-1#dashboards/dashboard/mcp-server-us-gov-west-1");
    const commercial = await planOver([pool("aws", "us-east-1")], example("minimal"));
    expect(outputOf(commercial, "cognito_token_endpoint")).toBe("https://mcp-server-abcdef123.auth.us-east-1.amazoncognito.com/oauth2/token");
  });

  it("defaults use_fips_endpoints on in a us-gov-* region, leaves it to the provider elsewhere, and lets an explicit value win", async () => {
    const fips = (base: string, vars = {}) => evaluateAt(base, vars, ["provider", "aws", "0", "use_fips_endpoint"]);
    expect(await fips(GOVCLOUD)).toBe(true);
    expect(await fips(GOVCLOUD, { use_fips_endpoints: false })).toBe(false);
    expect(await fips(example("minimal"))).toBeNull();
    expect(await fips(example("minimal"), { region: null })).toBeNull();
    expect(await fips(example("minimal"), { use_fips_endpoints: true })).toBe(true);
  });

  it("writes Lambda's logs as text, as GovCloud has no JSON log format; JSON elsewhere", async () => {
    expect(resourceAt(await plan(GOVCLOUD), "aws_lambda_function.this").values.logging_config).toMatchObject([{ log_format: "Text" }]);
    expect(resourceAt(await plan(example("minimal")), "aws_lambda_function.this").values.logging_config).toMatchObject([{ log_format: "JSON" }]);
  });

  it("leaves Cognito threat protection off by default in GovCloud, on by default elsewhere", async () => {
    const pool = async (base: string, vars = {}) => resourceAt(await plan(base, vars), "aws_cognito_user_pool.this[0]").values;
    expect(await pool(GOVCLOUD)).toMatchObject({ user_pool_tier: "ESSENTIALS", user_pool_add_ons: [{ advanced_security_mode: "OFF" }] });
    expect(await pool(example("minimal"))).toMatchObject({ user_pool_tier: "PLUS", user_pool_add_ons: [{ advanced_security_mode: "ENFORCED" }] });
    expect(await pool(example("minimal"), { cognito_threat_protection: false })).toMatchObject({ user_pool_tier: "ESSENTIALS" });
  });

  it("warns, without refusing, when threat protection is asked for in GovCloud", async () => {
    const { errors, warnings } = await planDiagnostics(GOVCLOUD, { cognito_threat_protection: true });
    expect(errors).toEqual([]);
    expect(warnings).toEqual([expect.stringContaining("cognito_threat_protection = true in AWS GovCloud (US)")]);
  });

  it("refuses CloudFront with one message that says what to use instead", async () => {
    const { errors } = await planDiagnostics(GOVCLOUD, { enable_cloudfront: true });
    expect(errors).toEqual([expect.stringContaining("AWS GovCloud (US), which has no CloudFront. Set enable_cloudfront = false")]);
  });

  it("refuses Lambda tenant isolation with one message on the build the mirror plans (synth.test.ts holds both builds to one rule)", async () => {
    const { errors } = await planDiagnostics(GOVCLOUD, { enable_tenant_isolation: true });
    expect(errors).toEqual([expect.stringContaining("Lambda tenant isolation mode is not offered in AWS GovCloud (US)")]);
  });
});
