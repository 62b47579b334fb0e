import { Construct } from "constructs";
import { TerraformResource, ApiGatewayIntegration, ApiGatewayIntegrationResponse, ApiGatewayMethod, ApiGatewayMethodResponse } from "./framework.js";
import { CORS } from "../handler/http-contract.js";
import { countWhen, expr, forEachIn, withAddress } from "./expressions.js";
import { input } from "./inputs.js";

/** HCL: true when browsers at `var.allowed_origins` may call. */
export const CORS_ENABLED = `length(${input.allowed_origins}) > 0`;

/** The preflight's headers, set only for an allowed origin (API Gateway's own CORS support answers any origin alike). */
const PREFLIGHT_HEADERS: Record<string, string> = {
  "Access-Control-Allow-Methods": CORS.allowMethods.join(", "),
  "Access-Control-Allow-Headers": CORS.allowHeaders.join(", "),
  "Access-Control-Max-Age": String(CORS.maxAgeSeconds),
};

/** Props of {@link RestCors}. */
export interface RestCorsProps {
  /** HCL: true when the preflights are answered at all (the REST front is built, and whatever else they need). */
  readonly when: string;
  /** HCL: the REST API's id. */
  readonly restApiId: string;
  /**
   * Which resources answer preflights: one, by its HCL id (`/mcp`, resources `cors`), or several, by an HCL map of
   * name to id (resources `<address>[name]`).
   */
  readonly resources: { readonly id: string } | { readonly ids: string };
  /** The name of the resources' addresses. */
  readonly address: string;
}

/**
 * Browsers' preflights on the REST front (`OPTIONS /mcp`), which a REST API
 * answers only with a method of its own: a MOCK integration, without the
 * function or the authorizer, whose response template answers an allowed
 * origin (`var.allowed_origins`) with the methods and headers an MCP client
 * uses, and any other origin with none. The actual answers carry their CORS
 * headers from the server.
 */
export class RestCors extends Construct {
  /** Everything a deployment must follow. */
  readonly resources: TerraformResource[];

  constructor(scope: Construct, id: string, props: RestCorsProps) {
    super(scope, id);
    const enabled = `${props.when} && ${CORS_ENABLED}`;
    const ids = "ids" in props.resources ? props.resources.ids : undefined;
    const common = {
      // One resource is counted; each of a map gets its own instances, keyed by name.
      ...(ids === undefined && { count: countWhen(enabled) }),
      restApiId: expr(props.restApiId),
      resourceId: expr("id" in props.resources ? props.resources.id : "each.value"),
      httpMethod: "OPTIONS",
    };
    const each = <T extends TerraformResource>(resource: T): T => (ids === undefined ? resource : forEachIn(resource, `${enabled} ? ${ids} : {}`));
    const method = each(withAddress(new ApiGatewayMethod(this, "method", { ...common, authorization: "NONE" }), props.address));
    const integration = each(
      withAddress(
        new ApiGatewayIntegration(this, "integration", {
          ...common,
          type: "MOCK",
          requestTemplates: { "application/json": '{"statusCode": 204}' },
          dependsOn: [method],
        }),
        props.address,
      ),
    );
    const headerNames = ["Access-Control-Allow-Origin", ...Object.keys(PREFLIGHT_HEADERS), "Vary"];
    const methodResponse = each(
      withAddress(
        new ApiGatewayMethodResponse(this, "method-response", {
          ...common,
          statusCode: "204",
          responseParameters: Object.fromEntries(headerNames.map((name) => [`method.response.header.${name}`, false])),
          dependsOn: [method],
        }),
        props.address,
      ),
    );
    // VTL: the Origin header (either case), checked against the allowed list; only then the CORS headers.
    const overrides = Object.entries(PREFLIGHT_HEADERS)
      .map(([name, value]) => `#set($context.responseOverride.header.${name} = "${value}")`)
      .join("\n");
    const template = [
      "#set($origin = $input.params().header.get('Origin'))",
      `#if("$!origin" == "")#set($origin = $input.params().header.get('origin'))#end`,
      `#if(\${jsonencode(${input.allowed_origins})}.contains("$!origin"))`,
      '#set($context.responseOverride.header.Access-Control-Allow-Origin = "$origin")',
      overrides,
      "#end",
      '#set($context.responseOverride.header.Vary = "Origin")',
    ].join("\n");
    const integrationResponse = each(
      withAddress(
        new ApiGatewayIntegrationResponse(this, "integration-response", {
          ...common,
          statusCode: "204",
          responseTemplates: { "application/json": template },
          dependsOn: [integration, methodResponse],
        }),
        props.address,
      ),
    );
    this.resources = [method, integration, methodResponse, integrationResponse];
  }
}
