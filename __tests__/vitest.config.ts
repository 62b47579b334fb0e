import { defineConfig } from "vitest/config";

/**
 * The integration tests: the Terraform ones read the configuration the
 * global setup synthesizes and run `terraform` against it or the module it
 * builds (so they need that setup and the provider mirror), and the image
 * build installs packages. Every other test file is a unit test: the
 * handler, the synthesized stack in memory, the bundle, the local server,
 * with no setup at all.
 */
const INTEGRATION = ["image-build", "cdktf-consumer", "control-map", "examples", "govcloud", "guards", "module", "policy", "provider-schema", "scripts", "switches", "updates"].map(
  (name) => `__tests__/${name}.test.ts`,
);

/** The Go garbage collector's target for the Terraform processes the tests start (Go's default is 100). */
export const TERRAFORM_GOGC = "400";

export default defineConfig({
  test: {
    root: new URL("..", import.meta.url).pathname,
    // Vitest would run one file at a time on two cores; most of these tests wait on child processes, timers and sockets.
    maxWorkers: 3,
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["__tests__/**/*.test.ts"], exclude: INTEGRATION, testTimeout: 60_000, hookTimeout: 60_000 },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: INTEGRATION,
          globalSetup: ["__tests__/support/global-setup.ts"],
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
