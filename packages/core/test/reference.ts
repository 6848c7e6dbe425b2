/**
 * Reads the upstream reference tables that sit beside the repository
 * (../shared/reference/). Used by the generator and by coverage tests only;
 * the library itself never touches the file system.
 */
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

export const referenceDir =
  process.env.SIPCODES_REFERENCE_DIR ?? resolve(here, "../../../../shared/reference");

export const seedFile = resolve(referenceDir, "../seed/sip-call-status-codes.txt");

/** Parses a reference TSV: '#' lines are comments, the first other line is the header. */
export function readTsv(file: string): Record<string, string>[] {
  const lines = readFileSync(join(referenceDir, file), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "" && !line.startsWith("#"));
  const [head, ...rows] = lines;
  if (!head) throw new Error(`${file} has no header row`);
  const names = head.split("\t");
  return rows.map((line) => {
    const cells = line.split("\t");
    return Object.fromEntries(names.map((name, i) => [name, (cells[i] ?? "").trim()]));
  });
}
