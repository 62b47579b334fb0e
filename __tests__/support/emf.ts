import Ajv from "ajv";
import { expect } from "vitest";

/**
 * CloudWatch's Embedded Metric Format, as its specification states it
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html):
 * the `_aws` metadata's JSON schema, and the rules it states in prose, that
 * every dimension a directive names is a string member of the same object and
 * every metric a number (or up to 100 numbers).
 */
const UNITS = [
  "Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits",
  "Percent", "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second", "Bits/Second", "Kilobits/Second",
  "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second", "None",
];
const SCHEMA = {
  type: "object",
  required: ["_aws"],
  properties: {
    _aws: {
      type: "object",
      required: ["Timestamp", "CloudWatchMetrics"],
      properties: {
        Timestamp: { type: "integer", minimum: 0 },
        CloudWatchMetrics: {
          type: "array",
          items: {
            type: "object",
            required: ["Namespace", "Dimensions", "Metrics"],
            properties: {
              Namespace: { type: "string", minLength: 1, maxLength: 1024, pattern: "^[^:].*$" },
              Dimensions: { type: "array", items: { type: "array", minItems: 1, maxItems: 30, items: { type: "string", minLength: 1, maxLength: 250 } } },
              Metrics: {
                type: "array",
                maxItems: 100,
                items: { type: "object", required: ["Name"], properties: { Name: { type: "string", minLength: 1, maxLength: 1024 }, Unit: { enum: UNITS }, StorageResolution: { enum: [1, 60] } } },
              },
            },
          },
        },
      },
    },
  },
} as const;
const validate = new Ajv({ allErrors: true }).compile(SCHEMA);

/** Asserts that `line` is a log event CloudWatch would take metrics from; returns its directives. */
export function expectValidEmf(line: Record<string, unknown>): { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] {
  expect(validate(line), JSON.stringify(validate.errors)).toBe(true);
  const directives = (line._aws as { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] }).CloudWatchMetrics;
  for (const directive of directives) {
    for (const name of directive.Dimensions.flat()) expect(typeof line[name], `dimension ${name}`).toBe("string");
    for (const { Name } of directive.Metrics) expect(typeof line[Name], `metric ${Name}`).toBe("number");
  }
  return directives;
}
