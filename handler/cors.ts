import { CORS } from "./http-contract.js";

/** Whether `origin` is a browser origin the operator allows. */
export function isAllowedOrigin(origin: string | undefined, allowedOrigins: readonly string[]): origin is string {
  return origin !== undefined && allowedOrigins.includes(origin);
}

/**
 * The CORS headers of an answer to a browser at `origin`: present only when
 * the origin is allowed (an answer without them is unreadable to the page).
 * Credentials are never sent by cookie, so none are allowed: browser clients
 * send the token in `Authorization`, with `credentials: "omit"`.
 */
export function corsHeaders(origin: string | undefined, allowedOrigins: readonly string[]): Record<string, string> {
  if (!isAllowedOrigin(origin, allowedOrigins)) return {};
  return { "access-control-allow-origin": origin, "access-control-expose-headers": CORS.exposeHeaders.join(", "), vary: "Origin" };
}

/** The answer to a preflight (OPTIONS) from `origin`: 204, with the methods and headers it may use when the origin is allowed. */
export function preflightAnswer(origin: string | undefined, allowedOrigins: readonly string[]): { status: number; headers: Record<string, string> } {
  const allowed = corsHeaders(origin, allowedOrigins);
  if (!allowed["access-control-allow-origin"]) return { status: 204, headers: { vary: "Origin" } };
  return {
    status: 204,
    headers: {
      ...allowed,
      "access-control-allow-methods": CORS.allowMethods.join(", "),
      "access-control-allow-headers": CORS.allowHeaders.join(", "),
      "access-control-max-age": String(CORS.maxAgeSeconds),
    },
  };
}
