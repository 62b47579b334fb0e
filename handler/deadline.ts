/**
 * The time a request may take. On Lambda the deadline is the invocation's
 * remaining time less a margin (lambda.ts), so the function answers before
 * it would time out; elsewhere it is a configured timeout. Everything a
 * request waits for (the SDK's work, the session store, AWS credentials)
 * ends when it passes.
 */

/** The reason a request's work was cut: its deadline passed. */
export class DeadlineExceededError extends Error {
  constructor() {
    super("The request's deadline passed");
    this.name = "DeadlineExceededError";
  }
}

/** One request's deadline: a signal that aborts, with a {@link DeadlineExceededError}, when it passes. */
export class Deadline {
  private readonly controller = new AbortController();
  private readonly timer: ReturnType<typeof setTimeout>;

  /** @param at epoch milliseconds; a time already past aborts at once. */
  constructor(at: number) {
    this.timer = setTimeout(() => this.controller.abort(new DeadlineExceededError()), Math.max(0, at - Date.now()));
  }

  /** Aborts when the deadline passes; hand it to whatever the request waits for. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Whether the deadline has passed. */
  get passed(): boolean {
    return this.controller.signal.aborted;
  }

  /** Stops the timer once the request is answered, so that no timer outlives its request. */
  clear(): void {
    clearTimeout(this.timer);
  }

  /**
   * Ends, now, what the request still waits for, as its deadline would: its answer will not be read to its end
   * (a streamed answer's reader left), so a tool still running, or a relay, would otherwise wait on a deadline
   * that no longer fires.
   */
  abandon(): void {
    clearTimeout(this.timer);
    this.controller.abort(new DeadlineExceededError());
  }
}

/**
 * `work`, or a {@link DeadlineExceededError} as soon as `signal` aborts,
 * whichever comes first. Work that ignores the signal (an AWS credentials
 * provider, a stream's read) is left to finish or fail on its own; its
 * failure is observed here, so it never becomes an unhandled rejection.
 */
export function beforeDeadline<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  work.catch(() => undefined);
  if (signal.aborted) return Promise.reject(reasonOf(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(reasonOf(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

function reasonOf(signal: AbortSignal): unknown {
  return signal.reason instanceof Error ? signal.reason : new DeadlineExceededError();
}
