import { Construct } from "constructs";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { SESSION_ID_INDEX, SESSION_KEY, TENANT_KEY, TTL_ATTRIBUTE } from "../handler/session-schema.js";
import { address, countWhen, expr, hclList, optionalAttr, withAddress } from "./expressions.js";


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
        hashKey: TENANT_KEY,
        rangeKey: SESSION_KEY,
        attribute: [
          { name: TENANT_KEY, type: "S" },
          { name: SESSION_KEY, type: "S" },
        ],
        globalSecondaryIndex: [{ name: SESSION_ID_INDEX, hashKey: SESSION_KEY, projectionType: "KEYS_ONLY" }],
        serverSideEncryption: { enabled: true, kmsKeyArn: expr("var.kms_key_arn") },
        pointInTimeRecovery: { enabled: true },
        ttl: { attributeName: TTL_ATTRIBUTE, enabled: true },
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
