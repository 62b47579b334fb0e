import { Construct } from "constructs";
import { SnsTopic, SnsTopicPolicy, SnsTopicSubscription, CloudwatchMetricAlarm, LambdaFunction } from "./framework.js";
import { address, countWhen, expr, exprMap, exprNumber, forEachIn, withAddress } from "./expressions.js";
import { DIMENSIONS, METRICS, type ErrorClass } from "../handler/request-metrics.js";
import { ApiGateway, type GatewayMetric } from "./api-gateway.js";
import { input } from "./inputs.js";

/** One of the architecture's five alarms. */
export interface AlarmSpec {
  /** Resource name and alarm name suffix. */
  readonly id: string;
  readonly description: string;
  readonly namespace: "AWS/Lambda" | "AWS/ApiGateway";
  /** The function's metric by name, or one of the gateway's, which each front names differently. */
  readonly metric: string | { readonly gateway: GatewayMetric };
  readonly statistic: { readonly statistic: "Sum" } | { readonly extendedStatistic: "p99" };
  /** HCL: the value above which the alarm fires. */
  readonly threshold: string;
}

/** Name of the alarm topic (HCL template). */
export const ALARM_TOPIC_NAME = `\${${input.name}}-alarms`;

/** Evaluation window of every alarm. */
export const ALARM_PERIOD_SECONDS = 300;

/** The architecture's alarm table, exactly; `integrationTimeoutMs` is HCL. */
export function alarmSpecs(integrationTimeoutMs: string): readonly AlarmSpec[] {
  return [
  { id: "lambda_errors", description: "Function errors above 5 in 5 minutes", namespace: "AWS/Lambda", metric: "Errors", statistic: { statistic: "Sum" }, threshold: "5" },
  {
    id: "lambda_duration",
    description: "Function duration p99 above 80% of its timeout",
    namespace: "AWS/Lambda",
    metric: "Duration",
    statistic: { extendedStatistic: "p99" },
    threshold: `${input.lambda_timeout} * 1000 * 0.8`,
  },
  { id: "lambda_throttles", description: "Function throttles above 5 in 5 minutes", namespace: "AWS/Lambda", metric: "Throttles", statistic: { statistic: "Sum" }, threshold: "5" },
  {
    id: "api_5xx",
    description: "API 5xx responses above 10 in 5 minutes",
    namespace: "AWS/ApiGateway",
    metric: { gateway: "serverErrors" },
    statistic: { statistic: "Sum" },
    threshold: "10",
  },
  {
    id: "api_latency",
    description: "API latency p99 above 90% of the integration timeout",
    namespace: "AWS/ApiGateway",
    metric: { gateway: "latency" },
    statistic: { extendedStatistic: "p99" },
    threshold: `${integrationTimeoutMs} * 0.9`,
  },
  ];
}

/** HCL: the dimensions that name one of the server's metrics for this deployment (the `Service` is the function's name). */
const serverDimensions = (more: Record<string, string> = {}) => ({ [DIMENSIONS.service]: expr(input.name), ...more });

/** The optional alarms, each created when its threshold input is set. */
const OPTIONAL = {
  tool_error_rate: input.tool_error_rate_alarm_percent,
  api_4xx: input.gateway_4xx_alarm_threshold,
  session_not_found: input.session_not_found_alarm_threshold,
  store_unavailable: input.store_unavailable_alarm_threshold,
} as const;

/**
 * The five alarms (SI-4), each notifying an SNS topic on the customer key
 * both when it fires and when it recovers (IR-4), with e-mail subscriptions;
 * and the optional ones, off unless their threshold is given: the tool error
 * rate and the session errors from the server's own metrics, the gateway's
 * 4xx spike.
 */
export class Alarms extends Construct {
  readonly topic: SnsTopic;

  constructor(scope: Construct, id: string, props: { readonly function: LambdaFunction; readonly api: ApiGateway }) {
    super(scope, id);
    this.topic = withAddress(
      new SnsTopic(this, "topic", { name: ALARM_TOPIC_NAME, kmsMasterKeyId: expr(input.kms_key_arn) }),
      "alarms",
    );

    const metric = (spec: AlarmSpec) => {
      if (typeof spec.metric === "string") return { metricName: spec.metric, dimensions: { FunctionName: props.function.functionName } };
      const { name, dimensions } = props.api.metric(spec.metric.gateway);
      return { metricName: expr(name), dimensions: exprMap(dimensions) };
    };
    const alarms = alarmSpecs(props.api.integrationTimeoutMs).map((spec) =>
      withAddress(
        new CloudwatchMetricAlarm(this, spec.id, {
          alarmName: `\${${input.name}}-${spec.id.replace(/_/g, "-")}`,
          alarmDescription: spec.description,
          namespace: spec.namespace,
          ...metric(spec),
          ...spec.statistic,
          period: ALARM_PERIOD_SECONDS,
          evaluationPeriods: 1,
          comparisonOperator: "GreaterThanThreshold",
          threshold: exprNumber(spec.threshold),
          treatMissingData: "notBreaching",
          actionsEnabled: true,
          alarmActions: [this.topic.arn],
          okActions: [this.topic.arn],
        }),
        spec.id,
      ),
    );

    const optional = (id: keyof typeof OPTIONAL, description: string, settings: Record<string, unknown>) =>
      withAddress(
        new CloudwatchMetricAlarm(this, id, {
          count: countWhen(`${OPTIONAL[id]} != null`),
          alarmName: `\${${input.name}}-${id.replace(/_/g, "-")}`,
          alarmDescription: description,
          evaluationPeriods: 1,
          comparisonOperator: "GreaterThanThreshold",
          threshold: exprNumber(OPTIONAL[id]),
          treatMissingData: "notBreaching",
          actionsEnabled: true,
          alarmActions: [this.topic.arn],
          okActions: [this.topic.arn],
          ...settings,
        }),
        id,
      );
    const serverMetric = (errorClass: ErrorClass) => ({
      namespace: expr(input.metrics_namespace),
      metricName: METRICS.errors,
      dimensions: serverDimensions({ [DIMENSIONS.errorClass]: errorClass }),
      statistic: "Sum",
      period: ALARM_PERIOD_SECONDS,
    });
    const toolCalls = (metricName: string) => ({
      metric: { namespace: expr(input.metrics_namespace), metricName, dimensions: serverDimensions({ [DIMENSIONS.method]: "tools/call" }), period: ALARM_PERIOD_SECONDS, stat: "Sum" },
    });
    const api4xx = props.api.metric("clientErrors");
    const optionalAlarms = [
      optional("tool_error_rate", "Share of tools/call requests that failed, in percent, above tool_error_rate_alarm_percent in 5 minutes", {
        metricQuery: [
          { id: "errors", ...toolCalls(METRICS.errors), returnData: false },
          { id: "calls", ...toolCalls(METRICS.requests), returnData: false },
          // No calls, no rate: a quiet period is not an outage.
          { id: "rate", expression: "IF(calls > 0, 100 * errors / calls, 0)", label: "tools/call error rate (%)", returnData: true },
        ],
      }),
      optional("api_4xx", "API 4xx answers (refused tokens, throttling) above gateway_4xx_alarm_threshold in 5 minutes", {
        namespace: "AWS/ApiGateway",
        metricName: expr(api4xx.name),
        dimensions: exprMap(api4xx.dimensions),
        statistic: "Sum",
        period: ALARM_PERIOD_SECONDS,
      }),
      optional("session_not_found", "Requests naming an unknown session (404) above session_not_found_alarm_threshold in 5 minutes", serverMetric("session_not_found")),
      optional("store_unavailable", "Requests answered 503 because the sessions table did not answer, above store_unavailable_alarm_threshold in 5 minutes", serverMetric("store_unavailable")),
    ];

    const topic = address(this.topic);
    // Only these alarms may publish, and only over TLS; replaces the default policy that lets any principal of the account publish.
    withAddress(
      new SnsTopicPolicy(this, "policy", {
        arn: this.topic.arn,
        policy: expr(`jsonencode({
          Version = "2012-10-17"
          Statement = [
            {
              Sid       = "AlarmsPublish"
              Effect    = "Allow"
              Principal = { Service = "cloudwatch.amazonaws.com" }
              Action    = "sns:Publish"
              Resource  = ${topic}.arn
              Condition = { ArnLike = { "aws:SourceArn" = concat([${alarms.map((a) => `${address(a)}.arn`).join(", ")}], ${optionalAlarms.map((a) => `${address(a)}[*].arn`).join(", ")}) } }
            },
            {
              Sid       = "DenyInsecureTransport"
              Effect    = "Deny"
              Principal = "*"
              Action    = "sns:Publish"
              Resource  = ${topic}.arn
              Condition = { Bool = { "aws:SecureTransport" = "false" } }
            },
          ]
        })`),
      }),
      "alarms",
    );

    forEachIn(
      withAddress(new SnsTopicSubscription(this, "email", { topicArn: this.topic.arn, protocol: "email", endpoint: expr("each.value") }), "email"),
      `toset(${input.alarm_email_addresses})`,
    );
  }
}
