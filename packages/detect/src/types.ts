import type { Direction, ResolvedConfig, ScopeKind } from "./config.ts";
import type { DetectorSnapshot } from "./snapshot.ts";

/** One call attempt's final response, stamped with when it happened (ms since epoch). */
export interface CallEvent {
  time: number;
  code: number;
  direction?: Direction | undefined;
  trunk?: string | undefined;
  customer?: string | undefined;
}

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
  /** The window used: the shortest holding `minCalls` calls, else the longest. */
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
}

/** A trunk or customer carrying part of a scope's matching responses in the window. */
export interface Contributor {
  kind: "trunk" | "customer";
  key: string;
  /** Matching responses in the window (an upper bound if a minute had more than 4 distinct contributors). */
  count: number;
}

/** One change of alert state for one rule in one scope. */
export interface Transition extends Reading {
  rule: string;
  scope: ScopeRef;
  from: AlertState;
  to: AlertState;
  /** The evaluation time (ms) at which the change happened. */
  time: number;
  /** `${rule}:${scope.key}:${time it first went pending}`, reused by a re-fire within the cooldown. */
  incidentId: string;
  /** When the current episode went pending (ms). */
  since: number;
  baseline: number;
  threshold: number;
  resolveThreshold: number;
  /** Top trunks then top customers behind the matching responses (global, trunk and trunk × direction scopes). */
  contributors: Contributor[];
}

/** An alert currently pending or firing, with the numbers of the last evaluation. */
export interface ActiveAlert {
  rule: string;
  scope: ScopeRef;
  state: "pending" | "firing";
  incidentId: string;
  since: number;
  /** When it went firing (ms), if it has. */
  firedAt: number | null;
  /** Time of the evaluation the reading comes from. */
  evaluatedAt: number;
  reading: Reading;
  contributors: Contributor[];
}

export interface DetectorStats {
  scopes: Record<ScopeKind, number> & { total: number };
  /** Customers whose alerts were evaluated at the last evaluation (floor, cap, and any still alerting). */
  watchedCustomers: number;
  /** Allocated per-minute and per-15-minute buckets (scopes × buckets per scope). */
  buckets: number;
  events: Record<ObserveResult, number>;
  /** Events whose trunk/customer scope could not be created because `maxScopes` was reached. */
  overflow: number;
  /** Scopes removed after going idle for longer than the data they could still read. */
  evicted: number;
  /** The `now` of the last evaluation, or null. */
  lastEvaluation: number | null;
}

export interface Detector {
  readonly config: ResolvedConfig;
  /** Counts one event in its per-minute buckets. O(1), allocation-free for known scopes. */
  observe(event: CallEvent): ObserveResult;
  /**
   * Runs every rule on every watched scope at `now` (ms) and returns the state
   * changes, sorted by rule, scope kind and key. Windows cover the whole minutes
   * before `now`'s minute. A `now` in the same or an earlier minute than the
   * last evaluation changes nothing and returns [].
   */
  evaluate(now: number): Transition[];
  /** Alerts now pending or firing, in the same order as transitions. */
  active(): ActiveAlert[];
  /** A JSON-serializable copy of the whole state; `createDetector(config, snapshot)` resumes exactly. */
  snapshot(): DetectorSnapshot;
  stats(): DetectorStats;
}
