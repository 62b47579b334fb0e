import { Writable } from "node:stream";
import type { HttpPrelude, StreamingRuntime } from "../lambda.js";

/**
 * Lambda's response streaming on this machine, both sides of it, as AWS
 * documents them (docs/aws-behaviours.md, "Response streaming"): the
 * runtime's `awslambda` calls the handler uses, and API Gateway's reading
 * of what it writes. The local gateway runs the production streaming
 * handler through them, and the Lambda-level tests use them as the
 * stand-in for the runtime.
 */

/** What separates the prelude from the body: 8 NUL bytes. */
export const PRELUDE_DELIMITER = Buffer.alloc(8);
/** API Gateway answers 500 when the delimiter is not within the first 16 KB of the stream. */
const MAX_PRELUDE_BYTES = 16 * 1024;

/**
 * The runtime's `awslambda`, as far as the handler uses it:
 * `streamifyResponse` leaves the handler as it is (on Lambda it only marks
 * it), and `HttpResponseStream.from` writes the prelude's JSON and the
 * delimiter before the first chunk, on the first `write` only, as the
 * runtime does (so a stream ended without a write carries no prelude).
 */
export const localStreamingRuntime: StreamingRuntime = {
  streamifyResponse: (handler) => handler,
  HttpResponseStream: {
    from(responseStream, prelude) {
      const write = responseStream.write.bind(responseStream) as (chunk: unknown, ...rest: unknown[]) => boolean;
      let first = true;
      responseStream.write = ((chunk: unknown, ...rest: unknown[]) => {
        if (first) {
          first = false;
          write(JSON.stringify(prelude));
          write(PRELUDE_DELIMITER);
        }
        return write(chunk, ...rest);
      }) as Writable["write"];
      return responseStream;
    },
  },
};

/** What a {@link PreludeReader} hands on: the prelude once it is read, then each chunk of the body, then the end. */
export interface StreamedAnswer {
  prelude(prelude: HttpPrelude): void;
  body(chunk: Buffer): void;
  end(): void;
  /** The stream broke API Gateway's format: no delimiter within 16 KB, or a prelude that is not the JSON of status and headers. */
  malformed(reason: string): void;
}

/**
 * The response stream a streaming handler writes to, read as API Gateway
 * reads it: the bytes up to the delimiter are the prelude, the rest is the
 * body, handed on chunk by chunk as it arrives (never gathered).
 */
export class PreludeReader extends Writable {
  private head: Buffer | undefined = Buffer.alloc(0);

  constructor(private answer: StreamedAnswer) {
    super();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    if (!this.head) {
      if (chunk.length) this.answer.body(chunk);
      return done();
    }
    const head = Buffer.concat([this.head, chunk]);
    const at = head.indexOf(PRELUDE_DELIMITER);
    if (at < 0) {
      if (head.length <= MAX_PRELUDE_BYTES) this.head = head;
      else this.fail("no prelude delimiter within the first 16 KB");
      return done();
    }
    this.head = undefined;
    let prelude: HttpPrelude;
    try {
      prelude = JSON.parse(head.subarray(0, at).toString("utf8")) as HttpPrelude;
    } catch {
      this.fail("the prelude is not JSON");
      return done();
    }
    if (!Number.isInteger(prelude?.statusCode)) {
      this.fail("the prelude has no statusCode");
      return done();
    }
    this.answer.prelude(prelude);
    const rest = head.subarray(at + PRELUDE_DELIMITER.length);
    if (rest.length) this.answer.body(rest);
    done();
  }

  override _final(done: (error?: Error | null) => void): void {
    if (this.head) this.fail("the stream ended before its prelude");
    else this.answer.end();
    done();
  }

  private fail(reason: string): void {
    // Whatever follows is not an answer: it is dropped, as API Gateway drops it.
    this.head = undefined;
    this.answer.malformed(reason);
    this.answer = { prelude: () => undefined, body: () => undefined, end: () => undefined, malformed: () => undefined };
  }
}
