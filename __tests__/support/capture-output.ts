import { vi } from "vitest";

/** Captures every line the process writes while `run` runs: console and both standard streams. */
export async function captureOutput<T>(run: () => Promise<T>): Promise<{ value: T; output: string }> {
  const lines: string[] = [];
  const record = (...args: unknown[]) => void lines.push(args.map((a) => (typeof a === "string" ? a : JSON.stringify(a) ?? String(a))).join(" "));
  const spies = [
    ...(["log", "info", "warn", "error", "debug", "trace"] as const).map((m) => vi.spyOn(console, m).mockImplementation(record)),
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: unknown) => (record(String(chunk)), true)),
    vi.spyOn(process.stderr, "write").mockImplementation((chunk: unknown) => (record(String(chunk)), true)),
  ];
  try {
    return { value: await run(), output: lines.join("\n") };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

