import { Construct } from "constructs";
import { CognitoUserPool, CognitoUserPoolDomain, CognitoResourceServer, CognitoUserPoolClient } from "./framework.js";
import { address, countWhen, expr, forEachIn, local, optionalAttr, withAddress } from "./expressions.js";
import { MCP_SCOPE } from "./routes.js";
import { Platform } from "./platform.js";
import { input, type InputName } from "./inputs.js";

/** The inputs that name an external pool; its clients are `cognito_client_id` and `cognito_client_ids`. */
export const EXTERNAL_POOL_INPUTS = ["cognito_user_pool_id", "cognito_user_pool_endpoint"] as const satisfies readonly InputName[];
/** HCL: true when an external pool's client ids are given. */
export const EXTERNAL_CLIENTS_GIVEN = `(${input.cognito_client_id} != null || length(${input.cognito_client_ids}) > 0)`;
/** How many clients the HTTP API's JWT authorizer takes as its audience (API Gateway quota, not adjustable). */
export const MAX_HTTP_AUDIENCES = 50;
/** How many clients the server's allow-list carries in its environment (Lambda's environment holds 4 KB in all). */
export const MAX_ALLOWED_CLIENTS = 100;

/** HCL: the app client ids an external pool allows, without duplicates. */
export const EXTERNAL_CLIENT_IDS = `distinct(compact(concat([${input.cognito_client_id}], ${input.cognito_client_ids})))`;
/** HCL: true when the module creates the user pool: no `cognito_*` input is given. */
export const CREATES_POOL = `${EXTERNAL_POOL_INPUTS.map((i) => `${input[i]} == null`).join(" && ")} && !${EXTERNAL_CLIENTS_GIVEN}`;

/**
 * OAuth 2.0 client-credentials authentication (IA-2, IA-8): either a user pool
 * the module creates — pool, domain, resource server `mcp` with scope
 * `invoke`, one confidential client per tenant (`var.tenants`) allowed only
 * the client_credentials flow — or the caller's own pool, given by the
 * `cognito_*` inputs with the client ids it allows.
 */
export class CognitoAuth extends Construct {
  /** HCL: true when the module creates the user pool (no `cognito_*` input given). */
  readonly createsPool: string;
  /** HCL: the token issuer (`https://cognito-idp.<region>.amazonaws.com/<pool id>`). */
  readonly issuer: string;
  /** HCL: the app client ids allowed to call (a list), checked as the token's audience and by the server. */
  readonly clientIds: string;
  /** HCL: the module pool's tenants and their app client ids (a map), empty with an external pool. */
  readonly tenantClientIds: string;
  /** HCL: the user pool's id. */
  readonly userPoolId: string;
  /** HCL: the token endpoint of the internal pool, null with an external pool. */
  readonly tokenEndpoint: string;
  /** HCL: the user pool's ARN (a REST API's authorizer names the pool by ARN). */
  readonly userPoolArn: string;
  /** HCL: the module pool's id; only valid where the pool is created. */
  readonly createdPoolId: string;
  /** Terraform template of the scope `mcp/invoke` as the module's resource server declares it (a reference, so a client using it is created after it). */
  readonly createdScope: string;
  /** HCL: the module pool's domain, where people sign in (`https://<prefix>.auth.<region>.amazoncognito.com`), null with an external pool. */
  readonly signInDomain: string;

  constructor(scope: Construct, id: string, props: { readonly platform: Platform }) {
    super(scope, id);
    this.createsPool = local(this, "create_user_pool", CREATES_POOL);
    const created = countWhen(this.createsPool);
    const { govCloud } = props.platform;
    const threatProtection = local(this, "cognito_threat_protection", `${input.cognito_threat_protection} != null ? ${input.cognito_threat_protection} : !${govCloud}`);

    const pool = withAddress(
      new CognitoUserPool(this, "pool", {
        count: created,
        name: expr(input.name),
        deletionProtection: "ACTIVE",
        // Threat protection needs the Plus plan; on Essentials the mode must be OFF.
        userPoolTier: expr(`${threatProtection} ? "PLUS" : "ESSENTIALS"`),
        userPoolAddOns: { advancedSecurityMode: expr(`${threatProtection} ? "ENFORCED" : "OFF"`) },
        // Nobody signs up: machine clients are created by the tenants input, people by an administrator (AC-2).
        adminCreateUserConfig: { allowAdminCreateUserOnly: true },
      }),
      "this",
    );
    // People sign in with a password and a second factor (IA-2(1), IA-2(2)); managed login has them set up an authenticator app at their
    // first sign-in. Machine clients have no factor to add, so without people MFA stays off.
    pool.addOverride("mfa_configuration", expr(`${input.enable_people_sign_in} ? "ON" : "OFF"`));
    pool.addOverride("dynamic.software_token_mfa_configuration", { for_each: expr(`${input.enable_people_sign_in} ? [1] : []`), content: { enabled: true } });
    const poolRef = `${address(pool)}[0]`;

    const domain = withAddress(
      new CognitoUserPoolDomain(this, "domain", {
        count: created,
        // Domain prefixes are global per region; the pool id's suffix makes ours unique.
        domain: `\${${input.name}}-\${lower(split("_", ${poolRef}.id)[1])}`,
        userPoolId: expr(`${poolRef}.id`),
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

    this.createdPoolId = `${poolRef}.id`;
    this.createdScope = `\${${address(resourceServer)}[0].identifier}/${MCP_SCOPE.split("/")[1]}`;

    const clients = forEachIn(
      withAddress(
        new CognitoUserPoolClient(this, "client", {
          name: `\${${input.name}}-\${each.key}`,
          userPoolId: expr(`${poolRef}.id`),
          generateSecret: true,
          allowedOauthFlowsUserPoolClient: true,
          allowedOauthFlows: ["client_credentials"],
          // Referencing the resource server orders its creation before the client that uses its scope.
          allowedOauthScopes: [this.createdScope],
          explicitAuthFlows: ["ALLOW_REFRESH_TOKEN_AUTH"],
          supportedIdentityProviders: ["COGNITO"],
          preventUserExistenceErrors: "ENABLED",
          enableTokenRevocation: true,
          accessTokenValidity: 60,
          tokenValidityUnits: [{ accessToken: "minutes" }],
        }),
        "tenant",
      ),
      `${this.createsPool} ? ${input.tenants} : toset([])`,
    );

    this.issuer = local(
      this,
      "cognito_issuer",
      `try(${this.createsPool} ? "https://\${${poolRef}.endpoint}" : "https://\${trimprefix(${input.cognito_user_pool_endpoint}, "https://")}", null)`,
    );
    this.clientIds = local(
      this,
      "client_ids",
      `${this.createsPool} ? [for tenant in sort(${input.tenants}) : ${address(clients)}[tenant].id] : ${EXTERNAL_CLIENT_IDS}`,
    );
    this.tenantClientIds = local(this, "tenant_client_ids", `{ for tenant in (${this.createsPool} ? ${input.tenants} : toset([])) : tenant => ${address(clients)}[tenant].id }`);
    this.userPoolId = `${this.createsPool} ? ${optionalAttr(pool, "id")} : ${input.cognito_user_pool_id}`;
    this.userPoolArn = local(this, "cognito_user_pool_arn", `${this.createsPool} ? ${optionalAttr(pool, "arn")} : ${input.cognito_user_pool_arn}`);
    // GovCloud's Cognito answers on FIPS endpoints only, its hosted domains included.
    const authHost = `\${${govCloud} ? "auth-fips" : "auth"}.\${${props.platform.region}}.amazoncognito.com`;
    const domainUrl = `https://\${${address(domain)}[0].domain}.${authHost}`;
    this.signInDomain = `try("${domainUrl}", null)`;
    this.tokenEndpoint = `try("${domainUrl}/oauth2/token", null)`;
  }

}
