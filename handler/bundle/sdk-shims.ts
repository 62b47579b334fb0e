import process from "node:process";

/**
 * Stands in for the SDK's `@modelcontextprotocol/server/_shims` in the
 * Lambda bundle (see scripts/build-handler.ts). The SDK's default JSON Schema
 * validator is ajv, 150 KB of the bundle, and the SDK only builds it for
 * tools registered with plain JSON Schema. Every tool here declares a zod
 * schema, so the bundle leaves ajv out; a tool registered otherwise fails
 * loudly, naming the fix, instead of validating nothing.
 */
export class DefaultJsonSchemaValidator {
  getValidator(): never {
    throw new Error(
      "This bundle leaves out the SDK's JSON Schema validator (ajv): declare tool schemas with zod, or drop the _shims alias in scripts/build-handler.ts.",
    );
  }
}

export { process };
