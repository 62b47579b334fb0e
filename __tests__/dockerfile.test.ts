import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
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

  it("writes the compile cache by loading that same bundle, with the cache directory the runtime reads", () => {
    expect(finalStage).toContain("ENV NODE_COMPILE_CACHE=${LAMBDA_TASK_ROOT}/.node-compile-cache");
    const [, command] = finalStage.match(/\nRUN (node .*)\n/) ?? [];
    expect(command).toContain(`\${LAMBDA_TASK_ROOT}/${file}.js`);
    // The build stage's command, run here by the shell the image uses, against the bundle built above.
    execFileSync("sh", ["-c", command], { cwd: ROOT, env: { ...process.env, LAMBDA_TASK_ROOT: join(ROOT, source) }, stdio: "pipe" });
  });
});
