import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { inject } from "vitest";
import { ROOT } from "./terraform-workdir.js";
import { pidFile, withFreshProvider, withProvider } from "./provider-pool.js";

const run = promisify(execFile);

/** Values for Terraform variables, as in a `.tfvars.json` file. */
export type Vars = Record<string, unknown>;

/** The part of `terraform show -json` the tests read. */
export interface PlanJson {
  planned_values: { root_module: { resources: PlannedResource[] } };
  resource_changes: { address: string; type: string; action_reason?: string; change: { actions: string[]; after: Record<string, unknown>; after_unknown: Record<string, unknown> } }[];
  output_changes: Record<string, { after: unknown; after_unknown: boolean }>;
  /** The values of the variables the plan was made with. */
  variables: Record<string, { value: unknown }>;
  configuration: { root_module: { resources: ConfiguredResource[] } };
  checks?: { address: { kind: string; name?: string }; status: string; instances?: { problems?: { message: string }[] }[] }[];
}
export interface PlannedResource {
  address: string;
  type: string;
  name: string;
  index?: string | number;
  /** Absent when nothing of the resource is known before apply. */
  values: Record<string, any>;
}
export interface ConfiguredResource {
  address: string;
  type: string;
  name: string;
  expressions: Record<string, any>;
  depends_on?: string[];
}

/** Diagnostics of a plan that failed (or warned). */
export interface Diagnostics {
  errors: string[];
  warnings: string[];
}

function workdir(): string {
  return inject("terraformWorkdir");
}

/**
 * Runs `terraform show -json`, which needs only the aws provider's schema,
 * attached to one of the pool's providers (provider-pool.ts). Plans take
 * fresh ones: a provider is configured once in its life.
 */
function terraformShow(args: string[], cwd: string): Promise<{ stdout: string; stderr: string }> {
  return withProvider(pidFile(workdir()), (env) => run("terraform", args, { cwd, env, maxBuffer: 256 << 20, timeout: 120_000 }));
}

/**
 * Where to plan a var file: the configuration synthesized for the mirror's provider major, or, for a
 * var file that needs a newer major than the mirror holds, that major's configuration fitted to the mirror
 * (terraform-workdir.ts: only what the older schema lacks is dropped).
 */
function workdirFor(base: string): string {
  if (requiredMajorOf(base) <= inject("awsProviderMajor")) return workdir();
  const sixOnFive = inject("sixOnFive");
  if (!sixOnFive) throw new Error(`${base} needs hashicorp/aws ${requiredMajorOf(base)}.x, and the mirror holds ${inject("awsProviderMajor")}.x`);
  return sixOnFive.workdir;
}

/** The example var file `examples/<name>.tfvars`. */
export function example(name: string): string {
  return join(ROOT, "examples", `${name}.tfvars`);
}

function varFileArgs(base: string, overrides: Vars, dir: string): string[] {
  const args = [`-var-file=${base}`];
  if (Object.keys(overrides).length > 0) {
    const file = join(dir, `${hash({ base, overrides })}.tfvars.json`);
    writeFileSync(file, JSON.stringify(overrides));
    args.push(`-var-file=${file}`);
  }
  return args;
}

function hash(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("hex").slice(0, 16);
}

/**
 * Plans the synthesized stack offline with the var file `base` and
 * `overrides` on top, and returns `terraform show -json` of the plan. Plans
 * are cached on disk for the whole run: several test files read the same ones.
 */
export async function plan(base: string, overrides: Vars = {}): Promise<PlanJson> {
  const { cwd, diagnostics, planFile, key } = await planRun(base, overrides);
  if (!planFile) throw new Error(`terraform plan failed: ${diagnostics.errors.join("\n")}`);
  const cached = join(cwd, "plans", `${key}.json`);
  if (!existsSync(cached)) {
    const { stdout } = await terraformShow(["show", "-json", planFile], cwd);
    writeFileSync(`${cached}.tmp-${process.pid}`, stdout);
    renameSync(`${cached}.tmp-${process.pid}`, cached);
  }
  return JSON.parse(readFileSync(cached, "utf8")) as PlanJson;
}

/** One `terraform plan` per var file and overrides, whoever asks first: its diagnostics, and its plan file when it succeeded. */
const planRuns = new Map<string, Promise<{ cwd: string; key: string; diagnostics: Diagnostics; planFile?: string }>>();

/** Plans once (a plan starts the provider, which takes seconds) and keeps the diagnostics and the plan file on disk for the whole run. */
function planRun(base: string, overrides: Vars): Promise<{ cwd: string; key: string; diagnostics: Diagnostics; planFile?: string }> {
  const cwd = workdirFor(base);
  const key = hash({ base, overrides });
  const memo = planRuns.get(`${cwd}/${key}`);
  if (memo) return memo;
  const result = (async () => {
    const dir = join(cwd, "plans");
    mkdirSync(dir, { recursive: true });
    const saved = join(dir, `${key}.diagnostics.json`);
    const planFile = join(dir, `${key}.tfplan`);
    if (!existsSync(saved)) {
      // Unique per process: test files in other workers may plan the same variables.
      const out = `${planFile}.tmp-${process.pid}`;
      const args = ["plan", "-input=false", "-lock=false", "-json", ...varFileArgs(base, overrides, dir), `-out=${out}`];
      // A plan that fails still prints its diagnostics; a provider that does not start fails the test as it is.
      const stdout = await withFreshProvider(pidFile(workdir()), (env) =>
        run("terraform", args, { cwd, env, maxBuffer: 64 << 20 }).then(
          (r) => r.stdout,
          (error: { stdout?: string }) => error.stdout ?? "",
        ),
      );
      const diagnostics = parseDiagnostics(stdout);
      if (existsSync(out)) renameSync(out, planFile);
      writeFileSync(`${saved}.tmp-${process.pid}`, JSON.stringify(diagnostics));
      renameSync(`${saved}.tmp-${process.pid}`, saved);
    }
    const diagnostics = JSON.parse(readFileSync(saved, "utf8")) as Diagnostics;
    return { cwd, key, diagnostics, ...(diagnostics.errors.length === 0 && existsSync(planFile) && { planFile }) };
  })();
  planRuns.set(`${cwd}/${key}`, result);
  return result;
}

/** The error and warning diagnostics of `terraform plan -json` output, each as "summary: detail" on one line. */
function parseDiagnostics(stdout: string): Diagnostics {
  const result: Diagnostics = { errors: [], warnings: [] };
  for (const line of stdout.split("\n")) {
    if (!line.startsWith("{")) continue;
    const message = JSON.parse(line) as { type: string; diagnostic?: { severity: string; summary: string; detail: string; snippet?: { context?: string } } };
    if (message.type !== "diagnostic" || !message.diagnostic) continue;
    // Where Terraform reports it (e.g. "resource.terraform_data.input_rules.lifecycle.precondition[6]"), when it says.
    const where = message.diagnostic.snippet?.context ? `[${message.diagnostic.snippet.context}] ` : "";
    const text = `${where}${message.diagnostic.summary}: ${message.diagnostic.detail}`.replace(/\s+/g, " ");
    (message.diagnostic.severity === "error" ? result.errors : result.warnings).push(text);
  }
  if (result.errors.length === 0 && !stdout.includes('"type":"change_summary"') && !stdout.includes('"type":"planned_change"')) {
    // No diagnostics and no plan: Terraform failed before it could say why in JSON.
    result.errors.push(`terraform plan produced no plan: ${stdout.slice(0, 500)}`);
  }
  return result;
}

/** A resource instance as Terraform state holds it: the attributes a test needs, the others null. */
export interface StateInstance {
  readonly type: string;
  readonly name: string;
  /** The instance key of a resource with count or for_each. */
  readonly index?: number | string;
  readonly attributes: Record<string, unknown>;
}

/**
 * Plans the synthesized stack offline over a state that holds `instances`,
 * as if they had been applied, without refreshing them from AWS: what an
 * update plans for a deployment that exists. Not cached.
 */
export async function planOver(instances: readonly StateInstance[], base: string, overrides: Vars = {}): Promise<PlanJson> {
  const dir = mkdtempSync(join(workdir(), "over-state-"));
  for (const file of readdirSync(workdir()).filter((f) => f.endsWith(".tf.json") || f === ".terraform.lock.hcl")) copyFileSync(join(workdir(), file), join(dir, file));
  // The providers the shared work directory was initialized with.
  symlinkSync(join(workdir(), ".terraform"), join(dir, ".terraform"));
  const provider = 'provider["registry.terraform.io/hashicorp/aws"]';
  const state = {
    version: 4,
    terraform_version: "1.11.4",
    serial: 1,
    lineage: "00000000-0000-0000-0000-000000000000",
    outputs: {},
    resources: instances.map(({ type, name, index, attributes }) => ({
      mode: "managed",
      type,
      name,
      ...(typeof index === "number" && { each: "list" }),
      ...(typeof index === "string" && { each: "map" }),
      provider,
      instances: [{ ...(index !== undefined && { index_key: index }), schema_version: 0, attributes, sensitive_attributes: [] }],
    })),
  };
  writeFileSync(join(dir, "terraform.tfstate"), JSON.stringify(state));
  const planFile = join(dir, "plan.tfplan");
  await run("terraform", ["plan", "-input=false", "-lock=false", "-refresh=false", "-no-color", ...varFileArgs(base, overrides, dir), `-out=${planFile}`], { cwd: dir, maxBuffer: 64 << 20 });
  const { stdout } = await terraformShow(["show", "-json", planFile], dir);
  return JSON.parse(stdout) as PlanJson;
}

/** The planned change of the resource instance at `address`; fails the test when there is none. */
export function changeAt(p: PlanJson, address: string): PlanJson["resource_changes"][number] {
  const found = p.resource_changes.find((c) => c.address === address);
  if (!found) throw new Error(`${address} has no planned change`);
  return found;
}

/**
 * Runs the plan and returns its error and warning diagnostics, each as
 * "summary: detail" on one line. `variablesOnly` plans just the variable
 * blocks: enough for input validations, and without a provider to start.
 */
export async function planDiagnostics(base: string, overrides: Vars = {}, options: { variablesOnly?: boolean } = {}): Promise<Diagnostics> {
  if (!options.variablesOnly) return (await planRun(base, overrides)).diagnostics;
  const cwd = inject("variablesWorkdir");
  const dir = join(cwd, "plans");
  mkdirSync(dir, { recursive: true });
  const args = ["plan", "-input=false", "-lock=false", "-json", ...varFileArgs(base, overrides, dir)];
  const stdout = await run("terraform", args, { cwd, maxBuffer: 64 << 20 }).then(
    (r) => r.stdout,
    (error: { stdout?: string }) => error.stdout ?? "",
  );
  return parseDiagnostics(stdout);
}

/** Every planned resource instance of `type`. */
export function resourcesOf(p: PlanJson, type: string): PlannedResource[] {
  return p.planned_values.root_module.resources.filter((r) => r.type === type);
}

/** The planned resource at `address`; fails the test when it is not planned. */
export function resourceAt(p: PlanJson, address: string): PlannedResource {
  const found = p.planned_values.root_module.resources.find((r) => r.address === address);
  if (!found) throw new Error(`${address} is not in the plan; planned: ${addresses(p).join(", ")}`);
  return found;
}

/** The addresses of every planned resource instance. */
export function addresses(p: PlanJson): string[] {
  return p.planned_values.root_module.resources.map((r) => r.address).sort();
}

/** The configuration of the resource block at `address` (no instance key), for values the plan does not know yet. */
export function configurationOf(p: PlanJson, address: string): ConfiguredResource {
  const found = p.configuration.root_module.resources.find((r) => r.address === address);
  if (!found) throw new Error(`${address} is not in the configuration`);
  return found;
}

/** A planned output value (undefined when it is known only after apply). */
export function outputOf(p: PlanJson, name: string): unknown {
  return p.output_changes[name]?.after;
}

/** The hashicorp/aws major a var file needs, from its `# requires: hashicorp/aws N` line (default 5). */
function requiredMajorOf(file: string): number {
  return Number(/^# requires: hashicorp\/aws (\d+)/m.exec(readFileSync(file, "utf8"))?.[1] ?? 5);
}

/** The hashicorp/aws major an example needs. */
export function requiredMajor(name: string): number {
  return requiredMajorOf(example(name));
}

/** The examples a configuration built for the mirror's provider major can plan (the others need a newer major). */
export function mirrorMajorExamples(): string[] {
  return EXAMPLES.filter((name) => requiredMajor(name) <= inject("awsProviderMajor"));
}

/** The names of every example var file under `examples/`. */
export const EXAMPLES: string[] = readdirSync(join(ROOT, "examples"))
  .filter((f) => f.endsWith(".tfvars"))
  .map((f) => f.replace(/\.tfvars$/, ""))
  .sort();
