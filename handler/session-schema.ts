/**
 * The sessions table's schema, shared by the table the infrastructure creates
 * (`modules/sessions-table.ts`) and the store that reads and writes it.
 * Depends on nothing, so both sides can import it.
 */

/** Partition key: the caller's tenant, from a verified claim. */
export const TENANT_KEY = "tenant_id";
/** Sort key: the session id the server issued. */
export const SESSION_KEY = "session_id";
/** Attribute DynamoDB's TTL reads: epoch seconds after which a session is gone. */
export const TTL_ATTRIBUTE = "expires_at";
/** Index for looking a session up by id alone (operations only: the server reads by tenant and id). */
export const SESSION_ID_INDEX = "session-id-index";

/** The STS session tag that names a tenant; the tenant-access role's policy keys rows by it (`dynamodb:LeadingKeys`). */
export const TENANT_TAG = "tenant_id";
