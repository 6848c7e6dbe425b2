import { describe, expect, test } from "vitest";
import { DAY, HOUR, MIN, replay, type Stream, T0, Traffic } from "../test/scenario.ts";
import { defaultRules } from "./config.ts";
import { createDetector } from "./detector.ts";
import { decay, HourProfile, WEEKLY_DECAY } from "./hours.ts";
import { migrateSnapshot } from "./snapshot.ts";

const WEEK = 100; // a week number far from the epoch: hours 16 800 …
const hourOf = (day: number, h: number) => WEEK * 168 + day * 24 + h;

/** One day of a 2-column profile (calls, one rule): night 22:00–06:00 at `night`, day at `day`. */
function dayOf(p: HourProfile, d: number, night: number, day: number, nightCalls = 300) {
  for (let h = 0; h < 24; h++) {
    const isNight = h >= 22 || h < 6;
    const calls = isNight ? nightCalls : 4000;
    const rate = isNight ? night : day;
    p.add(hourOf(d, h), (k) => (k === 0 ? calls : calls * rate));
  }
}

/** Folds nothing new: recomputes the prior strength as a fold in `week` would. */
function settle(p: HourProfile, week = WEEK) {
  const ring = { quarterStamp: new Int32Array(1).fill(-1), quarters: new Uint32Array(2) };
  p.folded = -1;
  p.fold(ring, 1, (week * 168 + 24 * 7 - 1) * 4);
}

describe("HourProfile", () => {
  test("weighs counts n weeks old by WEEKLY_DECAY ** n, read from a table or not", () => {
    for (let n = 0; n < 300; n++) expect(decay(n)).toBe(WEEKLY_DECAY ** n);
  });

  test("a night that is always worse keeps its own rate, pulled toward the 24-hour rate by its evidence", () => {
    const p = new HourProfile(2);
    dayOf(p, 0, 0.08, 0.02);
    settle(p);
    const out = { rate: 0, weight: 0 };
    // Hour 0 of the next day: the same hour one day before (300 calls at 8 %), pulled toward 2.2 %.
    p.rate(0, hourOf(1, 0), 0.022, 50_000, out);
    expect(out.rate).toBeGreaterThan(0.05);
    expect(out.rate).toBeLessThan(0.08);
    // A day hour stays near 2 %: 4000 calls of evidence outweigh the prior.
    p.rate(0, hourOf(1, 12), 0.022, 50_000, out);
    expect(out.rate).toBeCloseTo(0.02, 3);
  });

  test("without a daily cycle the baseline is the 24-hour rate", () => {
    const p = new HourProfile(2);
    dayOf(p, 0, 0.02, 0.02);
    settle(p);
    const out = { rate: 0, weight: 0 };
    p.rate(0, hourOf(1, 0), 0.021, 50_000, out);
    expect(out).toEqual({ rate: 0.021, weight: 50_000 });
  });

  test("hours that differ no more than chance makes likely show no cycle", () => {
    // Two hours of flat traffic at 0.5 %: 8 of 1800 and 17 of 1900, a spread of chi-square 2.8
    // on one degree of freedom (p ≈ 0.09). The moment estimate alone would make k ≈ 1030, and
    // an hour never seen would rest on 1030 pseudo-calls instead of the day's 50 000 calls.
    const p = new HourProfile(2);
    p.add(hourOf(0, 0), (k) => (k === 0 ? 1800 : 8));
    p.add(hourOf(0, 1), (k) => (k === 0 ? 1900 : 17));
    settle(p);
    const out = { rate: 0, weight: 0 };
    p.rate(0, hourOf(0, 2), 0.0068, 50_000, out);
    expect(out).toEqual({ rate: 0.0068, weight: 50_000 });
    // A wider gap (a real gap, chi-square ≈ 19): the profile is used.
    const q = new HourProfile(2);
    q.add(hourOf(0, 0), (k) => (k === 0 ? 1800 : 4));
    q.add(hourOf(0, 1), (k) => (k === 0 ? 1900 : 30));
    settle(q);
    q.rate(0, hourOf(0, 2), 0.0092, 50_000, out);
    expect(out.weight).toBeLessThan(50_000);
  });

  test("an hour never seen rests on the prior alone: the 24-hour rate with few pseudo-calls", () => {
    const p = new HourProfile(2);
    // Only hours 0–11 of day 0 are known (night to 06:00, then day).
    for (let h = 0; h < 12; h++) {
      const night = h < 6;
      p.add(hourOf(0, h), (k) =>
        k === 0 ? (night ? 300 : 4000) : (night ? 300 : 4000) * (night ? 0.08 : 0.02),
      );
    }
    settle(p);
    const out = { rate: 0, weight: 0 };
    p.rate(0, hourOf(0, 22), 0.022, 50_000, out);
    expect(out.rate).toBe(0.022);
    expect(out.weight).toBeGreaterThan(0);
    expect(out.weight).toBeLessThan(1000);
  });

  test("a week later counts are halved, and a slot takes a new week's counts over the old", () => {
    const p = new HourProfile(2);
    p.add(hourOf(0, 3), (k) => (k === 0 ? 1000 : 10));
    p.add(hourOf(0, 3) + 168, (k) => (k === 0 ? 1000 : 30));
    const slot = hourOf(0, 3) % 168;
    expect(p.values[slot * 2]).toBe(1000 * WEEKLY_DECAY + 1000);
    expect(p.values[slot * 2 + 1]).toBe(10 * WEEKLY_DECAY + 30);
    // Older counts than the slot holds are dropped.
    p.add(hourOf(0, 3), (k) => (k === 0 ? 5 : 5));
    expect(p.values[slot * 2]).toBe(1000 * WEEKLY_DECAY + 1000);
  });

  test("folds each 15-minute bucket once, up to the end it is given", () => {
    const slots = 8;
    const ring = {
      quarterStamp: new Int32Array(slots).fill(-1),
      quarters: new Uint32Array(slots * 2),
    };
    const q0 = hourOf(0, 5) * 4;
    for (let i = 0; i < 6; i++) {
      ring.quarterStamp[(q0 + i) % slots] = q0 + i;
      ring.quarters[((q0 + i) % slots) * 2] = 100;
      ring.quarters[((q0 + i) % slots) * 2 + 1] = 1;
    }
    const p = new HourProfile(2);
    p.fold(ring, slots, q0 + 4); // hour 5's four quarters
    expect(p.values[(hourOf(0, 5) % 168) * 2]).toBe(400);
    expect(p.fold(ring, slots, q0 + 4)).toBe(false);
    p.fold(ring, slots, q0 + 6); // two quarters of hour 6
    expect(p.values[(hourOf(0, 5) % 168) * 2]).toBe(400);
    expect(p.values[(hourOf(0, 6) % 168) * 2]).toBe(200);
  });
});

describe("the detector with a daily cycle", () => {
  // 603 at 8 % from 22:00 to 06:00 (5 calls/min) and 2 % by day (100 calls/min), for 4 days.
  const night = (m: number) => {
    const h = Math.floor(m / 60) % 24;
    return h >= 22 || h < 6;
  };
  const cycle = (): Stream[] => [
    { calls: (m) => (night(m) ? 5 : 100), rate: (m) => (night(m) ? 800 : 200) },
  ];
  const sip603 = defaultRules.find((r) => r.id === "sip-603")!;

  test("after the first night, nights at 8 % do not alert: the profile learned them", () => {
    const d = createDetector({ rules: [sip603] });
    const transitions = replay(d, new Traffic(cycle()), 0, 4 * DAY);
    const fired = transitions.filter(
      (t) => t.to === "firing" && t.time > T0 + (DAY + 6 * HOUR) * MIN,
    );
    expect(fired).toEqual([]);
    // Its global profile: a night hour near 8 %, a day hour near 2 %.
    const global = d.snapshot().scopes.find((s) => s.kind === "global")!;
    const slots = global.hours!.slots;
    const rateOf = (hourOfDay: number) => {
      let calls = 0;
      let count = 0;
      for (let at = 0; at < slots.length; at += 4) {
        if (slots[at]! % 24 !== hourOfDay) continue;
        calls += slots[at + 2]!;
        count += slots[at + 3]!;
      }
      return count / calls;
    };
    expect(rateOf(2)).toBeCloseTo(0.08, 2);
    expect(rateOf(12)).toBeCloseTo(0.02, 2);
  });

  test("a version 1 snapshot (no profile) migrates: the profile is rebuilt from the 15-minute buckets", () => {
    const d = createDetector({ rules: [sip603] });
    replay(d, new Traffic(cycle()), 0, 2 * DAY);
    const v2 = JSON.parse(JSON.stringify(d.snapshot()));
    const v1 = {
      ...v2,
      version: 1,
      scopes: v2.scopes.map(({ hours: _, ...scope }: { hours?: unknown }) => scope),
    };
    expect(migrateSnapshot(v1).version).toBe(2);
    const fromV1 = createDetector({ rules: [sip603] }, v1);
    const fromV2 = createDetector({ rules: [sip603] }, v2);
    const next = (det: typeof d) =>
      replay(det, new Traffic(cycle()), 2 * DAY, 4 * DAY).filter((t) => t.to === "firing");
    // Rebuilt from the last ~25 h, the profile knows the night: neither pages.
    expect(next(fromV1)).toEqual([]);
    expect(next(fromV2)).toEqual([]);
    const rebuilt = fromV1.snapshot();
    expect(rebuilt.version).toBe(2);
    expect(rebuilt.scopes.find((s) => s.kind === "global")!.hours!.slots.length).toBeGreaterThan(0);
  });
});
