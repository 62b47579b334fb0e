import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * The integration tests: the Terraform ones read the configuration the
 * global setup synthesizes and run `terraform` against it or the module it
 * builds (so they need that setup and the provider mirror), and the image
 * build installs packages. Every other test file is a unit test: the
 * handler, the synthesized stack in memory, the bundle, the local server,
 * with no setup at all.
 */
const INTEGRATION = [
  // Longest first (seconds on two cores, December 2026): each starts as early as it can, whether or not Vitest has timings cached.
  "switches", // 180
  "module", // 120
  "guards", // 115
  "scripts", // 60
  "govcloud", // 35
  "provider-schema", // 20
  "image-build", // 13
  "updates", // 12
  "cdktf-consumer", // 12
  "examples", // 11
  "policy", // 5
  "control-map",
].map((name) => `__tests__/${name}.test.ts`);

/** How many test files run at once. */
const WORKERS = 4;

/**
 * The integration files keep both cores busy with Terraform; the unit files mostly wait (on timers, sockets and
 * child processes). Vitest would run the short unit files last, at the end, on an otherwise idle machine; this
 * order starts the longest integration files on all workers but one, and runs the unit files on that one
 * meanwhile, so their waiting overlaps the Terraform work.
 */
class UnitBesideIntegration extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification) => INTEGRATION.findIndex((path) => f.moduleId.endsWith(path));
    const integration = sorted.filter((f) => f.project.name === "integration").sort((a, b) => rank(a) - rank(b));
    const unit = sorted.filter((f) => f.project.name !== "integration");
    return [...integration.slice(0, WORKERS - 1), ...unit, ...integration.slice(WORKERS - 1)];
  }
}

/** Gives the run one temporary directory, removed at its end (support/temp-root.ts). */
const TEMP_ROOT = "__tests__/support/temp-root.ts";

/** The Go garbage collector's target for the Terraform processes the tests start (Go's default is 100). */
export const TERRAFORM_GOGC = "400";

export default defineConfig({
  test: {
    root: new URL("..", import.meta.url).pathname,
    // Vitest would run one file at a time on two cores; most of these tests wait on child processes, timers and sockets.
    maxWorkers: WORKERS,
    sequence: { sequencer: UnitBesideIntegration },
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["__tests__/**/*.test.ts"], exclude: INTEGRATION, globalSetup: [TEMP_ROOT], testTimeout: 60_000, hookTimeout: 60_000 },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: INTEGRATION,
          globalSetup: [TEMP_ROOT, "__tests__/support/global-setup.ts"],
          setupFiles: ["__tests__/support/provider-cleanup.ts"],
          // Terraform and the provider are Go programs whose runs are short and allocation-heavy (the provider
          // builds its whole schema each time): collecting garbage less often cuts their CPU time by about a third.
          env: { GOGC: TERRAFORM_GOGC },
          // Terraform plans take seconds each; several run at once.
          testTimeout: 180_000,
          hookTimeout: 180_000,
          maxConcurrency: 4,
        },
      },
    ],
  },
});
