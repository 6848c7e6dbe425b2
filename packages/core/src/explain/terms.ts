import { listGlossary } from "../catalogue/index.ts";
import type { GlossaryEntry } from "../schema/catalogue.ts";
import type { Profile } from "../schema/profile.ts";

interface Matcher {
  term: string;
  /** Acronyms of a case-sensitive entry, matched exactly as written ("ACK", not "ack"). */
  exact: string[];
  /** The other names in lower case, matched in any case. */
  loose: string[];
}

const matchers = new WeakMap<readonly GlossaryEntry[], Matcher[]>();

function compile(entries: readonly GlossaryEntry[]): Matcher[] {
  let compiled = matchers.get(entries);
  if (!compiled) {
    compiled = entries.map((entry) => {
      // A case-sensitive entry matches its acronyms exactly; spelled-out aliases
      // ("session border controller") still match in any case.
      const names = [entry.term, ...(entry.aliases ?? [])];
      const exact = entry.caseSensitive ? names.filter((n) => n === n.toUpperCase()) : [];
      const loose = names.filter((n) => !exact.includes(n)).map((n) => n.toLowerCase());
      return { term: entry.term, exact, loose };
    });
    matchers.set(entries, compiled);
  }
  return compiled;
}

/** A word character as \w has it. */
function isWord(code: number): boolean {
  return (
    (code >= 48 && code <= 57) ||
    (code >= 65 && code <= 90) ||
    (code >= 97 && code <= 122) ||
    code === 95
  );
}

/**
 * Whether `name` occurs in `text` as a word of its own: not preceded by a word
 * character, "." or "-", and followed (after an optional plural "s") by
 * neither a word character nor "-". The same test as the pattern
 * /(?<![\w.-])name s?(?![\w-])/, without building a RegExp per term.
 */
export function hasWord(text: string, name: string): boolean {
  if (!name) return false;
  for (let at = text.indexOf(name); at !== -1; at = text.indexOf(name, at + 1)) {
    const before = at > 0 ? text.charCodeAt(at - 1) : -1;
    if (before !== -1 && (isWord(before) || before === 46 || before === 45)) continue;
    const end = at + name.length;
    const free = (i: number) => {
      if (i >= text.length) return true;
      const c = text.charCodeAt(i);
      return !isWord(c) && c !== 45;
    };
    if (free(end) || (text.charCodeAt(end) === 115 && free(end + 1))) return true;
  }
  return false;
}

/** The glossary terms (standard, plus those of the profiles in `chain`) that appear in `text`. */
export function findTerms(text: string, chain: readonly Profile[] = []): string[] {
  const found: string[] = [];
  const lower = text.toLowerCase();
  const lists = [listGlossary(), ...chain.flatMap((p) => (p.glossary ? [p.glossary] : []))];
  for (const list of lists) {
    for (const { term, exact, loose } of compile(list)) {
      if (found.includes(term)) continue;
      if (exact.some((n) => hasWord(text, n)) || loose.some((n) => hasWord(lower, n))) {
        found.push(term);
      }
    }
  }
  return found;
}
