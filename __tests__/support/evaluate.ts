import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { inject } from "vitest";
import { Vars } from "./terraform.js";

const run = promisify(execFile);

/** The synthesized configuration the tests plan. */
export function synthesized(): { resource: Record<string, Record<string, Record<string, unknown>>>; [block: string]: any } {
  return JSON.parse(readFileSync(join(inject("terraformWorkdir"), "cdk.tf.json"), "utf8"));
}

/**
 * A reference to a resource or data source attribute: `aws_x.y.attr`,
 * `aws_x.y[0].attr`, `aws_x.y[each.key].attr`, or the `one(aws_x.y[*].attr)` of an optional resource;
 * the `aws_x.y[*].attr` of every instance (a list: one placeholder stands for them, whatever the count);
 * or to a whole resource, `aws_x.y`.
 */
const REFERENCE =
  /one\(((?:data\.)?(?:aws_[a-z0-9_]+|terraform_data)\.[a-z0-9_]+)\[\*\]((?:\.[a-z0-9_]+)+)\)|\b((?:data\.)?(?:aws_[a-z0-9_]+|terraform_data)\.[a-z0-9_]+)\[\*\]((?:\.[a-z0-9_]+)+)|\b((?:data\.)?(?:aws_[a-z0-9_]+|terraform_data)\.[a-z0-9_]+)(?:\[[^\]]+\])?((?:\.[a-z0-9_]+)+)|\b((?:data\.)?(?:aws_[a-z0-9_]+|terraform_data)\.[a-z0-9_]+)\b(?![.[])/g;

/**
 * Evaluates an attribute of the synthesized configuration with Terraform, for
 * the given variables. Resource attributes are only known after apply, so each
 * reference to one becomes the placeholder string `<address.attribute>`; what
 * the expression builds around them (actions, conditions, variables) is
 * evaluated for real, with the configuration's locals. This is how the tests
 * read IAM documents and environment maps that the plan shows as "known after apply".
 */
export async function evaluate(base: string, overrides: Vars, address: string, path: string[]): Promise<unknown> {
  const [type, name] = address.split(".");
  return evaluateAt(base, overrides, ["resource", type, name, ...path]);
}

/** Each expression is evaluated once per test file (each takes a plan of its own): tests ask for the same environment often. */
const evaluated = new Map<string, Promise<unknown>>();

/** Expressions asked for in the same turn of the event loop, by variables: one plan evaluates them all. */
const pending = new Map<string, { readonly base: string; readonly overrides: Vars; readonly items: { path: string[]; resolve: (v: unknown) => void; reject: (e: unknown) => void }[] }>();

/**
 * Like {@link evaluate}, for any expression of the synthesized configuration, named by its path in it (e.g. `["provider", "aws", "0", "region"]`).
 * Expressions asked for together (`Promise.all`) with the same variables share one plan.
 */
export function evaluateAt(base: string, overrides: Vars, path: string[]): Promise<unknown> {
  const key = JSON.stringify([base, overrides, path]);
  let value = evaluated.get(key);
  if (!value) {
    value = new Promise((resolve, reject) => {
      const batchKey = JSON.stringify([base, overrides]);
      let batch = pending.get(batchKey);
      if (!batch) {
        const created = { base, overrides, items: [] as { path: string[]; resolve: (v: unknown) => void; reject: (e: unknown) => void }[] };
        pending.set(batchKey, created);
        setImmediate(() => {
          pending.delete(batchKey);
          void flush(created);
        });
        batch = created;
      }
      batch.items.push({ path, resolve, reject });
    });
    evaluated.set(key, value);
  }
  return value;
}

/** One plan for a batch; when it fails, each expression alone, so that each failure names its own expression. */
async function flush(batch: { base: string; overrides: Vars; items: { path: string[]; resolve: (v: unknown) => void; reject: (e: unknown) => void }[] }): Promise<void> {
  const settle = async (items: typeof batch.items) => {
    const values = await evaluateTogether(batch.base, batch.overrides, items.map((i) => i.path));
    items.forEach((item, n) => item.resolve(values[n]));
  };
  try {
    await settle(batch.items);
  } catch (error) {
    if (batch.items.length === 1) return batch.items[0].reject(error);
    await Promise.all(batch.items.map((item) => settle([item]).catch((e: unknown) => item.reject(e))));
  }
}

async function evaluateTogether(base: string, overrides: Vars, paths: string[][]): Promise<unknown[]> {
  const expressions = paths.map((path) => {
    let value: unknown = synthesized();
    for (const key of path) value = (value as Record<string, unknown> | undefined)?.[key];
    if (typeof value !== "string") throw new Error(`${path.join(".")} is not an expression in the configuration`);
    return value;
  });
  const where = paths.map((p) => p.join(".")).join(", ");
  const withPlaceholders = (text: string) =>
    text.replace(REFERENCE, (_m, optional, optionalAttr, splat, splatAttr, resource, attr, whole) =>
      splat ? `[${JSON.stringify(`<${splat}${splatAttr}>`)}]` : JSON.stringify(`<${optional ?? resource ?? whole}${optionalAttr ?? attr ?? ""}>`),
    );
  const locals = Object.fromEntries(Object.entries<string>(synthesized().locals ?? {}).map(([k, v]) => [k, withPlaceholders(v)]));
  // A configuration of the variables and one output per expression; no provider is needed to plan it.
  // The outputs are sensitive, as some values they may hold are; the JSON plan shows their values all the same.
  const cwd = mkdtempSync(join(inject("variablesWorkdir"), "evaluate-"));
  const output = Object.fromEntries(expressions.map((e, n) => [`value${n}`, { value: withPlaceholders(e), sensitive: true }]));
  writeFileSync(join(cwd, "evaluate.tf.json"), JSON.stringify({ variable: synthesized().variable, locals, output }));
  writeFileSync(join(cwd, "overrides.tfvars.json"), JSON.stringify(overrides));
  const fail = (error: { stdout?: string; stderr?: string; message: string }) => {
    throw new Error(`evaluating ${where} failed: ${error.stderr || error.stdout || error.message}`);
  };
  await run("terraform", ["plan", "-input=false", "-lock=false", "-no-color", `-var-file=${base}`, "-var-file=overrides.tfvars.json", "-out=plan"], { cwd }).catch(fail);
  const { stdout } = await run("terraform", ["show", "-json", "plan"], { cwd, maxBuffer: 16 << 20 }).catch(fail);
  const outputs = (JSON.parse(stdout) as { planned_values: { outputs: Record<string, { value: unknown }> } }).planned_values.outputs;
  return expressions.map((_, n) => outputs[`value${n}`].value);
}
