/**
 * A Server-Sent Events body written as it is produced: what a POST answers
 * when the response streams (REST front with `enable_response_streaming`,
 * `npm start`) and the request may send messages before its result. Each
 * JSON-RPC message is one `message` event, the framing of the SDK's own
 * Streamable HTTP transports; between events a comment keeps the
 * connection busy, so that no idle timeout on the way (API Gateway's 5
 * minutes, CloudFront's origin response timeout) ends a quiet call.
 */

/** How often an open stream sends a comment when nothing else is sent; the SDK's own SSE keep-alive interval. */
const KEEP_ALIVE_MS = 15_000;

/** The headers of an SSE answer. */
export const EVENT_STREAM_HEADERS: Readonly<Record<string, string>> = { "content-type": "text/event-stream", "cache-control": "no-cache" };

/** One JSON-RPC message as an SSE frame. */
function messageEvent(message: unknown): string {
  return `event: message\ndata: ${JSON.stringify(message)}\n\n`;
}

/**
 * The events of one answer, queued until read: a producer calls
 * {@link send} and {@link end}; the body is its async iteration, which ends
 * after the last frame. Frames written after `end` are dropped.
 */
export class EventStream implements AsyncIterable<string> {
  private readonly frames: string[] = [];
  private wake?: () => void;
  private ended = false;
  private readonly keepAlive: ReturnType<typeof setInterval>;

  constructor(keepAliveMs = KEEP_ALIVE_MS) {
    this.keepAlive = setInterval(() => this.push(": keep-alive\n\n"), keepAliveMs);
    // The stream's end stops it; it never keeps a process alive on its own.
    this.keepAlive.unref?.();
  }

  /** Sends one JSON-RPC message as a `message` event. */
  send(message: unknown): void {
    this.push(messageEvent(message));
  }

  /** Sends frames produced elsewhere (the SDK's), as they are. */
  relay(frame: string): void {
    this.push(frame);
  }

  /** Ends the body once the frames already sent are read. */
  end(): void {
    this.ended = true;
    clearInterval(this.keepAlive);
    this.wake?.();
  }

  private push(frame: string): void {
    if (this.ended) return;
    this.frames.push(frame);
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<string> {
    try {
      for (;;) {
        if (this.frames.length > 0) {
          yield this.frames.splice(0).join("");
          continue;
        }
        if (this.ended) return;
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
      }
    } finally {
      // A reader that stops early (the client went away) ends the stream too.
      this.end();
    }
  }
}

/** How many `message` events a body chunk holds (keep-alive comments do not count). */
export function countEvents(chunk: string): number {
  return chunk.match(/^data:/gm)?.length ?? 0;
}

/**
 * Whether a JSON-RPC request may send messages before its result, so that a
 * streaming answer is worth opening: a tool call (tools report progress and
 * log), or any request that asks for progress (`_meta.progressToken`).
 */
export function mayNotifyBeforeResult(message: unknown): boolean {
  const { id, method, params } = (message ?? {}) as { id?: unknown; method?: unknown; params?: { _meta?: { progressToken?: unknown } } };
  if (id === undefined || typeof method !== "string") return false;
  return method === "tools/call" || params?._meta?.progressToken !== undefined;
}
