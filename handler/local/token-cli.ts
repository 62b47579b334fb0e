import { parseArgs } from "node:util";
import { MCP_SCOPE } from "../http-contract.js";
import { LocalIssuer } from "./issuer.js";

/** `npm run --silent token -- --tenant acme [--scope S] [--expires-in=SECONDS]` (negative: already expired): prints only an access token from the local issuer. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    args: joinNegativeValue(process.argv.slice(2), "--expires-in"),
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

/**
 * `--expires-in -60`, as people type it: parseArgs takes a value that
 * starts with a dash for an option of its own and refuses it, so a negative
 * number after the option is joined to it (`--expires-in=-60`).
 */
function joinNegativeValue(args: readonly string[], option: string): string[] {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === option && /^-\d+$/.test(args[i + 1] ?? "")) joined.push(`${option}=${args[++i]}`);
    else joined.push(args[i]);
  }
  return joined;
}

main().catch((error: Error) => {
  console.error(`npm run token: ${error.message}`);
  process.exit(1);
});
