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

/** A request option that was valid but did not apply (see `notes` in the Explanation schema). */
export interface RequestNote {
  parameter: string;
  value: string;
  note: string;
}

/**
 * The documented rule for `subCode`: a well-formed sub-code that no table or
 * numbering rule of the profile (and what it extends) reads is answered 200,
 * with a note saying it was not applied. Not a 422: vendors add sub-codes
 * faster than any table, and a caller passing on what its SBC logged should
 * still get the code explained.
 */
export function requestNotes(
  e: Explanation,
  subCode: string | undefined,
  profile: Profile | undefined,
): RequestNote[] {
  if (subCode === undefined || e.subCode) return [];
  const id = profile?.id ?? e.profile.id;
  return [
    {
      parameter: "subCode",
      value: subCode,
      note: `sub-code ${subCode} is not applied: profile ${id} and the profiles it extends neither list it for ${e.code} nor have a numbering rule that reads it`,
    },
  ];
}

/** The JSON body of an explanation: lean or full, with the notes on options that did not apply. */
export function explanationBody(
  e: Explanation,
  options: { full: boolean; profile: Profile | undefined; subCode: string | undefined },
) {
  const notes = requestNotes(e, options.subCode, options.profile);
  const base = options.full ? withGlossary(e, options.profile) : e;
  return notes.length ? { ...base, notes } : base;
}

/** The notes as lines appended to a text or Markdown rendering. */
export function notesText(notes: readonly RequestNote[]): string {
  return notes.map((n) => `\nNote: ${n.note}.\n`).join("");
}
