import { rmSync } from "node:fs";
import type { TestProject } from "vitest/node";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { prepareTerraformWorkdir, providerMirror, ROOT, SixOnFive } from "./terraform-workdir.js";
import { TERRAFORM_GOGC } from "../vitest.config.js";
import { pidFile, stopProviders } from "./provider-pool.js";

declare module "vitest" {
  export interface ProvidedContext {
    terraformWorkdir: string;
    variablesWorkdir: string;
    awsProviderMajor: 5 | 6;
    /** With a 5.x mirror: the 6.x configuration fitted to 5.x, for the examples that need 6.x (see terraform-workdir.ts). */
    sixOnFive: SixOnFive | null;
  }
}

/**
 * Synthesizes the stack and runs `terraform init` once for every test file,
 * and builds the HCL module (dist/terraform-module) the consumer tests read;
 * removes the work directory afterwards.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  process.env.GOGC ??= TERRAFORM_GOGC;
  // The module builds while the stack synthesizes and Terraform initializes: both are mostly one core's work.
  const major = providerMirror().major;
  const moduleBuilt = promisify(execFile)("npm", ["run", "--silent", "build:module"], { cwd: ROOT, env: { ...process.env, MCP_AWS_PROVIDER_MAJOR: String(major) } });
  const { outdir, workdir, variablesWorkdir, sixOnFive } = await prepareTerraformWorkdir();
  await moduleBuilt;
  project.provide("terraformWorkdir", workdir);
  project.provide("variablesWorkdir", variablesWorkdir);
  project.provide("awsProviderMajor", major);
  project.provide("sixOnFive", sixOnFive ?? null);
  return () => {
    stopProviders(pidFile(workdir));
    rmSync(outdir, { recursive: true, force: true });
  };
}
