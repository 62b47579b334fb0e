import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { INPUTS, inputsMarkdown, outputsMarkdown, OUTPUTS, ROOT_ONLY_INPUTS } from "../modules/index.js";
import { ROOT, providerMirror } from "./support/terraform-workdir.js";
import { addresses, example, plan, mirrorMajorExamples } from "./support/terraform.js";

/**
 * The HCL module build (npm run build:module), consumed by plain Terraform:
 * a root configuration that calls the module with each example's values and
 * a mock provider plans offline.
 */
const run = promisify(execFile);
const MODULE = join(ROOT, "dist", "terraform-module");
const files = () => Object.fromEntries(readdirSync(MODULE).map((f) => [f, readFileSync(join(MODULE, f), "utf8")]));

// The global setup builds the module for the mirror's provider major.
describe("npm run build:module", () => {
  it("writes HCL split by concern, terraform fmt-clean, with no provider configuration and no backend", () => {
    expect(Object.keys(files()).sort()).toEqual(["README.md", "main.tf", "outputs.tf", "variables.tf", "versions.tf"]);
    execFileSync("terraform", ["fmt", "-check", "-recursive", MODULE], { stdio: "pipe" });
    const hcl = Object.entries(files()).filter(([f]) => f.endsWith(".tf")).map(([, t]) => t).join("\n");
    expect(hcl).not.toMatch(/^provider\s+"aws"/m);
    expect(hcl).not.toMatch(/\bbackend\s+"/);
    expect(files()["versions.tf"]).toMatch(/required_providers\s*{\s*aws\s*=\s*{\s*source\s*=\s*"hashicorp\/aws"/);
  });

  it("declares every input (but the root stack's region) with type, description and validations, and described outputs", () => {
    const variables = [...files()["variables.tf"].matchAll(/^variable "([a-z0-9_]+)"/gm)].map((m) => m[1]);
    expect(variables.sort()).toEqual(Object.keys(INPUTS).filter((i) => !(ROOT_ONLY_INPUTS as readonly string[]).includes(i)).sort());
    expect(files()["variables.tf"]).toContain('variable "kms_key_arn" {\n  type        = string\n  description = ');
    expect((files()["variables.tf"].match(/validation \{/g) ?? []).length).toBeGreaterThan(20);
    const outputs = [...files()["outputs.tf"].matchAll(/^output "([a-z0-9_]+)" \{\n\s+description\s+=/gm)].map((m) => m[1]);
    expect(outputs.sort()).toEqual(Object.keys(OUTPUTS).sort());
  });

  it("documents its inputs and outputs from the same declarations as the project README", () => {
    expect(files()["README.md"]).toContain(inputsMarkdown(ROOT_ONLY_INPUTS));
    expect(files()["README.md"]).toContain(outputsMarkdown());
  });
});

describe("plain Terraform consuming the module", () => {
  // One root configuration calls the module once per example, each with a provider for its example's region:
  // one init and one plan for all of them (a plan starts the provider, which takes seconds).
  const planned: Record<string, string[]> = {};
  const moduleName = (example: string) => example.replace(/-/g, "_");
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "mcp-module-consumer-"));
    const consumer = readFileSync(join(ROOT, "__tests__/fixtures/terraform-consumer/providers.tf"), "utf8");
    const regions = new Set<string>();
    const calls = mirrorMajorExamples().map((name) => {
      // A var file's assignments are valid module arguments; the region goes to the caller's provider.
      const vars = readFileSync(example(name), "utf8");
      const region = /^region\s*=\s*"([^"]+)"/m.exec(vars)?.[1] ?? "us-east-1";
      regions.add(region);
      return `module "${moduleName(name)}" {\n  source    = "${MODULE}"\n  providers = { aws = aws.${moduleName(region)} }\n${vars.replace(/^region\s*=.*$/m, "")}\n}\n`;
    });
    const providers = [...regions].map((region) => consumer.replaceAll('"REGION_ALIAS"', `"${moduleName(region)}"`).replaceAll('"REGION"', `"${region}"`));
    writeFileSync(join(dir, "main.tf"), [...providers, ...calls].join("\n"));
    await run("terraform", ["init", "-input=false", "-no-color", `-plugin-dir=${providerMirror().pluginDir}`], { cwd: dir });
    await run("terraform", ["plan", "-input=false", "-no-color", "-out=tfplan"], { cwd: dir, maxBuffer: 64 << 20 });
    const { stdout } = await run("terraform", ["show", "-json", "tfplan"], { cwd: dir, maxBuffer: 256 << 20 });
    for (const child of JSON.parse(stdout).planned_values.root_module.child_modules as { address: string; resources: { address: string }[] }[]) {
      planned[child.address] = child.resources.map((r) => r.address.slice(child.address.length + 1)).sort();
    }
  });

  it.concurrent.each(mirrorMajorExamples())("plans %s.tfvars offline through a module call, with the same resources as the stack", async (name) => {
    expect(planned[`module.${moduleName(name)}`]).toEqual(addresses(await plan(example(name))));
  });
});

describe("the default 6.x module build", () => {
  it("carries Lambda tenant isolation: the 6.x range, the tenancy_config block and the tenant header mapping", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "mcp-module-6-")), "module");
    await run("node", [join(ROOT, "dist/build-module.cjs"), "--out", out], { cwd: ROOT, env: { ...process.env, MCP_AWS_PROVIDER_MAJOR: "6" } });
    execFileSync("terraform", ["fmt", "-check", "-recursive", out], { stdio: "pipe" });
    expect(readFileSync(join(out, "versions.tf"), "utf8")).toContain('version = ">= 6.26.0, < 7.0.0"');
    const main = readFileSync(join(out, "main.tf"), "utf8");
    expect(main).toMatch(/dynamic "tenancy_config" \{\n\s+for_each = var\.enable_tenant_isolation \? \[1\] : \[\]\n\s+content \{\n\s+tenant_isolation_mode = "PER_TENANT"/);
    expect(main).toContain('"integration.request.header.X-Amz-Tenant-Id" = each.value.authorized ? "context.authorizer.claims.${var.tenant_claim}"');
  });
});
