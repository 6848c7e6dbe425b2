/**
 * The API's reads of the core: each turns a core view into a response body.
 * Pure functions of their arguments, so their output can be cached by query.
 */
import {
  CATALOGUE_VERSION,
  type CodeClass,
  defaultRegistry,
  type Explanation,
  findGlossaryTerm,
  type GlossaryEntry,
  listCodes as listCodeRows,
  listGlossaryTerms,
  type Profile,
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

export interface CodeListOptions {
  class?: CodeClass | undefined;
  profile?: Profile | undefined;
  q?: string | undefined;
  limit: number;
}

/** GET /v1/codes: the catalogue (with a profile, the codes it changes), or search hits. */
export function listCodes(options: CodeListOptions) {
  const codes: CodeListItem[] = listCodeRows({
    profile: options.profile,
    class: options.class,
    changedOnly: true,
    query: options.q,
    limit: options.limit,
  });
  return { catalogueVersion: CATALOGUE_VERSION, count: codes.length, codes };
}

/** A glossary term by name or alias, as the profile (or the shared glossary) defines it. */
export function findTerm(term: string, profile?: Profile): GlossaryEntry | undefined {
  return findGlossaryTerm(term, { profile });
}

/** The glossary with the terms a profile adds. */
export function glossaryFor(profile?: Profile): readonly GlossaryEntry[] {
  return listGlossaryTerms({ profile });
}

/** The explanation plus the definitions of the terms it uses (view=full). */
export function withGlossary(e: Explanation, profile: Profile | undefined) {
  const glossary = (e.terms ?? []).flatMap((term) => {
    const entry = findTerm(term, profile);
    return entry ? [{ term: entry.term, definition: entry.definition }] : [];
  });
  return { ...e, glossary };
}
