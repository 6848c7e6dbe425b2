import type { ActiveAlert, IncidentChange, ScopeRef } from "@sipcodes/detect";
import { defaultRules, IncidentBook, wilsonLower } from "@sipcodes/detect";
import { describe, expect, it } from "vitest";
import { IncidentNotices } from "./incidents.ts";

const T = Date.UTC(2026, 0, 1, 3, 0);
const M = 60_000;
const trunk = (t: string): ScopeRef => ({ kind: "trunk", key: `trunk:${t}`, trunk: t });

function firing(scope: ScopeRef, since = T - 2 * M): ActiveAlert {
  return {
    rule: "sip-500",
    scope,
    state: "firing",
    incidentId: `sip-500:${scope.key}:${since}`,
    since,
    firedAt: since + M,
    evaluatedAt: T,
    reading: {
      status: "ok",
      windowMinutes: 5,
      calls: 500,
      count: 100,
      rate: 0.2,
      wilsonLower: wilsonLower(100, 500, 2.5758),
      baseline: 0.01,
      threshold: 0.06,
      resolveThreshold: 0.048,
    },
    contributors: [],
    phrases: [],
  };
}

/** Runs a book and the notices over evaluations: each step is the firing alerts at that minute. */
function run(steps: ActiveAlert[][], notices: IncidentNotices, silenced = () => false) {
  const book = new IncidentBook(defaultRules);
  const counts = () => ({ calls: 500, count: 100 });
  return steps.map((alerts, i) => {
    const now = T + i * M;
    const changes: IncidentChange[] = book.update(now, alerts, counts);
    return notices
      .flush(now, book.incidents(), changes, silenced)
      .map((n) => `${n.status}:${n.reason}:${n.groupKey}`);
  });
}

describe("IncidentNotices", () => {
  const a = firing(trunk("A"));
  const id = a.incidentId;

  it("announces an incident once its group wait has passed, then once when it resolves", () => {
    const notices = new IncidentNotices({ groupWaitMs: 2 * M, repeatIntervalMs: 4 * 3600_000 });
    expect(run([[a], [a], [a], [a], []], notices)).toEqual([
      [],
      [],
      [`firing:new:${id}`],
      [],
      [`resolved:update:${id}`],
    ]);
  });

  it("reminds every repeat interval while it fires", () => {
    const notices = new IncidentNotices({ groupWaitMs: 0, repeatIntervalMs: 2 * M });
    expect(run([[a], [a], [a], [a], [a]], notices)).toEqual([
      [`firing:new:${id}`],
      [],
      [`firing:repeat:${id}`],
      [],
      [`firing:repeat:${id}`],
    ]);
  });

  it("says nothing about an incident that resolved within its group wait, or whose root is silenced", () => {
    const waiting = new IncidentNotices({ groupWaitMs: 5 * M, repeatIntervalMs: 4 * 3600_000 });
    expect(run([[a], [a], []], waiting).flat()).toEqual([]);
    const quiet = new IncidentNotices({ groupWaitMs: 0, repeatIntervalMs: 4 * 3600_000 });
    expect(run([[a], []], quiet, () => true).flat()).toEqual([]);
  });

  it("survives a restart through its JSON", () => {
    const notices = new IncidentNotices({ groupWaitMs: 0, repeatIntervalMs: 4 * 3600_000 });
    run([[a]], notices);
    const again = new IncidentNotices(notices.config, JSON.parse(JSON.stringify(notices.toJSON())));
    expect(again.toJSON()).toEqual(notices.toJSON());
    expect(again.toJSON().announced[0]).toMatchObject({ id, notifiedAt: T });
  });
});

describe("inhibit rules", () => {
  const b = firing(trunk("B"));
  const g500: ActiveAlert = { ...firing({ kind: "global", key: "global" }), rule: "sip-500" };
  const b603: ActiveAlert = {
    ...firing(trunk("B")),
    rule: "sip-603",
    incidentId: `sip-603:trunk:B:${T - 2 * M}`,
  };

  it("keeps a target quiet while a matching source fires with equal labels, and only then", () => {
    // A 500 incident on a trunk inhibits 603 incidents on the same trunk.
    const rule = {
      sourceMatchers: [{ name: "rule" as const, op: "=" as const, value: "sip-500" }],
      targetMatchers: [{ name: "rule" as const, op: "=" as const, value: "sip-603" }],
      equal: ["trunk" as const],
    };
    const notices = new IncidentNotices({
      groupWaitMs: 0,
      repeatIntervalMs: 4 * 3600_000,
      inhibitRules: [rule],
    });
    const steps = run([[b, b603], [b, b603], [b603]], notices);
    expect(steps[0]).toEqual([`firing:new:${b.incidentId}`]);
    expect(steps[1]).toEqual([]);
    // The source resolved: the target is announced now (and the source's resolve goes out).
    expect(steps[2]!.sort()).toEqual(
      [`firing:new:${b603.incidentId}`, `resolved:update:${b.incidentId}`].sort(),
    );
  });

  it("does not inhibit when the equal labels differ (a global 500 has no trunk)", () => {
    const rule = {
      sourceMatchers: [{ name: "rule" as const, op: "=" as const, value: "sip-500" }],
      targetMatchers: [{ name: "rule" as const, op: "=" as const, value: "sip-603" }],
      equal: ["trunk" as const],
    };
    const notices = new IncidentNotices({
      groupWaitMs: 0,
      repeatIntervalMs: 4 * 3600_000,
      inhibitRules: [rule],
    });
    const [first] = run([[g500, b603]], notices);
    expect(first!.length).toBe(2);
  });
});
