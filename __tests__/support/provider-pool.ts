import { type ChildProcess, spawn } from "node:child_process";
import { appendFileSync, existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { providerMirror } from "./terraform-workdir.js";

/**
 * Running hashicorp/aws providers that Terraform attaches to instead of
 * starting the provider's binary itself (`TF_REATTACH_PROVIDERS`,
 * Terraform's provider-debugging mode). The binary is the mirror's, the one
 * `terraform init` installs. A plan left to itself starts the provider three
 * times (to read its schema, to validate, to plan), each start costing about
 * half a second of CPU; attached, it uses one. A provider process can be
 * configured once (a second ConfigureProvider fails with "unable to add custom
 * RootCAs HTTPClient"), so each plan gets a fresh one, stopped after it
 * ({@link withFreshProvider}); `terraform show -json` reads only the schema
 * and shares long-lived ones ({@link withProvider}).
 */

/** How many run at once in a test worker: two cores, and a show keeps one busy for about a second. */
const POOL_SIZE = 2;

interface Provider {
  readonly child: ChildProcess;
  /** The TF_REATTACH_PROVIDERS value that attaches Terraform to it. */
  readonly reattach: string;
}

const idle: Provider[] = [];
const waiting: ((provider: Provider) => void)[] = [];
let started = 0;

/** The provider binary in the mirror, for the aws provider version it holds. */
function binary(): string {
  const base = join(providerMirror().pluginDir, "registry.terraform.io", "hashicorp", "aws");
  for (const version of readdirSync(base)) {
    const dir = join(base, version, "linux_amd64");
    const file = existsSync(dir) ? readdirSync(dir).find((f) => f.startsWith("terraform-provider-aws")) : undefined;
    if (file) return join(dir, file);
  }
  throw new Error(`no terraform-provider-aws binary under ${base}`);
}

/** Where the pids of started providers are listed, so that the global teardown stops any a worker left behind. */
export function pidFile(outdir: string): string {
  return join(outdir, "provider-pids");
}

/** How long a provider may take to start listening; it takes a few seconds on a loaded machine. */
const START_TIMEOUT_MS = 60_000;

function start(pids: string): Promise<Provider> {
  const child = spawn(binary(), ["-debug"], { stdio: ["ignore", "pipe", "pipe"] });
  appendFileSync(pids, `${child.pid}\n`);
  child.stderr!.resume();
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`the aws provider did not listen within ${START_TIMEOUT_MS / 1000} s: ${out}`));
    }, START_TIMEOUT_MS);
    const listen = (chunk: Buffer) => {
      out += chunk;
      const found = out.match(/TF_REATTACH_PROVIDERS='([^']+)'/);
      if (!found) return;
      clearTimeout(timer);
      child.stdout!.off("data", listen);
      child.stdout!.resume();
      resolve({ child, reattach: found[1] });
    };
    child.stdout!.on("data", listen);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the aws provider exited (${code}) before it listened: ${out}`));
    });
  });
}

/** Stops this worker's providers; each test file's worker calls it when the file is done (provider-cleanup.ts). */
export function stopIdleProviders(): void {
  for (const { child } of idle.splice(0)) child.kill();
  started = 0;
  void spare?.then(({ child }) => child.kill(), () => undefined);
  spare = undefined;
}

/** A provider started ahead for the next {@link withFreshProvider}, so that its start overlaps the command before. */
let spare: Promise<Provider> | undefined;

function startSpare(pids: string): void {
  const next = start(pids);
  spare = next;
  // A spare that fails to start is dropped; the command that takes it gets the error.
  next.catch(() => {
    if (spare === next) spare = undefined;
  });
}

/**
 * Runs `command` attached to a provider that has never been configured, and
 * stops that provider when the command ends: for commands that configure
 * the provider (plans).
 */
export async function withFreshProvider<T>(pids: string, command: (env: NodeJS.ProcessEnv) => Promise<T>): Promise<T> {
  const next = spare ?? start(pids);
  spare = undefined;
  startSpare(pids);
  const provider = await next;
  try {
    return await command({ ...process.env, TF_REATTACH_PROVIDERS: provider.reattach });
  } finally {
    provider.child.kill();
  }
}

/**
 * Runs `command` with the environment that attaches Terraform to a provider
 * of its own for the command's length. Only for commands that never
 * configure the provider.
 */
export async function withProvider<T>(pids: string, command: (env: NodeJS.ProcessEnv) => Promise<T>): Promise<T> {
  let provider = idle.pop();
  if (provider && provider.child.exitCode !== null) {
    // It stopped (it should not): a new one takes its place.
    started--;
    provider = undefined;
  }
  if (!provider) {
    if (started < POOL_SIZE) {
      started++;
      provider = await start(pids).catch((error: unknown) => {
        started--;
        throw error;
      });
    } else {
      provider = await new Promise<Provider>((resolve) => waiting.push(resolve));
    }
  }
  try {
    return await command({ ...process.env, TF_REATTACH_PROVIDERS: provider.reattach });
  } finally {
    const next = waiting.shift();
    if (next) next(provider);
    else idle.push(provider);
  }
}

/** Stops any provider a worker left running (global teardown), and only those: a pid the system has reused since is left alone. */
export function stopProviders(pids: string): void {
  if (!existsSync(pids)) return;
  for (const pid of readFileSync(pids, "utf8").split("\n").filter(Boolean)) {
    const cmdline = `/proc/${pid}/cmdline`;
    if (existsSync(cmdline) && readFileSync(cmdline, "utf8").includes("terraform-provider-aws")) process.kill(Number(pid));
  }
}
