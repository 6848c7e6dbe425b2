// The detector keeps each scope's window sums and customer traffic from one
// evaluation to the next and slides them (rings.ts). A detector restored from
// a snapshot starts with none of that kept, so one that is snapshotted and
// restored before every evaluation sums everything afresh: both must give
// the same transitions and active alerts on the same events.
import { describe, expect, it } from "vitest";
import { createDetector } from "./detector.ts";
import { replayClock } from "./replay.ts";
import type { CallEvent, Detector, Transition } from "./types.ts";

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 5, 0, 0);

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Seeded traffic over 3 trunks and 30 customers, spikes on a trunk and on two customers, some late events. */
function traffic(minutes: number, perMinute: number, seed: number): CallEvent[] {
  const random = mulberry32(seed);
  const out: CallEvent[] = [];
  for (let m = 0; m < minutes; m++) {
    for (let i = 0; i < perMinute; i++) {
      const c = Math.floor(random() * 30);
      const trunk = `t${Math.floor(random() * 3)}`;
      const spike =
        (m >= 150 && m < 175 && trunk === "t1") || (m >= 260 && m < 300 && (c === 3 || c === 4));
      const code = random() < (spike ? 0.3 : 0.01) ? 500 : random() < 0.02 ? 603 : 200;
      // One event in fifty arrives late, up to 40 minutes after its time.
      const late = random() < 0.02 ? Math.floor(random() * 40) : 0;
      out.push({
        time: T0 + (m - late) * MIN + Math.floor(random() * MIN),
        code,
        trunk,
        direction: random() < 0.5 ? "inbound" : "outbound",
        customer: `c${c}`,
      });
    }
  }
  return out;
}

const config = {
  baselineMinutes: 120,
  minBaselineCalls: 500,
  customers: { minCalls: 150, max: 12 },
};

function run(events: CallEvent[], fresh: boolean) {
  let detector: Detector = createDetector(config);
  const clock = replayClock(detector, 60);
  const transitions: Transition[] = [];
  const evaluate = (times: number[]) => {
    for (const now of times) {
      if (fresh) detector = createDetector(config, detector.snapshot());
      transitions.push(...detector.evaluate(now));
    }
  };
  for (const e of events) {
    evaluate(clock.due(e.time));
    detector.observe(e);
  }
  if (clock.next !== null) evaluate(clock.due(clock.next));
  return { transitions, active: detector.active(), stats: detector.stats() };
}

describe("sliding sums", () => {
  it.each([1, 2])("give what sums made afresh at every evaluation give (seed %i)", (seed) => {
    const events = traffic(420, 40, seed);
    const kept = run(events, false);
    expect(kept.transitions.length).toBeGreaterThan(0);
    expect(kept.stats.watchedCustomers).toBeGreaterThan(0);
    // Late events (written behind sums already kept) are counted, not dropped.
    expect(events.some((e, i) => i > 0 && e.time < events[i - 1]!.time - 10 * MIN)).toBe(true);
    expect(kept.stats.events.accepted).toBe(events.length);
    const afresh = run(events, true);
    expect(kept.transitions).toEqual(afresh.transitions);
    expect(kept.active).toEqual(afresh.active);
  });
});
