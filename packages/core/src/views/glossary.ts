import { listGlossary } from "../catalogue/index.ts";
import type { GlossaryEntry } from "../schema/catalogue.ts";
import type { Profile } from "../schema/profile.ts";
import { chainOf, type ProfileOptions } from "./_profile.ts";

/** The names an entry answers to: its term and its aliases, in lower case. */
function namesOf(entry: GlossaryEntry): string[] {
  return [entry.term, ...(entry.aliases ?? [])].map((name) => name.trim().toLowerCase());
}

interface Index {
  byName: Map<string, GlossaryEntry>;
  entries: readonly GlossaryEntry[];
}

// A plain comparison, as the catalogue's own list uses: localeCompare would load ICU's collator.
const byTerm = (a: GlossaryEntry, b: GlossaryEntry) => {
  const x = a.term.toLowerCase();
  const y = b.term.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
};

const indexes = new WeakMap<readonly Profile[], Index>();

/**
 * The glossary as seen through a profile chain. A profile may only add terms:
 * the shared glossary comes first, then each profile from the root down, and a
 * name (term or alias) already taken keeps its first definition. So one name
 * has one definition whichever profile reads it.
 */
function indexFor(chain: readonly Profile[]): Index {
  let index = indexes.get(chain);
  if (index) return index;
  const byName = new Map<string, GlossaryEntry>();
  const entries: GlossaryEntry[] = [];
  const lists = [listGlossary(), ...[...chain].reverse().map((p) => p.glossary ?? [])];
  for (const list of lists) {
    for (const entry of list) {
      const names = namesOf(entry);
      if (names.some((name) => byName.has(name))) continue;
      for (const name of names) byName.set(name, entry);
      entries.push(entry);
    }
  }
  index = { byName, entries: entries.sort(byTerm) };
  indexes.set(chain, index);
  return index;
}

/**
 * A glossary term by its name or an alias, ignoring case: the shared glossary
 * plus the terms the profile (and what it extends) adds. Undefined when no
 * term has that name.
 */
export function findGlossaryTerm(
  term: string,
  options: ProfileOptions = {},
): GlossaryEntry | undefined {
  return indexFor(chainOf(options)).byName.get(term.trim().toLowerCase());
}

/** Every glossary term a reader of the profile can look up, sorted by term. */
export function listGlossaryTerms(options: ProfileOptions = {}): readonly GlossaryEntry[] {
  return indexFor(chainOf(options)).entries;
}
