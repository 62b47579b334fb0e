import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { providerMirror, ROOT } from "./support/terraform-workdir.js";

/**
 * Another CDKTF app vendoring the module: `cdktf get` generates typed
 * bindings from the HCL build, and a stack using them synthesizes and plans
 * offline (__tests__/fixtures/cdktf-consumer).
 */
const run = promisify(execFile);
const project = mkdtempSync(join(tmpdir(), "mcp-cdktf-consumer-"));
let bindings = "";

beforeAll(async () => {
  // The global setup has built the module (dist/terraform-module).
  cpSync(join(ROOT, "__tests__/fixtures/cdktf-consumer"), project, { recursive: true });
  symlinkSync(join(ROOT, "node_modules"), join(project, "node_modules"));
  const config = readFileSync(join(project, "cdktf.json"), "utf8").replace("MODULE_SOURCE", join(ROOT, "dist/terraform-module"));
  writeFileSync(join(project, "cdktf.json"), config);
  await run(join(ROOT, "node_modules/.bin/cdktf"), ["get"], { cwd: project, env: { ...process.env, CHECKPOINT_DISABLE: "1", CI: "1" } });
  bindings = readFileSync(join(project, ".gen/modules/mcp.ts"), "utf8");
}, 180_000);

describe("cdktf get on the module build", () => {
  it("generates typed bindings, with each input's description", () => {
    expect(bindings).toContain("readonly kmsKeyArn: string;");
    expect(bindings).toContain("readonly subnetIds: string[];");
    expect(bindings).toContain("readonly enableTenantIsolation?: boolean;");
    expect(bindings).toContain("readonly lambdaTimeout?: number;");
    expect(bindings).toMatch(/\* ARN of the customer managed KMS key that encrypts everything at rest[^\n]*\n\s*\*\/\n\s*readonly kmsKeyArn: string;/);
    expect(bindings).toContain("get mcpEndpointOutput()");
  });

  it("type-checks a consumer stack against them", async () => {
    await run(join(ROOT, "node_modules/.bin/tsc"), ["-p", "tsconfig.json"], { cwd: project });
  });

  it("synthesizes the consumer stack and plans it offline", async () => {
    await run(join(ROOT, "node_modules/.bin/esbuild"), ["main.ts", "--bundle", "--platform=node", "--format=cjs", "--packages=external", "--outfile=main.cjs", "--log-level=warning"], { cwd: project });
    await run("node", ["main.cjs"], { cwd: project });
    const stack = join(project, "cdktf.out/stacks/consumer");
    expect(existsSync(join(stack, "cdk.tf.json"))).toBe(true);
    await run("terraform", ["init", "-input=false", "-no-color", `-plugin-dir=${providerMirror().pluginDir}`], { cwd: stack });
    const { stdout } = await run("terraform", ["plan", "-input=false", "-no-color", "-lock=false"], { cwd: stack, maxBuffer: 64 << 20 });
    expect(stdout).toMatch(/module\.mcp\.aws_lambda_function\.this will be created/);
    expect(stdout).toMatch(/module\.mcp\.aws_dynamodb_table\.sessions\[0\] will be created/);
    expect(stdout).toMatch(/Plan: \d+ to add, 0 to change, 0 to destroy\./);
  });
});
