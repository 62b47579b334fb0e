import { Construct } from "constructs";
import { DynamodbTable, IamRole, IamRolePolicy } from "./framework.js";
import { SESSION_ID_INDEX, SESSION_KEY, TENANT_KEY, TENANT_TAG, TTL_ATTRIBUTE } from "../handler/session-schema.js";
import { Platform, regionalName } from "./platform.js";
import { customerKeyThroughDynamoDB } from "./key-policy.js";
import { address, countWhen, expr, hclList, optionalAttr, withAddress } from "./expressions.js";
import { input } from "./inputs.js";

/** Item actions the server needs on its sessions (reads and writes by tenant and session id). */
export const SESSION_ACTIONS = ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"];

/** Name of the tenant-access role resource, `aws_iam_role.tenant_access`. */
const TENANT_ACCESS = "tenant_access";

/**
 * MCP sessions, created when `var.enable_sessions`. Keyed by `tenant_id`
 * (hash) and `session_id` (range) in every mode, so a session is always bound
 * to its caller and turning tenant isolation on never changes the key schema.
 * On-demand, customer key, point-in-time recovery, TTL, deletion protection
 * (CKV_AWS_28, CKV_AWS_119).
 */
export class SessionsTable extends Construct {
  static readonly enabled = input.enable_sessions;
  readonly table: DynamodbTable;
  /** HCL: the table name, or null when sessions are off. */
  readonly tableName: string;
  /** HCL: the tenant-access role's ARN, null when sessions are off; set by {@link grantTenantAccess}. */
  tenantAccessRoleArn?: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = withAddress(
      new DynamodbTable(this, "table", {
        count: countWhen(SessionsTable.enabled),
        name: `\${${input.name}}-sessions`,
        billingMode: "PAY_PER_REQUEST",
        hashKey: TENANT_KEY,
        rangeKey: SESSION_KEY,
        attribute: [
          { name: TENANT_KEY, type: "S" },
          { name: SESSION_KEY, type: "S" },
        ],
        globalSecondaryIndex: [{ name: SESSION_ID_INDEX, hashKey: SESSION_KEY, projectionType: "KEYS_ONLY" }],
        serverSideEncryption: { enabled: true, kmsKeyArn: expr(input.kms_key_arn) },
        pointInTimeRecovery: { enabled: true },
        ttl: { attributeName: TTL_ATTRIBUTE, enabled: true },
        deletionProtectionEnabled: true,
      }),
      "sessions",
    );
    this.tableName = optionalAttr(this.table, "name");
  }

  /**
   * Lets `role` reach sessions only through the tenant-access role
   * (`aws_iam_role.tenant_access`): it may assume that role with the session
   * tag `tenant_id` and nothing else, and the tenant-access role may touch
   * only the items whose partition key equals that tag (`dynamodb:LeadingKeys`).
   * The function's own role has no direct table access.
   */
  grantTenantAccess(role: IamRole, platform: Platform): void {
    const table = `${address(this.table)}[0]`;
    const tenantAccess = withAddress(
      new IamRole(this, "tenant-access", {
        count: countWhen(SessionsTable.enabled),
        name: regionalName(platform, "tenant-access"),
        description: "Assumed by the MCP server function per tenant; reaches only that tenant's sessions",
        maxSessionDuration: 3600,
        // Only the function's role, only with the tenant tag, and no other tag key.
        assumeRolePolicy: expr(`jsonencode({
          Version = "2012-10-17"
          Statement = [{
            Sid       = "FunctionRoleWithTenantTag"
            Effect    = "Allow"
            Principal = { AWS = ${address(role)}.arn }
            Action    = ["sts:AssumeRole", "sts:TagSession"]
            Condition = {
              Null                         = { "aws:RequestTag/${TENANT_TAG}" = "false" }
              "ForAllValues:StringEquals" = { "aws:TagKeys" = ["${TENANT_TAG}"] }
            }
          }]
        })`),
      }),
      TENANT_ACCESS,
    );
    this.tenantAccessRoleArn = optionalAttr(tenantAccess, "arn");
    const tenantRole = `${address(tenantAccess)}[0]`;
    withAddress(
      new IamRolePolicy(this, "tenant-rows", {
        count: countWhen(SessionsTable.enabled),
        name: "tenant-sessions",
        role: expr(`${tenantRole}.id`),
        // The index is keyed by session id alone, so no LeadingKeys condition could scope it: it is not granted.
        policy: expr(`jsonencode({
          Version = "2012-10-17"
          Statement = [
            {
              Sid       = "OwnTenantSessionsOnly"
              Effect    = "Allow"
              Action    = ${hclList(SESSION_ACTIONS)}
              Resource  = ${table}.arn
              Condition = { "ForAllValues:StringEquals" = { "dynamodb:LeadingKeys" = ["$\${aws:PrincipalTag/${TENANT_TAG}}"] } }
            },
            ${customerKeyThroughDynamoDB(platform)},
          ]
        })`),
      }),
      TENANT_ACCESS,
    );
    withAddress(
      new IamRolePolicy(this, "grant", {
        count: countWhen(SessionsTable.enabled),
        name: "mcp-sessions",
        role: role.id,
        policy: expr(`jsonencode({
          Version = "2012-10-17"
          Statement = [{
            Sid      = "AssumeTenantAccess"
            Effect   = "Allow"
            Action   = ["sts:AssumeRole", "sts:TagSession"]
            Resource = ${tenantRole}.arn
          }]
        })`),
      }),
      "sessions",
    );
  }
}
