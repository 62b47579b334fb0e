/**
 * `node var-file-check.cjs <var file> <cdk.tf.json>`: fails (exit 2) when the
 * var file sets a variable the configuration does not declare, naming it and
 * the closest declared name. Terraform only warns about such a value and
 * plans without it, so a typo (`lamda_timeout`) silently keeps the default.
 * Reads `.tfvars` (HCL) and `.tfvars.json` files.
 */
import { readFileSync } from "node:fs";

/** The top-level names a var file assigns. */
export function assignedNames(text: string, json: boolean): string[] {
  if (json) return Object.keys(JSON.parse(text) as Record<string, unknown>);
  const names: string[] = [];
  let depth = 0;
  let lineStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\n") {
      lineStart = true;
      continue;
    }
    if (c === " " || c === "\t" || c === "\r") continue;
    if (c === "#" || (c === "/" && text[i + 1] === "/")) {
      i = text.indexOf("\n", i) - 1;
      if (i < 0) break;
      continue;
    }
    if (c === "/" && text[i + 1] === "*") {
      i = text.indexOf("*/", i + 2) + 1;
      if (i <= 0) break;
      continue;
    }
    if (c === '"') {
      i = stringEnd(text, i + 1);
      lineStart = false;
      continue;
    }
    if (c === "<" && text[i + 1] === "<") {
      // A heredoc: <<EOT or <<-EOT, up to a line holding only the marker.
      const marker = /^<<-?([A-Za-z_][A-Za-z0-9_]*)/.exec(text.slice(i))?.[1];
      if (marker) {
        const end = new RegExp(`\\n[ \\t]*${marker}[ \\t]*(\\r?\\n|$)`).exec(text.slice(i));
        i = end ? i + end.index + end[0].length - 1 : text.length;
        lineStart = true;
        continue;
      }
    }
    if ("([{".includes(c)) depth++;
    else if (")]}".includes(c)) depth--;
    else if (depth === 0 && lineStart) {
      const assignment = /^([A-Za-z_][A-Za-z0-9_-]*)[ \t]*=(?!=)/.exec(text.slice(i));
      if (assignment) {
        names.push(assignment[1]);
        i += assignment[0].length - 1;
      }
    }
    lineStart = false;
  }
  return names;
}

/** Index of the quote closing the string that starts at `start`. */
function stringEnd(text: string, start: number): number {
  for (let i = start; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === '"') return i;
  }
  return text.length;
}

/** The declared name closest to `name` by edit distance, when one is close enough to be what was meant. */
export function closest(name: string, declared: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const candidate of declared) {
    const distance = editDistance(name, candidate);
    if (!best || distance < best.distance) best = { name: candidate, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(name.length / 3)) ? best.name : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}

if (process.argv[1]?.endsWith("var-file-check.cjs")) {
  const [varFile, configuration] = process.argv.slice(2);
  const declared = Object.keys((JSON.parse(readFileSync(configuration, "utf8")) as { variable?: Record<string, unknown> }).variable ?? {});
  const undeclared = assignedNames(readFileSync(varFile, "utf8"), varFile.endsWith(".json")).filter((name) => !declared.includes(name));
  for (const name of undeclared) {
    const suggestion = closest(name, declared);
    console.error(
      `terraform-plan: ${varFile} sets "${name}", which the module does not declare${suggestion ? `; did you mean "${suggestion}"?` : "."} Terraform would only warn and plan without it. The inputs are listed in the README.`,
    );
  }
  process.exit(undeclared.length > 0 ? 2 : 0);
}
