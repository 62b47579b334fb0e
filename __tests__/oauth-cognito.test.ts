import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { optionsFromEnvironment } from "../handler/config.js";
import type { HttpRequest, HttpResponse } from "../handler/http-message.js";
import { type LocalDynamo, startLocalDynamo } from "../handler/local/dynamo.js";
import { CognitoUpstream } from "../handler/oauth/cognito-upstream.js";

/**
 * The authorization front as the function runs it on AWS: configured from
 * the environment the stack sets, with Cognito managed login upstream and
 * its codes in DynamoDB (dynalite). Cognito cannot run here, so a stand-in
 * on loopback answers its two documented endpoints (`/oauth2/authorize`,
 * `/oauth2/token`) and checks what Cognito checks: the app client, the
 * callback URL, PKCE S256 and the scope.
 */
const CLIENT = "4peopleclient0123456789abc";
const ISSUER = "https://mcp.example.com";
const RESOURCE = `${ISSUER}/mcp`;
let cognito: Server;
let domain: string;
let dynamo: LocalDynamo;
/** What the stand-in received, for the assertions on what the front sends. */
const seen: { authorize?: URL; token: URLSearchParams[] } = { token: [] };
const codes = new Map<string, string>();
const refreshTokens = new Set(["refresh-1"]);
let refreshes = 0;

const body = (request: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let text = "";
    request.on("data", (chunk: Buffer) => (text += chunk.toString()));
    request.on("end", () => resolve(text));
  });

beforeAll(async () => {
  dynamo = await startLocalDynamo();
  cognito = createServer(async (request, response): Promise<void> => {
    const url = new URL(request.url!, "http://cognito");
    const answer = (status: number, value: object): void => void response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
    if (url.pathname === "/oauth2/authorize") {
      seen.authorize = url;
      const code = randomBytes(8).toString("hex");
      codes.set(code, url.searchParams.get("code_challenge")!);
      response.writeHead(302, { location: `${url.searchParams.get("redirect_uri")}?code=${code}&state=${encodeURIComponent(url.searchParams.get("state")!)}` }).end();
      return;
    }
    const form = new URLSearchParams(await body(request));
    seen.token.push(form);
    if (form.get("client_id") !== CLIENT) return answer(400, { error: "invalid_client" });
    if (form.get("grant_type") === "refresh_token") {
      // The people's client rotates refresh tokens: each one is good once, and its answer names the next.
      if (!refreshTokens.delete(form.get("refresh_token") ?? "")) return answer(400, { error: "invalid_grant" });
      const next = `refresh-${(refreshes += 1) + 1}`;
      refreshTokens.add(next);
      return answer(200, { access_token: "access-2", id_token: "id-2", refresh_token: next, expires_in: 3600, token_type: "Bearer" });
    }
    const challenge = codes.get(form.get("code") ?? "");
    codes.delete(form.get("code") ?? "");
    const verified = challenge !== undefined && createHash("sha256").update(form.get("code_verifier") ?? "").digest("base64url") === challenge;
    if (!verified || form.get("redirect_uri") !== `${ISSUER}/oauth/callback`) return answer(400, { error: "invalid_grant" });
    answer(200, { access_token: "access-1", id_token: "id-1", refresh_token: "refresh-1", expires_in: 3600, token_type: "Bearer" });
  });
  await new Promise<void>((resolve) => cognito.listen(0, "127.0.0.1", resolve));
  domain = `http://127.0.0.1:${(cognito.address() as AddressInfo).port}`;
});
afterEach(() => vi.unstubAllEnvs());
afterAll(async () => {
  await new Promise((resolve) => cognito.close(resolve));
  await dynamo.stop();
});

/** The environment the stack sets with `enable_people_sign_in`, and dynalite where the AWS SDK looks for DynamoDB. */
async function environment(overrides: Record<string, string> = {}): Promise<NodeJS.ProcessEnv> {
  vi.stubEnv("AWS_ENDPOINT_URL_DYNAMODB", dynamo.endpoint);
  vi.stubEnv("AWS_REGION", "us-east-1");
  vi.stubEnv("AWS_ACCESS_KEY_ID", "local");
  vi.stubEnv("AWS_SECRET_ACCESS_KEY", "local");
  return {
    MCP_ISSUER: ISSUER,
    MCP_RESOURCE_URL: RESOURCE,
    MCP_SCOPES: "mcp/invoke",
    MCP_CLIENT_IDS: "1machineclient0123456789ab",
    MCP_PEOPLE_CLIENT_ID: CLIENT,
    MCP_TENANT_GROUP_PREFIX: "org-",
    MCP_SIGN_IN_DOMAIN: domain,
    MCP_JWKS_URI: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123/.well-known/jwks.json",
    MCP_OAUTH_TABLE: await dynamo.createOAuthTable(`oauth-${randomBytes(4).toString("hex")}`),
    MCP_DYNAMIC_REGISTRATION: "true",
    ...overrides,
  };
}

function request(method: string, path: string, options: { query?: Record<string, string>; form?: Record<string, string>; json?: object } = {}): HttpRequest {
  const url = new URL(path, ISSUER);
  for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
  const body = options.form ? new URLSearchParams(options.form).toString() : options.json ? JSON.stringify(options.json) : undefined;
  return { method, url, headers: new Map([["content-type", options.form ? "application/x-www-form-urlencoded" : "application/json"]]), ...(body !== undefined && { body }) };
}
const location = (response: HttpResponse | undefined) => new URL(response!.headers.location);
const parsed = (response: HttpResponse | undefined) => JSON.parse(response!.body!) as Record<string, any>;

describe("the authorization front configured from the function's environment", () => {
  it("serves RFC 8414 metadata and OpenID discovery naming the pool's key set; people's tenants come from the configured group prefix", async () => {
    const options = optionsFromEnvironment(await environment());
    expect(options.people).toEqual({ clientId: CLIENT, tenantGroupPrefix: "org-" });
    const metadata = parsed(await options.authorizationFront!(request("GET", "/.well-known/oauth-authorization-server")));
    expect(metadata).toMatchObject({ issuer: ISSUER, authorization_endpoint: `${ISSUER}/authorize`, token_endpoint: `${ISSUER}/token`, registration_endpoint: `${ISSUER}/register`, code_challenge_methods_supported: ["S256"] });
    expect(metadata.jwks_uri).toBeUndefined();
    const openid = parsed(await options.authorizationFront!(request("GET", "/.well-known/openid-configuration")));
    expect(openid).toMatchObject({ ...metadata, jwks_uri: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123/.well-known/jwks.json", subject_types_supported: ["public"] });
    expect(await options.authorizationFront!(request("POST", "/mcp"))).toBeUndefined();
  });

  it("signs a person in through Cognito managed login: PKCE S256 upstream, its code exchanged at the callback, the front's own code redeemed at /token, then refreshes that rotate", async () => {
    const options = optionsFromEnvironment(await environment());
    const front = options.authorizationFront!;
    const registered = parsed(await front(request("POST", "/register", { json: { redirect_uris: ["http://127.0.0.1:33418/"], token_endpoint_auth_method: "none" } })));
    const verifier = randomBytes(32).toString("base64url");
    const toCognito = location(
      await front(
        request("GET", "/authorize", {
          query: { response_type: "code", client_id: registered.client_id, redirect_uri: "http://127.0.0.1:50123/", code_challenge: createHash("sha256").update(verifier).digest("base64url"), code_challenge_method: "S256", resource: RESOURCE, state: "client-state" },
        }),
      ),
    );
    expect(toCognito.origin + toCognito.pathname).toBe(`${domain}/oauth2/authorize`);
    expect(Object.fromEntries(toCognito.searchParams)).toMatchObject({ response_type: "code", client_id: CLIENT, redirect_uri: `${ISSUER}/oauth/callback`, scope: "openid mcp/invoke", code_challenge_method: "S256" });
    // The front's state at Cognito is its own, never the client's.
    expect(toCognito.searchParams.get("state")).not.toBe("client-state");

    const signedIn = await fetch(toCognito, { redirect: "manual" });
    const callback = new URL(signedIn.headers.get("location")!);
    const back = location(await front(request("GET", callback.pathname + callback.search)));
    expect(back.origin).toBe("http://127.0.0.1:50123");
    expect(Object.fromEntries(back.searchParams)).toMatchObject({ state: "client-state", iss: ISSUER, code: expect.any(String) });
    expect(seen.token.at(-1)!.get("code_verifier")).toBeTruthy();

    const redeem = { grant_type: "authorization_code", code: back.searchParams.get("code")!, client_id: registered.client_id, redirect_uri: "http://127.0.0.1:50123/", code_verifier: verifier, resource: RESOURCE };
    const tokens = parsed(await front(request("POST", "/token", { form: redeem })));
    // The ID token stays with the front: the client gets the access token the API's authorizer checks, and the refresh token.
    expect(tokens).toEqual({ token_type: "Bearer", scope: "mcp/invoke", access_token: "access-1", refresh_token: "refresh-1", expires_in: 3600 });
    expect(parsed(await front(request("POST", "/token", { form: redeem })))).toMatchObject({ error: "invalid_grant" });
    const refresh = (token: string) => front(request("POST", "/token", { form: { grant_type: "refresh_token", refresh_token: token, client_id: registered.client_id } }));
    // The rotated refresh token reaches the client, and the one it replaced is spent.
    expect(parsed(await refresh("refresh-1"))).toMatchObject({ access_token: "access-2", refresh_token: "refresh-2", expires_in: 3600 });
    expect(parsed(await refresh("refresh-1"))).toMatchObject({ error: "invalid_grant" });
    expect(parsed(await refresh("refresh-2"))).toMatchObject({ access_token: "access-2", refresh_token: "refresh-3" });
    expect(parsed(await refresh("refresh-2"))).toMatchObject({ error: "invalid_grant" });
    expect(parsed(await front(request("POST", "/token", { form: { grant_type: "refresh_token", refresh_token: "stolen" } })))).toMatchObject({ error: "invalid_grant" });
  });

  it("is off without MCP_PEOPLE_CLIENT_ID, and refuses to start without the settings it needs, naming them", async () => {
    expect(optionsFromEnvironment({ MCP_CLIENT_IDS: "a" }).authorizationFront).toBeUndefined();
    const env = await environment();
    expect(() => optionsFromEnvironment({ ...env, MCP_SIGN_IN_DOMAIN: "" })).toThrow("it needs MCP_SIGN_IN_DOMAIN");
    expect(() => optionsFromEnvironment({ ...env, MCP_OAUTH_TABLE: undefined })).toThrow("it needs MCP_OAUTH_TABLE");
    expect(() => optionsFromEnvironment({ ...env, MCP_DYNAMIC_REGISTRATION: "yes" })).toThrow('MCP_DYNAMIC_REGISTRATION must be "true" or "false"');
  });
});

describe("CognitoUpstream", () => {
  it("throws on a refusal naming only the status and the OAuth error, never what was sent; and within its timeout", async () => {
    const upstream = new CognitoUpstream({ domain, clientId: CLIENT, callbackUrl: `${ISSUER}/oauth/callback`, scopes: ["mcp/invoke"] });
    await expect(upstream.exchange("secret-code-value", "secret-verifier")).rejects.toThrow(/^Cognito refused the token request: 400 invalid_grant$/);
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const slow = new CognitoUpstream({ domain: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`, clientId: CLIENT, callbackUrl: "x", scopes: [], timeoutMs: 200 });
      const started = Date.now();
      await expect(slow.refresh("r")).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });
});
