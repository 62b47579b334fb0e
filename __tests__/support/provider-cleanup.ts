import { afterAll } from "vitest";
import { stopIdleProviders } from "./provider-pool.js";

// Each test file runs in a worker of its own, which exits without running process exit handlers: its providers stop with the file.
afterAll(stopIdleProviders);
