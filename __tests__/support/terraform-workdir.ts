import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "../../modules/framework.js";
import { AWS_PROVIDER_VERSIONS, McpServerStack } from "../../modules/index.js";
import type { AwsProviderMajor } from "../../modules/index.js";
import { fitTo, RENAMED_IN_6, TerraformJson, terraformProviderSchema } from "./provider-schema.js";

export const ROOT = new URL("../..", import.meta.url).pathname;

/** The local provider mirror, found by the same script `npm run plan:offline` uses. */
export function providerMirror(): { pluginDir: string; major: AwsProviderMajor } {
  let out: string;
  try {
    out = execFileSync("bash", [join(ROOT, "scripts/provider-mirror")], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
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
export async function prepareTerraformWorkdir(): Promise<{
  outdir: string;
  workdir: string;
  variablesWorkdir: string;
  major: AwsProviderMajor;
  sixOnFive?: SixOnFive;
}> {
  const { pluginDir, major } = providerMirror();
  const outdir = mkdtempSync(join(tmpdir(), "mcp-server-synth-"));
  const workdir = synthesize(outdir, "mcp-server", major);
  init(workdir, pluginDir);
  const variablesWorkdir = join(outdir, "variables-only");
  mkdirSync(variablesWorkdir);
  const synthesized = JSON.parse(readFileSync(join(workdir, "cdk.tf.json"), "utf8")) as { variable: unknown };
  writeFileSync(join(variablesWorkdir, "variables.tf.json"), JSON.stringify({ variable: synthesized.variable }));
  return { outdir, workdir, variablesWorkdir, major, ...(major === 5 && { sixOnFive: prepareSixOnFive(outdir, workdir, pluginDir) }) };
}

/** The 6.x configuration, fitted to the 5.x mirror's schema, in a working directory of its own. */
export interface SixOnFive {
  readonly workdir: string;
  /** What the 5.x schema lacks, dropped: `<address>.<argument or dynamic.block>`. */
  readonly dropped: string[];
  /** Attributes read under their 5.x names: `<type>.<6.x name> → <5.x name>`. */
  readonly renamed: string[];
  /** What could not be fitted (none, or the plans of 6.x-only examples mean nothing). */
  readonly problems: string[];
  /** Arguments held to the narrower range 5.x validates: `<address>.<argument> ≤ <max>`. */
  readonly capped: string[];
}

/**
 * Ranges 5.x validates more narrowly than 6.x: REST integration timeouts stop at 300000 ms in 5.x,
 * while 6.26.0 takes up to 900000 with `response_transfer_mode = "STREAM"`. On the mirror such an
 * argument is capped, so that a streaming example still plans; tests read its 6.x value by evaluating
 * the expression (evaluate.ts), never from these plans.
 */
const CAPPED_IN_5: readonly { readonly type: string; readonly name: string; readonly argument: string; readonly max: number }[] = [
  { type: "aws_api_gateway_integration", name: "this", argument: "timeout_milliseconds", max: 300_000 },
];

/**
 * The mirror holds only hashicorp/aws 5.x, so the 6.x configuration (the default build, and the only
 * one that can enable tenant isolation) cannot be planned as it is. This synthesizes it, drops what the
 * 5.x schema (read from the mirror's provider) lacks and renames what 6.x renamed, and initializes it
 * with the mirror: plans of it show everything but the dropped arguments.
 */
function prepareSixOnFive(outdir: string, fiveWorkdir: string, pluginDir: string): SixOnFive {
  const workdir = synthesize(join(outdir, "six"), "mcp-server", 6);
  const six = JSON.parse(readFileSync(join(workdir, "cdk.tf.json"), "utf8")) as TerraformJson & { terraform: { required_providers: { aws: { version: string } } } };
  const fitted = fitTo(six, terraformProviderSchema(fiveWorkdir), RENAMED_IN_6);
  (fitted.config as typeof six).terraform.required_providers.aws.version = AWS_PROVIDER_VERSIONS[5];
  const capped: string[] = [];
  for (const { type, name, argument, max } of CAPPED_IN_5) {
    const resource = fitted.config.resource?.[type]?.[name] as Record<string, unknown> | undefined;
    const value = resource?.[argument];
    if (typeof value !== "string" || !value.startsWith("${")) continue;
    resource![argument] = `\${min(${value.slice(2, -1)}, ${max})}`;
    capped.push(`${type}.${name}.${argument} ≤ ${max}`);
  }
  writeFileSync(join(workdir, "cdk.tf.json"), JSON.stringify(fitted.config, null, 2));
  init(workdir, pluginDir);
  return { workdir, dropped: fitted.dropped, renamed: fitted.renamed, problems: fitted.problems, capped };
}

/** Synthesizes the stack for `major` under `outdir`, with the mock provider and a local backend for offline plans; returns its directory. */
function synthesize(outdir: string, stack: string, major: AwsProviderMajor): string {
  const app = new App({ outdir });
  new McpServerStack(app, stack, { awsProviderMajor: major });
  app.synth();
  const workdir = join(outdir, "stacks", stack);
  copyFileSync(join(ROOT, ".ci/mock-provider.tf.json"), join(workdir, "mock_override.tf.json"));
  copyFileSync(join(ROOT, ".ci/offline-backend.tf.json"), join(workdir, "backend_override.tf.json"));
  return workdir;
}

function init(workdir: string, pluginDir: string): void {
  execFileSync("terraform", ["init", "-input=false", "-no-color", `-plugin-dir=${pluginDir}`], { cwd: workdir, stdio: "pipe" });
}
