// Which rules a response counts for (its code, and for rules that name
// phrases, its reason phrase), and the compact key under which the phrase
// sketch keeps the (code, phrase, reason) texts of matching responses.
import type { Direction, Rule } from "./config.ts";
import type { PhraseCount } from "./reading.ts";

/** Separates the parts of a phrase key; cannot occur in a phrase or Reason header we keep. */
const SEP = "\u0001";
/** Longest phrase and Reason header kept in a key (longer ones are cut). */
const MAX_TEXT = 200;
/** Distinct (code, phrase) pairs whose rule list is cached. */
const CACHE_MAX = 4096;

/** A phrase as rules compare it: trimmed, inner spaces collapsed, lower case. */
export function normalizePhrase(phrase: string): string {
  return phrase.trim().replace(/\s+/g, " ").toLowerCase();
}

const clean = (text: string) => text.replaceAll(SEP, " ").trim().slice(0, MAX_TEXT);

const DIRS = ["", "inbound", "outbound"] as const;
/** Keys of responses with neither phrase nor Reason, per code and direction: no allocation. */
const bare: string[][] = DIRS.map((d) =>
  Array.from({ length: 700 }, (_, code) => `${code}${SEP}${SEP}${SEP}${d}`),
);

/** The sketch key of one response: `code SEP phrase SEP reason SEP direction` (empty parts when absent). */
export function phraseKey(
  code: number,
  phrase: string | undefined,
  reason: string | undefined,
  direction?: Direction | undefined,
): string {
  const p = typeof phrase === "string" ? clean(phrase) : "";
  const r = typeof reason === "string" ? clean(reason) : "";
  const d = direction ?? "";
  if (p === "" && r === "") return bare[DIRS.indexOf(d)]![code]!;
  return `${code}${SEP}${p}${SEP}${r}${SEP}${d}`;
}

/** Turns ranked sketch keys back into phrase counts. */
export function readPhrases(top: readonly { key: string; count: number }[]): PhraseCount[] {
  return top.map(({ key, count }) => {
    const [code, phrase, reason, direction] = key.split(SEP);
    return {
      code: Number(code),
      phrase: phrase ? phrase : null,
      reason: reason ? reason : null,
      direction: direction === "inbound" || direction === "outbound" ? direction : null,
      count,
    };
  });
}

/**
 * The rules a response counts for: those whose `codes` hold its code and,
 * for rules with `phrases`, whose phrases hold its (normalised) phrase, and
 * for rules with `exceptPhrases`, whose exceptions do not. A response with
 * no phrase matches no `phrases` rule and every `exceptPhrases` rule.
 */
export class RuleMatcher {
  private readonly byCode: readonly (readonly number[])[];
  /** Codes some rule filters by phrase. */
  private readonly filtered: readonly boolean[];
  private readonly include: readonly (ReadonlySet<string> | undefined)[];
  private readonly exclude: readonly (ReadonlySet<string> | undefined)[];
  private readonly cache = new Map<string, readonly number[]>();

  constructor(
    rules: readonly Rule[],
    private readonly none: readonly number[],
  ) {
    this.include = rules.map((r) =>
      r.phrases ? new Set(r.phrases.map(normalizePhrase)) : undefined,
    );
    this.exclude = rules.map((r) =>
      r.exceptPhrases ? new Set(r.exceptPhrases.map(normalizePhrase)) : undefined,
    );
    const byCode: (readonly number[])[] = [];
    const filtered: boolean[] = [];
    for (let code = 0; code < 700; code++) {
      const matching = rules.flatMap((r, i) => (r.codes.includes(code) ? [i] : []));
      byCode.push(matching.length ? matching : none);
      filtered.push(matching.some((i) => this.include[i] || this.exclude[i]));
    }
    this.byCode = byCode;
    this.filtered = filtered;
  }

  /** Rule indexes a response of `code` (100–699) with `phrase` counts for. */
  rules(code: number, phrase: string | undefined): readonly number[] {
    const all = this.byCode[code]!;
    if (!this.filtered[code]) return all;
    const norm = typeof phrase === "string" ? normalizePhrase(phrase) : "";
    const key = `${code}${SEP}${norm}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const out = all.filter((i) => {
      const inc = this.include[i];
      const exc = this.exclude[i];
      if (inc && !inc.has(norm)) return false;
      if (exc && norm !== "" && exc.has(norm)) return false;
      return true;
    });
    const result = out.length ? out : this.none;
    if (this.cache.size < CACHE_MAX) this.cache.set(key, result);
    return result;
  }
}
