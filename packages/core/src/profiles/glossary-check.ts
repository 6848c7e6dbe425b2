import { glossary } from "../catalogue/glossary.ts";
import type { IssueDetail } from "../errors.ts";
import type { GlossaryEntry } from "../schema/catalogue.ts";

const lower = (name: string) => name.trim().toLowerCase();

/**
 * Where a profile's glossary reuses a name (term or alias, any case) that the
 * shared glossary or `before` (the glossaries of the profiles it extends)
 * already defines. A profile may only add terms: one name, one definition.
 */
export function glossaryRedefinitions(
  entries: readonly GlossaryEntry[],
  before: readonly (readonly GlossaryEntry[])[] = [],
): IssueDetail[] {
  const taken = new Set(
    [glossary, ...before].flat().flatMap((e) => [e.term, ...(e.aliases ?? [])].map(lower)),
  );
  return entries
    .flatMap((entry, index) => [
      ...(taken.has(lower(entry.term))
        ? [{ path: ["glossary", index, "term"], name: entry.term }]
        : []),
      ...(entry.aliases ?? []).flatMap((alias, k) =>
        taken.has(lower(alias)) ? [{ path: ["glossary", index, "aliases", k], name: alias }] : [],
      ),
    ])
    .map(({ path, name }) => ({
      path,
      message: `"${name}" is already defined; a profile may only add glossary terms`,
    }));
}
