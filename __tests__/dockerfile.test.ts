import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./support/terraform-workdir.js";

/**
 * No Docker engine runs here, so the image cannot be built; what can be
 * checked is that the Dockerfile's handler exists in the bundle it copies and loads.
 */
describe("Dockerfile", () => {
  const dockerfile = readFileSync(join(ROOT, "Dockerfile"), "utf8");
  const finalStage = dockerfile.slice(dockerfile.lastIndexOf("\nFROM "));

  it("runs on the AWS Lambda Node.js 22 or 24 base image", () => {
    expect(finalStage).toMatch(/^\nFROM public\.ecr\.aws\/lambda\/nodejs:(22|24)\b/);
  });

  it("names a handler that exists in the bundle it copies, and the bundle loads", () => {
    const [, source] = finalStage.match(/COPY --from=build \/build\/(\S+?)\/? \$\{LAMBDA_TASK_ROOT\}\//) ?? [];
    const [, file, exported] = finalStage.match(/CMD \["([\w-]+)\.(\w+)"\]/) ?? [];
    expect({ source, file, exported }).toEqual({ source: "dist/handler", file: "index", exported: "handler" });
    execFileSync("npm", ["run", "--silent", "build:handler"], { cwd: ROOT, stdio: "pipe" });
    const bundle = createRequire(import.meta.url)(join(ROOT, source, `${file}.js`)) as Record<string, unknown>;
    expect(typeof bundle[exported]).toBe("function");
  });
});
