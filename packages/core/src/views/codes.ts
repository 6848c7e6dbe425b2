import { classOf, getCodeEntry, listCodeEntries } from "../catalogue/index.ts";
import { mergeEntry } from "../explain/merge.ts";
import { DEFAULT_PROFILE } from "../profiles/registry.ts";
import type { CodeClass, Outcome } from "../schema/catalogue.ts";
import { searchCodes } from "../search.ts";
import { chainOf, type ProfileOptions } from "./_profile.ts";

/** One row of a code listing: a code as a profile shows it. */
export interface ListedCode {
  code: number;
  /** The standard (registered) reason phrase. */
  phrase: string;
  /** The phrase the profile's platform sends, where it differs from the standard one. */
  profilePhrase?: string;
  class: CodeClass;
  registered: boolean;
  outcome: Outcome;
  summary: string;
  /** With `query`: how well the code matched. */
  score?: number;
  /** With `query`: the profile whose text matched best. */
  matchedIn?: string;
}

export interface ListCodesOptions extends ProfileOptions {
  /** Only codes of this class. */
  class?: CodeClass | undefined;
  /** Only codes in the IANA registry. */
  registered?: boolean | undefined;
  /**
   * Only the codes the profile (or a profile it extends) gives its own
   * meaning; the standard profile changes none, so it keeps every code.
   * Ignored with `query`.
   */
  changedOnly?: boolean | undefined;
  /**
   * Search words: the hits, best match first, instead of the catalogue in code
   * order. Without `profile` the search covers every profile in the registry.
   */
  query?: string | undefined;
  /** At most this many rows with `query` (default 20). */
  limit?: number | undefined;
}

/**
 * Lists codes through a profile: each code's standard phrase, the profile's
 * own phrase where it has one, and the profile's outcome and summary.
 */
export function listCodes(options: ListCodesOptions = {}): ListedCode[] {
  const chain = chainOf(options);
  const overlays = chain.filter((p) => p.id !== DEFAULT_PROFILE);
  const rows: ListedCode[] = [];
  const add = (code: number, hit?: { summary: string; score: number; matchedIn: string }) => {
    const entry = getCodeEntry(code);
    if (!entry) return;
    const klass = classOf(code);
    if (options.class !== undefined && klass !== options.class) return;
    if (options.registered && !entry.registered) return;
    const merged = mergeEntry(entry, chain, undefined);
    rows.push({
      code,
      phrase: entry.phrase,
      ...(merged.phrase !== entry.phrase ? { profilePhrase: merged.phrase } : {}),
      class: klass,
      registered: entry.registered,
      outcome: merged.outcome,
      summary: hit?.summary ?? merged.summary,
      ...(hit ? { score: hit.score, matchedIn: hit.matchedIn } : {}),
    });
  };

  if (options.query !== undefined) {
    const limit = options.limit ?? 20;
    const filtered = options.class !== undefined || options.registered;
    const hits = searchCodes(options.query, {
      ...(options.profile !== undefined ? { profile: options.profile } : {}),
      ...(options.registry ? { registry: options.registry } : {}),
      // Filtering after the search: ask for every hit so the filter leaves `limit`.
      limit: filtered ? Number.MAX_SAFE_INTEGER : limit,
    });
    for (const hit of hits) {
      if (rows.length >= limit) break;
      add(hit.code, { summary: hit.summary, score: hit.score, matchedIn: hit.profile });
    }
    return rows;
  }

  for (const entry of listCodeEntries()) {
    if (
      options.changedOnly &&
      overlays.length &&
      !overlays.some((p) => p.codes[String(entry.code)])
    )
      continue;
    add(entry.code);
  }
  return rows;
}
