import { NodeHttpHandler } from "@smithy/node-http-handler";

/**
 * How long the function waits for AWS (DynamoDB, STS), in milliseconds and
 * attempts. The SDK's defaults wait forever: no connection timeout, and a
 * request timeout that only logs a warning. Behind a broken VPC endpoint or
 * NAT that accepts connections and never answers, every session request
 * would then hold its invocation until the function timed out. In-region
 * DynamoDB and STS answer in milliseconds, so these bounds leave room for
 * slow moments while keeping three attempts (with the SDK's standard
 * backoff) well inside a request's deadline, which ends any call sooner.
 */
export const AWS_CALL_LIMITS = { connectionTimeoutMs: 1_000, requestTimeoutMs: 2_000, maxAttempts: 3 } as const;

let handler: NodeHttpHandler | undefined;

/**
 * The settings every AWS SDK client of the function starts from: the
 * {@link AWS_CALL_LIMITS} and one HTTP handler shared by all of them, so
 * that the per-tenant clients share one connection pool instead of opening
 * connections of their own. Created on first use: a function with sessions
 * off never loads it.
 */
export function awsClientSettings(): { requestHandler: NodeHttpHandler; maxAttempts: number; retryMode: "standard" } {
  handler ??= new NodeHttpHandler({
    connectionTimeout: AWS_CALL_LIMITS.connectionTimeoutMs,
    requestTimeout: AWS_CALL_LIMITS.requestTimeoutMs,
    // Without it, a request past its timeout is only logged and goes on waiting.
    throwOnRequestTimeout: true,
  });
  return { requestHandler: handler, maxAttempts: AWS_CALL_LIMITS.maxAttempts, retryMode: "standard" };
}
