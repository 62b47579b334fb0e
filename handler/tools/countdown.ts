import * as z from "zod";
import type { Tool } from "./tool.js";
import { listedOnce } from "./schema.js";

/** Lambda's longest function timeout: no call can outlast it. */
const MAX_SECONDS = 900;

const input = listedOnce(
  z.object({
    seconds: z.number().int().min(1).max(MAX_SECONDS).describe(`How long to run, in whole seconds (1-${MAX_SECONDS})`),
  }),
);

/**
 * `countdown`: runs for the given number of seconds and reports progress
 * each second to a caller that asked for it (`_meta.progressToken`); the
 * pattern for a long-running tool. The notifications reach the client as
 * they are sent only where the response streams (the REST front with
 * `enable_response_streaming`, and `npm start`); a buffered front drops them
 * and answers at the end. The call stops early, and answers, when the client
 * cancels it or the request's deadline passes (the request's signal).
 */
export const countdown: Tool = {
  name: "countdown",
  register(server) {
    server.registerTool(
      this.name,
      {
        title: "Countdown",
        description: `Runs for the given number of seconds (1-${MAX_SECONDS}), reporting progress each second when the request carries a progress token, then says how long it ran.`,
        inputSchema: input,
        annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
      },
      async ({ seconds }, ctx) => {
        const { signal } = ctx.mcpReq;
        const progressToken = ctx.mcpReq._meta?.progressToken;
        let elapsed = 0;
        while (elapsed < seconds && !signal.aborted) {
          await sleep(1000, signal);
          if (signal.aborted) break;
          elapsed++;
          if (progressToken !== undefined) {
            await ctx.mcpReq.notify({ method: "notifications/progress", params: { progressToken, progress: elapsed, total: seconds, message: `${elapsed} of ${seconds} s` } });
          }
        }
        const text = elapsed === seconds ? `Counted ${seconds} s.` : `Stopped after ${elapsed} of ${seconds} s.`;
        return { content: [{ type: "text", text }], structuredContent: { seconds: elapsed } };
      },
    );
  },
};

/** Resolves after `ms`, or as soon as `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
