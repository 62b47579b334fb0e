import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./terraform-workdir.js";

/**
 * The hashicorp/aws schema, reduced to what a configuration's structure can be
 * checked against: which arguments and nested blocks a resource, data source or
 * the provider takes, which are required, which blocks may appear once only,
 * and which attributes can be referenced.
 */
export interface BlockSchema {
  /** Arguments (not blocks) by name; true when required. */
  readonly arguments: Map<string, boolean>;
  readonly blocks: Map<string, { readonly single: boolean; readonly required: boolean; readonly schema: BlockSchema }>;
}
export interface TypeSchema {
  readonly block: BlockSchema;
  /** Every attribute a reference may read: arguments and computed attributes. */
  readonly readable: Set<string>;
}
export interface ProviderSchema {
  readonly version: string;
  readonly provider: BlockSchema;
  readonly resource: Map<string, TypeSchema>;
  readonly data: Map<string, TypeSchema>;
}

/** The synthesized configuration (cdk.tf.json), as far as this module reads it. */
export interface TerraformJson {
  provider?: Record<string, Record<string, unknown>[]>;
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  [block: string]: unknown;
}

// --- The 6.x schema, from the jsii assembly of @cdktf/provider-aws ------------------------------

interface JsiiType {
  kind: string;
  datatype?: boolean;
  base?: string;
  docs?: { summary?: string; remarks?: string };
  initializer?: { parameters?: { type: JsiiTypeRef }[] };
  properties?: { name: string; optional?: boolean; static?: boolean; type: JsiiTypeRef; docs?: { summary?: string; remarks?: string } }[];
}
interface JsiiTypeRef {
  fqn?: string;
  primitive?: string;
  collection?: { kind: string; elementtype: JsiiTypeRef };
  union?: { types: JsiiTypeRef[] };
}

/** The Terraform name of a generated property: its docs link to the registry anchor `#<name>`. */
function terraformName(p: { docs?: { summary?: string; remarks?: string } }): string | undefined {
  return /registry\.terraform\.io\/\S+#([a-z0-9_]+) /.exec(`${p.docs?.summary ?? ""} ${p.docs?.remarks ?? ""}`)?.[1];
}

/**
 * Reads the hashicorp/aws schema that `@cdktf/provider-aws` was generated from, out of its jsii
 * assembly: every resource, data source and provider class, with its config struct's properties.
 * A property typed as a struct is a block that may appear once; one typed as a list of structs
 * (beside `IResolvable`) may repeat.
 */
export function jsiiProviderSchema(path = join(ROOT, "node_modules/@cdktf/provider-aws/.jsii")): ProviderSchema {
  const assembly = JSON.parse(readFileSync(path, "utf8")) as { types: Record<string, JsiiType> };
  const types = assembly.types;
  const isStruct = (ref: JsiiTypeRef | undefined) => ref?.fqn !== undefined && types[ref.fqn]?.datatype === true;
  const blockOf = (fqn: string): BlockSchema => {
    const schema: BlockSchema = { arguments: new Map(), blocks: new Map() };
    for (const p of types[fqn].properties ?? []) {
      const name = terraformName(p);
      if (!name) continue;
      const required = !p.optional;
      const listOf = p.type.union?.types.find((t) => t.collection?.kind === "array" && isStruct(t.collection.elementtype))?.collection?.elementtype;
      if (isStruct(p.type)) schema.blocks.set(name, { single: true, required, schema: blockOf(p.type.fqn!) });
      else if (listOf) schema.blocks.set(name, { single: false, required, schema: blockOf(listOf.fqn!) });
      else schema.arguments.set(name, required);
    }
    return schema;
  };
  const result: ProviderSchema = { version: "", provider: { arguments: new Map(), blocks: new Map() }, resource: new Map(), data: new Map() };
  let version = "";
  for (const type of Object.values(types)) {
    const kind = { "cdktf.TerraformResource": "resource", "cdktf.TerraformDataSource": "data", "cdktf.TerraformProvider": "provider" }[type.base ?? ""] as
      | "resource"
      | "data"
      | "provider"
      | undefined;
    const config = type.initializer?.parameters?.[2]?.type.fqn;
    if (!kind || !config) continue;
    const link = /registry\.terraform\.io\/providers\/hashicorp\/aws\/([0-9.]+)\/docs(?:\/(?:resources|data-sources)\/\S+)? (aws(?:_[a-z0-9_]+)?)\}/.exec(type.docs?.summary ?? "");
    if (!link) continue;
    version = link[1];
    const block = blockOf(config);
    if (kind === "provider") {
      (result as { provider: BlockSchema }).provider = block;
      continue;
    }
    // A reference reads the class's attribute getters (camelCase of the Terraform names).
    // Not the `*Input` getters: those read back what the configuration set, under names Terraform does not know.
    const getters = new Set((type.properties ?? []).filter((p) => !p.static && !p.name.endsWith("Input")).map((p) => p.name));
    const readable = new Set([...block.arguments.keys(), ...block.blocks.keys()]);
    for (const getter of getters) readable.add(getter.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
    result[kind].set(link[2], { block, readable });
  }
  return { ...result, version };
}

// --- The 5.x schema, from the provider in an initialized working directory --------------------

interface TerraformBlock {
  attributes?: Record<string, { required?: boolean; optional?: boolean; computed?: boolean }>;
  block_types?: Record<string, { nesting_mode: string; min_items?: number; max_items?: number; block: TerraformBlock }>;
}

/** The schema of the hashicorp/aws provider a working directory was initialized with (`terraform providers schema -json`). */
export function terraformProviderSchema(workdir: string): ProviderSchema {
  const out = execFileSync("terraform", ["providers", "schema", "-json"], { cwd: workdir, encoding: "utf8", maxBuffer: 512 << 20 });
  const aws = (JSON.parse(out) as { provider_schemas: Record<string, { provider: { block: TerraformBlock }; resource_schemas: Record<string, { block: TerraformBlock }>; data_source_schemas: Record<string, { block: TerraformBlock }> }> })
    .provider_schemas["registry.terraform.io/hashicorp/aws"];
  const blockOf = (b: TerraformBlock): BlockSchema => ({
    arguments: new Map(Object.entries(b.attributes ?? {}).filter(([, a]) => a.required || a.optional).map(([n, a]) => [n, a.required === true])),
    blocks: new Map(
      Object.entries(b.block_types ?? {}).map(([n, t]) => [n, { single: t.nesting_mode === "single" || t.max_items === 1, required: (t.min_items ?? 0) > 0, schema: blockOf(t.block) }]),
    ),
  });
  const typeOf = (b: TerraformBlock): TypeSchema => ({ block: blockOf(b), readable: new Set([...Object.keys(b.attributes ?? {}), ...Object.keys(b.block_types ?? {})]) });
  const versionLine = execFileSync("terraform", ["version", "-json"], { cwd: workdir, encoding: "utf8" });
  const version = (JSON.parse(versionLine) as { provider_selections: Record<string, string> }).provider_selections["registry.terraform.io/hashicorp/aws"];
  return {
    version,
    provider: blockOf(aws.provider.block),
    resource: new Map(Object.entries(aws.resource_schemas).map(([n, s]) => [n, typeOf(s.block)])),
    data: new Map(Object.entries(aws.data_source_schemas).map(([n, s]) => [n, typeOf(s.block)])),
  };
}

// --- Checking a configuration against a schema ------------------------------------------------

/** Meta-arguments Terraform itself takes on every resource and data source. */
const META = new Set(["count", "for_each", "depends_on", "lifecycle", "provider", "provisioner", "connection", "//"]);

/** A reference to an attribute of a resource or data source: `[data.]type.name[key].attribute`. */
const REFERENCE = /\b(data\.)?(aws_[a-z0-9_]+)\.([a-z0-9_-]+)(?:\[[^\]]*\])?(?:\[\*\])?\.([a-z0-9_]+)/g;

/** What {@link walk} does with a key the schema does not know. */
type Unknown = (path: string, key: string) => "keep" | "drop";

/** Walks a block body against its schema; reports problems and lets `unknown` drop keys the schema lacks. Returns the body as kept. */
function walk(schema: BlockSchema, body: Record<string, unknown>, path: string, problems: string[], unknown: Unknown, topLevel: boolean): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  const present = new Set<string>();
  for (const [key, value] of Object.entries(body)) {
    if (topLevel && META.has(key)) {
      kept[key] = value;
      continue;
    }
    if (key === "dynamic") {
      const dynamics: Record<string, unknown> = {};
      for (const [name, spec] of Object.entries(value as Record<string, { content?: Record<string, unknown> }>)) {
        const block = schema.blocks.get(name);
        if (!block) {
          if (unknown(path, `dynamic.${name}`) === "keep") problems.push(`${path}: no block "${name}" for a dynamic block`);
          continue;
        }
        present.add(name);
        dynamics[name] = { ...spec, content: walk(block.schema, spec.content ?? {}, `${path}.dynamic.${name}.content`, problems, unknown, false) };
      }
      if (Object.keys(dynamics).length > 0) kept.dynamic = dynamics;
      continue;
    }
    const block = schema.blocks.get(key);
    if (block) {
      present.add(key);
      const items = Array.isArray(value) ? value : [value];
      if (block.single && items.length > 1) problems.push(`${path}.${key}: a single block, given ${items.length} times`);
      const walked = items.map((item, i) => walk(block.schema, item as Record<string, unknown>, `${path}.${key}${Array.isArray(value) ? `[${i}]` : ""}`, problems, unknown, false));
      kept[key] = Array.isArray(value) ? walked : walked[0];
      continue;
    }
    if (schema.arguments.has(key)) {
      present.add(key);
      kept[key] = value;
      continue;
    }
    if (unknown(path, key) === "keep") {
      problems.push(`${path}: no argument or block "${key}"`);
      kept[key] = value;
    }
  }
  for (const [name, required] of schema.arguments) if (required && !present.has(name)) problems.push(`${path}: required argument "${name}" missing`);
  for (const [name, block] of schema.blocks) if (block.required && !present.has(name)) problems.push(`${path}: required block "${name}" missing`);
  return kept;
}

/** Every `[data.]type.name.attribute` reference in the configuration's strings that names a resource or data source it declares. */
function references(config: TerraformJson): { text: string; data: boolean; type: string; name: string; attribute: string }[] {
  const found: { text: string; data: boolean; type: string; name: string; attribute: string }[] = [];
  const visit = (value: unknown) => {
    if (typeof value === "string") {
      for (const m of value.matchAll(REFERENCE)) {
        const [text, data, type, name, attribute] = m;
        if ((data ? config.data : config.resource)?.[type]?.[name] !== undefined) found.push({ text, data: data !== undefined, type, name, attribute });
      }
    } else if (value && typeof value === "object") for (const v of Object.values(value)) visit(v);
  };
  for (const [key, value] of Object.entries(config)) if (key !== "//") visit(value);
  return found;
}

function checkTypes(config: TerraformJson, schema: ProviderSchema, problems: string[], unknown: Unknown): TerraformJson {
  const out: TerraformJson = structuredClone(config);
  for (const kind of ["resource", "data"] as const) {
    for (const [type, instances] of Object.entries(config[kind] ?? {})) {
      // Terraform's own types (terraform_data) are not the provider's to check.
      if (!type.startsWith("aws_")) continue;
      const typeSchema = schema[kind].get(type);
      if (!typeSchema) {
        problems.push(`${kind === "data" ? "data." : ""}${type}: no such ${kind === "data" ? "data source" : "resource type"} in hashicorp/aws ${schema.version}`);
        continue;
      }
      for (const [name, body] of Object.entries(instances)) {
        const path = `${kind === "data" ? "data." : ""}${type}.${name}`;
        out[kind]![type][name] = walk(typeSchema.block, body, path, problems, unknown, true);
      }
    }
  }
  for (const [i, body] of (config.provider?.aws ?? []).entries()) out.provider!.aws[i] = walk(schema.provider, body, `provider.aws[${i}]`, problems, unknown, true);
  return out;
}

/**
 * Checks a synthesized configuration against a provider schema: every resource type, data source,
 * argument and nested block (dynamic ones included) exists, required arguments and blocks are
 * present, a block that may appear once appears once, and every attribute a reference reads exists.
 * Returns the problems found, one line each (none: the configuration fits).
 */
export function checkAgainst(config: TerraformJson, schema: ProviderSchema): string[] {
  const problems: string[] = [];
  checkTypes(config, schema, problems, () => "keep");
  for (const ref of references(config)) {
    const typeSchema = (ref.data ? schema.data : schema.resource).get(ref.type);
    if (typeSchema && !typeSchema.readable.has(ref.attribute)) problems.push(`${ref.text}: ${ref.type} has no attribute "${ref.attribute}" in hashicorp/aws ${schema.version}`);
  }
  return problems;
}

/**
 * Attributes hashicorp/aws 6.0 renamed, as references read them: 6.x name → 5.x name. The 6.0 upgrade
 * guide: the `aws_region` data source's `name` is deprecated in favour of `region`
 * (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/guides/version-6-upgrade).
 */
export const RENAMED_IN_6: Record<string, Record<string, string>> = { aws_region: { region: "name" } };

/**
 * Fits a configuration made for a newer provider to an older one's schema: drops what the older
 * schema lacks (arguments, blocks, dynamic blocks) and renames attributes that references read
 * (`renames`: type → newer attribute → older attribute). Returns the fitted configuration and what
 * was dropped and renamed, so a test can hold that list to exactly the newer-only features.
 */
export function fitTo(
  config: TerraformJson,
  schema: ProviderSchema,
  renames: Record<string, Record<string, string>>,
): { config: TerraformJson; dropped: string[]; renamed: string[]; problems: string[] } {
  const problems: string[] = [];
  const dropped: string[] = [];
  let fitted = checkTypes(config, schema, problems, (path, key) => (dropped.push(`${path}.${key}`), "drop"));
  const renamed = new Set<string>();
  let text = JSON.stringify(fitted);
  for (const ref of references(fitted)) {
    const typeSchema = (ref.data ? schema.data : schema.resource).get(ref.type);
    if (!typeSchema || typeSchema.readable.has(ref.attribute)) continue;
    const older = renames[ref.type]?.[ref.attribute];
    if (!older) {
      problems.push(`${ref.text}: ${ref.type} has no attribute "${ref.attribute}" in hashicorp/aws ${schema.version}, and no rename is known`);
      continue;
    }
    renamed.add(`${ref.type}.${ref.attribute} → ${older}`);
    text = text.split(ref.text).join(ref.text.replace(new RegExp(`\\.${ref.attribute}$`), `.${older}`));
  }
  fitted = JSON.parse(text) as TerraformJson;
  return { config: fitted, dropped, renamed: [...renamed].sort(), problems };
}
