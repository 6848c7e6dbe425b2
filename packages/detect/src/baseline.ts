import { isActive } from "./alert.ts";
import { shrinkRate } from "./math.ts";
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
  for (let r = 0; r < s.baseline.length; r++) {
    const slot = s.alerts?.[r];
    if (slot && isActive(slot.state)) {
      s.baseline[r] = slot.frozenBaseline!;
      continue;
    }
    const count = sums[r + 1]!;
    if (nowMinute < warmUntil[r]!) s.baseline[r] = Number.NaN;
    else if (!s.parent) {
      s.baseline[r] = calls > 0 && calls >= minBaselineCalls ? count / calls : Number.NaN;
    } else {
      const parentRate = s.parent.baseline[r]!;
      s.baseline[r] = Number.isNaN(parentRate)
        ? Number.NaN
        : shrinkRate(count, calls, parentRate, priorCalls);
    }
  }
}
