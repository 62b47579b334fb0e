import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it, onTestFinished } from "vitest";
import { ROOT } from "./support/terraform-workdir.js";

const run = promisify(execFile);

/**
 * No Docker engine runs here, so this replays the Dockerfile's build stage
 * in a scratch directory instead: each COPY from this repository and each
 * RUN, in order, as the builder would (the npm registry is reached through
 * the cache the root `npm ci` filled). What it shows is what the image build
 * installs: the handler's own dependencies, not the repository's.
 */
describe("the Dockerfile's build stage", () => {
  const dockerfile = readFileSync(join(ROOT, "Dockerfile"), "utf8");
  const stage = dockerfile.slice(dockerfile.indexOf("FROM "), dockerfile.indexOf("\nFROM ", dockerfile.indexOf("FROM ") + 1));
  const steps = stage.split("\n").filter((line) => /^(COPY|RUN) /.test(line));

  it("installs only the handler's dependencies, tens of MB instead of the repository's hundreds, and bundles a handler that serves", async () => {
    expect(steps.some((s) => s.startsWith("RUN npm ci --workspace=handler --include-workspace-root=false"))).toBe(true);
    const build = mkdtempSync(join(tmpdir(), "image-build-"));
    // 58 MB of node_modules each run: not left behind.
    onTestFinished(() => rmSync(build, { recursive: true, force: true }));
    for (const step of steps) {
      if (step.startsWith("COPY ")) {
        const parts = step.slice(5).trim().split(/\s+/);
        const destination = join(build, parts.pop()!);
        for (const source of parts) {
          const target = destination.endsWith("/") || parts.length > 1 ? join(destination, source.replace(/\/$/, "").split("/").pop()!) : destination;
          mkdirSync(dirname(target), { recursive: true });
          cpSync(join(ROOT, source), source.endsWith("/") ? destination : target, { recursive: true });
        }
      } else {
        await run("bash", ["-c", step.slice(4)], { cwd: build, env: { ...process.env, npm_config_prefer_offline: "true" }, maxBuffer: 16 << 20 });
      }
    }
    const installed = (await run("du", ["-sm", join(build, "node_modules")])).stdout;
    const megabytes = Number(installed.split(/\s/)[0]);
    const everything = Number((await run("du", ["-sm", join(ROOT, "node_modules")])).stdout.split(/\s/)[0]);
    console.log(`image build installs ${megabytes} MB (the repository's npm ci: ${everything} MB)`);
    expect(megabytes).toBeLessThan(100);
    expect(megabytes * 5).toBeLessThan(everything);
    for (const absent of ["cdktf", "@cdktf/provider-aws", "constructs", "vitest", "dynalite"]) expect(existsSync(join(build, "node_modules", absent)), absent).toBe(false);

    const { handler } = (await import(pathToFileURL(join(build, "dist", "handler", "index.js")).href)) as { handler: (e: unknown, c: unknown) => Promise<{ statusCode: number; body: string }> };
    const event = JSON.parse(readFileSync(join(ROOT, "__tests__", "fixtures", "http-api-initialize.json"), "utf8"));
    event.headers["mcp-protocol-version"] = "2025-06-18";
    const body = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } } };
    const answer = await handler({ ...event, body: JSON.stringify(body), isBase64Encoded: false }, {});
    expect(answer.statusCode).toBe(200);
    expect(JSON.parse(answer.body).result.serverInfo.name).toBe("cdktf-aws-mcp-server");
  });
});
