import { Construct } from "constructs";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { address, countWhen, expr, hclList, optionalAttr, withAddress } from "./expressions.js";

/** Attribute DynamoDB's TTL reads: epoch seconds after which a session is gone. */
export const SESSION_TTL_ATTRIBUTE = "expires_at";

/** Index for looking a session up by id alone (operations only: the server reads by tenant and id). */
export const SESSION_ID_INDEX = "session-id-index";

/** Item actions the server needs on its sessions. */
export const SESSION_ACTIONS = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Query"];

/**
 * MCP sessions, created when `var.enable_sessions`. Keyed by `tenant_id`
 * (hash) and `session_id` (range) in every mode, so a session is always bound
 * to its caller and turning tenant isolation on never changes the key schema.
 * On-demand, customer key, point-in-time recovery, TTL, deletion protection
 * (CKV_AWS_28, CKV_AWS_119).
 */
export class SessionsTable extends Construct {
  static readonly enabled = "var.enable_sessions";
  readonly table: DynamodbTable;
  /** HCL: the table name, or null when sessions are off. */
  readonly tableName: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = withAddress(
      new DynamodbTable(this, "table", {
        count: countWhen(SessionsTable.enabled),
        name: "${var.name}-sessions",
        billingMode: "PAY_PER_REQUEST",
        hashKey: "tenant_id",
        rangeKey: "session_id",
        attribute: [
          { name: "tenant_id", type: "S" },
          { name: "session_id", type: "S" },
        ],
        globalSecondaryIndex: [{ name: SESSION_ID_INDEX, hashKey: "session_id", projectionType: "KEYS_ONLY" }],
        serverSideEncryption: { enabled: true, kmsKeyArn: expr("var.kms_key_arn") },
        pointInTimeRecovery: { enabled: true },
        ttl: { attributeName: SESSION_TTL_ATTRIBUTE, enabled: true },
        deletionProtectionEnabled: true,
      }),
      "sessions",
    );
    this.tableName = optionalAttr(this.table, "name");
  }

  /** Lets `role` read and write sessions: the table and its index, nothing else. */
  grantReadWrite(role: IamRole): IamRolePolicy {
    const table = `${address(this.table)}[0]`;
    return withAddress(
      new IamRolePolicy(this, "grant", {
        count: countWhen(SessionsTable.enabled),
        name: "mcp-sessions",
        role: role.id,
        policy: expr(`jsonencode({
          Version = "2012-10-17"
          Statement = [{
            Sid      = "ReadWriteSessions"
            Effect   = "Allow"
            Action   = ${hclList(SESSION_ACTIONS)}
            Resource = [${table}.arn, "\${${table}.arn}/index/*"]
          }]
        })`),
      }),
      "sessions",
    );
  }
}
