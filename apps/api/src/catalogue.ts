/**
 * The API's reads of the core: each turns core data into a response body.
 * Pure functions of their arguments, so their output can be cached by query.
 */
import {
  CATALOGUE_VERSION,
  type CodeClass,
  classOf,
  defaultRegistry,
  type Explanation,
  explain,
  type GlossaryEntry,
  getCodeEntry,
  getGlossaryEntry,
  listCodeEntries,
  listGlossary,
  type Profile,
  searchCodes,
} from "@sipcodes/core";
import { ApiError, type ProblemIssue } from "./problem.ts";
import type { CodeListItem } from "./schemas.ts";

/** The profile with this id, or a 400 (or `status`) unknown_profile problem pointing at `path`. */
export function resolveProfile(id: string, path: ProblemIssue["path"], status?: number): Profile {
  const profile = defaultRegistry().get(id);
  if (profile) return profile;
  const detail = `unknown profile "${id}" (known: ${defaultRegistry().ids().join(", ")})`;
  throw new ApiError("unknown_profile", detail, {
    ...(status !== undefined ? { status } : {}),
    errors: [{ path, message: detail }],
  });
}

/** A profile's chain without the standard root: the profiles that change codes. */
function overlayChain(profile: Profile): Profile[] {
  return defaultRegistry()
    .chain(profile)
    .filter((p) => p.id !== "rfc");
}

function profilePhrase(code: number, chain: readonly Profile[]): string | undefined {
  for (const p of chain) {
    const phrase = p.codes[String(code)]?.phrase;
    if (phrase !== undefined) return phrase;
  }
  return undefined;
}

export interface CodeListOptions {
  class?: CodeClass | undefined;
  profile?: Profile | undefined;
  q?: string | undefined;
  limit: number;
}

/** GET /v1/codes: the catalogue, or search hits, as a lean list. */
export function listCodes(options: CodeListOptions) {
  const { profile } = options;
  const chain = profile ? overlayChain(profile) : [];
  const items: CodeListItem[] = [];
  const add = (code: number, extra: Partial<CodeListItem> & { summary?: string }) => {
    const entry = getCodeEntry(code);
    if (!entry) return;
    const klass = classOf(code);
    if (options.class && klass !== options.class) return;
    const own = profilePhrase(code, chain);
    const explained = profile ? explain(code, { profile: profile.id }) : undefined;
    items.push({
      code,
      phrase: entry.phrase,
      ...(own !== undefined && own !== entry.phrase ? { profilePhrase: own } : {}),
      class: klass,
      registered: entry.registered,
      outcome: explained?.outcome ?? entry.outcome,
      summary: extra.summary ?? explained?.summary ?? entry.summary,
      ...(extra.score !== undefined ? { score: extra.score } : {}),
      ...(extra.matchedIn !== undefined ? { matchedIn: extra.matchedIn } : {}),
    });
  };

  if (options.q !== undefined) {
    const hits = searchCodes(options.q, {
      ...(profile ? { profile } : {}),
      limit: options.class ? 1000 : options.limit,
    });
    for (const hit of hits) {
      if (items.length >= options.limit) break;
      add(hit.code, { summary: hit.summary, score: hit.score, matchedIn: hit.profile });
    }
  } else {
    for (const entry of listCodeEntries()) {
      if (chain.length && !chain.some((p) => p.codes[String(entry.code)])) continue;
      add(entry.code, {});
    }
  }
  return { catalogueVersion: CATALOGUE_VERSION, count: items.length, codes: items };
}

/** A glossary term by name or alias: the profile's own terms first, then the shared glossary. */
export function findTerm(term: string, profile?: Profile): GlossaryEntry | undefined {
  const wanted = term.trim().toLowerCase();
  if (profile) {
    for (const p of defaultRegistry().chain(profile)) {
      const own = p.glossary?.find((g) =>
        [g.term, ...(g.aliases ?? [])].some((name) => name.toLowerCase() === wanted),
      );
      if (own) return own;
    }
  }
  return getGlossaryEntry(term);
}

/** The glossary, with the terms a profile adds (a profile's term replaces a shared one of that name). */
export function glossaryFor(profile?: Profile): GlossaryEntry[] {
  const byTerm = new Map<string, GlossaryEntry>();
  for (const entry of listGlossary()) byTerm.set(entry.term.toLowerCase(), entry);
  if (profile) {
    for (const p of [...defaultRegistry().chain(profile)].reverse()) {
      for (const entry of p.glossary ?? []) byTerm.set(entry.term.toLowerCase(), entry);
    }
  }
  return [...byTerm.values()].sort((a, b) => a.term.localeCompare(b.term));
}

/** The explanation plus the definitions of the terms it uses (view=full). */
export function withGlossary(e: Explanation, profile: Profile | undefined) {
  const glossary = (e.terms ?? []).flatMap((term) => {
    const entry = findTerm(term, profile);
    return entry ? [{ term: entry.term, definition: entry.definition }] : [];
  });
  return { ...e, glossary };
}
