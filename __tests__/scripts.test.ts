import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { providerMirror, ROOT } from "./support/terraform-workdir.js";
import { assignedNames, closest } from "../scripts/var-file-check.js";

const run = promisify(execFile);

/** Runs a script of scripts/ and returns its exit code and output, whatever the code. */
async function script(name: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return run("bash", [join(ROOT, "scripts", name), ...args], { cwd: ROOT, env: { ...process.env, ...env } }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

describe("plan scripts", () => {
  it("finds the local provider mirror and the provider major it holds", async () => {
    const { code, stdout } = await script("provider-mirror", []);
    expect(code).toBe(0);
    expect(stdout.trim()).toMatch(/^\/\S+ [56]$/);
  });

  it("fails when TF_PLUGIN_DIR holds no hashicorp/aws, saying how a mirror is laid out", async () => {
    const { code, stderr } = await script("provider-mirror", [], { TF_PLUGIN_DIR: mkdtempSync(join(tmpdir(), "empty-mirror-")) });
    expect(code).not.toBe(0);
    expect(stderr).toContain("no local mirror of hashicorp/aws found. Set TF_PLUGIN_DIR to a directory laid out as");
  });

  it("fails when the mirror lacks the major MCP_AWS_PROVIDER_MAJOR asks for", async () => {
    const { stdout } = await script("provider-mirror", []);
    const other = stdout.trim().endsWith(" 5") ? "6" : "5";
    const { code, stderr } = await script("provider-mirror", [], { MCP_AWS_PROVIDER_MAJOR: other });
    expect(code).not.toBe(0);
    expect(stderr).toContain(`no local mirror of hashicorp/aws ${other}.x found`);
  });

  it("fails when the var file does not exist, before synthesizing anything", async () => {
    const { code, stderr } = await script("terraform-plan", ["--offline", "examples/nope.tfvars"]);
    expect(code).toBe(2);
    expect(stderr).toContain("no such var file: examples/nope.tfvars");
  });

  it.each([
    ["an HCL var file", "lamda_timeout.tfvars", (base: string) => `${base}\nlamda_timeout = 10\n`],
    ["a JSON var file", "lamda_timeout.tfvars.json", () => JSON.stringify({ region: "us-east-1", lamda_timeout: 10 })],
  ])("fails when %s sets a variable the module does not declare, naming it and the closest declared one", async (_kind, file, content) => {
    const path = join(mkdtempSync(join(tmpdir(), "var-file-")), file);
    writeFileSync(path, content(readFileSync(join(ROOT, "examples/minimal.tfvars"), "utf8")));
    const { code, stderr } = await script("terraform-plan", ["--offline", path]);
    expect(code).toBe(2);
    expect(stderr).toContain('sets "lamda_timeout", which the module does not declare; did you mean "lambda_timeout"?');
  });

  it("reads only the top-level names of a var file: not map keys, comments, strings or heredocs", () => {
    const text = [
      "# region = \"commented\"",
      "name = \"mcp\" // trailing = comment",
      "tags = {",
      "  owner = \"me\"",
      "}",
      "route_throttle_overrides = { \"POST /mcp\" = { rate_limit = 1, burst_limit = 2 } }",
      "/* kms_key_arn = \"x\" */",
      "description = <<EOT",
      "lambda_timeout = 5",
      "EOT",
      "allowed_origins = [",
      "  \"https://a.example\",",
      "]",
    ].join("\n");
    expect(assignedNames(text, false)).toEqual(["name", "tags", "route_throttle_overrides", "description", "allowed_origins"]);
    expect(closest("lamda_timeout", ["lambda_timeout", "lambda_memory_size"])).toBe("lambda_timeout");
    expect(closest("zzz", ["lambda_timeout"])).toBeUndefined();
  });

  it("fails without a var file, printing the usage", async () => {
    const { code, stderr } = await script("terraform-plan", []);
    expect(code).toBe(2);
    expect(stderr).toContain("usage: npm run plan -- <file.tfvars>");
  });
});

describe("the CI plan users copy", () => {
  it("runs the same Terraform script as this project's CI and npm run plan", () => {
    const workflow = readFileSync(join(ROOT, "docs/ci/terraform-plan.yml"), "utf8");
    expect(workflow).toContain('bash scripts/terraform-plan "$VAR_FILE"');
    expect(workflow).toContain("role-to-assume:");
    expect(workflow).toContain("actions/upload-artifact");
    const scripts = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts as Record<string, string>;
    expect(scripts.plan).toBe("bash scripts/terraform-plan");
    expect(scripts["plan:offline"]).toBe("bash scripts/terraform-plan --offline");
    expect(readFileSync(join(ROOT, ".ci/run"), "utf8")).toContain("npm run --silent plan:offline --");
  });

  it("validates, plans, and merges the backend override it is given", async () => {
    const override = join(mkdtempSync(join(tmpdir(), "backend-")), "backend.tf.json");
    const statePath = join(tmpdir(), `mcp-state-${process.pid}.tfstate`);
    writeFileSync(override, JSON.stringify({ terraform: { backend: { local: { path: statePath } } } }));
    const { code, stderr } = await script("terraform-plan", ["--offline", "examples/minimal.tfvars", "-no-color"], { MCP_BACKEND_OVERRIDE: override });
    expect(code).toBe(0);
    expect(stderr).toContain("The configuration is valid.");
    const workdir = /Saved plan: (\S+)\/tfplan/.exec(stderr)?.[1];
    expect(workdir && existsSync(join(workdir, "backend_override.tf.json"))).toBe(true);
    expect(readFileSync(join(workdir!, ".terraform", "terraform.tfstate"), "utf8")).toContain(statePath);
  });
});

describe("cdktf diff --var-file", () => {
  it("plans the synthesized stack with the user's var file, offline through the CLI's filesystem mirror and the mock provider", async () => {
    const out = mkdtempSync(join(tmpdir(), "mcp-cdktf-diff-"));
    const { pluginDir, major } = providerMirror();
    await run("npm", ["run", "--silent", "build:app"], { cwd: ROOT });
    await run("node", [join(ROOT, "dist/main.cjs")], { cwd: ROOT, env: { ...process.env, CDKTF_OUTDIR: out, MCP_AWS_PROVIDER_MAJOR: String(major) } });
    const stack = join(out, "stacks", "mcp-server");
    writeFileSync(join(stack, "mock_override.tf.json"), readFileSync(join(ROOT, ".ci/mock-provider.tf.json")));
    writeFileSync(join(stack, "backend_override.tf.json"), readFileSync(join(ROOT, ".ci/offline-backend.tf.json")));
    const cliConfig = join(out, "terraformrc");
    writeFileSync(cliConfig, `provider_installation {\n  filesystem_mirror {\n    path = "${pluginDir}"\n  }\n}\n`);
    const { stdout } = await run(
      join(ROOT, "node_modules/.bin/cdktf"),
      ["diff", "mcp-server", "--skip-synth", "--skip-provider-lock", "--output", out, `--var-file=${join(ROOT, "examples/minimal.tfvars")}`],
      { cwd: ROOT, env: { ...process.env, TF_CLI_CONFIG_FILE: cliConfig, CHECKPOINT_DISABLE: "1", CI: "1" }, maxBuffer: 64 << 20 },
    );
    expect(stdout.replace(/\x1b\[[0-9;]*m/g, "")).toMatch(/Plan: \d+ to add, 0 to change, 0 to destroy\./);
  });
});
