import { describe, expect, test } from "vitest";
import {
  DAY,
  describeTransitions,
  HOUR,
  MIN,
  replay,
  type Stream,
  T0,
  Traffic,
} from "../test/scenario.ts";
import { type DetectorConfig, defaultRules } from "./config.ts";
import { createDetector } from "./detector.ts";
import type { DetectError } from "./errors.ts";
import type { DetectorSnapshot } from "./snapshot.ts";
import type { Detector } from "./types.ts";

const S = DAY + 2 * HOUR;
const END = S + 3 * HOUR;
const between = (from: number, to: number, high: number, low: number) => (m: number) =>
  m >= from && m < to ? high : low;

/** Overlapping incidents on several trunks, directions, customers and codes. */
const streams = (): Stream[] => [
  {
    trunk: "t1",
    direction: "outbound",
    customer: "a",
    calls: 200,
    rate: between(S, S + 40, 2000, 100),
  },
  {
    trunk: "t1",
    direction: "inbound",
    customer: "b",
    calls: 100,
    code: 500,
    rate: between(S + 20, S + 80, 500, 50),
  },
  {
    trunk: "t2",
    direction: "inbound",
    customer: "c",
    calls: 50,
    rate: between(S + 50, S + 70, 10_000, 100),
  },
  { trunk: "t3", customer: "d", calls: 30, code: 607, rate: between(S + 10, S + 100, 1500, 50) },
  { calls: 20, rate: 100 },
];

const config: DetectorConfig = { customers: { minCalls: 1000, max: 3 } };

function roundTrip(d: Detector): DetectorSnapshot {
  return JSON.parse(JSON.stringify(d.snapshot())) as DetectorSnapshot;
}

describe("snapshot and restore", () => {
  const straight = createDetector(config);
  const expected = replay(straight, new Traffic(streams()), 0, END);

  test("the scenario has transitions on every kind of scope to compare", () => {
    const kinds = new Set(expected.map((t) => t.scope.kind));
    expect([...kinds].sort()).toEqual(["customer", "global", "trunk", "trunk_direction"]);
    expect(expected.filter((t) => t.to === "resolved").length).toBeGreaterThan(5);
  });

  test.each([
    ["before the first evaluation", 0],
    ["in the quiet history", S - 500],
    ["just as the first spike starts", S + 1],
    ["while alerts are pending", S + 2],
    ["while several alerts are firing", S + 55],
    ["while alerts are resolving", S + 104],
  ])(
    "a detector restored from a JSON snapshot taken %s continues exactly like one never stopped",
    (_, cut) => {
      const traffic = new Traffic(streams());
      const first = createDetector(config);
      const before = replay(first, traffic, 0, cut);
      const restored = createDetector(config, roundTrip(first));
      expect(restored.snapshot()).toEqual(first.snapshot());
      const after = replay(restored, traffic, cut, END);
      expect([...before, ...after]).toEqual(expected);
      expect(restored.active()).toEqual(straight.active());
      expect(restored.stats()).toEqual(straight.stats());
      expect(restored.snapshot()).toEqual(straight.snapshot());
    },
  );

  test("active alerts and their numbers survive the round trip", () => {
    const traffic = new Traffic(streams());
    const d = createDetector(config);
    replay(d, traffic, 0, S + 60);
    const active = d.active();
    expect(active.map((a) => `${a.rule} ${a.scope.key} ${a.state}`)).toContain(
      "sip-603 trunk_direction:t2:inbound firing",
    );
    expect(createDetector(config, roundTrip(d)).active()).toEqual(active);
  });

  test("a rule added on restore keeps the others' history and waits for a whole baseline of its own", () => {
    // The window test alone: these timings are its.
    const sip603 = { ...defaultRules[0]!, cusumThreshold: 0 };
    const sip500 = { ...defaultRules[1]!, cusumThreshold: 0 };
    const traffic = new Traffic([
      { calls: 500, rate: between(S + 10, S + 40, 2000, 100) },
      // Two 500 spikes: one 10 minutes after the restore, one 27 hours after it.
      {
        calls: 500,
        code: 500,
        rate: (m) =>
          m >= S + 27 * HOUR && m < S + 27 * HOUR + 30
            ? 1000
            : between(S + 10, S + 40, 1000, 50)(m),
      },
    ]);
    const old = createDetector({ rules: [sip603] });
    replay(old, traffic, 0, S);
    const d = createDetector({ rules: [sip500, sip603] }, roundTrip(old));
    const transitions = replay(d, traffic, S, S + 28 * HOUR);
    // The first 500 spike (10 minutes after the restore) has no sip-500 baseline to be judged
    // against; the second one, after a whole new baseline, does: 500s at 5 % of calls against a
    // 0.25 % baseline (threshold 2.25 %) go pending once three spiking minutes are in the window.
    // sip-603 carries on from its restored history.
    expect(describeTransitions(transitions, S).filter((t) => t.includes("sip-500"))).toEqual([
      `+${27 * HOUR + 3} sip-500 global normal→pending`,
      `+${27 * HOUR + 4} sip-500 global pending→firing`,
      `+${27 * HOUR + 38} sip-500 global firing→resolved`,
    ]);
    expect(transitions.filter((t) => t.rule === "sip-603")).toHaveLength(3);
    // The snapshot remembers the warm-up (in minutes since epoch), so a second restore keeps it.
    expect(d.snapshot().rules.map((r) => r.warmUntil)).toEqual([
      T0 / MIN + S + 1 + 60 + DAY + 15,
      undefined,
    ]);
  });

  test("a restore under other windows and another baseline length keeps the counts that still fit", () => {
    const sip603 = { ...defaultRules[0]!, cusumThreshold: 0 };
    const traffic = new Traffic([{ calls: 60, rate: between(S, S + HOUR, 2000, 100) }]);
    const old = createDetector({ rules: [sip603] });
    replay(old, traffic, 0, S);
    const changed = {
      rules: [{ ...sip603, windows: [10, 30] }],
      baselineMinutes: 720,
      maxFutureMinutes: 5,
    };
    const d = createDetector(changed, roundTrip(old));
    // The restored 12 h baseline is 1 %; the 10-minute window's bound clears 6 % with four
    // spiking minutes in it (52 of 600 calls: Wilson 6.1 %).
    const transitions = replay(d, traffic, S, S + 2 * HOUR);
    expect(describeTransitions(transitions, S).slice(0, 2)).toEqual([
      "+4 sip-603 global normal→pending",
      "+5 sip-603 global pending→firing",
    ]);
    expect(transitions[0]).toMatchObject({ windowMinutes: 10, baseline: 0.01 });
    // Minute ring: longest window 30 + 5 future + 1; 15-minute ring: 48 + ⌈35 / 15⌉ + 2.
    expect(d.stats().buckets).toBe(30 + 5 + 1 + (48 + 3 + 2));
  });

  test("a snapshot with a bad field is refused with invalid_snapshot naming the field", () => {
    const d = createDetector();
    d.observe({ time: T0, code: 603, trunk: "t1" });
    const snap = roundTrip(d);
    snap.scopes[1]!.minutes.push(7);
    (snap.scopes[0]!.alerts as unknown[])[0] = { state: "firing" };
    let error: DetectError | undefined;
    try {
      createDetector({}, snap);
    } catch (e) {
      error = e as DetectError;
    }
    expect(error?.code).toBe("invalid_snapshot");
    expect(error?.issues.map((i) => i.path)).toEqual([
      ["scopes", 0, "alerts", 0, "streak"],
      ["scopes", 0, "alerts", 0, "since"],
      ["scopes", 0, "alerts", 0, "firedAt"],
      ["scopes", 0, "alerts", 0, "resolvedAt"],
      ["scopes", 0, "alerts", 0, "frozenBaseline"],
      ["scopes", 0, "alerts", 0, "incidentId"],
      ["scopes", 0, "alerts", 0, "resolvedIncidentId"],
      ["scopes", 0, "alerts", 0, "last"],
      ["scopes", 1, "minutes"],
    ]);
    expect(() => createDetector({}, { version: 3 } as never)).toThrow(/version: must be 1 or 2/);
  });

  test("a snapshot is plain JSON: no typed arrays, no undefined, no NaN", () => {
    const d = createDetector(config);
    replay(d, new Traffic(streams()), 0, S + 30);
    const snap = d.snapshot();
    expect(JSON.parse(JSON.stringify(snap))).toEqual(snap);
    expect(JSON.stringify(snap)).not.toMatch(/NaN|Infinity/);
    expect(MIN).toBe(60_000);
  });
});
