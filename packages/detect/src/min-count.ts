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
// of that kind, over a day's worth of windows, stays under the rule's
// `chancePerDay` (FALSE_PER_DAY). The same budget works the other way where
// the baseline is high (likelyByChance): a count chance brings that often is
// no breach, however far its rate is above the threshold.

import { binomialTail, poissonTail } from "./math.ts";

/** Chance-made counts a rule may allow per scope kind and day, by default (`chancePerDay`). */
export const FALSE_PER_DAY = 0.01;
const DAY_MINUTES = 1440;

/**
 * The fewest matching responses that may fire: `minCount`, or down to
 * `minCountFloor` the smallest count whose Poisson tail at `expected`
 * (calls × the baseline's upper bound) is under FALSE_PER_DAY shared by
 * `scopes` scopes and a day of `windowMinutes` windows.
 */
export function minCountFor(
  rule: {
    readonly minCount: number;
    readonly minCountFloor: number;
    readonly chancePerDay?: number | undefined;
  },
  expected: number,
  scopes: number,
  windowMinutes: number,
): number {
  if (rule.minCountFloor >= rule.minCount || !(expected >= 0)) return rule.minCount;
  const alpha = chanceBudget(rule.chancePerDay ?? FALSE_PER_DAY, scopes, windowMinutes);
  for (let c = rule.minCountFloor; c < rule.minCount; c++) {
    if (poissonTail(expected, c) <= alpha) return c;
  }
  return rule.minCount;
}

/** The chance a window may have of a count made by chance: `perDay` shared by the scopes of a kind and a day of windows. */
function chanceBudget(perDay: number, scopes: number, windowMinutes: number): number {
  return (perDay * windowMinutes) / DAY_MINUTES / Math.max(1, scopes);
}

/**
 * True when `count` matching responses in `calls` are likely enough at the
 * baseline rate that chance alone would show them in one of the scopes of
 * the kind on most days: the binomial tail over the same budget. Where the
 * baseline is high (603 at 30 %), the rate test's threshold is only a few
 * points above it, and 40 customers of 26 calls pass it by chance now and
 * then (19 of 26 at 31 % has a tail of 1.3e-5: over 288 five-minute windows a
 * day and 40 customers, 0.14 a day); the count must then also be one the
 * baseline makes improbable. At a low baseline it never binds: what passes the
 * rate test is far out of chance's reach already.
 */
export function likelyByChance(
  rule: { readonly chancePerDay?: number | undefined },
  count: number,
  calls: number,
  baseline: number,
  scopes: number,
  windowMinutes: number,
): boolean {
  if (!(baseline >= 0 && baseline <= 1) || count > calls) return false;
  const budget = chanceBudget(rule.chancePerDay ?? FALSE_PER_DAY, scopes, windowMinutes);
  return binomialTail(calls, baseline, count) > budget;
}
