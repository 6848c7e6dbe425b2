/**
 * Validates the exports of one catalogue data file against the zod schemas.
 * Usage: npx tsx scripts/check-entries.ts src/catalogue/codes/<file>.ts
 * Arrays of code entries, Q.850 text records, Warning codes, glossary entries
 * and profiles are recognised by their shape.
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { z } from "zod";
import { CodeEntry, GlossaryEntry, Q850Text, WarningCodeEntry } from "../src/schema/catalogue.ts";
import { Profile } from "../src/schema/profile.ts";

const file = process.argv[2];
if (!file) throw new Error("usage: check-entries.ts <file>");
const mod = await import(pathToFileURL(resolve(file)).href);
let failures = 0;
for (const [name, value] of Object.entries(mod)) {
  const schema = pick(value);
  if (!schema) {
    console.log(`${name}: not a catalogue export, skipped`);
    continue;
  }
  const result = schema.safeParse(value);
  if (result.success) {
    console.log(
      `${name}: ok (${Array.isArray(value) ? value.length : Object.keys(value as object).length} items)`,
    );
  } else {
    failures++;
    console.log(`${name}: INVALID\n${z.prettifyError(result.error)}`);
  }
}
process.exitCode = failures ? 1 : 0;

function pick(value: unknown): z.ZodType | undefined {
  if (Array.isArray(value)) {
    const first = value[0] as Record<string, unknown> | undefined;
    if (!first) return undefined;
    if ("endUser" in first) return z.array(CodeEntry);
    if ("definition" in first) return z.array(GlossaryEntry);
    if ("action" in first && "text" in first) return z.array(WarningCodeEntry);
    return undefined;
  }
  if (value && typeof value === "object") {
    if ("id" in value && "codes" in value) return Profile;
    if ("code" in value && "endUser" in value) return CodeEntry;
    const first = Object.values(value)[0] as Record<string, unknown> | undefined;
    if (first && typeof first === "object" && "explanation" in first)
      return z.record(z.string(), Q850Text);
  }
  return undefined;
}
