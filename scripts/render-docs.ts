import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { inputsMarkdown, outputsMarkdown } from "../modules/index.js";

/** Generated sections of the README: marker name → content. */
export const GENERATED_SECTIONS: Record<string, () => string> = { INPUTS: inputsMarkdown, OUTPUTS: outputsMarkdown };

/** `readme` with every generated section replaced by its current content. */
export function renderReadme(readme: string): string {
  return Object.entries(GENERATED_SECTIONS).reduce((text, [marker, render]) => {
    const pattern = new RegExp(`(<!-- BEGIN ${marker} -->\\n)[\\s\\S]*?(<!-- END ${marker} -->)`);
    if (!pattern.test(text)) throw new Error(`README.md lacks the <!-- BEGIN ${marker} --> / <!-- END ${marker} --> markers`);
    return text.replace(pattern, (_m, begin: string, end: string) => `${begin}${render()}\n${end}`);
  }, readme);
}

// npm runs scripts from the project root.
const readmePath = join(process.cwd(), "README.md");
if (process.argv.includes("--write")) {
  writeFileSync(readmePath, renderReadme(readFileSync(readmePath, "utf8")));
  console.log("README.md: inputs and outputs tables regenerated from modules/inputs.ts and modules/outputs.ts");
}
