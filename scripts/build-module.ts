import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "../modules/framework.js";
import { awsProviderMajor, AWS_PROVIDER_VERSIONS, inputsMarkdown, McpServerStack, outputsMarkdown, ROOT_ONLY_INPUTS } from "../modules/index.js";
import { ProviderSchemas, renderModule } from "./render-hcl.js";

/**
 * `npm run build:module`: writes dist/terraform-module/, a Terraform module
 * in HCL (variables with validations, resources, described outputs,
 * required_providers; no provider configuration and no backend), for
 * `module "mcp" { source = ... }` and `cdktf get`. MCP_AWS_PROVIDER_MAJOR=5
 * builds the 5.x variant.
 */
const root = process.cwd();
const outFlag = process.argv.indexOf("--out");
const out = outFlag > 0 ? process.argv[outFlag + 1] : join(root, "dist", "terraform-module");
const major = awsProviderMajor();
const work = mkdtempSync(join(tmpdir(), "mcp-module-"));
const terraform = (args: string[], cwd: string) => execFileSync("terraform", args, { cwd, encoding: "utf8", maxBuffer: 256 << 20, stdio: ["ignore", "pipe", "pipe"] });

try {
  // A module has no provider configuration: the caller's flows in.
  const app = new App({ outdir: work, skipValidation: true });
  new McpServerStack(app, "module", { awsProviderMajor: major, asModule: true });
  app.synth();
  const config = JSON.parse(readFileSync(join(work, "stacks", "module", "cdk.tf.json"), "utf8"));

  // The provider schema tells nested blocks from object attributes; from the local mirror when there is one.
  const schemaDir = join(work, "schema");
  mkdirSync(schemaDir);
  writeFileSync(join(schemaDir, "main.tf.json"), JSON.stringify({ terraform: { required_providers: { aws: { source: "hashicorp/aws", version: AWS_PROVIDER_VERSIONS[major] } } } }));
  // Nested blocks are the same in 5.x and 6.x for every resource the module uses, so any local mirror serves when the registry cannot.
  const mirror = (env: NodeJS.ProcessEnv) => {
    try {
      return execFileSync("bash", [join(root, "scripts/provider-mirror")], { encoding: "utf8", env, stdio: ["ignore", "pipe", "ignore"] }).trim().split(" ");
    } catch {
      return undefined;
    }
  };
  const init = (pluginDir?: string) => terraform(["init", "-input=false", "-no-color", ...(pluginDir ? [`-plugin-dir=${pluginDir}`] : [])], schemaDir);
  const exact = mirror({ ...process.env, MCP_AWS_PROVIDER_MAJOR: String(major) });
  if (exact) init(exact[0]);
  else {
    try {
      init();
    } catch (error) {
      const [pluginDir, mirrorMajor] = mirror({ ...process.env, MCP_AWS_PROVIDER_MAJOR: "" }) ?? [];
      if (!pluginDir) throw error;
      console.log(`build:module: no hashicorp/aws ${major}.x reachable; reading block structure from the local ${mirrorMajor}.x provider`);
      writeFileSync(join(schemaDir, "main.tf.json"), JSON.stringify({ terraform: { required_providers: { aws: { source: "hashicorp/aws" } } } }));
      init(pluginDir);
    }
  }
  const schemas = JSON.parse(terraform(["providers", "schema", "-json"], schemaDir)).provider_schemas["registry.terraform.io/hashicorp/aws"] as ProviderSchemas;

  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  for (const [file, text] of Object.entries(renderModule(config, schemas))) writeFileSync(join(out, file), text);
  writeFileSync(
    join(out, "README.md"),
    `# MCP server on AWS Lambda (Terraform module)\n\nBuilt by \`npm run build:module\` from cdktf-aws-mcp-server for hashicorp/aws ${AWS_PROVIDER_VERSIONS[major]}. ` +
      `The caller configures the aws provider and the backend. \`${ROOT_ONLY_INPUTS.join("`, `")}\` is an input of the root stack only.\n\n## Inputs\n\n${inputsMarkdown(ROOT_ONLY_INPUTS)}\n\n## Outputs\n\n${outputsMarkdown()}\n`,
  );
  terraform(["fmt", "-list=false", out], root);
  console.log(`${out}: a Terraform module for hashicorp/aws ${major}.x (${Object.keys(config.resource).length} resource types)`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
