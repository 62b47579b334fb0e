/**
 * Redirect URI matching for the authorization front: the redirect URI of an
 * authorization request must be one the client registered (its Client ID
 * Metadata Document or its dynamic registration lists it), compared as
 * strings, as OAuth 2.1 requires, so that no prefix, path or parameter
 * trick sends a code elsewhere. One exception, which RFC 8252 section 7.3
 * requires: a loopback redirect URI (`http://127.0.0.1`, `http://[::1]`, and
 * `http://localhost`, which desktop MCP clients use) matches on everything
 * but the port, because a native client listens on whatever port is free.
 */

/** The hosts of loopback redirect URIs, as `URL` spells them. */
const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(["127.0.0.1", "[::1]", "localhost"]);

/** Whether `uri` is a loopback redirect URI: plain HTTP to this machine, on any port. */
export function isLoopbackRedirect(uri: URL): boolean {
  return uri.protocol === "http:" && LOOPBACK_HOSTS.has(uri.hostname);
}

/**
 * Whether `requested` is one of `registered`. A URI with a fragment or with
 * user information never matches (RFC 6749 section 3.1.2 forbids fragments;
 * user information would only disguise the host), nor does one that does not
 * parse as an absolute URL.
 */
export function matchesRegisteredRedirect(requested: string, registered: readonly string[]): boolean {
  const asked = parse(requested);
  if (!asked || asked.hash !== "" || requested.includes("#") || asked.username !== "" || asked.password !== "") return false;
  return registered.some((candidate) => {
    if (candidate === requested) return true;
    const listed = parse(candidate);
    if (!listed || !isLoopbackRedirect(listed) || !isLoopbackRedirect(asked)) return false;
    // Everything but the port: scheme, host, and path and query as written.
    return listed.hostname === asked.hostname && afterAuthority(candidate) === afterAuthority(requested);
  });
}

function parse(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/** The part of an absolute URI after its authority (path and query), as written. */
function afterAuthority(text: string): string {
  const start = text.indexOf("//") + 2;
  const end = text.slice(start).search(/[/?#]/);
  return end < 0 ? "" : text.slice(start + end);
}
