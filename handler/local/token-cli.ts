import { parseArgs } from "node:util";
import { MCP_SCOPE } from "../http-contract.js";
import { LocalIssuer } from "./issuer.js";

/** `npm run --silent token -- --tenant acme [--scope S] [--expires-in=SECONDS]` (negative: already expired): prints only an access token from the local issuer. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      tenant: { type: "string", default: "local" },
      scope: { type: "string", default: MCP_SCOPE },
      "expires-in": { type: "string", default: "3600" },
    },
    strict: true,
  });
  const expiresInSeconds = Number(values["expires-in"]);
  if (!Number.isInteger(expiresInSeconds)) throw new Error(`--expires-in must be a whole number of seconds (negative for an expired token), got "${values["expires-in"]}"`);
  if (!values.tenant) throw new Error("--tenant must name a tenant, e.g. --tenant acme");
  const issuer = await LocalIssuer.open();
  process.stdout.write(
    `${await issuer.mint({ tenant: values.tenant, scope: values.scope, expiresInSeconds, tenantClaim: process.env.MCP_TENANT_CLAIM || undefined })}\n`,
  );
}

main().catch((error: Error) => {
  console.error(`npm run token: ${error.message}`);
  process.exit(1);
});
