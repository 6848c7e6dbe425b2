import { listGlossary } from "../catalogue/index.ts";
import type { GlossaryEntry } from "../schema/catalogue.ts";
import type { Profile } from "../schema/profile.ts";

interface Matcher {
  term: string;
  /**
   * A term whose names are not in the text is skipped before any regex runs:
   * acronyms matched exactly are looked for as written ("CA" is not in
   * "call"), other names in lower case.
   */
  exact: string[];
  needles: string[];
  /** Built the first time a text holds one of the needles: most terms never need theirs. */
  patterns: () => RegExp[];
}

const matchers = new WeakMap<readonly GlossaryEntry[], Matcher[]>();

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function compile(entries: readonly GlossaryEntry[]): Matcher[] {
  let compiled = matchers.get(entries);
  if (!compiled) {
    compiled = entries.map((entry) => {
      // A case-sensitive entry matches its acronyms exactly ("ACK", not "ack"); spelled-out
      // aliases ("session border controller") still match in any case.
      const names = [entry.term, ...(entry.aliases ?? [])];
      const exact = entry.caseSensitive ? names.filter((n) => n === n.toUpperCase()) : [];
      const loose = names.filter((n) => !exact.includes(n));
      let built: RegExp[] | undefined;
      const patterns = () => {
        const pattern = (list: string[], flags: string) =>
          new RegExp(`(?<![\\w.-])(?:${list.map(escapeRegExp).join("|")})s?(?![\\w-])`, flags);
        built ??= [
          ...(exact.length ? [pattern(exact, "")] : []),
          ...(loose.length ? [pattern(loose, "i")] : []),
        ];
        return built;
      };
      return { term: entry.term, exact, needles: loose.map((n) => n.toLowerCase()), patterns };
    });
    matchers.set(entries, compiled);
  }
  return compiled;
}

/** The glossary terms (standard, plus those of the profiles in `chain`) that appear in `text`. */
export function findTerms(text: string, chain: readonly Profile[] = []): string[] {
  const found: string[] = [];
  const lower = text.toLowerCase();
  const lists = [listGlossary(), ...chain.flatMap((p) => (p.glossary ? [p.glossary] : []))];
  for (const list of lists) {
    for (const { term, exact, needles, patterns } of compile(list)) {
      if (found.includes(term)) continue;
      if (!exact.some((n) => text.includes(n)) && !needles.some((n) => lower.includes(n))) continue;
      if (patterns().some((p) => p.test(text))) found.push(term);
    }
  }
  return found;
}
