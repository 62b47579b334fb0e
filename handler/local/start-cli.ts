import { parseArgs } from "node:util";
import { NO_AUTH_TENANT, startLocalServer } from "./server.js";
import { parsePerson } from "./sign-in.js";

/**
 * `npm start [-- --no-auth] [-- --allow-origin URL ...] [-- --buffered]`: the MCP server on http://127.0.0.1:${PORT:-3000}/mcp.
 * --allow-origin (repeatable) lets a browser page at that origin call it, as allowed_origins does on AWS.
 * Answers stream as behind the REST front with enable_response_streaming; --buffered answers whole, as the HTTP front does.
 * People's MCP clients sign in through the authorization front on a local sign-in page; --auto-login user:tenant signs
 * every authorization request in as that person at once; --dynamic-registration lets clients register (RFC 7591).
 * MCP_LOCAL_AUDIENCE (comma-separated client ids) restricts the authorizer's audience as on AWS; unset, any local client passes.
 * MCP_LOCAL_TIMEOUT_SECONDS is the function's timeout, as lambda_timeout on AWS (default 29): requests answer before it.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      "no-auth": { type: "boolean", default: false },
      "allow-origin": { type: "string", multiple: true, default: [] },
      buffered: { type: "boolean", default: false },
      "auto-login": { type: "string" },
      "dynamic-registration": { type: "boolean", default: false },
    },
    strict: true,
  });
  const allowedOrigins = values["allow-origin"].map(originOf);
  const port = Number(process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${process.env.PORT}"`);
  const timeout = process.env.MCP_LOCAL_TIMEOUT_SECONDS;
  const timeoutSeconds = timeout === undefined ? undefined : Number(timeout);
  if (timeoutSeconds !== undefined && (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1 || timeoutSeconds > 900)) {
    throw new Error(`MCP_LOCAL_TIMEOUT_SECONDS must be a whole number of seconds from 1 to 900 (the function's timeout, as lambda_timeout), got "${timeout}"`);
  }
  const audience = (process.env.MCP_LOCAL_AUDIENCE ?? "").split(",").map((a) => a.trim()).filter(Boolean);
  const server = await startLocalServer({ port, auth: !values["no-auth"], audience, tenantClaim: process.env.MCP_TENANT_CLAIM || undefined, timeoutSeconds, allowedOrigins, streaming: !values.buffered,
    ...(values["auto-login"] !== undefined && { autoLogin: parsePerson(values["auto-login"]) }),
    dynamicRegistration: values["dynamic-registration"],
  });
  console.log(`MCP server listening on ${server.url}`);
  console.log("Sessions: on, in an embedded DynamoDB (dynalite, in memory).");
  console.log(values.buffered ? "Answers: whole, as the HTTP front sends them." : "Answers: streamed, as the REST front with enable_response_streaming sends them (tool progress arrives as it is sent).");
  if (allowedOrigins.length) console.log(`Browsers may also call from: ${allowedOrigins.join(", ")}`);
  if (values["no-auth"]) {
    console.log(`Authorizer: off; every request is tenant "${NO_AUTH_TENANT}".`);
  } else {
    const signIn = values["auto-login"] ? `signed in at once as ${values["auto-login"]} (--auto-login)` : "on a local sign-in page";
    console.log(`People's MCP clients sign in through the authorization front (${new URL(server.url).origin}/.well-known/oauth-authorization-server), ${signIn}.`);
    console.log("Authorizer: on. Get a token and call the server:");
    console.log("  TOKEN=$(npm run --silent token -- --tenant acme)");
    console.log(`  curl -s ${server.url} -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \\`);
    console.log(`    -d '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"curl","version":"1"}}}'`);
  }
  const stop = () => void server.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

/** `--allow-origin` must be an origin as a browser sends it: scheme, host and port, nothing else. */
function originOf(value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || !/^https?:$/.test(url.protocol) || url.origin !== value.replace(/\/$/, "")) {
    throw new Error(`--allow-origin takes an origin such as http://localhost:5173 (scheme, host and port, no path), got "${value}"`);
  }
  return url.origin;
}

main().catch((error: Error) => {
  console.error(`npm start: ${error.message}`);
  process.exit(1);
});
