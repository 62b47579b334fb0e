/**
 * Renders a Terraform JSON configuration as HCL. cdktf's own HCL output falls
 * back to JSON once a stack uses overrides (this one does, for lifecycle rules,
 * dynamic blocks and for_each over variables), and `cdktf get` types a
 * module's inputs only from HCL. JSON cannot tell a nested block from an
 * object attribute, so the provider schema (`terraform providers schema
 * -json`) decides.
 */

/** The part of `terraform providers schema -json` the renderer reads. */
export interface BlockSchema {
  attributes?: Record<string, unknown>;
  block_types?: Record<string, { block: BlockSchema }>;
}

export interface ProviderSchemas {
  resource_schemas: Record<string, { block: BlockSchema }>;
  data_source_schemas: Record<string, { block: BlockSchema }>;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const META_BLOCKS = new Set(["lifecycle", "precondition", "postcondition", "validation", "assert"]);

/** HCL for a JSON string: a bare expression when it is one interpolation, else a quoted template. */
export function stringValue(value: string): string {
  const whole = singleInterpolation(value);
  if (whole !== undefined) return whole;
  return `"${template(value)}"`;
}

/** The expression of `${...}` when `value` is exactly one interpolation. */
function singleInterpolation(value: string): string | undefined {
  if (!value.startsWith("${")) return undefined;
  const end = interpolationEnd(value, 2);
  return end === value.length - 1 ? value.slice(2, end) : undefined;
}

/** Index of the `}` closing the interpolation whose expression starts at `start`. */
function interpolationEnd(value: string, start: number): number {
  let depth = 0;
  let quote = false;
  for (let i = start; i < value.length; i++) {
    const c = value[i];
    if (quote) {
      if (c === "\\") i++;
      else if (c === '"') quote = false;
      else if (c === "$" && value[i + 1] === "{") {
        // A template inside a string inside the expression.
        i = interpolationEnd(value, i + 2);
      }
      continue;
    }
    if (c === '"') quote = true;
    else if (c === "{" || c === "(" || c === "[") depth++;
    else if (c === ")" || c === "]") depth--;
    else if (c === "}") {
      if (depth === 0) return i;
      depth--;
    }
  }
  throw new Error(`unterminated interpolation in ${JSON.stringify(value)}`);
}

/** The inside of a quoted HCL template: literal parts escaped, interpolations kept as written. */
function template(value: string): string {
  let out = "";
  for (let i = 0; i < value.length; i++) {
    if (value.startsWith("$${", i)) {
      out += "$${";
      i += 2;
    } else if (value.startsWith("${", i)) {
      const end = interpolationEnd(value, i + 2);
      out += value.slice(i, end + 1).replace(/\n\s*/g, " ");
      i = end;
    } else {
      const c = value[i];
      out += c === '"' ? '\\"' : c === "\\" ? "\\\\" : c === "\n" ? "\\n" : c === "\t" ? "\\t" : c;
    }
  }
  return out;
}

function key(name: string): string {
  return IDENTIFIER.test(name) ? name : JSON.stringify(name);
}

/** An HCL value for an attribute (no blocks inside). */
export function value(v: Json, indent = ""): string {
  if (v === null) return "null";
  if (typeof v === "string") return stringValue(v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  const inner = `${indent}  `;
  if (Array.isArray(v)) return v.length ? `[\n${v.map((e) => `${inner}${value(e, inner)},`).join("\n")}\n${indent}]` : "[]";
  const entries = Object.entries(v).filter(([k]) => k !== "//");
  return entries.length ? `{\n${entries.map(([k, e]) => `${inner}${key(k)} = ${value(e, inner)}`).join("\n")}\n${indent}}` : "{}";
}

/** The body of a block: attributes, then nested blocks (by schema), meta-arguments included. */
export function body(content: Record<string, Json>, schema: BlockSchema | undefined, indent: string): string {
  const lines: string[] = [];
  for (const [name, raw] of Object.entries(content)) {
    if (name === "//") continue;
    if (name === "dynamic") {
      for (const [blockName, dyn] of Object.entries(raw as Record<string, Record<string, Json>>)) {
        const nested = schema?.block_types?.[blockName]?.block;
        const { content: dynContent, ...meta } = dyn;
        lines.push(`${indent}dynamic "${blockName}" {`);
        lines.push(body(meta, undefined, `${indent}  `));
        lines.push(`${indent}  content {`, body(dynContent as Record<string, Json>, nested, `${indent}    `), `${indent}  }`, `${indent}}`);
      }
      continue;
    }
    const nested = schema?.block_types?.[name]?.block ?? (META_BLOCKS.has(name) ? {} : undefined);
    if (nested !== undefined && (typeof raw === "object" && raw !== null)) {
      for (const item of Array.isArray(raw) ? raw : [raw]) {
        lines.push(`${indent}${name} {`, body(item as Record<string, Json>, nested, `${indent}  `), `${indent}}`);
      }
      continue;
    }
    const isReferenceList = name === "depends_on" || name === "ignore_changes" || name === "replace_triggered_by";
    // A dynamic block's iterator is a bare name.
    const rendered = isReferenceList ? references(raw as string[], indent) : name === "iterator" ? String(raw) : value(raw, indent);
    lines.push(`${indent}${key(name)} = ${rendered}`);
  }
  return lines.filter((l) => l !== "").join("\n");
}

/** `depends_on`, `ignore_changes` and `replace_triggered_by` take references, not strings. */
function references(list: string[], indent: string): string {
  return `[\n${list.map((r) => `${indent}  ${r.replace(/^\$\{(.*)\}$/, "$1")},`).join("\n")}\n${indent}]`;
}

/** The whole configuration, as HCL files by concern. */
export function renderModule(config: Record<string, any>, schemas: ProviderSchemas): Record<string, string> {
  const block = (head: string, content: Record<string, Json>, schema?: BlockSchema) => `${head} {\n${body(content, schema, "  ")}\n}\n`;
  // No backend: a module's state is its caller's.
  const providers = Object.entries(config.terraform.required_providers as Record<string, Json>).map(([name, req]) => `    ${name} = ${value(req, "    ")}`);
  const versions = `terraform {\n  required_version = ${stringValue(config.terraform.required_version)}\n  required_providers {\n${providers.join("\n")}\n  }\n}\n`;
  const variables = Object.entries(config.variable ?? {})
    .map(([name, v]) => {
      const { type, ...rest } = v as Record<string, Json>;
      return `variable "${name}" {\n  type = ${type}\n${body(rest, {}, "  ")}\n}\n`;
    })
    .join("\n");
  const outputs = Object.entries(config.output ?? {})
    .map(([name, o]) => block(`output "${name}"`, o as Record<string, Json>))
    .join("\n");
  const main: string[] = [];
  if (config.locals) main.push(`locals {\n${body(config.locals, {}, "  ")}\n}\n`);
  for (const [type, instances] of Object.entries(config.data ?? {}))
    for (const [name, d] of Object.entries(instances as Record<string, Record<string, Json>>))
      main.push(block(`data "${type}" "${name}"`, d, schemas.data_source_schemas[type]?.block));
  for (const [type, instances] of Object.entries(config.resource ?? {}))
    for (const [name, r] of Object.entries(instances as Record<string, Record<string, Json>>))
      main.push(block(`resource "${type}" "${name}"`, r, schemas.resource_schemas[type]?.block ?? (type === "terraform_data" ? {} : undefined)));
  for (const [name, c] of Object.entries(config.check ?? {})) main.push(block(`check "${name}"`, c as Record<string, Json>, {}));
  for (const m of (config.moved ?? []) as { from: string; to: string }[]) main.push(`moved {\n  from = ${m.from}\n  to   = ${m.to}\n}\n`);
  return { "versions.tf": versions, "variables.tf": variables, "main.tf": main.join("\n"), "outputs.tf": outputs };
}
