import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { BASELINE_BUCKET_MINUTES as Q } from "./config.ts";
import { type Geometry, Rings } from "./rings.ts";

// The detector's own bounds: it evaluates at increasing minutes and counts
// nothing more than `future` minutes past its last evaluation.
const window = 30;
const future = 5;
const baselineQuarters = 8;
const geometry: Geometry = {
  rules: 1,
  stride: 2,
  minuteSlots: window + future + 1,
  quarterSlots: baselineQuarters + Math.ceil((window + future) / Q) + 2,
};
const firstQuarter = (now: number) => Math.floor((now - window) / Q) - baselineQuarters;

const stepArb = fc.record({
  advance: fc.constantFrom(1, 1, 1, 1, 2, 3, 7, 29, 31, 200),
  /** Minutes relative to the clock: mostly the current minute, some late, some ahead. */
  events: fc.array(fc.constantFrom(0, 0, 0, 1, 2, future, -1, -3, -29, -60, -200), {
    maxLength: 8,
  }),
});

describe("Rings.calls", () => {
  test("sliding from the previous evaluation gives what a fresh sum gives", () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 200 }), (steps) => {
        const sliding = new Rings(geometry);
        const fresh = new Rings(geometry);
        let clock = 100;
        let previous = -1;
        for (const step of steps) {
          for (const offset of step.events) {
            const minute = clock + offset;
            if (minute < 0) continue;
            // The detector's own "late" rule: nothing before the oldest quarter it reads.
            if (Math.floor(minute / Q) < firstQuarter(clock + 1)) continue;
            sliding.count(minute, [0]);
            fresh.count(minute, [0]);
          }
          previous = clock;
          clock += step.advance;
          const fq = firstQuarter(clock);
          expect(sliding.calls(clock, window, fq, baselineQuarters, previous)).toBe(
            fresh.calls(clock, window, fq, baselineQuarters),
          );
        }
      }),
      { numRuns: 300 },
    );
  });
});
