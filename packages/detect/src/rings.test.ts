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
const lengths = [5, 15, window];
const firstQuarter = (now: number) => Math.floor((now - window) / Q) - baselineQuarters;

/** What `calls` must give, read from the buckets themselves. */
function summedCalls(r: Rings, now: number, first: number): number {
  let calls = 0;
  for (let minute = Math.max(0, now - window); minute < now; minute++) {
    const slot = minute % geometry.minuteSlots;
    if (r.minuteStamp[slot] === minute) calls += r.minutes[slot * geometry.stride]!;
  }
  for (let quarter = Math.max(0, first); quarter < first + baselineQuarters; quarter++) {
    const slot = quarter % geometry.quarterSlots;
    if (r.quarterStamp[slot] === quarter) calls += r.quarters[slot * geometry.stride]!;
  }
  return calls;
}

/** What `sumQuarters` must give, read from the buckets themselves. */
function summedQuarters(r: Rings, first: number): number[] {
  const sums = Array<number>(geometry.stride).fill(0);
  for (let quarter = Math.max(0, first); quarter < first + baselineQuarters; quarter++) {
    const slot = quarter % geometry.quarterSlots;
    if (r.quarterStamp[slot] !== quarter) continue;
    for (let k = 0; k < geometry.stride; k++) sums[k]! += r.quarters[slot * geometry.stride + k]!;
  }
  return sums;
}

const stepArb = fc.record({
  advance: fc.constantFrom(...Array<number>(24).fill(1), 2, 3, 7, 29, 31, 200),
  /** Minutes relative to the clock: mostly the current minute, some late, some ahead. */
  events: fc.array(fc.constantFrom(0, 0, 0, 1, 2, future, -1, -3, -29, -60, -200), {
    maxLength: 8,
  }),
});

describe("Rings.calls, Rings.sumWindows and Rings.sumQuarters", () => {
  test("sliding from the previous evaluation gives what a fresh sum gives", () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 200, maxLength: 400 }), (steps) => {
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
            summedCalls(fresh, clock, fq),
          );
          const slid = new Float64Array(lengths.length * geometry.stride);
          const summed = new Float64Array(lengths.length * geometry.stride);
          const scratch = new Float64Array(geometry.stride);
          sliding.sumWindows(clock, lengths, scratch, slid, previous);
          fresh.sumWindows(clock, lengths, scratch, summed);
          expect([...slid]).toEqual([...summed]);
          const quarters = new Float64Array(geometry.stride);
          sliding.sumQuarters(fq, baselineQuarters, quarters);
          expect([...quarters]).toEqual(summedQuarters(fresh, fq));
        }
      }),
      { numRuns: 300 },
    );
  });
});

/** The calls of every bucket of both rings, summed from the buckets themselves. */
function allCalls(r: Rings): number {
  let calls = 0;
  for (let slot = 0; slot < geometry.minuteSlots; slot++)
    calls += r.minutes[slot * geometry.stride]!;
  for (let slot = 0; slot < geometry.quarterSlots; slot++)
    calls += r.quarters[slot * geometry.stride]!;
  return calls;
}

describe("Rings.held", () => {
  test("is the calls of every bucket held, so no sum of calls exceeds it", () => {
    fc.assert(
      fc.property(
        fc.array(stepArb, { minLength: 50, maxLength: 300 }),
        // Restored buckets too: a snapshot's counts land on buckets that may hold others.
        fc.array(
          fc.record({
            ring: fc.constantFrom("minutes" as const, "quarters" as const),
            back: fc.integer({ min: 0, max: 400 }),
            calls: fc.integer({ min: 0, max: 50 }),
          }),
          { maxLength: 20 },
        ),
        (steps, loads) => {
          const r = new Rings(geometry);
          let clock = 500;
          for (const load of loads) {
            const stamp =
              load.ring === "minutes" ? clock - load.back : Math.floor((clock - load.back) / Q);
            r.load(load.ring, stamp, [load.calls, Math.floor(load.calls / 2)]);
          }
          expect(r.held).toBe(allCalls(r));
          let previous = -1;
          for (const step of steps) {
            for (const offset of step.events) {
              const minute = clock + offset;
              if (minute >= 0) r.count(minute, [0]);
            }
            previous = clock;
            clock += step.advance;
            expect(r.held).toBe(allCalls(r));
            const fq = firstQuarter(clock);
            expect(r.calls(clock, window, fq, baselineQuarters, previous)).toBeLessThanOrEqual(
              r.held,
            );
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
