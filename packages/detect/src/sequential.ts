// The sequential test beside the window test: a Bernoulli CUSUM maximised
// over the size of the change (a generalised likelihood ratio, GLR).
//
// For every change point (the last k whole minutes, k up to the longest
// window and never before the last resolve) it weighs the hypothesis "since
// then the rate is some p ≥ p1" against "the rate is still p0":
//
//   llr(k) = sup_{p ≥ p1} [ c·ln(p/p0) + (n − c)·ln((1 − p)/(1 − p0)) ]
//
// with n calls and c matching responses in those k minutes, p0 the baseline
// (its upper confidence bound, so a thin history costs sensitivity rather
// than false pages) and p1 the fire threshold. The supremum is at
// p = max(c/n, p1): for a slow ramp (c/n still near p1) this is the classic
// CUSUM of p1 against p0, which sums small excesses over many minutes; for a
// large step (c/n far above p1) each failure weighs ln(c/n ÷ p0), so a few
// minutes of a 20 % failure rate are conclusive where a fixed-window bound
// still sees them diluted by the minutes before the change.
//
// Stateless: it reads the minute ring, so snapshots need nothing new, and a
// resolve restarts it (the change point may not reach back before it).

/** What `changeEvidence` found: the strongest change point. */
export interface Evidence {
  /** The log-likelihood ratio at the strongest change point (0: none found). */
  llr: number;
  /** Minutes since that change point. */
  minutes: number;
  calls: number;
  count: number;
}

/** Minute buckets as the rings keep them (see rings.ts). */
export interface MinuteRing {
  readonly minuteStamp: Int32Array;
  readonly minutes: Uint32Array;
}

const P_MIN = 1e-6;
const P_MAX = 1 - 1e-6;

/** `c·ln(p/p0) + (n − c)·ln((1 − p)/(1 − p0))` at p = max(c/n, p1). */
export function changeLlr(count: number, calls: number, p0: number, p1: number): number {
  if (calls <= 0) return 0;
  const q0 = Math.min(Math.max(p0, P_MIN), P_MAX);
  const p = Math.min(Math.max(count / calls, p1, q0), P_MAX);
  if (p <= q0) return 0;
  const failures = count > 0 ? count * Math.log(p / q0) : 0;
  return failures + (calls - count) * Math.log((1 - p) / (1 - q0));
}

/**
 * The strongest change point of rule column `column` (1 + rule index) among
 * the last `maxMinutes` whole minutes before `nowMinute`, counting only
 * change points whose minutes hold at least `minCount` matching responses.
 * Writes into `out` and returns its `llr`.
 */
export function changeEvidence(
  ring: MinuteRing,
  slots: number,
  stride: number,
  column: number,
  nowMinute: number,
  maxMinutes: number,
  p0: number,
  p1: number,
  minCount: number,
  out: Evidence,
): number {
  out.llr = 0;
  out.minutes = 0;
  out.calls = 0;
  out.count = 0;
  let calls = 0;
  let count = 0;
  const stamps = ring.minuteStamp;
  const values = ring.minutes;
  for (let k = 1; k <= maxMinutes; k++) {
    const minute = nowMinute - k;
    if (minute < 0) break;
    const slot = minute % slots;
    if (stamps[slot] !== minute) continue;
    const base = slot * stride;
    const c = values[base + column]!;
    calls += values[base]!;
    count += c;
    // Adding calls without matching responses at the old end only lowers the
    // ratio, so the strongest change point starts at a minute with one.
    if (c === 0 || count < minCount) continue;
    const llr = changeLlr(count, calls, p0, p1);
    if (llr > out.llr) {
      out.llr = llr;
      out.minutes = k;
      out.calls = calls;
      out.count = count;
    }
  }
  return out.llr;
}
