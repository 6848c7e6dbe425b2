import { getCodeEntry } from "../catalogue/index.ts";
import type { Action, Cause, CodeEntry, Direction, Outcome, Retry } from "../schema/catalogue.ts";
import type { CodeOverlay, Profile } from "../schema/profile.ts";

/** A code's text after a profile chain has been laid over the standard entry. */
export interface MergedEntry {
  entry: CodeEntry;
  phrase: string;
  summary: string;
  meaning: string;
  causes: Cause[];
  actions: Action[];
  endUser: string;
  outcome: Outcome;
  userCaused?: boolean;
  retry: Retry;
  sources: string[];
  /** The overlays that changed something, most specific first. */
  overlays: { profile: Profile; overlay: CodeOverlay }[];
}

function byText<T extends { text: string }>(items: T[]): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    if (seen.has(item.text)) return false;
    seen.add(item.text);
    return true;
  });
}

/**
 * Lays the overlays of a profile chain (most specific first, as
 * ProfileRegistry.chain returns it) over the standard entry for `code`.
 * With a direction, that direction's overlay text replaces the general text;
 * without one, both directions' causes and actions are kept, each tagged.
 */
export function mergeEntry(
  entry: CodeEntry,
  chain: readonly Profile[],
  direction: Direction | undefined,
  /** Ids of profiles whose overlay for this code must be left out (see explain's coverage rules). */
  skip?: ReadonlySet<string>,
): MergedEntry {
  const merged: MergedEntry = {
    entry,
    phrase: entry.phrase,
    summary: entry.summary,
    meaning: entry.meaning,
    causes: entry.causes,
    actions: entry.actions,
    endUser: entry.endUser,
    outcome: entry.outcome,
    retry: entry.retry,
    sources: [],
    overlays: [],
  };
  const key = String(entry.code);
  for (let i = chain.length - 1; i >= 0; i--) {
    const profile = chain[i] as Profile;
    const overlay = profile.codes[key];
    if (!overlay || skip?.has(profile.id)) continue;
    merged.overlays.unshift({ profile, overlay });
    if (overlay.phrase) merged.phrase = overlay.phrase;
    if (overlay.summary) merged.summary = overlay.summary;
    if (overlay.meaning) merged.meaning = overlay.meaning;
    if (overlay.endUser) merged.endUser = overlay.endUser;
    if (overlay.outcome) merged.outcome = overlay.outcome;
    if (overlay.userCaused !== undefined) merged.userCaused = overlay.userCaused;
    if (overlay.retry) {
      const { retryable, retryAfter, note } = overlay.retry;
      merged.retry = {
        retryable: retryable ?? merged.retry.retryable,
        retryAfter: retryAfter ?? merged.retry.retryAfter,
        note: note ?? merged.retry.note,
      };
    }
    if (overlay.source) merged.sources.push(overlay.source);

    let causes = overlay.causes ?? [];
    let actions = overlay.actions ?? [];
    const sides = direction ? [overlay[direction]] : [overlay.inbound, overlay.outbound];
    for (const side of sides) {
      if (!side) continue;
      causes = [...(side.causes ?? []), ...causes];
      actions = [...(side.actions ?? []), ...actions];
      if (direction) {
        if (side.meaning) merged.meaning = side.meaning;
        if (side.endUser) merged.endUser = side.endUser;
      }
    }
    merged.causes = byText(overlay.replaceCauses ? causes : [...causes, ...merged.causes]);
    merged.actions = byText(overlay.replaceActions ? actions : [...actions, ...merged.actions]);
  }
  return merged;
}

/**
 * The causes that apply to a direction: that direction's first, then those
 * for both. Causes tagged with the other direction are left out.
 */
export function causesFor(causes: readonly Cause[], direction: Direction | undefined): Cause[] {
  if (!direction) return [...causes];
  const own = causes.filter((cause) => cause.direction === direction);
  const both = causes.filter((cause) => cause.direction === "both");
  return [...own, ...both];
}

/** Keeps the actions that apply to a direction (those without one apply to both). */
export function actionsFor(actions: readonly Action[], direction: Direction | undefined): Action[] {
  if (!direction) return [...actions];
  return actions.filter(
    (action) => action.direction === undefined || action.direction === direction,
  );
}

/** The standard entry for a code, or the x00 of its class when the catalogue has none. */
export function entryOrFallback(code: number): { entry: CodeEntry; fallback: boolean } | undefined {
  const entry = getCodeEntry(code);
  if (entry) return { entry, fallback: false };
  const base = getCodeEntry(Math.floor(code / 100) * 100);
  return base ? { entry: base, fallback: true } : undefined;
}
