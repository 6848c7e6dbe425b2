import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { MIN, T0 } from "../test/scenario.ts";
import type { DetectorConfig } from "./config.ts";
import { createDetector } from "./detector.ts";
import type { DetectorSnapshot } from "./snapshot.ts";
import type { CallEvent, Detector, Transition } from "./types.ts";

// Small, jumpy random histories: a few trunks, directions and customers,
// failure shares that change every minute, late and future events, skipped
// and missing evaluations, and rules loose enough to fire often.

const eventArb = fc.record({
  second: fc.integer({ min: 0, max: 59 }),
  roll: fc.integer({ min: 0, max: 9 }),
  failCode: fc.constantFrom(603, 500, 607, 486),
  trunk: fc.option(fc.constantFrom("t1", "t2", "t3"), { nil: undefined }),
  direction: fc.option(fc.constantFrom("inbound" as const, "outbound" as const), {
    nil: undefined,
  }),
  customer: fc.option(fc.constantFrom("a", "b", "c", "d"), { nil: undefined }),
  provisional: fc.integer({ min: 0, max: 31 }).map((n) => n === 0),
  shift: fc.constantFrom(0, 0, 0, 0, 0, 0, 0, 0, -1, -5, -200, 3),
});

const minuteArb = fc.record({
  failShare: fc.integer({ min: 0, max: 10 }),
  events: fc.array(eventArb, { maxLength: 12 }),
  evaluate: fc.constantFrom(true, true, true, true, false),
  gap: fc.constantFrom(0, 0, 0, 0, 0, 0, 1, 3),
});

const scenarioArb = fc.record({
  minutes: fc.array(minuteArb, { minLength: 10, maxLength: 120 }),
  fireAfter: fc.integer({ min: 1, max: 3 }),
  resolveAfter: fc.integer({ min: 1, max: 3 }),
  cooldownMinutes: fc.integer({ min: 0, max: 10 }),
  minFiringMinutes: fc.constantFrom(0, 0, 0, 2, 15),
  resolveRatio: fc.constantFrom(0.5, 0.8, 1),
  cusumThreshold: fc.constantFrom(0, 3, 6, 12),
  cut: fc.nat(),
});

type ScenarioValue = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

function configOf(s: ScenarioValue): DetectorConfig {
  const loose = {
    lift: 1.5,
    delta: 0.05,
    floor: 0.05,
    minCalls: 3,
    minCount: 1,
    // Loose enough to fire often: no count is taken for chance (min-count.ts).
    chancePerDay: 1e6,
    windows: [1, 3],
    confidence: 0.6,
    fireAfter: s.fireAfter,
    resolveAfter: s.resolveAfter,
    resolveRatio: s.resolveRatio,
    cooldownMinutes: s.cooldownMinutes,
    minFiringMinutes: s.minFiringMinutes,
    cusumThreshold: s.cusumThreshold,
  };
  return {
    rules: [
      { id: "r603", codes: [603], ...loose },
      {
        id: "r5xx",
        codes: [500, 607],
        ...loose,
        scopes: ["global", "trunk_direction", "customer"],
      },
    ],
    baselineMinutes: 60,
    priorCalls: 5,
    minBaselineCalls: 5,
    customers: { minCalls: 0, max: 2 },
    maxScopes: 12,
    maxFutureMinutes: 2,
    topContributors: 2,
  };
}

/** One step per scenario minute: its events, then (usually) an evaluation. */
function steps(s: ScenarioValue): { events: CallEvent[]; evaluateAt: number | undefined }[] {
  let minute = 0;
  return s.minutes.map((m) => {
    minute += 1 + m.gap;
    const events = m.events.map((e) => ({
      time: T0 + (minute + e.shift) * MIN + e.second * 1000,
      code: e.provisional ? 180 : e.roll < m.failShare ? e.failCode : 200,
      trunk: e.trunk,
      direction: e.direction,
      customer: e.customer,
    }));
    return { events, evaluateAt: m.evaluate ? T0 + (minute + 1) * MIN : undefined };
  });
}

function run(d: Detector, all: ReturnType<typeof steps>, from = 0, to = all.length): Transition[] {
  const out: Transition[] = [];
  for (const step of all.slice(from, to)) {
    for (const e of step.events) d.observe(e);
    if (step.evaluateAt !== undefined) out.push(...d.evaluate(step.evaluateAt));
  }
  return out;
}

const ALLOWED = new Set([
  "normal>pending",
  "resolved>pending",
  "pending>normal",
  "pending>firing",
  "firing>resolved",
]);

const seen = { transitions: 0, firing: 0, reused: 0, sequential: 0 };

describe("the detector on random histories", () => {
  test("never breaks the state machine, and keeps incident ids and `since` consistent", () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const d = createDetector(configOf(s));
        const all = steps(s);
        const cooldown = s.cooldownMinutes * MIN;
        const state = new Map<
          string,
          {
            state: string;
            id?: string;
            since?: number;
            resolvedId?: string;
            resolvedAt?: number;
            firedAt?: number;
          }
        >();
        for (const step of all) {
          for (const e of step.events) d.observe(e);
          if (step.evaluateAt === undefined) continue;
          const transitions = d.evaluate(step.evaluateAt);
          for (const t of transitions) {
            const key = `${t.rule}|${t.scope.key}`;
            const cur = state.get(key) ?? { state: "normal" };
            expect(t.from).toBe(cur.state);
            expect(ALLOWED.has(`${t.from}>${t.to}`)).toBe(true);
            expect(t.time).toBe(step.evaluateAt);
            if (t.to === "pending") {
              const reuse = cur.resolvedAt !== undefined && t.time - cur.resolvedAt <= cooldown;
              expect(t.incidentId).toBe(
                reuse ? cur.resolvedId : `${t.rule}:${t.scope.key}:${t.time}`,
              );
              if (reuse) seen.reused++;
              expect(t.since).toBe(t.time);
              cur.id = t.incidentId;
              cur.since = t.since;
            } else {
              expect(t.incidentId).toBe(cur.id);
              expect(t.since).toBe(cur.since);
            }
            if (t.to === "resolved") {
              // Never sooner than minFiringMinutes after it fired.
              expect(t.time - cur.firedAt!).toBeGreaterThanOrEqual(s.minFiringMinutes * MIN);
              cur.resolvedId = t.incidentId;
              cur.resolvedAt = t.time;
            }
            if (t.to === "firing") cur.firedAt = t.time;
            if (t.to === "firing") {
              seen.firing++;
              expect(t.status).toBe("ok");
              expect(t.count).toBeGreaterThanOrEqual(1);
              // The window test's bound, or the sequential test's evidence, cleared its level.
              const cusum = s.cusumThreshold;
              const sequential = cusum > 0 && (t.llr ?? 0) >= cusum;
              if (sequential) seen.sequential++;
              else expect(t.wilsonLower).toBeGreaterThan(t.threshold);
            }
            cur.state = t.to;
            state.set(key, cur);
            seen.transitions++;
          }
          // active() lists exactly the alerts the transitions left pending or firing.
          const active = d.active().map((a) => `${a.rule}|${a.scope.key}|${a.state}`);
          const expected = [...state]
            .filter(([, v]) => v.state === "pending" || v.state === "firing")
            .map(([k, v]) => `${k}|${v.state}`);
          expect(active.sort()).toEqual(expected.sort());
        }
      }),
      { numRuns: 300 },
    );
    // The property is only worth something if the histories do alert.
    expect(seen.transitions).toBeGreaterThan(1000);
    expect(seen.firing).toBeGreaterThan(100);
    expect(seen.reused).toBeGreaterThan(0);
    expect(seen.sequential).toBeGreaterThan(0);
  });

  test("is deterministic, and a JSON snapshot taken at any point resumes identically", () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const config = configOf(s);
        const all = steps(s);
        const a = createDetector(config);
        const expected = run(a, all);
        const b = createDetector(config);
        expect(run(b, all)).toEqual(expected);

        const cut = s.cut % (all.length + 1);
        const first = createDetector(config);
        const before = run(first, all, 0, cut);
        const snapshot = JSON.parse(JSON.stringify(first.snapshot())) as DetectorSnapshot;
        const second = createDetector(config, snapshot);
        const after = run(second, all, cut);
        expect([...before, ...after]).toEqual(expected);
        expect(second.snapshot()).toEqual(a.snapshot());
        expect(second.stats()).toEqual(a.stats());
      }),
      { numRuns: 150 },
    );
  });
});
