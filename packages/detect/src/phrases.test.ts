import { describe, expect, it } from "vitest";
import { createDetector } from "./detector.ts";
import { normalizePhrase, phraseKey, RuleMatcher, readPhrases } from "./phrases.ts";
import { replay } from "./replay.ts";
import type { CallEvent } from "./types.ts";

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 5, 0, 0);

/**
 * 3 h of 60 calls/min at ~1 % 603 Decline, then from minute 180 a spike:
 * per minute 20 × 603 of which every fourth says MaxPeak Cost Exceeded with a Reason.
 */
function traffic(minutes = 200): CallEvent[] {
  const out: CallEvent[] = [];
  for (let m = 0; m < minutes; m++) {
    for (let i = 0; i < 60; i++) {
      const time = T0 + m * MIN + i * 1000;
      const spike = m >= 180 && i < 20;
      const bad = spike || (i === 0 && m % 2 === 0);
      if (!bad) {
        out.push({ time, code: 200, trunk: "T1", direction: "outbound" });
        continue;
      }
      const peak = spike && i % 4 === 0;
      out.push({
        time,
        code: 603,
        trunk: "T1",
        direction: "outbound",
        phrase: peak ? "MaxPeak Cost Exceeded" : "Decline",
        ...(peak ? { reason: 'Q.850;cause=21;text="Call rejected"' } : {}),
      });
    }
  }
  return out;
}

const rules = [{ id: "sip-603", codes: [603], scopes: ["trunk" as const] }];

describe("phrases", () => {
  it("ranks the phrases and Reason headers actually seen, with their counts", () => {
    const d = createDetector({ rules });
    const { transitions } = replay(d, traffic(), 60);
    const firing = transitions.find((t) => t.to === "firing");
    expect(firing).toBeDefined();
    const p = firing!.phrases;
    expect(p[0]).toMatchObject({
      code: 603,
      phrase: "Decline",
      reason: null,
      direction: "outbound",
    });
    expect(p[1]).toMatchObject({
      code: 603,
      phrase: "MaxPeak Cost Exceeded",
      reason: 'Q.850;cause=21;text="Call rejected"',
    });
    expect(p[0]!.count).toBeGreaterThan(p[1]!.count * 2);
    // Every matching response of the window is one of them.
    expect(p.reduce((n, x) => n + x.count, 0)).toBe(firing!.count);
    // An active alert carries them too, and a snapshot round trip keeps them.
    const active = d.active()[0]!;
    expect(active.phrases.map((x) => x.phrase)).toEqual(["Decline", "MaxPeak Cost Exceeded"]);
    const restored = createDetector({ rules }, JSON.parse(JSON.stringify(d.snapshot())));
    expect(restored.active()).toEqual(d.active());
  });

  it("counts only the phrases a rule names, or all but the ones it excepts", () => {
    const split = [
      {
        id: "maxpeak",
        codes: [603],
        phrases: ["maxpeak cost  exceeded"],
        scopes: ["trunk" as const],
      },
      {
        id: "other-603",
        codes: [603],
        exceptPhrases: ["MaxPeak Cost Exceeded"],
        scopes: ["trunk" as const],
      },
    ];
    // The window test alone, so both fire on a window that holds the whole spike.
    const d = createDetector({ rules: split.map((r) => ({ ...r, cusumThreshold: 0 })) });
    const { transitions } = replay(d, traffic(), 60);
    const fired = (id: string) => transitions.find((t) => t.rule === id && t.to === "firing");
    const peak = fired("maxpeak")!;
    const other = fired("other-603")!;
    expect(peak.phrases.map((x) => x.phrase)).toEqual(["MaxPeak Cost Exceeded"]);
    expect(other.phrases.map((x) => x.phrase)).toEqual(["Decline"]);
    // 5 of 60 calls a minute against 15 (plus the baseline's Declines).
    expect(peak.rate).toBeLessThanOrEqual(5 / 60);
    expect(other.rate).toBeGreaterThan(5 / 60);
    for (const t of [peak, other]) {
      expect(t.phrases.reduce((n, x) => n + x.count, 0)).toBe(t.count);
    }
  });
});

describe("RuleMatcher", () => {
  const m = new RuleMatcher(
    [
      { id: "a", codes: [603] },
      { id: "b", codes: [603], phrases: ["Decline"] },
      { id: "c", codes: [603, 607], exceptPhrases: ["Decline"] },
    ] as never,
    [],
  );
  it("matches codes, then named phrases case- and space-insensitively", () => {
    expect(m.rules(603, " DECLINE ")).toEqual([0, 1]);
    expect(m.rules(603, "Busy Everywhere")).toEqual([0, 2]);
    expect(m.rules(603, undefined)).toEqual([0, 2]);
    expect(m.rules(607, "Decline")).toEqual([]);
    expect(m.rules(500, "Decline")).toEqual([]);
  });
});

describe("phraseKey", () => {
  it("round-trips code, phrase and reason, and keeps absent parts null", () => {
    expect(readPhrases([{ key: phraseKey(603, " Decline ", undefined), count: 3 }])).toEqual([
      { code: 603, phrase: "Decline", reason: null, direction: null, count: 3 },
    ]);
    expect(
      readPhrases([{ key: phraseKey(500, undefined, "Q.850;cause=41", "inbound"), count: 1 }]),
    ).toEqual([
      { code: 500, phrase: null, reason: "Q.850;cause=41", direction: "inbound", count: 1 },
    ]);
    expect(readPhrases([{ key: phraseKey(603, "a\u0001b", ""), count: 1 }])[0]!.phrase).toBe("a b");
    expect(normalizePhrase("  MaxPeak   Cost Exceeded ")).toBe("maxpeak cost exceeded");
  });
});
