// Each benchmark script owns one "## " section of BENCHMARKS.md and rewrites
// only that one (appending it when it is not there yet), so running one script
// keeps what the others and people wrote.
import { existsSync, readFileSync, writeFileSync } from "node:fs";

const docUrl = new URL("../BENCHMARKS.md", import.meta.url);

/** Replaces the section whose heading line is `heading` ("## …") with `section` (which starts with it). */
export function writeSection(heading, section) {
  const doc = existsSync(docUrl) ? readFileSync(docUrl, "utf8") : "# sipcode (CLI) benchmarks\n";
  const body = `${section.trimEnd()}\n`;
  let at = doc.startsWith(`${heading}\n`) ? 0 : doc.indexOf(`\n${heading}\n`);
  if (at < 0) {
    writeFileSync(docUrl, `${doc.trimEnd()}\n\n${body}`);
    return;
  }
  if (at > 0) at += 1;
  const next = doc.indexOf("\n## ", at);
  writeFileSync(docUrl, `${doc.slice(0, at)}${body}${next < 0 ? "" : doc.slice(next)}`);
}
