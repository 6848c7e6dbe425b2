import { isActive } from "./alert.ts";
import { shrinkRate, wilsonUpper } from "./math.ts";
import type { Scope } from "./scope.ts";

/**
 * Sets the scope's baseline per rule from `sums` (its baseline buckets:
 * calls, then one count per rule): its own rate, shrunk toward the parent's
 * baseline with `priorCalls` pseudo-calls; the global one needs
 * `minBaselineCalls` calls. Pending and firing alerts keep the value frozen
 * when they went pending; a rule before its `warmUntil` minute has none.
 */
export function setBaselines(
  s: Scope,
  sums: Float64Array,
  options: { readonly minBaselineCalls: number; readonly priorCalls: number },
  warmUntil: readonly number[],
  nowMinute: number,
): void {
  const calls = sums[0]!;
  const { minBaselineCalls, priorCalls } = options;
  // The evidence behind a scope's baseline: its own calls, plus the pseudo-calls of its parent's.
  const weight = s.parent ? calls + priorCalls : calls;
  for (let r = 0; r < s.baseline.length; r++) {
    const slot = s.alerts?.[r];
    // A cold-start alert froze no baseline (it fires on the rule's ceiling): its scope still has none.
    if (slot && isActive(slot.state)) s.baseline[r] = slot.cold ? Number.NaN : slot.frozenBaseline!;
    else
      s.baseline[r] = ownBaseline(
        s,
        r,
        sums,
        calls,
        minBaselineCalls,
        priorCalls,
        warmUntil,
        nowMinute,
      );
    const b = s.baseline[r]!;
    s.baselineUpper[r] =
      Number.isNaN(b) || weight <= 0 ? Number.NaN : wilsonUpper(b * weight, weight, BASELINE_Z);
  }
}

/** One-sided 95 % (z of a two-sided 90 % interval): how far the sequential test trusts a baseline. */
const BASELINE_Z = 1.6449;

function ownBaseline(
  s: Scope,
  r: number,
  sums: Float64Array,
  calls: number,
  minBaselineCalls: number,
  priorCalls: number,
  warmUntil: readonly number[],
  nowMinute: number,
): number {
  const count = sums[r + 1]!;
  if (nowMinute < warmUntil[r]!) return Number.NaN;
  if (!s.parent) return calls > 0 && calls >= minBaselineCalls ? count / calls : Number.NaN;
  const parentRate = s.parent.baseline[r]!;
  return Number.isNaN(parentRate) ? Number.NaN : shrinkRate(count, calls, parentRate, priorCalls);
}
