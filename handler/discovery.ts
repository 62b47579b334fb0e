import type { OAuthProtectedResourceMetadata } from "@modelcontextprotocol/server";
import { MCP_PATH } from "./http-contract.js";
import { type HttpRequest, type HttpResponse, jsonResponse, problem } from "./http-message.js";

/** What the protected-resource metadata advertises. */
export interface DiscoverySettings {
  /** Token issuer, advertised as the authorization server. */
  readonly issuer?: string;
  /** Public URL of the MCP endpoint. Default: this request's origin + /mcp. */
  readonly resourceUrl?: string;
  readonly scopes: readonly string[];
}

/** RFC 9728 protected-resource metadata: where a client learns which authorization server and scopes to use. Public, and cacheable for five minutes. */
export function discovery(request: HttpRequest, settings: DiscoverySettings): HttpResponse {
  if (request.method !== "GET") return problem(405, "Discovery metadata is read with GET.", { allow: "GET" });
  const metadata: OAuthProtectedResourceMetadata = {
    resource: settings.resourceUrl ?? `${request.url.origin}${MCP_PATH}`,
    authorization_servers: settings.issuer ? [settings.issuer] : [],
    scopes_supported: [...settings.scopes],
    bearer_methods_supported: ["header"],
  };
  return jsonResponse(200, metadata, { "cache-control": "public, max-age=300" });
}
