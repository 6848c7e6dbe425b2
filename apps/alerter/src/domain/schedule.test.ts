import { describe, expect, it } from "vitest";
import { alignedNow, graceMs, nextTick } from "./schedule.ts";

const T = Date.UTC(2026, 0, 1, 12, 0, 0);
const S = 1000;

describe("nextTick", () => {
  it("runs on the next whole minute plus the grace, whatever the boot millisecond", () => {
    expect(nextTick(T + 17_345, 60, 5)).toEqual({ at: T + 60 * S, runAt: T + 65 * S });
    expect(nextTick(T + 59_999, 60, 5)).toEqual({ at: T + 60 * S, runAt: T + 65 * S });
  });

  it("runs a minute whose grace has not yet passed now, not a minute later", () => {
    expect(nextTick(T + 2 * S, 60, 5)).toEqual({ at: T, runAt: T + 5 * S });
    expect(nextTick(T + 5 * S, 60, 5)).toEqual({ at: T, runAt: T + 5 * S });
    expect(nextTick(T + 5 * S + 1, 60, 5)).toEqual({ at: T + 60 * S, runAt: T + 65 * S });
  });

  it("never repeats the evaluation that just ran, even when it ran early by the timer", () => {
    expect(nextTick(T + 5 * S, 60, 5, T)).toEqual({ at: T + 60 * S, runAt: T + 65 * S });
    expect(nextTick(T + 4 * S, 60, 5, T)).toEqual({ at: T + 60 * S, runAt: T + 65 * S });
  });

  it("aligns other intervals on multiples since the epoch", () => {
    expect(nextTick(T + 31 * S, 30, 5)).toEqual({ at: T + 30 * S, runAt: T + 35 * S });
    expect(nextTick(T + 36 * S, 30, 5)).toEqual({ at: T + 60 * S, runAt: T + 65 * S });
    expect(nextTick(T + 61 * S, 300, 5).at).toBe(T + 300 * S);
  });

  it("keeps the grace under the interval", () => {
    expect(graceMs(60, 5)).toBe(5 * S);
    expect(graceMs(3, 5)).toBe(2 * S);
    expect(graceMs(1, 5)).toBe(0);
    expect(nextTick(T + 500, 1, 5)).toEqual({ at: T + S, runAt: T + S });
  });
});

describe("alignedNow", () => {
  it("floors to the interval", () => {
    expect(alignedNow(T + 59_999, 60)).toBe(T);
    expect(alignedNow(T + 60_000, 60)).toBe(T + 60 * S);
  });
});
