// Stable decisions and sensitivity (issue 12): windows kept while active, no
// re-fire from the evidence of a resolved alert, and a threshold whose lift
// is capped in rate points so a high baseline can still be beaten.
import { describe, expect, it } from "vitest";
import { defaultRules } from "./config.ts";
import { createDetector } from "./detector.ts";
import { fireThreshold } from "./math.ts";
import { replay } from "./replay.ts";
import type { CallEvent } from "./types.ts";

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 5, 0, 0);

/** `calls(m)` calls in minute m, spread evenly; every `1/rate(m)`-th answered `code`. */
function stream(
  minutes: number,
  calls: (m: number) => number,
  rate: (m: number) => number,
  trunk: string,
  code = 603,
): CallEvent[] {
  const out: CallEvent[] = [];
  let owed = 0;
  for (let m = 0; m < minutes; m++) {
    const n = calls(m);
    for (let i = 0; i < n; i++) {
      owed += rate(m);
      const bad = owed >= 1;
      if (bad) owed -= 1;
      out.push({ time: T0 + m * MIN + Math.floor((i * MIN) / n), code: bad ? code : 200, trunk });
    }
  }
  return out;
}

const merge = (...lists: CallEvent[][]) => lists.flat().sort((a, b) => a.time - b.time);

describe("stable decisions", () => {
  it("a thin trunk fires once for a spike and does not re-fire from it when its volume drops", () => {
    // A busy trunk keeps the global baseline. The thin one makes 2 calls a minute, all
    // failing for 10 minutes from minute 300; from minute 335 it makes 1 call a minute,
    // so its 15-minute window falls under 20 calls while the 60-minute one still holds
    // the spike (which used to re-fire it after it had resolved).
    const busy = stream(
      480,
      () => 200,
      () => 0.01,
      "busy",
    );
    const thin = stream(
      480,
      (m) => (m < 335 ? 2 : 1),
      (m) => (m >= 300 && m < 310 ? 1 : 0),
      "thin",
    );
    const rules = [{ ...defaultRules[0]!, scopes: ["trunk" as const] }];
    const { transitions } = replay(createDetector({ rules }), merge(busy, thin), 60);
    const thinT = transitions.filter((t) => t.scope.key === "trunk:thin");
    expect(thinT.filter((t) => t.to === "firing")).toHaveLength(1);
    expect(thinT.filter((t) => t.to === "pending")).toHaveLength(1);
    // It held the 15-minute window it fired on and resolved, within 25 minutes of the end, on
    // its last 10 minutes (20 calls at 2 a minute), which the resolve reports.
    expect(thinT.find((t) => t.to === "firing")!.windowMinutes).toBe(15);
    const resolved = thinT.find((t) => t.to === "resolved")!;
    expect(resolved).toMatchObject({ windowMinutes: 10, calls: 20, count: 0 });
    expect(resolved.time - (T0 + 310 * MIN)).toBeLessThanOrEqual(25 * MIN);
  });
});

describe("sensitivity", () => {
  it("caps the lift at maxDelta points: a 30 % baseline has a 40 % threshold, not 60 %", () => {
    const sip603 = defaultRules[0]!;
    expect(fireThreshold(0.3, sip603)).toBeCloseTo(0.4, 10);
    // Low baselines are as before: max(2 × 1 %, 1 % + 5 pp, 5 %).
    expect(fireThreshold(0.01, sip603)).toBeCloseTo(0.06, 10);
    expect(fireThreshold(0.005, defaultRules[1]!)).toBeCloseTo(0.025, 10);
  });

  it("detects 603 rising from a 30 % baseline to 45 % at 300 calls/min", () => {
    const events = stream(
      400,
      () => 300,
      (m) => (m >= 300 && m < 340 ? 0.45 : 0.3),
      "T1",
    );
    const rules = [{ ...defaultRules[0]!, scopes: ["global" as const] }];
    const { transitions } = replay(createDetector({ rules }), events, 60);
    const fired = transitions.find((t) => t.to === "firing");
    expect(fired).toBeDefined();
    expect(fired!.time - (T0 + 300 * MIN)).toBeLessThanOrEqual(15 * MIN);
    expect(fired!.threshold).toBeCloseTo(0.4, 2);
  });
});
