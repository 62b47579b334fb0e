import { createHash, timingSafeEqual } from "node:crypto";

/** RFC 7636 section 4.1: 43 to 128 unreserved characters. */
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
/** The S256 challenge of such a verifier: 43 base64url characters. */
const CHALLENGE = /^[A-Za-z0-9\-_]{43}$/;

/** Whether `challenge` is an S256 code challenge, the only method the front accepts (`plain` would give the code's value away). */
export function isS256Challenge(challenge: string | null, method: string | null): challenge is string {
  return method === "S256" && challenge !== null && CHALLENGE.test(challenge);
}

/** The S256 challenge of `verifier`: BASE64URL(SHA-256(verifier)). */
export function challengeOf(verifier: string): string {
  return createHash("sha256").update(verifier).digest("base64url");
}

/** Whether `verifier` is the one `challenge` was made from, compared in constant time. */
export function verifiesChallenge(verifier: string | null, challenge: string): boolean {
  if (verifier === null || !VERIFIER.test(verifier)) return false;
  const computed = Buffer.from(challengeOf(verifier));
  const expected = Buffer.from(challenge);
  return computed.length === expected.length && timingSafeEqual(computed, expected);
}
