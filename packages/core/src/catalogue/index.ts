import type { CodeClass, CodeEntry, GlossaryEntry, WarningCodeEntry } from "../schema/catalogue.ts";
import { client400To429Codes } from "./codes/client-400-429.ts";
import { client430To499Codes } from "./codes/client-430-499.ts";
import { globalFailureCodes } from "./codes/global-failure.ts";
import { provisionalSuccessRedirectCodes } from "./codes/provisional-success-redirect.ts";
import { serverFailureCodes } from "./codes/server-failure.ts";
import { unregisteredCodes } from "./codes/unregistered.ts";
import { glossary as glossaryEntries } from "./glossary.ts";
import { warningCodes as warningEntries } from "./warning-codes.ts";

export { isupToSip, sipToIsup } from "./generated/rfc3398.ts";

/**
 * Bumped whenever catalogue text or data changes; part of the API's ETag so
 * caches drop stale explanations.
 */
export const CATALOGUE_VERSION = "2026.12.1";

const allCodes: readonly CodeEntry[] = [
  ...provisionalSuccessRedirectCodes,
  ...client400To429Codes,
  ...client430To499Codes,
  ...serverFailureCodes,
  ...globalFailureCodes,
  ...unregisteredCodes,
].sort((a, b) => a.code - b.code);

const byCode = new Map<number, CodeEntry>(allCodes.map((entry) => [entry.code, entry]));

/** Every code the catalogue knows, registered or not, in code order. */
export function listCodeEntries(): readonly CodeEntry[] {
  return allCodes;
}

/** The standard entry for a code, or undefined when the catalogue has none. */
export function getCodeEntry(code: number): CodeEntry | undefined {
  return byCode.get(code);
}

export function classOf(code: number): CodeClass {
  return `${Math.floor(code / 100)}xx` as CodeClass;
}

export const classNames: Record<CodeClass, string> = {
  "1xx": "Provisional",
  "2xx": "Success",
  "3xx": "Redirection",
  "4xx": "Request failure",
  "5xx": "Server failure",
  "6xx": "Global failure",
};

const warnings = new Map<number, WarningCodeEntry>(warningEntries.map((w) => [w.code, w]));

export function listWarningCodes(): readonly WarningCodeEntry[] {
  return warningEntries;
}

export function getWarningCode(code: number): WarningCodeEntry | undefined {
  return warnings.get(code);
}

// A plain comparison: localeCompare would load ICU's collator, ~20 ms of CLI start-up.
const byTerm = (a: GlossaryEntry, b: GlossaryEntry) => {
  const x = a.term.toLowerCase();
  const y = b.term.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
};
const sortedGlossary: readonly GlossaryEntry[] = [...glossaryEntries].sort(byTerm);
const glossaryIndex = new Map<string, GlossaryEntry>();
for (const entry of sortedGlossary) {
  for (const name of [entry.term, ...(entry.aliases ?? [])]) {
    glossaryIndex.set(name.toLowerCase(), entry);
  }
}

export function listGlossary(): readonly GlossaryEntry[] {
  return sortedGlossary;
}

/** Finds a glossary term by its name or an alias, ignoring case. */
export function getGlossaryEntry(term: string): GlossaryEntry | undefined {
  return glossaryIndex.get(term.trim().toLowerCase());
}
