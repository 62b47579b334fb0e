import { Construct } from "constructs";
import { CognitoUserGroup, CognitoUserPoolClient, DynamodbTable, IamRole, IamRolePolicy } from "./framework.js";
import { address, countWhen, expr, forEachIn, hclList, optionalAttr, withAddress } from "./expressions.js";
import { CognitoAuth } from "./cognito-auth.js";
import { Platform } from "./platform.js";
import { customerKeyThroughDynamoDB } from "./key-policy.js";
import { input } from "./inputs.js";
import { OAUTH_PATHS, SETTINGS } from "../handler/http-contract.js";
import { OAUTH_TABLE_ACTIONS, OAUTH_TABLE_KEY, OAUTH_TTL_ATTRIBUTE } from "../handler/oauth/store.js";

/** Props of {@link PeopleSignIn}. */
export interface PeopleSignInProps {
  readonly auth: CognitoAuth;
  /** HCL: the public base URL clients use: the front's issuer, and the prefix of its Cognito callback. */
  readonly publicBaseUrl: string;
}

/**
 * What the authorization front (handler/oauth/) needs on AWS, created with
 * `enable_people_sign_in` in the module's pool: the public app client people
 * sign in through (`<name>-people`: authorization code + PKCE, scopes
 * `openid` and `mcp/invoke`, its one callback the front's `/oauth/callback`),
 * the group of each tenant (`<tenant_group_prefix><tenant>`), and the table
 * of pending sign-ins, codes and registrations (customer key, TTL,
 * point-in-time recovery, deletion protection: CKV_AWS_28, CKV_AWS_119).
 */
export class PeopleSignIn extends Construct {
  readonly client: CognitoUserPoolClient;
  readonly table: DynamodbTable;
  /** HCL: the people's app client id, null when people do not sign in. */
  readonly clientId: string;
  /** HCL: the authorization server's issuer (the public base URL), null when people do not sign in. */
  readonly issuer: string;
  /** HCL: true when the front's resources are created. */
  readonly enabled: string;
  /** The front's settings in the function's environment (name, HCL value), set only when {@link enabled}. */
  readonly settings: readonly (readonly [string, string])[];

  constructor(scope: Construct, id: string, props: PeopleSignInProps) {
    super(scope, id);
    const { auth } = props;
    // The input rules refuse people's sign-in with an external pool; the pool's condition keeps a refused plan from indexing a missing pool.
    const created = `${input.enable_people_sign_in} && ${auth.createsPool}`;
    this.enabled = created;

    this.client = withAddress(
      new CognitoUserPoolClient(this, "client", {
        count: countWhen(created),
        name: `\${${input.name}}-people`,
        userPoolId: expr(auth.createdPoolId),
        // Public: the front redeems codes with PKCE at its own HTTPS callback, so no secret has to sit in the function's environment.
        generateSecret: false,
        allowedOauthFlowsUserPoolClient: true,
        allowedOauthFlows: ["code"],
        allowedOauthScopes: ["openid", auth.createdScope],
        callbackUrls: [`\${${props.publicBaseUrl}}${OAUTH_PATHS.callback}`],
        supportedIdentityProviders: ["COGNITO"],
        // SRP for managed login (the password never leaves the browser). No REFRESH_TOKEN_AUTH: Cognito refuses it on a client
        // that rotates refresh tokens, and the front refreshes through the token endpoint, which rotates.
        explicitAuthFlows: ["ALLOW_USER_SRP_AUTH"],
        // A public client's refresh token is a bearer credential: each refresh replaces it (OAuth 2.1 section 4.3.1), with 10 s
        // for a client to retry a refresh whose answer it lost.
        refreshTokenRotation: [{ feature: "ENABLED", retryGracePeriodSeconds: 10 }],
        preventUserExistenceErrors: "ENABLED",
        enableTokenRevocation: true,
        accessTokenValidity: 60,
        idTokenValidity: 60,
        refreshTokenValidity: 30,
        tokenValidityUnits: [{ accessToken: "minutes", idToken: "minutes", refreshToken: "days" }],
      }),
      "people",
    );
    this.clientId = optionalAttr(this.client, "id");

    forEachIn(
      withAddress(
        new CognitoUserGroup(this, "tenant-group", {
          name: `\${${input.tenant_group_prefix}}\${each.key}`,
          userPoolId: expr(auth.createdPoolId),
          description: "People of tenant ${each.key}: the MCP server takes a person's tenant from the one such group they are in",
        }),
        "tenant",
      ),
      `${created} ? ${input.tenants} : toset([])`,
    );

    this.table = withAddress(
      new DynamodbTable(this, "table", {
        count: countWhen(created),
        name: `\${${input.name}}-oauth`,
        billingMode: "PAY_PER_REQUEST",
        hashKey: OAUTH_TABLE_KEY,
        attribute: [{ name: OAUTH_TABLE_KEY, type: "S" }],
        serverSideEncryption: { enabled: true, kmsKeyArn: expr(input.kms_key_arn) },
        pointInTimeRecovery: { enabled: true },
        ttl: { attributeName: OAUTH_TTL_ATTRIBUTE, enabled: true },
        deletionProtectionEnabled: true,
      }),
      "oauth",
    );
    this.issuer = `${created} ? ${props.publicBaseUrl} : null`;

    this.settings = [
      [SETTINGS.peopleClientId, this.clientId],
      [SETTINGS.tenantGroupPrefix, input.tenant_group_prefix],
      [SETTINGS.signInDomain, auth.signInDomain],
      [SETTINGS.jwksUri, `"\${${auth.issuer}}/.well-known/jwks.json"`],
      [SETTINGS.oauthTable, optionalAttr(this.table, "name")],
      [SETTINGS.clientMetadataHosts, `join(",", ${input.client_metadata_hosts})`],
      [SETTINGS.dynamicRegistration, `tostring(${input.enable_dynamic_client_registration})`],
    ];
  }

  /** Lets `role` read, write and delete the table's items, and use the customer key only through DynamoDB (`aws_iam_role_policy.oauth`). */
  grant(role: IamRole, platform: Platform): void {
    withAddress(
      new IamRolePolicy(this, "grant", {
        count: countWhen(this.enabled),
        name: "mcp-oauth",
        role: role.id,
        policy: expr(`jsonencode({
          Version = "2012-10-17"
          Statement = [
            {
              Sid      = "AuthorizationFrontItems"
              Effect   = "Allow"
              Action   = ${hclList(OAUTH_TABLE_ACTIONS)}
              Resource = ${address(this.table)}[0].arn
            },
            ${customerKeyThroughDynamoDB(platform)},
          ]
        })`),
      }),
      "oauth",
    );
  }
}
