/**
 * Readiness: whether the alerter can be trusted to count and alert right now.
 * Pure: the facts and the time come in; /readyz renders the answer.
 */

export interface DestinationState {
  /** When the current run of failed attempts began (ms), or null while it delivers. */
  failingSince: number | null;
  lastError: string | null;
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

  const checks = { store, evaluation, destinations, deadLetters };
  const failed = Object.entries(checks)
    .filter(([, c]) => !c.ok)
    .map(([k]) => k);
  return { ready: failed.length === 0, failed, checks };
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
