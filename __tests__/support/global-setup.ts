import { rmSync } from "node:fs";
import type { TestProject } from "vitest/node";
import { execFileSync } from "node:child_process";
import { prepareTerraformWorkdir, ROOT } from "./terraform-workdir.js";

declare module "vitest" {
  export interface ProvidedContext {
    terraformWorkdir: string;
    variablesWorkdir: string;
    awsProviderMajor: 5 | 6;
  }
}

/**
 * Synthesizes the stack and runs `terraform init` once for every test file,
 * and builds the HCL module (dist/terraform-module) the consumer tests read;
 * removes the work directory afterwards.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const { outdir, workdir, variablesWorkdir, major } = await prepareTerraformWorkdir();
  execFileSync("npm", ["run", "--silent", "build:module"], { cwd: ROOT, stdio: "pipe", env: { ...process.env, MCP_AWS_PROVIDER_MAJOR: String(major) } });
  project.provide("terraformWorkdir", workdir);
  project.provide("variablesWorkdir", variablesWorkdir);
  project.provide("awsProviderMajor", major);
  return () => rmSync(outdir, { recursive: true, force: true });
}
