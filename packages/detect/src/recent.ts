// What the resolve test reads: the most recent whole minutes that hold
// `minCalls` calls, at least `minMinutes` and at most `maxMinutes` of them.
//
// A firing alert keeps the window it went pending with, and a thin scope's is
// long (15 or 60 minutes at 1–2 calls a minute): judged on it, the all-clear
// waits for every minute of the problem to leave that window, and a single
// background failure among its few calls keeps its upper bound above the
// resolve threshold for as long again. The recent minutes holding `minCalls`
// calls are the least that is judged anywhere, they leave the problem's
// minutes behind as soon as the calls allow, and a lull simply reaches
// further back (into the problem, if it must), so it is not taken for a
// recovery.

import type { MinuteRing } from "./sequential.ts";

/** Calls and matching responses of the minutes `recentCounts` chose. */
export interface Recent {
  minutes: number;
  calls: number;
  count: number;
}

/**
 * Sums the minutes before `nowMinute`, newest first, of rule column `column`
 * (1 + rule index) until they hold `minCalls` calls and span `minMinutes`, or
 * span `maxMinutes`. Writes into `out`.
 */
export function recentCounts(
  ring: MinuteRing,
  slots: number,
  stride: number,
  column: number,
  nowMinute: number,
  minMinutes: number,
  maxMinutes: number,
  minCalls: number,
  out: Recent,
): Recent {
  let calls = 0;
  let count = 0;
  let k = 0;
  const stamps = ring.minuteStamp;
  const values = ring.minutes;
  while (k < maxMinutes && (k < minMinutes || calls < minCalls)) {
    k++;
    const minute = nowMinute - k;
    if (minute < 0) break;
    const slot = minute % slots;
    if (stamps[slot] !== minute) continue;
    calls += values[slot * stride]!;
    count += values[slot * stride + column]!;
  }
  out.minutes = k;
  out.calls = calls;
  out.count = count;
  return out;
}
