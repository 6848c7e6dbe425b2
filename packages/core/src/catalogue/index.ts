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

/**
 * The code files and the range each holds (unregistered codes, from any
 * class, have a file of their own). A lookup reads only the file its code
 * belongs to: the CLI's bundle parses a data file on first use, so
 * `sipcode 486` never touches the 1xx-3xx, 5xx or 6xx text.
 */
const sources: readonly { from: number; to: number; load: () => readonly CodeEntry[] }[] = [
  { from: 100, to: 399, load: () => provisionalSuccessRedirectCodes },
  { from: 400, to: 429, load: () => client400To429Codes },
  { from: 430, to: 499, load: () => client430To499Codes },
  { from: 500, to: 599, load: () => serverFailureCodes },
  { from: 600, to: 699, load: () => globalFailureCodes },
];

const indexed = new Map<() => readonly CodeEntry[], Map<number, CodeEntry>>();

function indexOf(load: () => readonly CodeEntry[]): Map<number, CodeEntry> {
  let map = indexed.get(load);
  if (!map) {
    map = new Map(load().map((entry) => [entry.code, entry]));
    indexed.set(load, map);
  }
  return map;
}

const unregistered = () => unregisteredCodes;
let allCodes: readonly CodeEntry[] | undefined;

/** Every code the catalogue knows, registered or not, in code order. */
export function listCodeEntries(): readonly CodeEntry[] {
  allCodes ??= [...sources.flatMap((s) => s.load()), ...unregisteredCodes].sort(
    (a, b) => a.code - b.code,
  );
  return allCodes;
}

/** The standard entry for a code, or undefined when the catalogue has none. */
export function getCodeEntry(code: number): CodeEntry | undefined {
  const source = sources.find((s) => code >= s.from && code <= s.to);
  // No code is in both its range's file and the unregistered one (a test checks).
  return (source ? indexOf(source.load).get(code) : undefined) ?? indexOf(unregistered).get(code);
}

/** The range each code file holds, for the test that keeps every entry in its file's range. */
export const codeSources = sources;

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

let warnings: Map<number, WarningCodeEntry> | undefined;

export function listWarningCodes(): readonly WarningCodeEntry[] {
  return warningEntries;
}

export function getWarningCode(code: number): WarningCodeEntry | undefined {
  warnings ??= new Map(warningEntries.map((w) => [w.code, w]));
  return warnings.get(code);
}

// A plain comparison: localeCompare would load ICU's collator, ~20 ms of CLI start-up.
const byTerm = (a: GlossaryEntry, b: GlossaryEntry) => {
  const x = a.term.toLowerCase();
  const y = b.term.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
};
let sortedGlossary: readonly GlossaryEntry[] | undefined;
let glossaryIndex: Map<string, GlossaryEntry> | undefined;

export function listGlossary(): readonly GlossaryEntry[] {
  sortedGlossary ??= [...glossaryEntries].sort(byTerm);
  return sortedGlossary;
}

/** Finds a glossary term by its name or an alias, ignoring case. */
export function getGlossaryEntry(term: string): GlossaryEntry | undefined {
  if (!glossaryIndex) {
    glossaryIndex = new Map();
    for (const entry of listGlossary()) {
      for (const name of [entry.term, ...(entry.aliases ?? [])]) {
        glossaryIndex.set(name.toLowerCase(), entry);
      }
    }
  }
  return glossaryIndex.get(term.trim().toLowerCase());
}
