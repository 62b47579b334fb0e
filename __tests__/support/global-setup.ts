import { rmSync } from "node:fs";
import type { TestProject } from "vitest/node";
import { prepareTerraformWorkdir } from "./terraform-workdir.js";

declare module "vitest" {
  export interface ProvidedContext {
    terraformWorkdir: string;
    variablesWorkdir: string;
    awsProviderMajor: 5 | 6;
  }
}

/** Synthesizes the stack and runs `terraform init` once for every test file; removes it all afterwards. */
export default async function setup(project: TestProject): Promise<() => void> {
  const { outdir, workdir, variablesWorkdir, major } = await prepareTerraformWorkdir();
  project.provide("terraformWorkdir", workdir);
  project.provide("variablesWorkdir", variablesWorkdir);
  project.provide("awsProviderMajor", major);
  return () => rmSync(outdir, { recursive: true, force: true });
}
