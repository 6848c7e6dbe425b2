/**
 * Readiness: whether the alerter can be trusted to count and alert right now.
 * Pure: the facts and the time come in; /readyz renders the answer.
 */

export interface DestinationState {
  /** When the current run of failed attempts began (ms), or null while it delivers. */
  failingSince: number | null;
  lastError: string | null;
}

/** The HEP worker thread as its supervisor sees it (hep-supervisor.ts). */
export interface HepWorkerHealth {
  /** `restarting`: an attempt is under way; `down`: waiting for the next one. */
  state: "up" | "down" | "restarting";
  /** When it went down (ms), null while up. */
  downSince: number | null;
  /** Why: how it died, or why the last restart attempt failed. */
  reason: string | null;
  /** Restart attempts in this outage (0 before the first). */
  attempt: number;
  /** When the next attempt is due (ms), while waiting for it. */
  nextAttemptAt: number | null;
}

export interface ReadinessLimits {
  /** Longest accepted time since the last evaluation (wall clock only), ms. */
  maxEvaluationAgeMs: number;
  /** A destination failing for longer than this makes the alerter not ready, ms. */
  maxDestinationFailingMs: number;
  /** More dead letters than this makes the alerter not ready. */
  maxDeadLetters: number;
}

export interface ReadinessFacts {
  now: number;
  clock: "wall" | "event";
  startedAt: number;
  lastEvaluation: number | null;
  /** undefined when the store accepted a write; else why it did not. */
  storeError: string | undefined;
  deadLetters: number;
  destinations: ReadonlyMap<string, DestinationState>;
  /** undefined when HEP is not enabled. */
  hep?: HepWorkerHealth | undefined;
}

export interface CheckResult {
  ok: boolean;
  [detail: string]: unknown;
}

export interface Readiness {
  ready: boolean;
  /** Names of the checks that failed, in the order below. */
  failed: string[];
  checks: {
    store: CheckResult;
    evaluation: CheckResult;
    destinations: CheckResult;
    deadLetters: CheckResult;
    hep: CheckResult;
  };
}

export function readiness(f: ReadinessFacts, limits: ReadinessLimits): Readiness {
  const store: CheckResult =
    f.storeError === undefined ? { ok: true } : { ok: false, error: f.storeError };

  let evaluation: CheckResult;
  if (f.clock === "event") {
    evaluation = { ok: true, note: "event clock: evaluations follow the events" };
  } else {
    const since = f.lastEvaluation ?? f.startedAt;
    const ageMs = f.now - since;
    evaluation = {
      ok: ageMs <= limits.maxEvaluationAgeMs,
      lastEvaluation: f.lastEvaluation === null ? null : new Date(f.lastEvaluation).toISOString(),
      ageSeconds: Math.round(ageMs / 1000),
      maxAgeSeconds: Math.round(limits.maxEvaluationAgeMs / 1000),
    };
  }

  const failing: { name: string; since: string; seconds: number; lastError: string | null }[] = [];
  for (const [name, d] of f.destinations) {
    if (d.failingSince === null) continue;
    const ms = f.now - d.failingSince;
    if (ms > limits.maxDestinationFailingMs)
      failing.push({
        name,
        since: new Date(d.failingSince).toISOString(),
        seconds: Math.round(ms / 1000),
        lastError: d.lastError,
      });
  }
  const destinations: CheckResult = {
    ok: failing.length === 0,
    failing,
    maxFailingSeconds: Math.round(limits.maxDestinationFailingMs / 1000),
  };

  const deadLetters: CheckResult = {
    ok: f.deadLetters <= limits.maxDeadLetters,
    count: f.deadLetters,
    max: limits.maxDeadLetters,
  };

  const checks = { store, evaluation, destinations, deadLetters, hep: hepCheck(f.hep, f.now) };
  const failed = Object.entries(checks)
    .filter(([, c]) => !c.ok)
    .map(([k]) => k);
  return { ready: failed.length === 0, failed, checks };
}

function hepCheck(h: HepWorkerHealth | undefined, now: number): CheckResult {
  if (h === undefined) return { ok: true, note: "HEP is not enabled" };
  if (h.state === "up") return { ok: true, worker: "up" };
  const since = new Date(h.downSince ?? now).toISOString();
  const error =
    h.state === "restarting"
      ? `worker down since ${since}; restarting, attempt ${h.attempt}`
      : `worker down since ${since}${h.attempt > 0 ? ` after ${h.attempt} restart attempt(s)` : ""}; next attempt ${h.nextAttemptAt === null ? "pending" : `in ${Math.max(0, Math.ceil((h.nextAttemptAt - now) / 1000))} s`}`;
  return {
    ok: false,
    worker: h.state,
    error,
    reason: h.reason,
    since,
    downSeconds: Math.round((now - (h.downSince ?? now)) / 1000),
    attempt: h.attempt,
  };
}

/** Destination health from delivery outcomes: a run of failures starts at the first one after a success. */
export class DestinationHealth {
  readonly states = new Map<string, DestinationState>();

  constructor(names: readonly string[]) {
    for (const n of names) this.states.set(n, { failingSince: null, lastError: null });
  }

  record(name: string, outcome: "delivered" | "retry" | "dead", now: number, error?: string): void {
    const s = this.states.get(name) ?? { failingSince: null, lastError: null };
    if (outcome === "delivered") this.states.set(name, { failingSince: null, lastError: null });
    else
      this.states.set(name, {
        failingSince: s.failingSince ?? now,
        lastError: error ?? s.lastError,
      });
  }
}
