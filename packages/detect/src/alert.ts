// The alert state machine of one rule in one scope, as a pure function:
// normal/resolved → pending on a breach; pending → firing after `fireAfter`
// breaches in a row, → normal on the first evaluation that does not breach;
// firing → resolved after `resolveAfter` clear evaluations in a row. A
// conclusive breach (the sequential test's) fires without waiting.
import type { AlertState, Contributor, PhraseCount, Reading } from "./reading.ts";

const MINUTE_MS = 60_000;

/** One rule's alert state in one scope (also its snapshot form). */
export interface Alert {
  state: AlertState;
  /** Consecutive breaching (pending) or clear (firing) evaluations. */
  streak: number;
  since: number | null;
  firedAt: number | null;
  incidentId: string | null;
  frozenBaseline: number | null;
  resolvedAt: number | null;
  resolvedIncidentId: string | null;
  /** The window (minutes) chosen when it went pending, kept while it is active. */
  window?: number;
  /** It went pending while warming up, on the rule's `coldCeiling`; it keeps that threshold. */
  cold?: boolean;
  /**
   * The evaluation minute at which its window test last breached while it was
   * pending or firing; null when it never has (the sequential test fired it).
   * Absent in state saved before it was kept: nothing is held back then.
   */
  lastBreach?: number | null;
  last: {
    evaluatedAt: number;
    reading: Reading;
    contributors: Contributor[];
    /** Absent in snapshots written before phrases were tracked. */
    phrases?: PhraseCount[];
  } | null;
}

/** An alert that never left normal. */
export const NORMAL: Readonly<Alert> = Object.freeze({
  state: "normal",
  streak: 0,
  since: null,
  firedAt: null,
  incidentId: null,
  frozenBaseline: null,
  resolvedAt: null,
  resolvedIncidentId: null,
  last: null,
});

/** What one evaluation found, for `step`. */
export interface Verdict {
  /** Evaluation time (ms). */
  now: number;
  /** The Wilson bound is over the threshold with enough calls and matching responses. */
  breach: boolean;
  /**
   * The breach is the sequential test's, whose evidence already accumulates
   * over minutes: it fires at once instead of waiting for `fireAfter`.
   */
  conclusive?: boolean;
  /** The rate is under `resolveRatio × threshold`, or the data is insufficient. */
  clear: boolean;
  /** The baseline to freeze when the alert goes pending. */
  baseline: number;
}

/** The parts of a rule the state machine reads; `key` is `${rule}:${scope key}`, the incident id's prefix. */
export interface StepRule {
  key: string;
  fireAfter: number;
  resolveAfter: number;
  cooldownMinutes: number;
  /** A firing alert resolves no sooner than this after it fired (0 or absent: no minimum). */
  minFiringMinutes?: number;
}

/** One change of state, with the incident it belongs to. */
export interface Change {
  from: AlertState;
  to: AlertState;
  incidentId: string;
  since: number;
}

export function isActive(state: AlertState | undefined): state is "pending" | "firing" {
  return state === "pending" || state === "firing";
}

/**
 * The next state of `alert` after one evaluation, and the changes on the way
 * (none, one, or normal→pending plus pending→firing when `fireAfter` is 1).
 * Pure: `alert` is not modified; an unchanged alert is returned as is. The
 * caller records `last` (the numbers of the evaluation) while it is active.
 */
export function step(
  alert: Readonly<Alert>,
  verdict: Verdict,
  rule: StepRule,
): { alert: Alert; changes: Change[] } {
  const { now, breach, clear } = verdict;
  const from = alert.state;
  if (!breach && !isActive(from)) return { alert, changes: [] };
  const a: Alert = { ...alert };
  const changes: Change[] = [];
  const emit = (f: AlertState, to: AlertState) => {
    changes.push({ from: f, to, incidentId: a.incidentId!, since: a.since! });
  };
  const fire = () => {
    a.state = "firing";
    a.firedAt = now;
    a.streak = 0;
    emit("pending", "firing");
  };
  if (from === "normal" || from === "resolved") {
    const reuse =
      a.resolvedIncidentId !== null &&
      a.resolvedAt !== null &&
      now - a.resolvedAt <= rule.cooldownMinutes * MINUTE_MS;
    a.incidentId = reuse ? a.resolvedIncidentId : `${rule.key}:${now}`;
    a.since = now;
    a.firedAt = null;
    a.frozenBaseline = verdict.baseline;
    a.state = "pending";
    a.streak = 1;
    emit(from, "pending");
    if (a.streak >= rule.fireAfter || verdict.conclusive === true) fire();
  } else if (from === "pending") {
    if (breach) {
      a.streak++;
      if (a.streak >= rule.fireAfter || verdict.conclusive === true) fire();
    } else {
      a.state = "normal";
      emit("pending", "normal");
      a.streak = 0;
      a.since = null;
      a.incidentId = null;
      a.frozenBaseline = null;
      a.last = null;
    }
  } else if (clear) {
    a.streak++;
    const heldFor = a.firedAt === null ? Infinity : now - a.firedAt;
    if (a.streak >= rule.resolveAfter && heldFor >= (rule.minFiringMinutes ?? 0) * MINUTE_MS) {
      a.state = "resolved";
      a.resolvedAt = now;
      a.resolvedIncidentId = a.incidentId;
      emit("firing", "resolved");
      a.streak = 0;
      a.since = null;
      a.firedAt = null;
      a.incidentId = null;
      a.frozenBaseline = null;
      a.last = null;
    }
  } else a.streak = 0;
  return { alert: a, changes };
}

/** A deep copy, so a snapshot and the live state never share objects. */
export function copyAlert(a: Readonly<Alert>): Alert {
  return {
    ...a,
    last: a.last && {
      evaluatedAt: a.last.evaluatedAt,
      reading: { ...a.last.reading },
      contributors: a.last.contributors.map((c) => ({ ...c })),
      ...(a.last.phrases ? { phrases: a.last.phrases.map((p) => ({ ...p })) } : {}),
    },
  };
}
