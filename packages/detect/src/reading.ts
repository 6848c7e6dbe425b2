import type { Direction, ScopeKind } from "./config.ts";

/**
 * What `observe` did with an event:
 * - `accepted`: counted;
 * - `ignored`: a provisional response (1xx), which is not a call outcome;
 * - `late`: older than anything the next evaluation reads (outside the baseline);
 * - `future`: more than `maxFutureMinutes` after the last evaluation;
 * - `invalid`: time not a non-negative number, code not an integer 100–699,
 *   or a direction other than inbound/outbound.
 */
export type ObserveResult = "accepted" | "ignored" | "late" | "future" | "invalid";

export const AlertStates = ["normal", "pending", "firing", "resolved"] as const;
export type AlertState = (typeof AlertStates)[number];

/** Which calls a reading is about. `key` is unique and stable: `trunk:T1`, `trunk_direction:T1:inbound`. */
export interface ScopeRef {
  readonly kind: ScopeKind;
  readonly key: string;
  readonly trunk?: string;
  readonly direction?: Direction;
  readonly customer?: string;
}

/**
 * Why a reading can or cannot alert:
 * - `ok`: a window holds `minCalls` calls and the baseline is known;
 * - `insufficient_data`: no window holds `minCalls` calls (numbers are the longest window's);
 * - `no_baseline`: the global baseline has fewer than `minBaselineCalls` calls (warm-up).
 */
export type ReadingStatus = "ok" | "insufficient_data" | "no_baseline";

/** The numbers behind one decision, for one rule in one scope. */
export interface Reading {
  status: ReadingStatus;
  /**
   * The window used: the shortest holding `minCalls` calls, else the longest
   * (kept while the alert is active). On a resolve transition, the whole
   * minutes before the evaluation that the resolve was decided on.
   */
  windowMinutes: number;
  calls: number;
  count: number;
  /** count / calls (0 when there were no calls). */
  rate: number;
  /** Lower end of the Wilson interval of the rate at the rule's confidence. */
  wilsonLower: number;
  /** The baseline rate the threshold was derived from (frozen while pending or firing); null when unknown. */
  baseline: number | null;
  /** `max(lift × baseline, baseline + delta, floor)`: the Wilson bound must exceed it to breach. */
  threshold: number | null;
  /** `resolveRatio × threshold`: the rate must stay under it for `resolveAfter` evaluations to resolve. */
  resolveThreshold: number | null;
  /**
   * The sequential test's evidence: the log-likelihood ratio of "the rate
   * rose to at least the threshold `changeMinutes` ago" against "it is the
   * baseline", at the strongest change point since the last resolve (0 when
   * not judged or no change point holds `minCount` matching responses). It
   * breaches, and fires at once, at the rule's `cusumThreshold`. Absent in
   * states saved before the test existed.
   */
  llr?: number;
  /** Whole minutes from the strongest change point to the evaluation (0: none). */
  changeMinutes?: number;
  /** Calls and matching responses since that change point. */
  changeCalls?: number;
  changeCount?: number;
}

/**
 * One response text seen among a scope's matching responses in the window:
 * the code, the reason phrase of its status line and the Reason header
 * (null when the event carried none), with how many matching responses had
 * them (an upper bound if a minute had more than 4 distinct ones).
 */
export interface PhraseCount {
  code: number;
  phrase: string | null;
  reason: string | null;
  /** The calls' direction, when the event said. */
  direction: Direction | null;
  count: number;
}

/** A trunk or customer carrying part of a scope's matching responses in the window. */
export interface Contributor {
  kind: "trunk" | "customer";
  key: string;
  /** Matching responses in the window (an upper bound if a minute had more than 4 distinct contributors). */
  count: number;
}

/** The `Reading` fields of `r` alone (a transition or an active alert's numbers), as a new object. */
export function readingOf(r: Reading): Reading {
  return {
    status: r.status,
    windowMinutes: r.windowMinutes,
    calls: r.calls,
    count: r.count,
    rate: r.rate,
    wilsonLower: r.wilsonLower,
    baseline: r.baseline,
    threshold: r.threshold,
    resolveThreshold: r.resolveThreshold,
    ...(r.llr !== undefined ? { llr: r.llr } : {}),
    ...(r.changeMinutes !== undefined ? { changeMinutes: r.changeMinutes } : {}),
    ...(r.changeCalls !== undefined ? { changeCalls: r.changeCalls } : {}),
    ...(r.changeCount !== undefined ? { changeCount: r.changeCount } : {}),
  };
}
