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

/** Like {@link evaluate}, for any expression of the synthesized configuration, named by its path in it (e.g. `["provider", "aws", "0", "region"]`). */
export function evaluateAt(base: string, overrides: Vars, path: string[]): Promise<unknown> {
  const key = JSON.stringify([base, overrides, path]);
  let value = evaluated.get(key);
  if (!value) evaluated.set(key, (value = evaluateOnce(base, overrides, path)));
  return value;
}

async function evaluateOnce(base: string, overrides: Vars, path: string[]): Promise<unknown> {
  let value: unknown = synthesized();
  for (const key of path) value = (value as Record<string, unknown> | undefined)?.[key];
  const where = path.join(".");
  if (typeof value !== "string") throw new Error(`${where} is not an expression in the configuration`);
  const withPlaceholders = (text: string) =>
    text.replace(REFERENCE, (_m, optional, optionalAttr, splat, splatAttr, resource, attr, whole) =>
      splat ? `[${JSON.stringify(`<${splat}${splatAttr}>`)}]` : JSON.stringify(`<${optional ?? resource ?? whole}${optionalAttr ?? attr ?? ""}>`),
    );
  const locals = Object.fromEntries(Object.entries<string>(synthesized().locals ?? {}).map(([k, v]) => [k, withPlaceholders(v)]));
  // A configuration of the variables and one output with the expression; no provider is needed to plan it.
  // The output is sensitive, as some values it may hold are; the JSON plan shows its value all the same.
  const cwd = mkdtempSync(join(inject("variablesWorkdir"), "evaluate-"));
  writeFileSync(join(cwd, "evaluate.tf.json"), JSON.stringify({ variable: synthesized().variable, locals, output: { value: { value: withPlaceholders(value), sensitive: true } } }));
  writeFileSync(join(cwd, "overrides.tfvars.json"), JSON.stringify(overrides));
  const fail = (error: { stdout?: string; stderr?: string; message: string }) => {
    throw new Error(`evaluating ${where} failed: ${error.stderr || error.stdout || error.message}`);
  };
  await run("terraform", ["plan", "-input=false", "-lock=false", "-no-color", `-var-file=${base}`, "-var-file=overrides.tfvars.json", "-out=plan"], { cwd }).catch(fail);
  const { stdout } = await run("terraform", ["show", "-json", "plan"], { cwd, maxBuffer: 16 << 20 }).catch(fail);
  return (JSON.parse(stdout) as { planned_values: { outputs: { value: { value: unknown } } } }).planned_values.outputs.value.value;
}
