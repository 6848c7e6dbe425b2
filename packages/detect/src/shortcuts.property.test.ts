import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { MIN, T0 } from "../test/scenario.ts";
import type { DetectorConfig } from "./config.ts";
import { createDetector } from "./detector.ts";
import type { CallEvent } from "./types.ts";

// The detector skips work whose result cannot change a decision (see
// DetectorOptions.exhaustive). On random histories, with customers near the
// traffic floor and rules whose `minCount` can go down to its floor, the
// detector with its shortcuts must give what the exhaustive one gives:
// every evaluation's transitions and active alerts, and the same state.

const eventArb = fc.record({
  second: fc.integer({ min: 0, max: 59 }),
  roll: fc.integer({ min: 0, max: 99 }),
  failCode: fc.constantFrom(603, 603, 500, 607, 486),
  trunk: fc.option(fc.constantFrom("t1", "t2", "t3"), { nil: undefined, freq: 8 }),
  direction: fc.option(fc.constantFrom("inbound" as const, "outbound" as const), {
    nil: undefined,
    freq: 6,
  }),
  customer: fc.option(fc.constantFrom("a", "b", "c", "d", "e", "f"), { nil: undefined, freq: 6 }),
  shift: fc.constantFrom(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -7, -90, 2),
});

/** A stretch of minutes with one failure share (percent) and one call volume. */
const phaseArb = fc.record({
  minutes: fc.integer({ min: 1, max: 40 }),
  failShare: fc.constantFrom(0, 1, 2, 5, 10, 30, 80),
  calls: fc.integer({ min: 0, max: 14 }),
  evaluate: fc.constantFrom(true, true, true, true, true, false),
});

const scenarioArb = fc.record({
  phases: fc.array(phaseArb, { minLength: 3, maxLength: 12 }),
  events: fc.array(eventArb, { minLength: 14, maxLength: 14 }),
  minCount: fc.integer({ min: 1, max: 6 }),
  minCountFloor: fc.integer({ min: 1, max: 6 }),
  cusumThreshold: fc.constantFrom(0, 1, 3, 12),
  resolveAfter: fc.integer({ min: 1, max: 3 }),
  customerFloor: fc.constantFrom(0, 10, 40, 120, 400),
  coldCeiling: fc.option(fc.constantFrom(0.2, 0.5), { nil: undefined }),
});

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

function configOf(s: Scenario): DetectorConfig {
  const rule = {
    lift: 1.5,
    delta: 0.03,
    floor: 0.03,
    minCalls: 8,
    minCount: s.minCount,
    minCountFloor: s.minCountFloor,
    windows: [2, 5, 15],
    confidence: 0.8,
    fireAfter: 2,
    resolveAfter: s.resolveAfter,
    cooldownMinutes: 5,
    cusumThreshold: s.cusumThreshold,
    ...(s.coldCeiling === undefined ? {} : { coldCeiling: s.coldCeiling }),
  };
  return {
    rules: [
      { id: "r603", codes: [603], ...rule },
      { id: "r5xx", codes: [500, 607], ...rule, scopes: ["global", "trunk", "customer"] },
    ],
    baselineMinutes: 60,
    priorCalls: 20,
    minBaselineCalls: 30,
    customers: { minCalls: s.customerFloor, max: 3 },
    maxFutureMinutes: 3,
    topContributors: 2,
  };
}

/** Minute by minute: that minute's events, then (usually) an evaluation. */
function* history(s: Scenario): Generator<{ events: CallEvent[]; evaluateAt?: number }> {
  let minute = 0;
  let n = 0;
  for (const phase of s.phases) {
    for (let m = 0; m < phase.minutes; m++, minute++) {
      const events: CallEvent[] = [];
      for (let i = 0; i < phase.calls; i++, n++) {
        const e = s.events[n % s.events.length]!;
        const roll = (e.roll + n * 37) % 100;
        events.push({
          time: Math.max(0, T0 + (minute + e.shift) * MIN + e.second * 1000),
          code: roll < phase.failShare ? e.failCode : 200,
          trunk: e.trunk,
          direction: e.direction,
          customer: e.customer,
        });
      }
      yield phase.evaluate ? { events, evaluateAt: T0 + (minute + 1) * MIN } : { events };
    }
  }
}

const seen = { firing: 0, customerAlerts: 0, unwatched: 0 };

describe("the detector's shortcuts", () => {
  test("change no decision: the same transitions, active alerts and state as working everything out", () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const config = configOf(s);
        const quick = createDetector(config);
        const full = createDetector(config, undefined, { exhaustive: true });
        for (const step of history(s)) {
          for (const e of step.events) expect(quick.observe(e)).toBe(full.observe(e));
          if (step.evaluateAt === undefined) continue;
          const transitions = quick.evaluate(step.evaluateAt);
          expect(transitions).toEqual(full.evaluate(step.evaluateAt));
          expect(quick.active()).toEqual(full.active());
          for (const t of transitions) {
            if (t.to === "firing") seen.firing++;
            if (t.scope.kind === "customer") seen.customerAlerts++;
          }
          const stats = quick.stats();
          if (stats.watchedCustomers < stats.scopes.customer) seen.unwatched++;
        }
        expect(quick.stats()).toEqual(full.stats());
        expect(quick.snapshot()).toEqual(full.snapshot());
      }),
      { numRuns: 200 },
    );
    // Only worth something if the histories alert, customers among them, and some go unwatched.
    expect(seen.firing).toBeGreaterThan(200);
    expect(seen.customerAlerts).toBeGreaterThan(20);
    expect(seen.unwatched).toBeGreaterThan(100);
  });
});
