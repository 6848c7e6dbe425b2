// How many matching responses a window must hold before a rule may fire.
//
// `minCount` (5) keeps a thin scope from paging on a handful of failures that
// its baseline makes likely enough: 40 customers at 5 calls a minute, judged
// every minute, would each see 4 603s in a 25-call window now and then at a
// 1 % baseline. But where the baseline makes even that few improbable (a
// 2 calls/min platform at 0.5 % expects 0.15 failures in its 15-minute
// window, and sees 4 about once in 60,000 windows), waiting for the fifth
// costs minutes and buys nothing. So the count may go down to `minCountFloor`
// (3) when the chance of that many under the baseline, in any of the scopes
// of that kind, over a day's worth of windows, stays under FALSE_PER_DAY.

import { poissonTail } from "./math.ts";

/** Chance-made counts a rule may allow per scope kind and day (the floor's budget). */
export const FALSE_PER_DAY = 0.01;
const DAY_MINUTES = 1440;

/**
 * The fewest matching responses that may fire: `minCount`, or down to
 * `minCountFloor` the smallest count whose Poisson tail at `expected`
 * (calls × the baseline's upper bound) is under FALSE_PER_DAY shared by
 * `scopes` scopes and a day of `windowMinutes` windows.
 */
export function minCountFor(
  rule: { readonly minCount: number; readonly minCountFloor: number },
  expected: number,
  scopes: number,
  windowMinutes: number,
): number {
  if (rule.minCountFloor >= rule.minCount || !(expected >= 0)) return rule.minCount;
  const alpha = (FALSE_PER_DAY * windowMinutes) / DAY_MINUTES / Math.max(1, scopes);
  for (let c = rule.minCountFloor; c < rule.minCount; c++) {
    if (poissonTail(expected, c) <= alpha) return c;
  }
  return rule.minCount;
}
