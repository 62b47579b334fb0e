import { Construct } from "constructs";
import { CloudwatchDashboard, CloudwatchLogGroup, CloudwatchQueryDefinition, LambdaFunction } from "./framework.js";
import { address, expr, exprList, forEachIn, withAddress } from "./expressions.js";
import { ApiGateway, type GatewayMetric } from "./api-gateway.js";
import type { HTTP_ACCESS_LOG_FORMAT, REST_ACCESS_LOG_FORMAT } from "./access-log.js";
import { ALARM_PERIOD_SECONDS } from "./alarms.js";
import { Platform } from "./platform.js";
import { input } from "./inputs.js";
import { DIMENSIONS, METRICS } from "../handler/request-metrics.js";
import type { RequestLog } from "../handler/request-log.js";

/** A field of the function's request log line (handler/request-log.ts) or of its metrics (request-metrics.ts): queries name only these. */
type LoggedField = keyof RequestLog | "message" | (typeof DIMENSIONS)[keyof typeof DIMENSIONS] | (typeof METRICS)[keyof typeof METRICS];
/** A field of the API's access log line on either front (access-log.ts). */
type AccessLogField = keyof typeof HTTP_ACCESS_LOG_FORMAT | keyof typeof REST_ACCESS_LOG_FORMAT;
const f = (name: LoggedField) => name;
const a = (name: AccessLogField) => name;
/** A Lambda cold start's init time in its REPORT line: `@initDuration` in the text format, `record.metrics.initDurationMs` in JSON. */
const INIT_MS = "coalesce(@initDuration, record.metrics.initDurationMs)";

/**
 * The saved Logs Insights queries, for the questions operators ask. Saved
 * queries take no parameters: a query for one tenant or one tool names it as
 * `TENANT` or `TOOL`, to replace before running.
 */
/** A saved query: the log groups it reads and its text. */
interface SavedQuery {
  readonly logs: readonly ("function" | "api")[];
  readonly query: string;
}
const SAVED_QUERIES: Readonly<Record<"tenant-requests" | "tool-failures" | "slowest-requests" | "cold-starts" | "refused-requests", SavedQuery>> = {
  "tenant-requests": {
    logs: ["function"],
    query: `fields @timestamp, ${f("method")}, ${f("tool")}, ${f("status")}, ${f("durationMs")}, ${f("principal")}, ${f("error")}
| filter ${f("message")} = "request" and ${f("tenant")} = "TENANT"
| sort @timestamp desc
| limit 500`,
  },
  "tool-failures": {
    logs: ["function"],
    query: `fields @timestamp, ${f("tenant")}, ${f("ErrorClass")}, ${f("error")}, ${f("status")}, ${f("durationMs")}, ${f("requestId")}, ${f("traceId")}
| filter ${f("message")} = "request" and ${f("tool")} = "TOOL" and ${f("Errors")} > 0
| sort @timestamp desc
| limit 500`,
  },
  "slowest-requests": {
    logs: ["function"],
    query: `fields @timestamp, ${f("durationMs")}, ${f("method")}, ${f("tool")}, ${f("tenant")}, ${f("status")}, ${f("events")}, ${f("requestId")}, ${f("traceId")}
| filter ${f("message")} = "request"
| sort ${f("durationMs")} desc
| limit 50`,
  },
  "cold-starts": {
    logs: ["function"],
    query: `fields ${INIT_MS} as initMs
| filter ispresent(initMs)
| stats count() as coldStarts, avg(initMs) as avgInitMs, max(initMs) as maxInitMs by bin(1h)`,
  },
  "refused-requests": {
    // The function's refusals and the gateway's (a token the authorizer refused never reaches the function).
    logs: ["function", "api"],
    query: `fields @timestamp, ${f("status")}, coalesce(${f("ErrorClass")}, ${a("authorizerError")}, ${a("error")}) as why, ${f("tenant")}, ${a("clientId")}, ${a("sourceIp")}, coalesce(${f("path")}, ${a("routeKey")}, ${a("resourcePath")}) as route
| filter ${f("status")} >= 400
| stats count() as requests by ${f("status")}, why, route
| sort requests desc`,
  },
};

/** Props of {@link Observability}. */
export interface ObservabilityProps {
  readonly platform: Platform;
  readonly function: LambdaFunction;
  readonly functionLogs: CloudwatchLogGroup;
  readonly api: ApiGateway;
}

/** A value of the dashboard's body, written as HCL so that references and functions stay in it. */
class Hcl {
  constructor(readonly text: string) {}
}
function hcl(value: unknown): string {
  if (value instanceof Hcl) return value.text;
  if (Array.isArray(value)) return `[${value.map(hcl).join(", ")}]`;
  if (value !== null && typeof value === "object") return `{ ${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)} = ${hcl(v)}`).join(", ")} }`;
  return JSON.stringify(value);
}

/**
 * What an operator reads (SI-4): a CloudWatch dashboard created with the
 * stack — the server's requests, errors and latency per method and per
 * tool, errors by class, sessions, the gateway's 4xx and 5xx, the
 * function's concurrency, throttles and cold starts, and the top tenants
 * when `metrics_tenant_dimension` is on — and the saved Logs Insights
 * queries of {@link SAVED_QUERIES}.
 */
export class Observability extends Construct {
  readonly dashboard: CloudwatchDashboard;
  /** HCL: the dashboard's console URL. */
  readonly dashboardUrl: string;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const { region, govCloud } = props.platform;
    const regionRef = new Hcl(region);
    const namespace = input.metrics_namespace;
    const service = input.name;
    // The server's metrics of one dimension set, found by SEARCH, so that every method, tool or class appears as it is first used.
    const searchOf = (dimensions: readonly string[], metric: string, stat: string) =>
      `SEARCH('{\${${namespace}},${dimensions.join(",")}} ${DIMENSIONS.service}=\\"\${${service}}\\" MetricName=\\"${metric}\\"', '${stat}', ${ALARM_PERIOD_SECONDS})`;
    // Without a label, CloudWatch names each line by its dimensions' values (the method, the tool, the class).
    const expression = (id: string, label: string, text: string) => new Hcl(`[{ id = "${id}", ${label ? `label = "${label}", ` : ""}expression = "${text}" }]`);
    const search = (dimensions: readonly string[], metric: string, stat: string, id: string, label = "") => expression(id, label, searchOf(dimensions, metric, stat));
    const { service: S, method: M, tool: T, tenant: N, errorClass: E, sessionEvent: V } = DIMENSIONS;
    const gateway = (which: GatewayMetric, stat: string) => {
      const { name, dimensions } = props.api.metric(which);
      return new Hcl(`concat(["AWS/ApiGateway", ${name}], flatten([for k, v in ${dimensions} : [k, v]]), [{ stat = "${stat}" }])`);
    };
    const lambda = (metric: string, stat: string) => new Hcl(`["AWS/Lambda", "${metric}", "FunctionName", ${address(props.function)}.function_name, { stat = "${stat}" }]`);
    const metricWidget = (title: string, metrics: Hcl[]) => ({ type: "metric", properties: { title, region: regionRef, view: "timeSeries", stacked: false, period: ALARM_PERIOD_SECONDS, metrics } });

    const widgets = [
      metricWidget("Requests by method", [search([S, M], METRICS.requests, "Sum", "requests")]),
      metricWidget("Errors by method", [search([S, M], METRICS.errors, "Sum", "errors")]),
      metricWidget("Latency by method, p50 and p99 (ms)", [search([S, M], METRICS.duration, "p50", "p50", "p50"), search([S, M], METRICS.duration, "p99", "p99", "p99")]),
      metricWidget("Tool calls: requests and errors per tool", [search([S, M, T], METRICS.requests, "Sum", "toolRequests", "requests"), search([S, M, T], METRICS.errors, "Sum", "toolErrors", "errors")]),
      metricWidget("Tool latency p50 and p99 per tool (ms)", [search([S, M, T], METRICS.duration, "p50", "toolP50", "p50"), search([S, M, T], METRICS.duration, "p99", "toolP99", "p99")]),
      metricWidget("Errors by class", [search([S, E], METRICS.errors, "Sum", "classes")]),
      metricWidget("Sessions: created, resumed, ended, not found", [search([S, V], METRICS.sessions, "Sum", "sessions")]),
      metricWidget("Gateway: requests, 4xx and 5xx", [gateway("requests", "Sum"), gateway("clientErrors", "Sum"), gateway("serverErrors", "Sum")]),
      metricWidget("Gateway latency p99 (ms)", [gateway("latency", "p99")]),
      metricWidget("Function: concurrency, throttles and errors", [lambda("ConcurrentExecutions", "Maximum"), lambda("Throttles", "Sum"), lambda("Errors", "Sum")]),
      {
        type: "log",
        properties: {
          title: "Cold starts per hour, and their init time (ms)",
          region: regionRef,
          view: "timeSeries",
          query: new Hcl(`"SOURCE '\${${address(props.functionLogs)}.name}' | ${SAVED_QUERIES["cold-starts"].query.replace(/\n/g, " ").replace(/"/g, '\\"')}"`),
        },
      },
    ];
    const tenantWidget = metricWidget("Top 10 tenants by requests", [expression("tenants", "", `SORT(${searchOf([S, N], METRICS.requests, "Sum")}, SUM, DESC, 10)`)]);
    // Two columns of 12 units (the grid is 24 wide), 6 high.
    const placed = (list: readonly object[], from: number) => list.map((w, i) => ({ ...w, x: ((from + i) % 2) * 12, y: Math.floor((from + i) / 2) * 6, width: 12, height: 6 }));
    this.dashboard = withAddress(
      new CloudwatchDashboard(this, "dashboard", {
        // Dashboards are global to the account: the region keeps a second deployment's apart.
        dashboardName: `\${${input.name}}-\${${region}}`,
        dashboardBody: expr(`jsonencode({ widgets = concat(${hcl(placed(widgets, 0))}, ${input.metrics_tenant_dimension} ? ${hcl(placed([tenantWidget], widgets.length))} : []) })`),
      }),
      "this",
    );
    // The commercial console answers on regional hosts; AWS GovCloud (US)'s on one host, the region in the query.
    const consoleHost = `\${${govCloud} ? "console.amazonaws-us-gov.com" : "\${${region}}.console.aws.amazon.com"}`;
    this.dashboardUrl = `"https://${consoleHost}/cloudwatch/home?region=\${${region}}#dashboards/dashboard/\${${address(this.dashboard)}.dashboard_name}"`;

    const logGroups = { function: `${address(props.functionLogs)}.name`, api: `${address(props.api.logGroup)}.name` };
    forEachIn(
      withAddress(
        new CloudwatchQueryDefinition(this, "query", {
          // Saved queries with a slash in their name are filed in a folder of that name.
          name: `\${${input.name}}/\${each.key}`,
          queryString: expr("each.value.query"),
          logGroupNames: exprList("each.value.log_groups"),
        }),
        "this",
      ),
      `{ ${Object.entries(SAVED_QUERIES)
        .map(([name, q]) => `${JSON.stringify(name)} = { query = ${JSON.stringify(q.query)}, log_groups = [${q.logs.map((l) => logGroups[l]).join(", ")}] }`)
        .join(", ")} }`,
    );
  }
}
