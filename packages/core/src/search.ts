import { getCodeEntry, listCodeEntries } from "./catalogue/index.ts";
import { getQ850Cause, q850CausesFor, sipToQ850 } from "./catalogue/q850.ts";
import { searchTerms } from "./catalogue/search-terms.ts";
import { mergeEntry } from "./explain/merge.ts";
import { DEFAULT_PROFILE, defaultRegistry, type ProfileRegistry } from "./profiles/registry.ts";
import type { CodeEntry } from "./schema/catalogue.ts";
import type { Profile } from "./schema/profile.ts";

export interface SearchHit {
  code: number;
  phrase: string;
  summary: string;
  /** The profile whose text matched best (DEFAULT_PROFILE for the standard text). */
  profile: string;
  score: number;
}

export interface SearchOptions {
  /** Search only this profile (with what it inherits); default: the standard text and every profile. */
  profile?: string | Profile;
  registry?: ProfileRegistry;
  limit?: number;
}

const STOP = new Set([
  "the",
  "a",
  "an",
  "of",
  "to",
  "is",
  "are",
  "and",
  "or",
  "in",
  "on",
  "for",
  "by",
  "with",
  "code",
  "sip",
  "what",
  "why",
  "my",
]);

/** Lower case, "E.164" as one word, Q.850's SNAKE_CASE names split, punctuation dropped. */
function tokens(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/e\.164/g, "e164")
    .replace(/q\.850/g, "q850")
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** A light stem: enough that "declined", "answering" and "circuits" meet "decline", "answer", "circuit". */
function stem(word: string): string {
  if (/^\d+$/.test(word)) return word;
  if (word.length > 5 && word.endsWith("ing")) return word.slice(0, -3);
  if (word.length > 4 && word.endsWith("ed")) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith("s") && !word.endsWith("ss")) return word.slice(0, -1);
  return word;
}

/** Whether a text token stands for a query word: numbers exactly, short words exactly, others by prefix. */
function meets(token: string, word: string): boolean {
  if (word.length < 3 || /^\d+$/.test(word)) return token === word;
  return token.startsWith(word);
}

interface Field {
  tokens: string[];
  weight: number;
  /** Whether the whole query in a row here earns the field a bonus (names and keywords, not prose). */
  phrase: boolean;
  /**
   * For a keyword of several words: what a query word earns when the query
   * does not hold the whole keyword. "busy lamp" is about a lamp, so "busy"
   * alone should meet it as prose does, not as a keyword.
   */
  partial?: number;
}

/** Field weights: a code's names outrank its keywords, which outrank its prose. */
const W = {
  code: 12,
  phrase: 10,
  keywords: 8,
  q850: 7,
  summary: 4,
  meaning: 2,
  causes: 1.5,
  actions: 0.5,
} as const;

function field(
  texts: readonly string[],
  weight: number,
  phrase: boolean,
  partial?: number,
): Field[] {
  return texts.map((text) => {
    const t = tokens(text);
    return partial !== undefined && t.length > 1
      ? { tokens: t, weight, phrase, partial }
      : { tokens: t, weight, phrase };
  });
}

/** The Q.850 names and numbers that belong to a code, both ways through RFC 3398. */
function q850Names(code: number): string[] {
  const causes = new Set(q850CausesFor(code));
  const back = sipToQ850(code)?.cause;
  if (back !== undefined) causes.add(back);
  return [...causes].flatMap((cause) => {
    const name = getQ850Cause(cause)?.name;
    return [`cause ${cause}`, `q850 ${cause}`, ...(name ? [name] : [])];
  });
}

function fieldsFor(entry: CodeEntry, chain: readonly Profile[]): Field[] {
  const m = mergeEntry(entry, chain, undefined);
  const overlayPhrases = m.overlays.flatMap(({ overlay }) => overlay.phrases ?? []);
  const extra: readonly string[] =
    (searchTerms as Record<number, readonly string[]>)[entry.code] ?? [];
  return [
    ...field([String(entry.code)], W.code, false),
    ...field([entry.phrase, m.phrase, ...(entry.aliases ?? []), ...overlayPhrases], W.phrase, true),
    ...field([...(entry.keywords ?? []), ...extra], W.keywords, true, W.meaning),
    ...field(q850Names(entry.code), W.q850, true),
    ...field([m.summary], W.summary, false),
    ...field([m.meaning], W.meaning, false),
    ...field(
      m.causes.map((c) => c.text),
      W.causes,
      false,
    ),
    ...field(
      m.actions.map((a) => a.text),
      W.actions,
      false,
    ),
  ];
}

/** Whether `words` appear one after another in `tokens`. */
function inRow(fieldTokens: readonly string[], words: readonly string[]): boolean {
  outer: for (let i = 0; i + words.length <= fieldTokens.length; i++) {
    for (let j = 0; j < words.length; j++) {
      if (!meets(fieldTokens[i + j] as string, words[j] as string)) continue outer;
    }
    return true;
  }
  return false;
}

/**
 * Scores one code for the query's words. Each word counts the weight of the
 * best field it is found in; a query whose words are only partly found is
 * scaled down by the square of the share found (less than half: no match);
 * the whole query in a row in a name or keyword earns that field's weight
 * again per word, so "all circuits busy" prefers the code that says exactly
 * that over codes that use each word somewhere.
 */
function score(words: readonly string[], raw: readonly string[], fields: readonly Field[]): number {
  let total = 0;
  let found = 0;
  let depth = 0;
  for (const word of words) {
    let best = 0;
    for (const f of fields) {
      if (!f.tokens.some((t) => meets(t, word))) continue;
      const weight =
        f.partial !== undefined && !f.tokens.every((t) => words.some((w) => meets(t, w)))
          ? f.partial
          : f.weight;
      depth += weight;
      if (weight > best) best = weight;
    }
    if (best > 0) found++;
    total += best;
  }
  const share = found / words.length;
  if (share < 0.5 || found === 0) return 0;
  let bonus = 0;
  if (raw.length > 1) {
    for (const f of fields) {
      if (f.phrase && f.weight > bonus / raw.length && inRow(f.tokens, raw)) {
        bonus = f.weight * raw.length;
      }
    }
  }
  // Ties between codes that name the words equally go to the one whose text
  // keeps coming back to them (486 over 600 for "busy").
  return total * share * share + bonus + depth * 0.02;
}

const indexes = new WeakMap<Profile, Map<number, Field[]>>();

function fieldsCached(entry: CodeEntry, profile: Profile, registry: ProfileRegistry): Field[] {
  let byCode = indexes.get(profile);
  if (!byCode) {
    byCode = new Map();
    indexes.set(profile, byCode);
  }
  let fields = byCode.get(entry.code);
  if (!fields) {
    fields = fieldsFor(entry, registry.chain(profile));
    byCode.set(entry.code, fields);
  }
  return fields;
}

/**
 * Finds codes by the words people use: number, phrase, Q.850 cause names and
 * numbers (USER_BUSY, "cause 17"), keywords, summary, meaning, causes and
 * advice, best match first. See test/search-queries.ts for the set it is measured on.
 */
export function searchCodes(query: string, options: SearchOptions = {}): SearchHit[] {
  const registry = options.registry ?? defaultRegistry();
  const q = query.trim();
  const limit = options.limit ?? 20;
  const profiles: Profile[] =
    options.profile === undefined
      ? registry.list()
      : [
          typeof options.profile === "string"
            ? registry.getOrThrow(options.profile)
            : options.profile,
        ];
  const hits = new Map<number, SearchHit>();
  // Stop words go, unless nothing else is left ("not", "no" and "do" stay: they carry meaning).
  const all = tokens(q);
  const kept = all.filter((w) => !STOP.has(w));
  const raw = (kept.length ? kept : all).map(stem);
  const words = [...new Set(raw)];
  const direct = /^\d{3}$/.test(q) ? getCodeEntry(Number(q)) : undefined;
  if (direct) {
    hits.set(direct.code, {
      code: direct.code,
      phrase: direct.phrase,
      summary: direct.summary,
      profile: DEFAULT_PROFILE,
      score: 1000,
    });
  }
  if (words.length) {
    for (const profile of profiles) {
      const chain = registry.chain(profile);
      for (const entry of listCodeEntries()) {
        const touched = chain.some((p) => p.codes[String(entry.code)]);
        if (profile.id !== DEFAULT_PROFILE && !touched && options.profile === undefined) continue;
        const s = score(words, raw, fieldsCached(entry, profile, registry));
        const current = hits.get(entry.code);
        // Across all profiles, a platform's text replaces the standard hit only
        // when its own words match clearly better (its phrase, its causes), not
        // merely because it has more text.
        const margin =
          current?.profile === DEFAULT_PROFILE && options.profile === undefined ? 1.25 : 1;
        if (s > 0 && (!current || s > current.score * margin)) {
          const m = mergeEntry(entry, chain, undefined);
          hits.set(entry.code, {
            code: entry.code,
            phrase: m.phrase,
            summary: m.summary,
            profile: profile.id,
            score: Math.round(s * 100) / 100,
          });
        }
      }
    }
  }
  // Weak matches (a word found only deep in some other code's advice) are noise
  // next to a strong one; keep hits within reach of the best score.
  const sorted = [...hits.values()].sort((a, b) => b.score - a.score || a.code - b.code);
  const cutoff = (sorted[0]?.score ?? 0) * 0.4;
  return sorted.filter((hit) => hit.score >= cutoff).slice(0, limit);
}
