import type { Tool } from "../../handler/tools/tool.js";

/**
 * A tool that never finishes on its own: it waits until the SDK aborts its
 * request (a deadline, a cancellation), then records the abort. The
 * handler's own tools all finish at once, so this is how the tests reach a
 * request that outlives its deadline.
 */
export function stallingTool(): Tool & { readonly aborted: () => number } {
  let aborted = 0;
  return {
    name: "stall",
    aborted: () => aborted,
    register(server) {
      server.registerTool(
        "stall",
        { description: "Waits until its request is aborted." },
        (ctx) =>
          new Promise((_resolve, reject) => {
            const stop = () => {
              aborted++;
              reject(new Error("aborted"));
            };
            // A cancel in the same batch may abort the request before its tool runs.
            if (ctx.mcpReq.signal.aborted) stop();
            else ctx.mcpReq.signal.addEventListener("abort", stop);
          }),
      );
    },
  };
}
