import { createHash, randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import type { HttpRequest, HttpResponse } from "../handler/http-message.js";
import { createAuthorizationFront } from "../handler/oauth/authorization-front.js";
import { ClientMetadataResolver } from "../handler/oauth/client-metadata.js";
import { DynamoOAuthStore } from "../handler/oauth/dynamo-store.js";
import { type LocalDynamo, startLocalDynamo } from "../handler/local/dynamo.js";
import { createMcpApp, type RequestLog } from "../handler/mcp-app.js";
import { LocalIssuer } from "../handler/local/issuer.js";
import { LocalSignIn } from "../handler/local/sign-in.js";

/**
 * The authorization front's refusals, each with the OAuth error a client
 * can act on, driven on plain requests: the front with the local sign-in as
 * its upstream and Client ID Metadata Documents from a real HTTP server on
 * loopback (which only the local mode accepts).
 */
const ORIGIN = "http://127.0.0.1:3000";
const RESOURCE = `${ORIGIN}/mcp`;
let documents: Server;
let cimd: string;
let otherCimd: string;
let front: ReturnType<typeof createAuthorizationFront>;
let deployed: ReturnType<typeof createAuthorizationFront>;

function request(method: string, path: string, options: { query?: Record<string, string>; form?: Record<string, string>; body?: string; contentType?: string } = {}): HttpRequest {
  const url = new URL(path, ORIGIN);
  for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
  const body = options.form ? new URLSearchParams(options.form).toString() : options.body;
  const contentType = options.contentType ?? (options.form ? "application/x-www-form-urlencoded" : "application/json");
  return { method, url, headers: new Map([["content-type", contentType]]), ...(body !== undefined && { body }) };
}
const json = (response: HttpResponse | undefined) => JSON.parse(response!.body!) as { error: string; error_description: string };
const location = (response: HttpResponse | undefined) => new URL(response!.headers.location);

const verifier = () => randomBytes(32).toString("base64url");
const challengeOf = (v: string) => createHash("sha256").update(v).digest("base64url");

function authorizeQuery(clientId: string, v: string, overrides: Record<string, string> = {}): Record<string, string> {
  return { response_type: "code", client_id: clientId, redirect_uri: "http://127.0.0.1:51000/callback", code_challenge: challengeOf(v), code_challenge_method: "S256", resource: RESOURCE, state: "s1", ...overrides };
}

/** /authorize, the (auto-login) sign-in page and the callback: the code the front sends the client. */
async function codeFor(clientId: string, v: string, signIn: LocalSignIn, f: (r: HttpRequest) => Promise<HttpResponse | undefined> = front, state = "s1"): Promise<string> {
  const toSignIn = await f(request("GET", "/authorize", { query: authorizeQuery(clientId, v, { state }) }));
  expect(toSignIn?.status, toSignIn?.body).toBe(302);
  const signedIn = signIn.page("GET", location(toSignIn).searchParams, "");
  const callback = await f(request("GET", new URL(String(signedIn.headers!.location)).pathname + new URL(String(signedIn.headers!.location)).search));
  const back = location(callback);
  expect(back.origin + back.pathname).toBe("http://127.0.0.1:51000/callback");
  return back.searchParams.get("code")!;
}

let signIn: LocalSignIn;
let dynamo: LocalDynamo;
let store: () => DynamoOAuthStore;
/** The store's clock, epoch milliseconds: moved to expire a code. */
let clock = Date.now();
beforeAll(async () => {
  documents = createServer((req, res) => {
    const self = `http://127.0.0.1:${(documents.address() as AddressInfo).port}${req.url}`;
    const clientId = req.url === "/liar.json" ? "https://someone-else.example/client.json" : self;
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ client_id: clientId, redirect_uris: ["http://127.0.0.1/callback"] }));
  });
  await new Promise<void>((resolve) => documents.listen(0, "127.0.0.1", resolve));
  cimd = `http://127.0.0.1:${(documents.address() as AddressInfo).port}/client.json`;
  otherCimd = `http://127.0.0.1:${(documents.address() as AddressInfo).port}/other.json`;
  dynamo = await startLocalDynamo();
  const table = await dynamo.createOAuthTable();
  store = () => new DynamoOAuthStore({ tableName: table, clientConfig: dynamo.clientConfig, now: () => clock });
  signIn = new LocalSignIn(await LocalIssuer.open(mkdtempSync(join(tmpdir(), "mcp-front-"))), ORIGIN, { user: "alice", tenant: "acme" });
  const common = { issuer: ORIGIN, resourceUrl: RESOURCE, scopes: ["mcp/invoke"], store: store(), upstream: signIn };
  front = createAuthorizationFront({ ...common, clients: new ClientMetadataResolver({ allowLoopbackHttp: true, timeoutMs: 500 }) });
  deployed = createAuthorizationFront({ ...common, clients: new ClientMetadataResolver({ timeoutMs: 500 }) });
});
afterAll(async () => {
  documents?.close();
  await dynamo?.stop();
});

describe("the authorization front refuses, with an OAuth error that says why", () => {
  it("an authorization request whose redirect URI the client did not list, without redirecting anywhere", async () => {
    const v = verifier();
    for (const redirect of ["https://evil.example/callback", "http://127.0.0.1:51000/callback/../steal", "http://localhost:51000/callback"]) {
      const response = await front(request("GET", "/authorize", { query: authorizeQuery(cimd, v, { redirect_uri: redirect }) }));
      expect(response?.status).toBe(400);
      expect(response?.headers.location).toBeUndefined();
      expect(json(response)).toEqual({ error: "invalid_request", error_description: "redirect_uri is not one the client registered." });
    }
  });

  it("a resource other than this server, plain PKCE, and an unsupported scope, back to the client with the error and iss", async () => {
    const v = verifier();
    const cases: [Record<string, string>, string][] = [
      [{ resource: "https://other.example/mcp" }, "invalid_target"],
      [{ code_challenge_method: "plain", code_challenge: v }, "invalid_request"],
      [{ scope: "mcp/invoke admin" }, "invalid_scope"],
      [{ response_type: "token" }, "unsupported_response_type"],
    ];
    for (const [overrides, error] of cases) {
      const back = location(await front(request("GET", "/authorize", { query: authorizeQuery(cimd, v, overrides) })));
      expect(Object.fromEntries(back.searchParams)).toMatchObject({ error, state: "s1", iss: ORIGIN });
      expect(back.searchParams.get("code")).toBeNull();
    }
  });

  it("a code redeemed with the wrong PKCE verifier, by another client, for another redirect URI, or a second time", async () => {
    const v = verifier();
    const redeem = (code: string, form: Record<string, string> = {}) =>
      front(request("POST", "/token", { form: { grant_type: "authorization_code", code, client_id: cimd, redirect_uri: "http://127.0.0.1:51000/callback", code_verifier: v, ...form } }));
    const wrong: [Record<string, string>, string][] = [
      [{ code_verifier: verifier() }, "The PKCE code_verifier does not match the code_challenge."],
      [{ client_id: otherCimd }, "The code was issued to another client."],
      [{ redirect_uri: "http://127.0.0.1:51001/callback" }, "redirect_uri differs from the authorization request's."],
      [{ resource: "https://other.example/mcp" }, "resource differs from the authorization request's."],
    ];
    for (const [form, description] of wrong) {
      const code = await codeFor(cimd, v, signIn);
      const refused = await redeem(code, form);
      expect(refused?.status).toBe(400);
      expect(json(refused).error_description).toBe(description);
      // A failed attempt spends the code: the right verifier cannot try again.
      expect(json(await redeem(code)).error).toBe("invalid_grant");
    }
    const code = await codeFor(cimd, v, signIn);
    const tokens = await redeem(code);
    expect(tokens?.status).toBe(200);
    expect(tokens?.headers["cache-control"]).toBe("no-store");
    expect(JSON.parse(tokens!.body!)).toMatchObject({ token_type: "Bearer", access_token: expect.any(String), refresh_token: expect.any(String) });
    expect(json(await redeem(code))).toEqual({ error: "invalid_grant", error_description: "The code is invalid, expired or already used; sign in again." });
  });

  it("a code redeemed after its minute", async () => {
    const v = verifier();
    const code = await codeFor(cimd, v, signIn);
    clock += 61_000;
    const refused = await front(request("POST", "/token", { form: { grant_type: "authorization_code", code, client_id: cimd, redirect_uri: "http://127.0.0.1:51000/callback", code_verifier: v } }));
    expect(json(refused).error).toBe("invalid_grant");
  });

  it("client id documents on private addresses (deployed), that name another client_id, or that do not come in time", async () => {
    const v = verifier();
    const authorize = (f: typeof front, clientId: string) => f(request("GET", "/authorize", { query: authorizeQuery(clientId, v) }));
    const privateHost = await authorize(deployed, "https://10.0.0.7/client.json");
    expect(privateHost?.status).toBe(400);
    expect(json(privateHost)).toMatchObject({ error: "invalid_client", error_description: expect.stringContaining("resolves to a private, loopback, link-local or metadata address") });
    expect(json(await authorize(deployed, cimd)).error_description).toBe("client_id must be an https URL (a Client ID Metadata Document).");
    expect(json(await authorize(front, cimd.replace("client.json", "liar.json"))).error_description).toBe("The client's metadata document names another client_id than its own URL.");
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const slow = await authorize(front, `http://127.0.0.1:${(silent.address() as AddressInfo).port}/client.json`);
      expect(json(slow).error_description).toContain("did not arrive within 500 ms");
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  it("registration while dynamic registration is off, and a registration with an unacceptable redirect URI when it is on", async () => {
    const off = await front(request("POST", "/register", { body: JSON.stringify({ redirect_uris: ["http://127.0.0.1/cb"] }) }));
    expect(off?.status).toBe(404);
    expect(json(off).error_description).toMatch(/^Dynamic client registration is off on this server/);
    const on = createAuthorizationFront({ issuer: ORIGIN, resourceUrl: RESOURCE, scopes: ["mcp/invoke"], store: store(), upstream: signIn, clients: new ClientMetadataResolver(), dynamicRegistration: true });
    for (const uris of [[], ["http://app.example/cb"], ["javascript:alert(1)"], ["https://app.example/cb#frag"], "https://app.example/cb"]) {
      const refused = await on(request("POST", "/register", { body: JSON.stringify({ redirect_uris: uris }) }));
      expect(json(refused).error, JSON.stringify(uris)).toBe("invalid_redirect_uri");
    }
    const registered = await on(request("POST", "/register", { body: JSON.stringify({ redirect_uris: ["cursor://anysphere.cursor-mcp/oauth/callback", "http://127.0.0.1/callback"] }) }));
    expect(registered?.status).toBe(201);
  });

  it("a refresh token it does not know, and a grant it does not offer", async () => {
    expect(json(await front(request("POST", "/token", { form: { grant_type: "refresh_token", refresh_token: "stolen" } }))).error).toBe("invalid_grant");
    expect(json(await front(request("POST", "/token", { form: { grant_type: "password", username: "a", password: "b" } }))).error).toBe("unsupported_grant_type");
    expect(json(await front(request("POST", "/token", { body: '{"grant_type":"authorization_code"}' }))).error_description).toBe("The token request must be application/x-www-form-urlencoded.");
  });
});

describe("the local sign-in page (npm start without --auto-login)", () => {
  it("shows a form for a sign-in the front started, signs the submitted person in, and refuses a sign-in it did not start", async () => {
    const page = new LocalSignIn(await LocalIssuer.open(mkdtempSync(join(tmpdir(), "mcp-page-"))), ORIGIN);
    const f = createAuthorizationFront({ issuer: ORIGIN, resourceUrl: RESOURCE, scopes: ["mcp/invoke"], store: store(), upstream: page, clients: new ClientMetadataResolver({ allowLoopbackHttp: true }) });
    const v = verifier();
    const state = location(await f(request("GET", "/authorize", { query: authorizeQuery(cimd, v) }))).searchParams.get("state")!;
    const form = page.page("GET", new URLSearchParams({ state }), "");
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain(`<input type="hidden" name="state" value="${state}">`);
    expect(form.headers!["content-security-policy"]).toBe("default-src 'none'; form-action 'self'");
    // A name the page does not take shows the form again.
    expect(page.page("POST", new URLSearchParams(), new URLSearchParams({ state, user: "<script>", tenant: "acme" }).toString()).statusCode).toBe(200);
    const signedIn = page.page("POST", new URLSearchParams(), new URLSearchParams({ state, user: "bob", tenant: "globex" }).toString());
    const callback = new URL(String(signedIn.headers!.location));
    expect(callback.pathname).toBe("/oauth/callback");
    const back = location(await f(request("GET", callback.pathname + callback.search)));
    const tokens = await f(request("POST", "/token", { form: { grant_type: "authorization_code", code: back.searchParams.get("code")!, client_id: cimd, redirect_uri: "http://127.0.0.1:51000/callback", code_verifier: v } }));
    const claims = JSON.parse(Buffer.from((JSON.parse(tokens!.body!) as { access_token: string }).access_token.split(".")[1], "base64url").toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ sub: "bob", "cognito:groups": ["tenant-globex"], client_id: "local-sign-in", scope: "mcp/invoke", token_use: "access" });
    expect(page.page("GET", new URLSearchParams({ state: "forged" }), "").statusCode).toBe(400);
  });
});

describe("a person's tenant", () => {
  /** A bearer token shaped like Cognito's (the gateway verified its signature before the function sees it). */
  const bearer = (payload: Record<string, unknown>) => `Bearer ${Buffer.from('{"alg":"RS256"}').toString("base64url")}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.c2ln`;
  const app = createMcpApp({ tenantClaim: "client_id", scopes: ["mcp/invoke"], allowedOrigins: [], allowedClients: ["acme-client"], log: () => undefined, people: { clientId: "people-client", tenantGroupPrefix: "tenant-" } });
  /** A tools/call whoami with the gateway's verified `claims` and the token the request carried, whose payload is `token` (the claims themselves unless given). */
  const call = async (claims: Record<string, string>, token: Record<string, unknown> = claims) => {
    const response = await app.handle({
      request: {
        method: "POST",
        url: new URL(RESOURCE),
        headers: new Map([["content-type", "application/json"], ["accept", "application/json, text/event-stream"], ["mcp-protocol-version", "2025-06-18"], ["authorization", bearer(token)]]),
        body: '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"whoami","arguments":{}}}',
      },
      requestId: "r",
      claims: { scope: "mcp/invoke", ...claims },
    });
    const body = JSON.parse(response.body!);
    return { status: response.status, who: body.result?.structuredContent, message: body.error?.message as string | undefined };
  };
  const alice = { client_id: "people-client", sub: "alice" };

  it("is the one group named tenant-<tenant> in the token, never client_id nor a claim the person could edit; machine clients are unchanged", async () => {
    expect(await call(alice, { ...alice, "cognito:groups": ["staff", "tenant-acme"], tenant_id: "globex" })).toMatchObject({ status: 200, who: { tenant: "acme", principal: "alice" } });
    // A claim beside the verified ones names no tenant: with tenant_id in the gateway's claims, the groups still decide.
    expect((await call({ ...alice, tenant_id: "globex" }, { ...alice, "cognito:groups": ["tenant-acme"] })).who).toMatchObject({ tenant: "acme" });
    const machine = await call({ client_id: "acme-client", sub: "acme-client" }, { client_id: "acme-client", sub: "acme-client", "cognito:groups": ["tenant-evil"] });
    expect(machine.who).toMatchObject({ tenant: "acme-client" });
  });
  it("403 that says what to do for a person in no tenant group, in several, or whose bearer token is not the one the gateway verified", async () => {
    const nobody = await call(alice, { ...alice, "cognito:groups": ["staff", "tenant-"] });
    expect(nobody.status).toBe(403);
    expect(nobody.message).toBe("Your account belongs to no tenant of this server (it is in no group named tenant-<tenant>). Ask an administrator to add you to your tenant's group, then sign in again.");
    const several = await call(alice, { ...alice, "cognito:groups": ["tenant-acme", "tenant-globex"] });
    expect([several.status, several.message]).toEqual([403, expect.stringContaining("belongs to 2 tenants")]);
    // Another subject's token beside alice's claims: its groups are not alice's.
    expect((await call(alice, { client_id: "people-client", sub: "mallory", "cognito:groups": ["tenant-acme"] })).status).toBe(403);
    expect((await call(alice, { ...alice, "cognito:groups": "tenant-acme" })).status).toBe(403);
    expect((await call(alice, { ...alice, "cognito:groups": ["tenant-<script>"] })).message).toContain("must be 1-256 characters");
  });
});

describe("the authorization front's input parsing", () => {
  it("answers any /authorize and /token request with a redirect to a listed URI or a 4xx OAuth error, never a throw or a 5xx", async () => {
    const text = fc.oneof(fc.string({ maxLength: 80 }), fc.constantFrom(cimd, "http://127.0.0.1:51000/callback", "S256", "code", RESOURCE, "mcp/invoke", "authorization_code"));
    const params = fc.dictionary(fc.constantFrom("response_type", "client_id", "redirect_uri", "code_challenge", "code_challenge_method", "resource", "scope", "state", "grant_type", "code", "code_verifier", "refresh_token"), text);
    await fc.assert(
      fc.asyncProperty(params, fc.constantFrom("/authorize", "/token"), async (query, path) => {
        const response = path === "/authorize" ? await front(request("GET", path, { query })) : await front(request("POST", path, { form: query }));
        expect(response).toBeDefined();
        if (response!.status === 302) {
          expect(location(response).href.startsWith("http://127.0.0.1:51000/callback") || location(response).pathname === "/local/sign-in").toBe(true);
        } else {
          expect(response!.status).toBeGreaterThanOrEqual(400);
          expect(response!.status).toBeLessThan(500);
          expect(json(response).error).toMatch(/^[a-z_]+$/);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe("the front within the request's deadline", () => {
  it("answers 503 temporarily_unavailable, and logs the deadline, when its work (a document, the upstream, its table) does not end in time", async () => {
    const lines: RequestLog[] = [];
    const app = createMcpApp({ tenantClaim: "client_id", scopes: ["mcp/invoke"], allowedOrigins: [], requestTimeoutMs: 200, log: (line) => lines.push(line), authorizationFront: () => new Promise(() => undefined) });
    const started = performance.now();
    const answer = await app.handle({ request: request("GET", "/authorize", { query: authorizeQuery(cimd, verifier()) }), requestId: "r", claims: undefined });
    expect(performance.now() - started).toBeLessThan(2_000);
    expect([answer.status, answer.headers["retry-after"], JSON.parse(answer.body!).error]).toEqual([503, "1", "temporarily_unavailable"]);
    expect(lines).toMatchObject([{ path: "/authorize", status: 503, error: "deadline" }]);
  });
});

describe("what the front's requests leave in the logs", () => {
  it("holds no code, token, verifier or state: the request log records the path alone", async () => {
    const lines: RequestLog[] = [];
    const app = createMcpApp({ tenantClaim: "client_id", scopes: ["mcp/invoke"], allowedOrigins: [], log: (line) => lines.push(line), authorizationFront: front });
    const v = verifier();
    const gateway = (r: HttpRequest) => ({ request: r, requestId: "r", claims: undefined });
    // The whole flow through the app, so that /authorize and the callback, which carry the state and the codes, are logged too.
    const state = `client-state-${verifier()}`;
    const code = await codeFor(cimd, v, signIn, (r) => app.handle(gateway(r)), state);
    const answer = await app.handle(gateway(request("POST", "/token", { form: { grant_type: "authorization_code", code, client_id: cimd, redirect_uri: "http://127.0.0.1:51000/callback", code_verifier: v } })));
    const { access_token, refresh_token } = JSON.parse(answer.body!) as { access_token: string; refresh_token: string };
    await app.handle(gateway(request("POST", "/token", { form: { grant_type: "refresh_token", refresh_token } })));
    // A code presented again: the line names the OAuth error, not the code.
    await app.handle(gateway(request("POST", "/token", { form: { grant_type: "authorization_code", code, client_id: cimd, redirect_uri: "http://127.0.0.1:51000/callback", code_verifier: v } })));
    const logged = JSON.stringify(lines);
    for (const secret of [code, v, challengeOf(v), state, access_token, refresh_token]) expect(logged).not.toContain(secret);
    // No query string either: the callback's carried the upstream's code and the front's own state.
    expect(logged).not.toContain("?");
    expect(lines.map((l) => [l.path, l.status, l.error])).toEqual([
      ["/authorize", 302, undefined],
      ["/oauth/callback", 302, undefined],
      ["/token", 200, undefined],
      ["/token", 200, undefined],
      ["/token", 400, "oauth:invalid_grant"],
    ]);
  });
});
