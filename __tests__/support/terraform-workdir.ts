import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "cdktf";
import { McpServerStack } from "../../modules/index.js";
import type { AwsProviderMajor } from "../../modules/index.js";

export const ROOT = new URL("../..", import.meta.url).pathname;

/** The local provider mirror, found by the same script `npm run plan:offline` uses. */
export function providerMirror(): { pluginDir: string; major: AwsProviderMajor } {
  let out: string;
  try {
    out = execFileSync("bash", [join(ROOT, ".ci/provider-mirror")], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    throw new Error(`Terraform tests need a local hashicorp/aws mirror: ${(error as { stderr?: string }).stderr ?? error}`);
  }
  const [pluginDir, major] = out.trim().split(" ");
  return { pluginDir, major: Number(major) as AwsProviderMajor };
}

/**
 * Synthesizes the stack (for the mirror's provider major) into a fresh
 * directory with the mock provider, and initializes it. Beside it, a
 * configuration of the variable blocks alone checks input validations without
 * starting the provider.
 */
export async function prepareTerraformWorkdir(): Promise<{ outdir: string; workdir: string; variablesWorkdir: string; major: AwsProviderMajor }> {
  const { pluginDir, major } = providerMirror();
  const outdir = mkdtempSync(join(tmpdir(), "mcp-server-synth-"));
  const app = new App({ outdir });
  new McpServerStack(app, "mcp-server", { awsProviderMajor: major });
  app.synth();
  const workdir = join(outdir, "stacks", "mcp-server");
  copyFileSync(join(ROOT, ".ci/mock-provider.tf.json"), join(workdir, "mock_override.tf.json"));
  copyFileSync(join(ROOT, ".ci/offline-backend.tf.json"), join(workdir, "backend_override.tf.json"));
  execFileSync("terraform", ["init", "-input=false", "-no-color", `-plugin-dir=${pluginDir}`], { cwd: workdir, stdio: "pipe" });
  const variablesWorkdir = join(outdir, "variables-only");
  mkdirSync(variablesWorkdir);
  const synthesized = JSON.parse(readFileSync(join(workdir, "cdk.tf.json"), "utf8")) as { variable: unknown };
  writeFileSync(join(variablesWorkdir, "variables.tf.json"), JSON.stringify({ variable: synthesized.variable }));
  return { outdir, workdir, variablesWorkdir, major };
}
