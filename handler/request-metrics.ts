import { MCP_PATH } from "./http-contract.js";
import type { RequestLog } from "./request-log.js";

/**
 * CloudWatch metrics of each request in Embedded Metric Format, carried by
 * the request's own log line (no API call, no agent): CloudWatch Logs
 * extracts them from the `_aws` block
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html).
 * Every dimension value comes from a bounded set (the request log's methods,
 * paths and tool names, the error classes below, the operator's tenants), so
 * a client cannot create metrics by sending new names.
 */

/** Settings of {@link metricsOf}. */
export interface MetricsSettings {
  /** CloudWatch namespace of the metrics. */
  readonly namespace: string;
  /** The `Service` dimension: the function's name. */
  readonly service: string;
  /** Whether the metrics also carry a `Tenant` dimension (one metric per tenant: CloudWatch bills each). */
  readonly tenantDimension?: boolean;
}

/** The metrics and dimensions the dashboard and the alarms read (modules/observability.ts). */
export const METRICS = {
  requests: "Requests",
  errors: "Errors",
  duration: "Duration",
  sessions: "Sessions",
} as const;
export const DIMENSIONS = {
  service: "Service",
  method: "Method",
  tool: "Tool",
  tenant: "Tenant",
  errorClass: "ErrorClass",
  sessionEvent: "SessionEvent",
} as const;

/** Why a request failed, as the `ErrorClass` dimension names it. */
export type ErrorClass = "deadline" | "store_unavailable" | "store_rejected" | "session_not_found" | "auth" | "tool" | "internal" | `jsonrpc:${string}` | `oauth:${string}` | `http:${number}`;
/** What a request did to a session, as the `SessionEvent` dimension names it. */
export type SessionEvent = "created" | "resumed" | "ended" | "not_found";

/** The class of a failed request; undefined for one that succeeded (a tool's error result included in failures). */
export function errorClassOf(entry: RequestLog): ErrorClass | undefined {
  if (entry.error === "deadline") return "deadline";
  if (entry.error === "SessionStoreUnavailableError") return "store_unavailable";
  if (entry.error === "SessionStoreRejectedError") return "store_rejected";
  if (entry.status === 404 && entry.path === MCP_PATH) return "session_not_found";
  if (entry.status === 401 || entry.status === 403) return "auth";
  if (entry.error === "tool") return "tool";
  if (entry.error?.startsWith("jsonrpc:") || entry.error?.startsWith("oauth:")) return entry.error as ErrorClass;
  if (entry.error !== undefined) return "internal";
  return entry.status >= 400 ? `http:${entry.status}` : undefined;
}

/** What the request did to a 2025-era session, if it named or made one. */
function sessionEventOf(entry: RequestLog): SessionEvent | undefined {
  if (entry.path !== MCP_PATH) return undefined;
  if (entry.status === 404) return "not_found";
  if (!entry.session || entry.status >= 400) return undefined;
  if (entry.method === "initialize") return "created";
  if (entry.httpMethod === "DELETE") return "ended";
  return "resumed";
}

/**
 * The EMF members of a request's log line: the `_aws` metadata and the
 * dimension and metric values it names. `Requests`, `Errors` and
 * `Duration` by service, by method and, for tools/call, by tool (and by
 * tenant when asked); `Errors` by class; `Sessions` by what happened to one.
 */
export function metricsOf(entry: RequestLog, settings: MetricsSettings, timestamp = Date.now()): Record<string, unknown> {
  const { service, method, tool, tenant, errorClass, sessionEvent } = DIMENSIONS;
  const failed = errorClassOf(entry);
  const session = sessionEventOf(entry);
  const perRequest: string[][] = [[service], [service, method]];
  if (entry.tool) perRequest.push([service, method, tool]);
  const byTenant = settings.tenantDimension === true && entry.tenant !== undefined;
  if (byTenant) perRequest.push([service, tenant]);
  const directives: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] = [
    { Namespace: settings.namespace, Dimensions: perRequest, Metrics: [{ Name: METRICS.requests, Unit: "Count" }, { Name: METRICS.errors, Unit: "Count" }, { Name: METRICS.duration, Unit: "Milliseconds" }] },
  ];
  if (failed) directives.push({ Namespace: settings.namespace, Dimensions: [[service, errorClass], ...(entry.tool ? [[service, tool, errorClass]] : [])], Metrics: [{ Name: METRICS.errors, Unit: "Count" }] });
  if (session) directives.push({ Namespace: settings.namespace, Dimensions: [[service, sessionEvent]], Metrics: [{ Name: METRICS.sessions, Unit: "Count" }] });
  return {
    _aws: { Timestamp: timestamp, CloudWatchMetrics: directives },
    [service]: settings.service,
    // Requests off the MCP endpoint (discovery, the authorization front) are counted by path.
    [method]: entry.method ?? entry.path,
    ...(entry.tool && { [tool]: entry.tool }),
    ...(byTenant && { [tenant]: entry.tenant }),
    ...(failed && { [errorClass]: failed }),
    ...(session && { [sessionEvent]: session }),
    [METRICS.requests]: 1,
    [METRICS.errors]: failed ? 1 : 0,
    [METRICS.duration]: entry.durationMs,
    ...(session && { [METRICS.sessions]: 1 }),
  };
}
