import type { ReaderResult } from "./reader.ts";

/**
 * What the reader chose for a file and why, with its warnings: the lines
 * `sipcode stats` and `sipcode alerts backtest` print on stderr (without the
 * `sipcode: ` prefix and the newline).
 */
export function detectionNotes(name: string, result: ReaderResult): string[] {
  const { format, auto, why } = result.detected;
  const how = auto ? `auto: ${why}` : "from --format";
  return [
    `${name}: format ${format} (${how})`,
    ...result.warnings.map((w) => `${name}: warning: ${w}`),
  ];
}
