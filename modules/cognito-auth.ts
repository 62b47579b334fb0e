import { Construct } from "constructs";
import { Precondition } from "cdktf";
import { CognitoUserPool } from "@cdktf/provider-aws/lib/cognito-user-pool";
import { CognitoUserPoolDomain } from "@cdktf/provider-aws/lib/cognito-user-pool-domain";
import { CognitoResourceServer } from "@cdktf/provider-aws/lib/cognito-resource-server";
import { CognitoUserPoolClient } from "@cdktf/provider-aws/lib/cognito-user-pool-client";
import { address, countWhen, expr, local, optionalAttr, withAddress } from "./expressions.js";
import { MCP_SCOPE } from "./routes.js";
import { Platform } from "./platform.js";

const EXTERNAL_POOL_INPUTS = ["cognito_user_pool_id", "cognito_user_pool_endpoint", "cognito_client_id"];

/** HCL: the value, or "" when null (try() passes a null through). */
const orEmpty = (hcl: string) => `(${hcl} == null ? "" : ${hcl})`;


/**
 * OAuth 2.0 client-credentials authentication (IA-2, IA-8): either a user pool
 * the module creates — pool, domain, resource server `mcp` with scope
 * `invoke`, one confidential client allowed only the client_credentials flow —
 * or the caller's own pool, given by the three `cognito_*` inputs.
 */
export class CognitoAuth extends Construct {
  /** HCL: true when the module creates the user pool (no `cognito_*` input given). */
  readonly createsPool: string;
  /** HCL: the token issuer (`https://cognito-idp.<region>.amazonaws.com/<pool id>`). */
  readonly issuer: string;
  /** HCL: the app client id, checked as the token's audience. */
  readonly clientId: string;
  /** HCL: the token endpoint of the internal pool, null with an external pool. */
  readonly tokenEndpoint: string;
  /** HCL: the user pool's ARN (a REST API's authorizer names the pool by ARN). */
  readonly userPoolArn: string;

  constructor(scope: Construct, id: string, props: { readonly platform: Platform }) {
    super(scope, id);
    this.createsPool = local(this, "create_user_pool", EXTERNAL_POOL_INPUTS.map((i) => `var.${i} == null`).join(" && "));
    const created = countWhen(this.createsPool);

    const pool = withAddress(
      new CognitoUserPool(this, "pool", {
        count: created,
        name: expr("var.name"),
        deletionProtection: "ACTIVE",
        // Threat protection needs the Plus plan; on Essentials the mode must be OFF.
        userPoolTier: expr('var.cognito_threat_protection ? "PLUS" : "ESSENTIALS"'),
        userPoolAddOns: { advancedSecurityMode: expr('var.cognito_threat_protection ? "ENFORCED" : "OFF"') },
        // Machine clients only: nobody signs up, and no user can be created but by an administrator.
        adminCreateUserConfig: { allowAdminCreateUserOnly: true },
      }),
      "this",
    );
    const poolRef = `${address(pool)}[0]`;

    const domain = withAddress(
      new CognitoUserPoolDomain(this, "domain", {
        count: created,
        // Domain prefixes are global per region; the pool id's suffix makes ours unique.
        domain: `\${var.name}-\${lower(split("_", ${poolRef}.id)[1])}`,
        userPoolId: expr(`${poolRef}.id`),
        lifecycle: {
          precondition: [
            {
              condition: expr('!can(regex("aws|amazon|cognito", var.name))'),
              errorMessage:
                "The Cognito domain prefix is made from var.name, and Cognito refuses prefixes containing \"aws\", \"amazon\" or \"cognito\". Choose another name, or bring your own pool with the cognito_* inputs.",
            },
          ],
        },
      }),
      "this",
    );

    const resourceServer = withAddress(
      new CognitoResourceServer(this, "resource-server", {
        count: created,
        userPoolId: expr(`${poolRef}.id`),
        identifier: MCP_SCOPE.split("/")[0],
        name: "MCP server",
        scope: [{ scopeName: MCP_SCOPE.split("/")[1], scopeDescription: "Call the MCP server" }],
      }),
      "this",
    );

    const client = withAddress(
      new CognitoUserPoolClient(this, "client", {
        count: created,
        name: "${var.name}-client",
        userPoolId: expr(`${poolRef}.id`),
        generateSecret: true,
        allowedOauthFlowsUserPoolClient: true,
        allowedOauthFlows: ["client_credentials"],
        // Referencing the resource server orders its creation before the client that uses its scope.
        allowedOauthScopes: [`\${${address(resourceServer)}[0].identifier}/${MCP_SCOPE.split("/")[1]}`],
        explicitAuthFlows: ["ALLOW_REFRESH_TOKEN_AUTH"],
        supportedIdentityProviders: ["COGNITO"],
        preventUserExistenceErrors: "ENABLED",
        enableTokenRevocation: true,
        accessTokenValidity: 60,
        tokenValidityUnits: [{ accessToken: "minutes" }],
      }),
      "this",
    );

    this.issuer = local(
      this,
      "cognito_issuer",
      `try(${this.createsPool} ? "https://\${${poolRef}.endpoint}" : "https://\${trimprefix(var.cognito_user_pool_endpoint, "https://")}", null)`,
    );
    this.clientId = local(this, "client_id", `${this.createsPool} ? ${optionalAttr(client, "id")} : var.cognito_client_id`);
    this.userPoolArn = local(this, "cognito_user_pool_arn", `${this.createsPool} ? ${optionalAttr(pool, "arn")} : var.cognito_user_pool_arn`);
    this.tokenEndpoint = `try("https://\${${address(domain)}[0].domain}.auth.\${${props.platform.region}}.amazoncognito.com/oauth2/token", null)`;
  }

  /** Guards for whatever uses the authorizer: all three external inputs or none, and a consistent pool. */
  preconditions(): Precondition[] {
    const given = EXTERNAL_POOL_INPUTS.map((i) => `var.${i} != null`).join(" && ");
    const missing = `join(", ", compact([${EXTERNAL_POOL_INPUTS.map((i) => `var.${i} == null ? "${i}" : ""`).join(", ")}]))`;
    return [
      {
        condition: expr(`${this.createsPool} || (${given})`),
        errorMessage: `An external Cognito pool needs all three of ${EXTERNAL_POOL_INPUTS.join(", ")}; missing: \${${missing}}. Set the missing ones, or set none of them to let the module create a pool.`,
      },
      {
        condition: expr(`!(${given}) || var.api_type != "REST" || endswith(${orEmpty("var.cognito_user_pool_arn")}, "userpool/\${${orEmpty("var.cognito_user_pool_id")}}")`),
        errorMessage:
          "With api_type = \"REST\" and an external pool, set cognito_user_pool_arn (arn:<partition>:cognito-idp:<region>:<account>:userpool/<cognito_user_pool_id>): the REST API's Cognito authorizer names the pool by ARN, and its account is in no other input.",
      },
      {
        condition: expr(`!(${given}) || endswith(${orEmpty("var.cognito_user_pool_endpoint")}, "/\${${orEmpty("var.cognito_user_pool_id")}}")`),
        errorMessage: "cognito_user_pool_endpoint must end with cognito_user_pool_id (\"cognito-idp.<region>.amazonaws.com/<pool id>\"): the two inputs name different pools.",
      },
    ];
  }
}
