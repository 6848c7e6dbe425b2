import { describe, expect, test } from "vitest";
import { defaultRules } from "./config.ts";
import { createDetector } from "./detector.ts";
import { isDetectError } from "./errors.ts";
import { replay, replayClock } from "./replay.ts";
import type { CallEvent } from "./types.ts";

const T0 = Date.UTC(2026, 2, 2, 6, 0, 0);
const S = 1000;
const MIN = 60 * S;
const iso = (ms: number) => new Date(ms).toISOString().slice(11, 19);

describe("replayClock", () => {
  test("the first event starts the clock at the first multiple of the interval after it", () => {
    for (const [interval, first] of [
      [30, "06:00:30"],
      [60, "06:01:00"],
      [300, "06:05:00"],
    ] as const) {
      const clock = replayClock(createDetector(), interval);
      expect(clock.next).toBeNull();
      expect(clock.due(T0 + 10 * S)).toEqual([]);
      expect(iso(clock.next!)).toBe(first);
    }
  });

  test("each later time runs the evaluations due at or before it, in order", () => {
    const clock = replayClock(createDetector(), 30);
    clock.due(T0 + 10 * S);
    expect(clock.due(T0 + 29 * S)).toEqual([]);
    expect(clock.due(T0 + 30 * S).map(iso)).toEqual(["06:00:30"]);
    expect(clock.due(T0 + 125 * S).map(iso)).toEqual(["06:01:00", "06:01:30", "06:02:00"]);
    expect(iso(clock.next!)).toBe("06:02:30");
  });

  test("a gap longer than the baseline plus an hour only evaluates its last baseline + 60 minutes", () => {
    const detector = createDetector({ baselineMinutes: 60 });
    const clock = replayClock(detector, 60);
    clock.due(T0);
    const due = clock.due(T0 + 1000 * MIN);
    expect(due).toHaveLength(121);
    expect(due.at(-1)).toBe(T0 + 1000 * MIN);
  });

  test("a detector evaluated before resumes at the multiple after its last evaluation", () => {
    const detector = createDetector();
    detector.evaluate(T0 + 7 * MIN + 5 * S);
    expect(iso(replayClock(detector, 300).next!)).toBe("06:10:00");
  });

  test("refuses an interval that is not a whole number of seconds ≥ 1", () => {
    for (const bad of [0, 1.5, Number.NaN]) {
      let error: unknown;
      try {
        replayClock(createDetector(), bad);
      } catch (e) {
        error = e;
      }
      expect(isDetectError(error) && error.code).toBe("invalid_argument");
    }
  });
});

describe("replay", () => {
  /** 3 h at 60 calls a minute; 603 at 1 % until a 30 % spike from minute 120 to 140. */
  const events: CallEvent[] = [];
  for (let m = 0; m < 180; m++) {
    for (let k = 0; k < 60; k++) {
      const spike = m >= 120 && m < 140 && k % 10 < 3;
      events.push({
        time: T0 + m * MIN + k * S + 500,
        code: spike || (m * 60 + k) % 100 === 0 ? 603 : 200,
      });
    }
  }

  test("evaluates before observing the event that reaches an evaluation, then once after the last", () => {
    // The window test alone (the sequential one fires a 30 % spike at its first evaluation).
    const detector = createDetector({
      rules: defaultRules.map((r) => ({ ...r, cusumThreshold: 0 })),
    });
    const result = replay(detector, events, 300);
    // 06:05 … 09:00 every 5 minutes: 36 evaluations, the last after the last event.
    expect(result.evaluations).toBe(36);
    expect(detector.stats().lastEvaluation).toBe(T0 + 180 * MIN);
    const global = result.transitions.filter(
      (t) => t.rule === "sip-603" && t.scope.key === "global",
    );
    expect(global.map((t) => [t.to, iso(t.time)])).toEqual([
      ["pending", "08:05:00"],
      ["firing", "08:10:00"],
      ["resolved", "08:45:00"], // five clear evaluations after the spike leaves the 5-minute window at 08:25
    ]);
  });

  test("gives what a hand-written loop over the same clock gives", () => {
    const detector = createDetector();
    const clock = replayClock(detector, 30);
    const transitions = [];
    for (const e of events) {
      for (const now of clock.due(e.time)) transitions.push(...detector.evaluate(now));
      detector.observe(e);
    }
    for (const now of clock.due(clock.next!)) transitions.push(...detector.evaluate(now));
    expect(replay(createDetector(), events, 30).transitions).toEqual(transitions);
    expect(transitions.length).toBeGreaterThan(0);
  });
});
