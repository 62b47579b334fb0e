import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it, vi } from "vitest";
import { startBlackhole } from "./support/blackhole.js";
import { captureOutput } from "./support/capture-output.js";
import { ROOT } from "./support/terraform-workdir.js";

/**
 * No Docker engine runs here, so the image cannot be built; what can be
 * checked is that the Dockerfile's handler exists in the bundle it copies and
 * loads, and that its compile-cache step loads the same bundle.
 */
describe("Dockerfile", () => {
  const dockerfile = readFileSync(join(ROOT, "Dockerfile"), "utf8");
  const finalStage = dockerfile.slice(dockerfile.lastIndexOf("\nFROM "));
  const [, source] = finalStage.match(/COPY --from=build \/build\/(\S+?)\/? \$\{LAMBDA_TASK_ROOT\}\//) ?? [];
  const [, file, exported] = finalStage.match(/CMD \["([\w-]+)\.(\w+)"\]/) ?? [];

  it("runs on the AWS Lambda Node.js 22 or 24 base image", () => {
    expect(finalStage).toMatch(/^\nFROM public\.ecr\.aws\/lambda\/nodejs:(22|24)\b/);
  });

  it("names a handler that exists in the bundle it copies, and the bundle loads as ES modules", async () => {
    expect({ source, file, exported }).toEqual({ source: "dist/handler", file: "index", exported: "handler" });
    execFileSync("npm", ["run", "--silent", "build:handler"], { cwd: ROOT, stdio: "pipe" });
    expect(JSON.parse(readFileSync(join(ROOT, source, "package.json"), "utf8"))).toEqual({ type: "module" });
    const bundle = (await import(pathToFileURL(join(ROOT, source, `${file}.js`)).href)) as Record<string, unknown>;
    expect(typeof bundle[exported]).toBe("function");
  });

  it("serves from the bundle as from the source, with zod's English messages", async () => {
    const { handler } = (await import(pathToFileURL(join(ROOT, source, `${file}.js`)).href)) as { handler: (e: unknown, c: unknown) => Promise<{ statusCode: number; body: string }> };
    const event = (body: unknown) => {
      const e = JSON.parse(readFileSync(join(ROOT, "__tests__", "fixtures", "http-api-initialize.json"), "utf8"));
      e.headers["mcp-protocol-version"] = "2025-06-18";
      return { ...e, body: JSON.stringify(body), isBase64Encoded: false };
    };
    const call = (args: unknown) => ({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "echo", arguments: args } });
    const initialized = await handler(event({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } } }), {});
    expect(initialized.statusCode).toBe(200);
    // The version is package.json's, inlined at build time: the bundle reads no file for it.
    const { version, description } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    expect(JSON.parse(initialized.body).result.serverInfo).toEqual({ name: "cdktf-aws-mcp-server", version });
    // Only the version: no file of the bundle, chunks included, carries the rest of package.json.
    const bundled = readdirSync(join(ROOT, source), { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".js"));
    expect(bundled.length).toBeGreaterThan(1);
    for (const f of bundled) expect(readFileSync(join(ROOT, source, f), "utf8"), f).not.toContain(description);
    expect(JSON.parse((await handler(event(call({ text: "hi" })), {})).body).result.content).toEqual([{ type: "text", text: "hi" }]);
    const invalid = JSON.parse((await handler(event(call({ text: 42 })), {})).body);
    expect(JSON.stringify(invalid)).toMatch(/expected string, received number/i);
  });

  it("answers from the bundle by the deadline when the session store never answers, and logs it as cut by the deadline (the minified bundle keeps the error classes apart)", async () => {
    const blackhole = await startBlackhole();
    const env = { MCP_SESSIONS_TABLE: "mcp-sessions", AWS_ENDPOINT_URL_DYNAMODB: blackhole.endpoint, AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "x", AWS_SECRET_ACCESS_KEY: "x" };
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
    try {
      // A fresh instance of the bundle, built from this environment as on a cold start.
      const { handler } = (await import(`${pathToFileURL(join(ROOT, source, `${file}.js`)).href}?sessions`)) as { handler: (e: unknown, c: unknown) => Promise<{ statusCode: number }> };
      const e = JSON.parse(readFileSync(join(ROOT, "__tests__", "fixtures", "http-api-initialize.json"), "utf8"));
      const ends = Date.now() + 3_000;
      const { value: result, output } = await captureOutput(() => handler(e, { getRemainingTimeInMillis: () => ends - Date.now() }));
      expect(result.statusCode).toBe(503);
      expect(Date.now()).toBeLessThan(ends);
      expect(output).toContain('"error":"deadline"');
    } finally {
      vi.unstubAllEnvs();
      await blackhole.close();
    }
  });

  it("writes the compile cache by loading that same bundle, with the cache directory the runtime reads", () => {
    expect(finalStage).toContain("ENV NODE_COMPILE_CACHE=${LAMBDA_TASK_ROOT}/.node-compile-cache");
    const [, command] = finalStage.match(/\nRUN (node .*)\n/) ?? [];
    expect(command).toContain(`\${LAMBDA_TASK_ROOT}/${file}.js`);
    // The build stage's command, run here by the shell the image uses, against the bundle built above.
    execFileSync("sh", ["-c", command], { cwd: ROOT, env: { ...process.env, LAMBDA_TASK_ROOT: join(ROOT, source) }, stdio: "pipe" });
  });
});
