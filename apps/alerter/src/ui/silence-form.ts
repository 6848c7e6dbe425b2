import type { z } from "zod";
import { SilenceInput } from "../domain/silence.ts";
import { DURATIONS, MATCHER_ROWS, type SilenceDraft } from "./silences.tsx";

type Body = Record<string, string | File | (string | File)[]>;

const text = (body: Body, name: string): string => {
  const v = body[name];
  return typeof v === "string" ? v : "";
};

/** The form as sent, as strings (rows without a label are left out). */
export function draftOf(body: Body): SilenceDraft {
  const matchers: SilenceDraft["matchers"] = [];
  for (let i = 0; i < MATCHER_ROWS; i++) {
    const name = text(body, `m${i}.name`);
    if (name === "") continue;
    matchers.push({ name, op: text(body, `m${i}.op`) || "=", value: text(body, `m${i}.value`) });
  }
  return {
    matchers,
    duration: text(body, "duration"),
    createdBy: text(body, "createdBy"),
    comment: text(body, "comment"),
  };
}

/** The form's fields, filled in from a query (the incidents page links labels here). */
export function draftFromLabels(query: Record<string, string>, labels: readonly string[]) {
  return labels
    .filter((l) => query[l] !== undefined)
    .slice(0, MATCHER_ROWS)
    .map((name) => ({ name, op: "=", value: query[name]! }));
}

/** How an issue reads on the page: `Matcher 2, value: bad regex …`. */
function issueText(issue: z.core.$ZodIssue): string {
  const [first, index, field] = issue.path;
  if (first === "matchers" && typeof index === "number") {
    return `Matcher ${index + 1}${field === undefined ? "" : `, ${String(field)}`}: ${issue.message}`;
  }
  if (first === "matchers") return `Matchers: ${issue.message}`;
  return `${issue.path.map(String).join(".") || "The form"}: ${issue.message}`;
}

/**
 * The draft checked by the management API's own schema (`SilenceInput`),
 * ending `duration` minutes after `now`: the page adds only the choice of
 * length, every other rule is the schema's.
 */
export function parseDraft(
  draft: SilenceDraft,
  now: number,
): { success: true; data: SilenceInput } | { success: false; errors: string[] } {
  const minutes = Number(draft.duration);
  if (!(DURATIONS as readonly number[]).includes(minutes)) {
    return { success: false, errors: ["Lasts: choose one of the offered lengths."] };
  }
  const parsed = SilenceInput.safeParse({
    matchers: draft.matchers,
    endsAt: now + minutes * 60_000,
    createdBy: draft.createdBy,
    comment: draft.comment,
  });
  if (parsed.success) return { success: true, data: parsed.data };
  return { success: false, errors: parsed.error.issues.map(issueText) };
}
