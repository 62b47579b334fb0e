import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { LRUCache } from "lru-cache";
import { RequestFilteringHttpsAgent } from "request-filtering-agent";
import { matchesRegisteredRedirect } from "./redirect-uri.js";

/**
 * Client ID Metadata Documents (CIMD, the MCP authorization specification's
 * preferred client identification since 2025-11-25): the client id is an
 * HTTPS URL, and the JSON document there describes the client. The front
 * fetches it as an untrusted party's URL: HTTPS only, never to a private,
 * loopback, link-local or metadata address (checked on the address the
 * connection is made to, after DNS resolution, so a name that resolves to
 * 169.254.169.254 or rebinds is refused too), bounded in size and time, and
 * cached as its headers allow.
 */

/** What the front reads of a client's metadata. */
export interface ClientMetadata {
  readonly client_id: string;
  readonly redirect_uris: readonly string[];
  readonly client_name?: string;
}

/** A client id or its document that the front cannot accept; `error` is the OAuth error code to answer with. */
export class ClientMetadataError extends Error {
  constructor(
    readonly error: "invalid_client" | "invalid_request",
    message: string,
  ) {
    super(message);
    this.name = "ClientMetadataError";
  }
}

/** Options of {@link ClientMetadataResolver}. */
export interface ClientMetadataOptions {
  /** Hosts client ids may be on; empty: any host. */
  readonly allowedHosts?: readonly string[];
  /**
   * Local development only (`npm start`): also accept `http://127.0.0.1:<port>/...`
   * client ids, so that the whole flow runs on one machine. A deployed front never sets it.
   */
  readonly allowLoopbackHttp?: boolean;
  /** @default 5120: a document lists a few URIs and names */
  readonly maxBytes?: number;
  /** From the request to the last byte. @default 5000 */
  readonly timeoutMs?: number;
  /** How long a document without caching headers is kept, and the longest any is kept, in seconds. @default 300 and 86400 */
  readonly defaultTtlSeconds?: number;
  readonly maxTtlSeconds?: number;
}

/** Resolves client ids to their metadata documents, caching them as their `Cache-Control` allows. */
export class ClientMetadataResolver {
  // Bounded: anyone may host documents at as many URLs as they like, and each kept one holds memory until it expires.
  private readonly cache = new LRUCache<string, ClientMetadata>({ max: 1000 });
  private readonly agent = new RequestFilteringHttpsAgent({ allowPrivateIPAddress: false, allowMetaIPAddress: false });

  constructor(private readonly options: ClientMetadataOptions = {}) {}

  /** The metadata of `clientId`, or a {@link ClientMetadataError} that says what is wrong with it. */
  async resolve(clientId: string): Promise<ClientMetadata> {
    const url = this.check(clientId);
    const cached = this.cache.get(clientId);
    if (cached) return cached;
    const { body, maxAge } = await this.fetch(url);
    const metadata = parseDocument(body, clientId);
    if (maxAge > 0) this.cache.set(clientId, metadata, { ttl: maxAge * 1000 });
    return metadata;
  }

  /** The client id as a URL the front may fetch (draft-ietf-oauth-client-id-metadata-document, section 3). */
  private check(clientId: string): URL {
    let url: URL;
    try {
      url = new URL(clientId);
    } catch {
      throw new ClientMetadataError("invalid_client", "client_id is neither a registered client nor an HTTPS URL of a Client ID Metadata Document.");
    }
    const loopbackHttp = this.options.allowLoopbackHttp === true && url.protocol === "http:" && url.hostname === "127.0.0.1";
    if (url.protocol !== "https:" && !loopbackHttp) throw new ClientMetadataError("invalid_client", "client_id must be an https URL (a Client ID Metadata Document).");
    if (url.username || url.password || url.hash || clientId.includes("#")) {
      throw new ClientMetadataError("invalid_client", "client_id must not contain user information or a fragment.");
    }
    if (url.pathname === "/" || /\/\.{1,2}(\/|$)/.test(clientId.slice(clientId.indexOf("//") + 2))) {
      throw new ClientMetadataError("invalid_client", "client_id must name a document by a path without '.' or '..' segments.");
    }
    const hosts = this.options.allowedHosts ?? [];
    if (hosts.length > 0 && !hosts.some((host) => host.toLowerCase() === url.hostname)) {
      throw new ClientMetadataError("invalid_client", `client_id is on ${url.hostname}, which this server does not accept client metadata from.`);
    }
    return url;
  }

  private fetch(url: URL): Promise<{ body: string; maxAge: number }> {
    const maxBytes = this.options.maxBytes ?? 5120;
    const timeoutMs = this.options.timeoutMs ?? 5000;
    const host = url.hostname;
    return new Promise((resolve, reject) => {
      // The timer stops when the promise settles, however it settles: a connection that closes mid-answer leaves nothing waiting.
      let timer: ReturnType<typeof setTimeout> | undefined;
      const fail = (message: string) => {
        clearTimeout(timer);
        reject(new ClientMetadataError("invalid_client", message));
      };
      const request = (url.protocol === "https:" ? httpsRequest : httpRequest)(
        url,
        { method: "GET", headers: { accept: "application/json" }, ...(url.protocol === "https:" && { agent: this.agent }) },
        (response: IncomingMessage) => {
          if (response.statusCode !== 200) {
            response.resume();
            return fail(`The client's metadata document at ${host} answered HTTP ${response.statusCode}; it must answer 200 with JSON.`);
          }
          if (Number(response.headers["content-length"]) > maxBytes) {
            request.destroy();
            return fail(`The client's metadata document at ${host} is larger than ${maxBytes} bytes.`);
          }
          const chunks: Buffer[] = [];
          let size = 0;
          response.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size > maxBytes) {
              request.destroy();
              fail(`The client's metadata document at ${host} is larger than ${maxBytes} bytes.`);
            } else chunks.push(chunk);
          });
          response.on("end", () => {
            clearTimeout(timer);
            resolve({ body: Buffer.concat(chunks).toString("utf8"), maxAge: this.maxAge(response.headers["cache-control"]) });
          });
          // A connection reset mid-answer ends the response without an end.
          response.on("error", () => undefined);
          response.on("close", () => {
            if (!response.complete) fail(`The client's metadata document at ${host} was cut off before its end.`);
          });
        },
      );
      // One bound from the request to the last byte: a peer that trickles bytes is cut as surely as a silent one.
      timer = setTimeout(() => {
        request.destroy();
        fail(`The client's metadata document at ${host} did not arrive within ${timeoutMs} ms.`);
      }, timeoutMs);
      request.on("error", (error: Error) => {
        // The filtering agent's refusal names the address; the answer says what kind it was, not where.
        if (/is not allowed|private|meta/i.test(error.message)) fail(`client_id's host ${host} resolves to a private, loopback, link-local or metadata address, which this server never fetches.`);
        else fail(`The client's metadata document at ${host} could not be fetched (${(error as NodeJS.ErrnoException).code ?? error.name}).`);
      });
      request.end();
    });
  }

  /** Seconds the document may be kept: its `max-age`, bounded; none with `no-store` or `no-cache`. */
  private maxAge(cacheControl: string | undefined): number {
    const fallback = this.options.defaultTtlSeconds ?? 300;
    const ceiling = this.options.maxTtlSeconds ?? 86400;
    if (!cacheControl) return fallback;
    if (/\b(no-store|no-cache)\b/i.test(cacheControl)) return 0;
    const maxAge = /\bmax-age=(\d+)/i.exec(cacheControl)?.[1];
    return maxAge === undefined ? fallback : Math.min(Number(maxAge), ceiling);
  }
}

/** The document, checked: JSON naming this very URL as its client id, with redirect URIs, for a public client. */
function parseDocument(body: string, clientId: string): ClientMetadata {
  let document: unknown;
  try {
    document = JSON.parse(body);
  } catch {
    throw new ClientMetadataError("invalid_client", "The client's metadata document is not JSON.");
  }
  const { client_id, redirect_uris, client_name, token_endpoint_auth_method } = (document ?? {}) as Record<string, unknown>;
  if (client_id !== clientId) throw new ClientMetadataError("invalid_client", "The client's metadata document names another client_id than its own URL.");
  if (!Array.isArray(redirect_uris) || redirect_uris.length === 0 || !redirect_uris.every((uri) => typeof uri === "string" && URL.canParse(uri))) {
    throw new ClientMetadataError("invalid_client", "The client's metadata document must list its redirect_uris as absolute URLs.");
  }
  if (token_endpoint_auth_method !== undefined && token_endpoint_auth_method !== "none") {
    throw new ClientMetadataError("invalid_client", 'This server accepts public clients only: the document\'s token_endpoint_auth_method must be "none" or absent.');
  }
  return { client_id: clientId, redirect_uris, ...(typeof client_name === "string" && { client_name: client_name.slice(0, 200) }) };
}

/** Whether `redirectUri` is one `metadata` lists (exactly, or a loopback URI on another port: redirect-uri.ts). */
export function redirectAllowed(metadata: ClientMetadata, redirectUri: string): boolean {
  return matchesRegisteredRedirect(redirectUri, metadata.redirect_uris);
}
