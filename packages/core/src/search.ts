import { getCodeEntry, listCodeEntries } from "./catalogue/index.ts";
import { mergeEntry } from "./explain/merge.ts";
import { DEFAULT_PROFILE, defaultRegistry, type ProfileRegistry } from "./profiles/registry.ts";
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
  "and",
  "or",
  "in",
  "on",
  "for",
  "code",
  "sip",
  "call",
]);

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z0-9.]+/)
    .filter((w) => w.length > 1 && !STOP.has(w));
}

function score(query: string[], fields: [text: string, weight: number][]): number {
  let total = 0;
  for (const word of query) {
    let best = 0;
    const pattern = new RegExp(`(?<![a-z0-9])${word.replace(/[.]/g, "\\.")}`, "i");
    for (const [text, weight] of fields) {
      if (weight > best && pattern.test(text)) best = weight;
    }
    if (best === 0) return 0; // every word must match somewhere
    total += best;
  }
  return total;
}

/** Finds codes by number, phrase, meaning, causes or keywords; best match first. */
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
  const terms = words(q);
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
  if (terms.length) {
    for (const profile of profiles) {
      const chain = registry.chain(profile);
      for (const entry of listCodeEntries()) {
        const touched = chain.some((p) => p.codes[String(entry.code)]);
        if (profile.id !== DEFAULT_PROFILE && !touched && options.profile === undefined) continue;
        const m = mergeEntry(entry, chain, undefined);
        const overlayPhrases = m.overlays.flatMap(({ overlay }) => overlay.phrases ?? []);
        const s = score(terms, [
          [String(entry.code), 10],
          [[entry.phrase, m.phrase, ...(entry.aliases ?? []), ...overlayPhrases].join(" | "), 8],
          [m.summary, 5],
          [(entry.keywords ?? []).join(" | "), 4],
          [m.meaning, 3],
          [m.causes.map((c) => c.text).join(" | "), 2],
          [m.actions.map((a) => a.text).join(" | "), 1],
        ]);
        const current = hits.get(entry.code);
        if (s > 0 && (!current || s > current.score)) {
          hits.set(entry.code, {
            code: entry.code,
            phrase: m.phrase,
            summary: m.summary,
            profile: profile.id,
            score: s,
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
