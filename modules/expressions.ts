import { Construct } from "constructs";
import { Lazy, TerraformLocal, Token, TerraformResource } from "./framework.js";

/**
 * Terraform expressions written as HCL.
 *
 * Every switch of this module is a Terraform variable, so its logic must live
 * in the synthesized configuration, not in TypeScript. Writing those
 * expressions as HCL keeps them readable on both sides: a reviewer of the
 * plan sees the same `var.enable_sessions ? 1 : 0` that the code says.
 */

/** A string-typed Terraform expression, e.g. `expr("var.name")` → `${var.name}`. */
export function expr(hcl: string): string {
  return `\${${hcl}}`;
}

/** A number-typed Terraform expression. */
export function exprNumber(hcl: string): number {
  return Token.asNumber(expr(hcl));
}

/** A list-typed Terraform expression. */
export function exprList(hcl: string): string[] {
  return Token.asList(expr(hcl));
}

/** A map-typed Terraform expression. */
export function exprMap(hcl: string): Record<string, string> {
  return Token.asStringMap(expr(hcl));
}

/** `count` for a resource that exists only when `condition` (HCL) holds. */
export function countWhen(condition: string): number {
  return exprNumber(`${condition} ? 1 : 0`);
}

/** The Terraform address of a resource, e.g. `aws_lambda_function.this`. */
export function address(resource: TerraformResource): string {
  return `${resource.terraformResourceType}.${resource.friendlyUniqueId}`;
}

/**
 * HCL that a construct built later provides, resolved at synthesis: how a
 * construct passes a value to one built before it (the function's settings
 * name the tenant-access role, which needs the function's role first).
 */
export function later(what: string, produce: () => string | undefined): string {
  return Lazy.stringValue({
    produce: () => {
      const value = produce();
      if (value === undefined) throw new Error(`${what} was used but never provided: the construct that provides it was not built`);
      return value;
    },
  });
}

/**
 * HCL for an attribute of a resource created with `countWhen`: the value, or
 * null when the resource is not created.
 */
export function optionalAttr(resource: TerraformResource, attribute: string): string {
  return `one(${address(resource)}[*].${attribute})`;
}

/** HCL list literal of the given strings, e.g. `["POST /mcp", "GET /mcp"]`. */
export function hclList(values: readonly string[]): string {
  return `[${values.map((v) => JSON.stringify(v)).join(", ")}]`;
}

/**
 * Gives `resource` the stable, readable address `<type>.<name>` instead of a
 * generated one. Addresses are part of the module's contract: a changed
 * address replaces the resource.
 */
export function withAddress<T extends TerraformResource>(resource: T, name: string): T {
  resource.overrideLogicalId(name);
  return resource;
}

/**
 * Makes one instance of `resource` per element of an HCL collection
 * (`for_each`); inside, `each.value` is the element. Used where the collection
 * is a variable, which cdktf's iterators would wrap in a second expression.
 */
export function forEachIn<T extends TerraformResource>(resource: T, collection: string): T {
  resource.addOverride("for_each", expr(collection));
  return resource;
}

/**
 * Declares `local.<name>` as the HCL expression and returns the reference.
 * An expression used in several places is named once, so the synthesized
 * configuration reads like hand-written Terraform.
 */
export function local(scope: Construct, name: string, hcl: string): string {
  new TerraformLocal(scope, `local-${name}`, expr(hcl)).overrideLogicalId(name);
  return `local.${name}`;
}

/** HCL object literal of string values that may contain HCL templates. */
export function hclObject(values: Record<string, string>): string {
  return `{ ${Object.entries(values)
    .map(([k, v]) => `${JSON.stringify(k)} = "${v}"`)
    .join(", ")} }`;
}

/** A role's trust policy that lets the AWS service `service` (e.g. "lambda.amazonaws.com") assume it, and nothing else. */
export function serviceTrustPolicy(service: string): string {
  return expr(`jsonencode({
          Version   = "2012-10-17"
          Statement = [{ Effect = "Allow", Principal = { Service = "${service}" }, Action = "sts:AssumeRole" }]
        })`);
}
