import { describe, expect, test } from "vitest";
import { changeEvidence, changeLlr, type Evidence } from "./sequential.ts";

/** A minute ring holding `perMinute[j]` = [calls, count] for minute now − 1 − j. */
function ring(now: number, perMinute: [number, number][], slots = 16) {
  const minuteStamp = new Int32Array(slots).fill(-1);
  const minutes = new Uint32Array(slots * 2);
  perMinute.forEach(([calls, count], j) => {
    const minute = now - 1 - j;
    const slot = minute % slots;
    minuteStamp[slot] = minute;
    minutes[slot * 2] = calls;
    minutes[slot * 2 + 1] = count;
  });
  return { minuteStamp, minutes };
}
const fresh = (): Evidence => ({ llr: 0, minutes: 0, calls: 0, count: 0 });

describe("changeLlr", () => {
  test("a large step weighs each failure at its own rate: 12 of 60 against 1 %", () => {
    // sup over p ≥ 6 % is at p = 20 %: 12 ln(0.2 / 0.01) + 48 ln(0.8 / 0.99).
    expect(changeLlr(12, 60, 0.01, 0.06)).toBeCloseTo(
      12 * Math.log(20) + 48 * Math.log(0.8 / 0.99),
      10,
    );
  });

  test("a rate under the threshold is weighed at the threshold (the classic CUSUM step)", () => {
    // 2 of 100 against 1 %, p1 = 6 %: 2 ln 6 + 98 ln(0.94 / 0.99), negative.
    const llr = changeLlr(2, 100, 0.01, 0.06);
    expect(llr).toBeCloseTo(2 * Math.log(6) + 98 * Math.log(0.94 / 0.99), 10);
    expect(llr).toBeLessThan(0);
  });

  test("no calls, or a threshold at the baseline, is no evidence", () => {
    expect(changeLlr(0, 0, 0.01, 0.06)).toBe(0);
    expect(changeLlr(0, 50, 0.2, 0.1)).toBe(0);
  });
});

describe("changeEvidence", () => {
  const now = 100;

  test("finds the change point: three failing minutes after two normal ones", () => {
    // Newest first: 3 minutes at 10/50, then 2 minutes at 0/50.
    const r = ring(now, [
      [50, 10],
      [50, 10],
      [50, 10],
      [50, 0],
      [50, 0],
    ]);
    const out = fresh();
    changeEvidence(r, 16, 2, 1, now, 5, 0.01, 0.03, 5, out);
    expect(out).toMatchObject({ minutes: 3, calls: 150, count: 30 });
    expect(out.llr).toBeCloseTo(changeLlr(30, 150, 0.01, 0.03), 10);
    // The whole window dilutes the step: less evidence than the change point's.
    expect(changeLlr(30, 250, 0.01, 0.03)).toBeLessThan(out.llr);
  });

  test("a change point needs minCount matching responses", () => {
    const r = ring(now, [
      [10, 4],
      [10, 0],
      [10, 0],
    ]);
    const out = fresh();
    expect(changeEvidence(r, 16, 2, 1, now, 3, 0.001, 0.02, 5, out)).toBe(0);
    expect(changeEvidence(r, 16, 2, 1, now, 3, 0.001, 0.02, 4, out)).toBeGreaterThan(0);
    expect(out.minutes).toBe(1);
  });

  test("never looks back further than asked (the last resolve, the longest window)", () => {
    // The failures are 4 minutes back; looking 3 minutes finds nothing.
    const r = ring(now, [
      [50, 0],
      [50, 0],
      [50, 0],
      [50, 40],
    ]);
    const out = fresh();
    expect(changeEvidence(r, 16, 2, 1, now, 3, 0.01, 0.03, 1, out)).toBe(0);
    expect(changeEvidence(r, 16, 2, 1, now, 4, 0.01, 0.03, 1, out)).toBeGreaterThan(12);
  });

  test("skips minutes the ring no longer holds", () => {
    const r = ring(now, [[50, 10]], 4);
    // A stale slot: stamped with a minute of an older lap.
    r.minuteStamp[(now - 2) % 4] = now - 6;
    r.minutes[((now - 2) % 4) * 2] = 50;
    r.minutes[((now - 2) % 4) * 2 + 1] = 50;
    const out = fresh();
    changeEvidence(r, 4, 2, 1, now, 3, 0.01, 0.03, 1, out);
    expect(out).toMatchObject({ minutes: 1, calls: 50, count: 10 });
  });
});
