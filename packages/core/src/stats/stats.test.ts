import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CallSummarizer, OTHER_GROUP, summarize } from "./index.ts";

const events = (pairs: [code: number, n: number][], extra: object = {}) =>
  pairs.flatMap(([code, n]) => Array.from({ length: n }, () => ({ code, ...extra })));

describe("summarize", () => {
  it("counts codes, classes and outcomes, and computes ASR and NER", () => {
    const s = summarize(
      events([
        [200, 60],
        [486, 10],
        [487, 10],
        [503, 15],
        [404, 5],
        [180, 7],
      ]),
    );
    expect(s.events).toBe(107);
    expect(s.attempts).toBe(100);
    expect(s.answered).toBe(60);
    expect(s.asr).toBeCloseTo(0.6);
    // busy and caller-cancelled count as user-caused; 503 and 404 do not.
    expect(s.ner).toBeCloseTo(0.8);
    expect(s.userCausedCodes).toEqual([486, 487]);
    expect(s.byClass).toEqual({ "1xx": 7, "2xx": 60, "4xx": 25, "5xx": 15 });
    expect(s.byOutcome).toMatchObject({
      answered: 60,
      busy: 10,
      cancelled: 10,
      "not-found": 5,
      provisional: 7,
    });
    expect(s.codes[0]).toMatchObject({ code: 200, count: 60, rate: 0.6, phrase: "OK" });
    expect(s.codes.map((c) => c.code)).not.toContain(180);
  });

  it("counts the standard 603 as the callee's refusal but jola's 603 as a platform refusal", () => {
    const data = events([
      [200, 8],
      [603, 2],
    ]);
    expect(summarize(data).ner).toBeCloseTo(1);
    expect(summarize(data, { profile: "jola" }).ner).toBeCloseTo(0.8);
  });

  it("returns null ratios with no final responses", () => {
    expect(summarize([{ code: 183 }])).toMatchObject({ attempts: 0, asr: null, ner: null });
  });

  it("groups by trunk, bounding the number of groups and listing the overflow last", () => {
    const s = summarize(
      [
        { code: 200, trunk: "a" },
        { code: 500, trunk: "a" },
        { code: 200, trunk: "b" },
        { code: 200 },
        { code: 603, trunk: "c" },
      ],
      { groupBy: "trunk", maxGroups: 2 },
    );
    expect(s.groups?.map((g) => [g.key, g.attempts])).toEqual([
      ["a", 2],
      ["b", 1],
      [OTHER_GROUP, 2],
    ]);
  });

  it("averages durations over answered calls (ACD) and post-dial delay over calls that have one", () => {
    const s = summarize([
      { code: 200, duration: 60, pdd: 2000 },
      { code: 200, duration: 30 },
      { code: 200 },
      { code: 486, duration: 5, pdd: 4000 },
    ]);
    expect(s).toMatchObject({ timedAnswers: 2, acd: 45, pddCalls: 2, pdd: 3000 });
    expect(summarize([{ code: 486 }])).toMatchObject({ acd: null, pdd: null });
  });

  it("groups by UTC hour in time order, and by code", () => {
    const at = (iso: string) => Date.parse(iso);
    const s = summarize(
      [
        { code: 200, start: at("2026-11-26T11:59:59Z") },
        { code: 486, start: at("2026-11-26T10:00:00Z") },
        { code: 486, start: at("2026-11-26T10:30:00Z") },
        { code: 486 },
      ],
      { groupBy: "hour" },
    );
    expect(s.groups?.map((g) => [g.key, g.attempts])).toEqual([
      ["2026-11-26T10", 2],
      ["2026-11-26T11", 1],
      ["(none)", 1],
    ]);
    const byCode = summarize([{ code: 486 }, { code: 200 }, { code: 486 }], { groupBy: "code" });
    expect(byCode.groups?.map((g) => g.key)).toEqual(["486", "200"]);
  });

  it("counts addCall(code, duration) as add({ code, duration })", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 100, max: 699 }), fc.option(fc.nat(7200))), {
          maxLength: 200,
        }),
        (calls) => {
          const a = new CallSummarizer();
          const b = new CallSummarizer();
          for (const [code, d] of calls) {
            a.add(d === null ? { code } : { code, duration: d });
            b.addCall(code, d ?? undefined);
          }
          expect(b.result()).toEqual(a.result());
        },
      ),
    );
  });

  it("counts addCounts(counts, sum, timed) as the same calls added one by one", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 100, max: 699 }), fc.option(fc.nat(7200))), {
          maxLength: 200,
        }),
        fc.nat(200),
        (calls, cut) => {
          const a = new CallSummarizer();
          const b = new CallSummarizer();
          const counts = new Array<number>(600).fill(0);
          let sum = 0;
          let timed = 0;
          calls.forEach(([code, d], i) => {
            a.addCall(code, d ?? undefined);
            if (i < cut) b.addCall(code, d ?? undefined);
            else {
              counts[code - 100] = (counts[code - 100] as number) + 1;
              if (d !== null && code < 300 && code >= 200) {
                sum += d;
                timed++;
              }
            }
          });
          b.addCounts(counts, sum, timed);
          expect(b.result()).toEqual(a.result());
        },
      ),
    );
    expect(() => new CallSummarizer({ groupBy: "trunk" }).addCounts([], 0, 0)).toThrow(
      /without groups/,
    );
  });

  it("refuses events whose code is not a SIP code", () => {
    expect(() => new CallSummarizer().add({ code: 42 })).toThrow(/not a SIP response code/);
  });

  it("agrees with a naive count for any stream, whatever the order", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 100, max: 699 }), { maxLength: 300 }), (codes) => {
        const s = summarize(codes.map((code) => ({ code })));
        const finals = codes.filter((c) => c >= 200);
        expect(s.attempts).toBe(finals.length);
        expect(s.answered).toBe(finals.filter((c) => c < 300).length);
        expect(s.codes.reduce((n, c) => n + c.count, 0)).toBe(finals.length);
        if (finals.length) expect(s.ner ?? 0).toBeGreaterThanOrEqual(s.asr ?? 0);
      }),
    );
  });
});

describe("summarize with a profile whose overlay covers one direction", () => {
  // jola's 603 (its cost ceiling) is produced by the outbound platform only:
  // an inbound 603 is the callee's Decline, counted as user-caused by E.411.
  const calls = [
    ...events([[603, 3]], { direction: "outbound" }),
    ...events([[603, 2]], { direction: "inbound" }),
    ...events([[200, 5]], { direction: "inbound" }),
  ];

  it("gives each call the outcome of its own direction", () => {
    const s = summarize(calls, { profile: "jola" });
    expect(s.attempts).toBe(10);
    expect(s.userCaused).toBe(2);
    expect(s.ner).toBe((5 + 2) / 10);
    expect(s.codes.filter((c) => c.code === 603)).toEqual([
      expect.objectContaining({ direction: "outbound", count: 3, userCaused: false, rate: 0.3 }),
      expect.objectContaining({ direction: "inbound", count: 2, userCaused: true, rate: 0.2 }),
    ]);
    expect(s.userCausedCodes).toEqual([603]);
  });

  it("keeps one entry per code when the directions agree", () => {
    const s = summarize(calls, { profile: "rfc" });
    expect(s.userCaused).toBe(5);
    expect(s.codes.filter((c) => c.code === 603)).toEqual([
      { code: 603, phrase: "Decline", count: 5, rate: 0.5, outcome: "rejected", userCaused: true },
    ]);
  });

  it("counts the calls of unknown direction under the overlay, as explain does", () => {
    const s = summarize(events([[603, 4]]), { profile: "jola" });
    expect(s.userCaused).toBe(0);
    expect(new CallSummarizer({ profile: "jola" }).directionMatters).toBe(true);
    expect(new CallSummarizer({ profile: "rfc" }).directionMatters).toBe(false);
  });
});
