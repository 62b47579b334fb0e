import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    root: new URL("..", import.meta.url).pathname,
    include: ["__tests__/**/*.test.ts"],
    globalSetup: ["__tests__/support/global-setup.ts"],
    // Terraform plans take seconds each; several run at once.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    maxConcurrency: 4,
  },
});
