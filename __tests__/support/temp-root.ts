import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * One temporary directory for the whole run, removed when it ends: every
 * test (and every process a test starts) that asks the system for a
 * temporary directory gets one inside it, through TMPDIR, so no run leaves
 * its build folders, local servers' state or Terraform work directories behind.
 */
export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), "mcp-tests-"));
  process.env.TMPDIR = root;
  return () => rmSync(root, { recursive: true, force: true });
}
