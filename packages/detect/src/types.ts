import type { Direction, ResolvedConfig, ScopeKind } from "./config.ts";
import type {
  AlertState,
  Contributor,
  ObserveResult,
  PhraseCount,
  Reading,
  ScopeRef,
} from "./reading.ts";
import type { DetectorSnapshot } from "./snapshot.ts";

export {
  type AlertState,
  AlertStates,
  type Contributor,
  type ObserveResult,
  type PhraseCount,
  type Reading,
  type ReadingStatus,
  type ScopeRef,
} from "./reading.ts";

/** One call attempt's final response, stamped with when it happened (ms since epoch). */
export interface CallEvent {
  time: number;
  code: number;
  direction?: Direction | undefined;
  trunk?: string | undefined;
  customer?: string | undefined;
  /** The reason phrase of the final response's status line ("Decline", "MaxPeak Cost Exceeded"). */
  phrase?: string | undefined;
  /** The Reason header that came with it (`Q.850;cause=21;text="Call rejected"`). */
  reason?: string | undefined;
}

/**
 * One change of alert state for one rule in one scope. A resolve (firing →
 * resolved) reports the minutes the resolve was decided on: `windowMinutes`,
 * `calls`, `count`, `rate` and `wilsonLower` are those of the most recent
 * minutes holding `minCalls` calls (or of the held window, when they do not
 * hold enough); its `contributors` and `phrases` stay the held window's.
 */
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
  /** The most frequent (code, phrase, reason) of the matching responses in the window, most first. */
  phrases: PhraseCount[];
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
  phrases: PhraseCount[];
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
  /**
   * No evaluation yet, or some rule's global baseline is still unknown (fewer
   * than `minBaselineCalls` calls): only rules with a `coldCeiling` can alert.
   */
  warmingUp: boolean;
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
  /**
   * Calls and matching responses of rule `rule` (its id) in the scope with
   * key `scopeKey` over the `minutes` whole minutes before the last
   * evaluation's minute (what that evaluation's windows read); undefined for
   * an unknown scope or rule, or before the first evaluation.
   */
  windowCounts(scopeKey: string, rule: string, minutes: number): WindowCounts | undefined;
}

export interface WindowCounts {
  calls: number;
  count: number;
}
