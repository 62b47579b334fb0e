import type * as z from "zod";

type JsonSchemaOf = (options: { target: string; libraryOptions?: Record<string, unknown> }) => Record<string, unknown>;

/**
 * `schema`, converted to JSON Schema once per environment instead of on every
 * `tools/list`. The SDK converts a tool's schema each time a server lists it,
 * and this handler builds a server per request (its tools are bound to the
 * caller). zod lets its Standard Schema properties be replaced; validation
 * stays zod's own. The result is frozen, so that code changing a shared
 * schema fails loudly instead of changing every later answer.
 */
export function listedOnce<T extends z.ZodType>(schema: T): T {
  const standard = schema["~standard"] as T["~standard"] & { jsonSchema: { input: JsonSchemaOf; output: JsonSchemaOf } };
  const converted = new Map<string, Record<string, unknown>>();
  const once =
    (io: "input" | "output"): JsonSchemaOf =>
    (options) => {
      // Library options change the result and are rare: those calls are not remembered.
      if (options.libraryOptions) return standard.jsonSchema[io](options);
      const key = `${io} ${options.target}`;
      let json = converted.get(key);
      if (!json) converted.set(key, (json = deepFreeze(standard.jsonSchema[io](options))));
      return json;
    };
  (schema as { "~standard": unknown })["~standard"] = { ...standard, jsonSchema: { input: once("input"), output: once("output") } };
  return schema;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
