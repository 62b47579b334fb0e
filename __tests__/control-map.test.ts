import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { synthesized } from "./support/evaluate.js";
import { RULE_IDS } from "./support/policy-rules.js";
import { ROOT } from "./support/terraform-workdir.js";
import { INPUTS } from "../modules/index.js";

/**
 * docs/fedramp.md is evidence a reviewer follows: every test, rule, resource
 * and input it names must exist, and every control the architecture names
 * must have its four parts.
 */
const MAP = readFileSync(join(ROOT, "docs", "fedramp.md"), "utf8");
const CONTROLS = ["SC-7", "SC-8", "SC-12", "SC-13", "SC-28", "AC-6", "AU-2", "AU-3", "AU-11", "SI-4", "IR-4", "IA-2", "IA-3", "IA-8", "CM-7"];
const PARTS = ["**Implemented by**", "**Proven by**", "**Your duties**", "**Known gaps**"];

/**
 * Fails unless every `file` › "words" reference in `doc` names a test file
 * that contains those words, and every bare `__tests__/...` path exists;
 * returns how many references there were.
 */
function expectNamedTestsExist(doc: string): number {
  const references = [...doc.matchAll(/`(__tests__\/[^`]+)` › (?:"([^"]+)"|'([^']+)')/g)];
  for (const [, file, double, single] of references) {
    expect(existsSync(join(ROOT, file)), file).toBe(true);
    expect(file, "a test file").toMatch(/\.test\.ts$/);
    expect(readFileSync(join(ROOT, file), "utf8"), `${file} has no test named "${double ?? single}"`).toContain(double ?? single);
  }
  for (const [, path] of doc.matchAll(/`(__tests__\/[^`]+)`/g)) expect(existsSync(join(ROOT, path)), path).toBe(true);
  return references.length;
}

/** The text of each `## <control> ...` section. */
const sections = new Map(
  MAP.split(/^## /m)
    .slice(1)
    .map((s) => [s.split(" ")[0], s] as const),
);

describe("docs/fedramp.md", () => {
  it("has a section for each control the architecture names, each with implementation, proof, duties and gaps", () => {
    expect([...sections.keys()]).toEqual(CONTROLS);
    for (const [control, text] of sections) {
      for (const part of PARTS) expect(text, `${control}: ${part}`).toContain(part);
      expect(text.match(/`__tests__\//g)?.length ?? 0, `${control} names no test`).toBeGreaterThan(0);
    }
  });

  it('names only tests that exist: each `file` › "words" is a test file containing those words', () => {
    expect(expectNamedTestsExist(MAP)).toBeGreaterThan(40);
  });

  it("names only rules the policy suite knows", () => {
    const named = [...MAP.matchAll(/\b(CKV2?_AWS_\d+|AVD-AWS-\d+|Cognito\.\d+|IAM_[A-Z_]+|THROTTLE|EDGE)\b/g)].map((m) => m[1]);
    expect(named.length).toBeGreaterThan(20);
    for (const rule of named) expect(RULE_IDS.has(rule), `${rule} is not in support/policy-rules.ts`).toBe(true);
  });

  it("names only resources the stack declares and inputs it has", () => {
    const resources = synthesized().resource;
    const addresses = [...MAP.matchAll(/`(aws_[a-z0-9_]+)\.([a-z0-9_]+)`/g)];
    expect(addresses.length).toBeGreaterThan(20);
    for (const [, type, name] of addresses) expect(resources[type]?.[name], `${type}.${name}`).toBeDefined();
    const inputs = [...MAP.matchAll(/`var\.([a-z0-9_]+)`/g)].map((m) => m[1]);
    expect(inputs.length).toBeGreaterThan(10);
    for (const input of inputs) expect(Object.keys(INPUTS), `var.${input}`).toContain(input);
  });
});

describe("docs/aws-behaviours.md", () => {
  const rows = readFileSync(join(ROOT, "docs", "aws-behaviours.md"), "utf8")
    .split("\n")
    .filter((line) => line.startsWith("| ") && !line.startsWith("| Behaviour") && !line.startsWith("|---"));

  it("gives every behaviour a source to confirm it by and a test that holds the configuration to it, and names only tests that exist", () => {
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row, "a source link").toMatch(/\]\(https:\/\/[^)]+\)/);
      expect(row, "a test").toMatch(/`__tests__\/[^`]+\.test\.ts` › "/);
    }
    expect(expectNamedTestsExist(rows.join("\n"))).toBeGreaterThanOrEqual(rows.length);
  });
});

describe("references between the project's own documents", () => {
  /** The files whose text names other documents: the docs, and the code's comments. */
  const sources = [
    "README.md",
    "CHANGELOG.md",
    ...["docs", "modules", "handler", "handler/tools", "scripts", "bench", "__tests__", "__tests__/support"].flatMap((dir) =>
      readdirSync(join(ROOT, dir))
        .filter((f) => /\.(md|ts)$/.test(f))
        .map((f) => `${dir}/${f}`),
    ),
  ];

  it("names only documents that exist (a path from the root, or a name in docs/)", () => {
    let named = 0;
    for (const source of sources) {
      for (const [, doc] of readFileSync(join(ROOT, source), "utf8").matchAll(/(?<![\w/.-])((?:docs\/)?[A-Za-z0-9_-]+\.md)\b/g)) {
        named++;
        expect(existsSync(join(ROOT, doc)) || existsSync(join(ROOT, "docs", doc)), `${source} names ${doc}`).toBe(true);
      }
    }
    expect(named).toBeGreaterThan(20);
  });

  it("gives an unreleased version no upgrade notes: nothing released can be upgraded from", () => {
    const changelog = readFileSync(join(ROOT, "CHANGELOG.md"), "utf8");
    const unreleased = [...changelog.matchAll(/^## [^\n]*unreleased[^\n]*\n([\s\S]*?)(?=^## |(?![\s\S]))/gim)];
    expect(unreleased.length).toBeGreaterThan(0);
    for (const [, section] of unreleased) expect(section).not.toContain("**Upgrade**");
  });
});
