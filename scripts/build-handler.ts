/**
 * Bundles the Lambda handler (`handler/index.ts`) into `dist/handler/`, the
 * folder the Dockerfile copies. `npm run bench` bundles its bare-SDK baseline
 * with the same {@link BUNDLE_OPTIONS}, without the {@link LEAN} alias.
 */
import { build, BuildOptions, Plugin } from "esbuild";
import { mkdirSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";

/**
 * How a Lambda handler is bundled: ES modules, minified, for the Node.js 20+
 * runtimes, with a source map. Code split: what a request does not need (the
 * AWS SDK, when sessions are off) sits in chunks loaded on first use.
 * Dependencies' ES builds are preferred, and `require` is provided for the
 * CommonJS ones that still call it.
 */
export const BUNDLE_OPTIONS: BuildOptions = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  splitting: true,
  mainFields: ["module", "main"],
  banner: { js: 'import { createRequire as __bundleRequire } from "node:module"; const require = __bundleRequire(import.meta.url);' },
  entryNames: "[name]",
  chunkNames: "chunks/[name]-[hash]",
  minify: true,
  sourcemap: true,
  logLevel: "warning",
};

/** Dependency modules the handler does not need, replaced by the stand-ins in handler/bundle/ (each says why): today the SDK's ajv validator. */
export const LEAN: Plugin = {
  name: "lean",
  setup(b) {
    b.onResolve({ filter: /^@modelcontextprotocol\/server\/_shims$/ }, () => ({ path: resolve("handler/bundle/sdk-shims.ts") }));
  },
};

/** Bundles `entry` into `outdir` as `index.js` and its chunks, next to a package.json that tells Node they are ES modules. */
export async function bundleHandler(entry: string, outdir: string, options: BuildOptions = {}): Promise<void> {
  await build({ ...BUNDLE_OPTIONS, ...options, entryPoints: { index: entry }, outdir });
  mkdirSync(outdir, { recursive: true });
  writeFileSync(`${outdir}/package.json`, JSON.stringify({ type: "module" }));
}

if (process.argv[1]?.endsWith("build-handler.cjs")) {
  bundleHandler("handler/index.ts", "dist/handler", { plugins: [LEAN] }).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
