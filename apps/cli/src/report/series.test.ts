import {
  type ActiveAlert,
  type CallEvent,
  createDetector,
  replayClock,
  trackIncidents,
  type WindowCounts,
} from "@sipcodes/detect";
import { describe, expect, it } from "vitest";
import { spikeCsv } from "../../test/_spike.ts";
import { SeriesRecorder } from "./series.ts";

function events(csv: string): CallEvent[] {
  return csv
    .trimEnd()
    .split("\n")
    .slice(1)
    .map((line) => {
      const [time, trunk, direction, code] = line.split(",");
      return {
        time: Date.parse(time!),
        trunk: trunk!,
        direction: direction as "outbound",
        code: Number(code),
      };
    });
}

/**
 * Replays events as the backtest does, feeding a recorder, and notes beside
 * it what the detector itself said at every evaluation: its active alerts
 * and the window counts of every scope and window the recorder charts.
 */
function replay(list: CallEvent[], options?: ConstructorParameters<typeof SeriesRecorder>[1]) {
  const detector = createDetector();
  const clock = replayClock(detector, 60);
  const tracker = trackIncidents(detector);
  const recorder = new SeriesRecorder(detector, options);
  const seen = new Map<number, { active: ActiveAlert[]; counts: Map<string, WindowCounts> }>();
  const keys = ["global", "trunk:trunk-0", "trunk:trunk-1", "trunk:trunk-2"];
  const run = (times: number[]) => {
    for (const now of times) {
      const transitions = detector.evaluate(now);
      const changes = tracker.update(now, transitions);
      const active = detector.active();
      recorder.record(now, transitions, active, changes);
      const counts = new Map<string, WindowCounts>();
      for (const key of keys) {
        for (const w of [5, 15, 60]) {
          const c = detector.windowCounts(key, "sip-603", w);
          if (c) counts.set(`${key} ${w}`, c);
        }
      }
      seen.set(now, { active, counts });
    }
  };
  for (const e of list) {
    run(clock.due(e.time));
    detector.observe(e);
  }
  if (clock.next !== null) run(clock.due(clock.next));
  return { entries: recorder.result(), seen };
}

describe("SeriesRecorder", () => {
  it("records the detector's own numbers: readings while active, window counts before and after", () => {
    const { entries, seen } = replay(events(spikeCsv()));
    expect(entries).toHaveLength(1);
    const s = entries[0]!.series!;
    expect(s.scope.key).toBe("global");
    const phases = new Set(s.points.map((p) => p.phase));
    // The sequential test may fire at once, with no pending reading first.
    const order = [...phases];
    expect(order.filter((x) => x !== "pending")).toEqual(["lead", "firing", "tail"]);
    if (phases.has("pending")) expect(order.indexOf("pending")).toBe(1);
    for (const p of s.points) {
      const at = seen.get(p.time)!;
      expect(at).toBeDefined();
      if (p.phase === "pending" || p.phase === "firing") {
        const a = at.active.find((x) => x.incidentId === s.alertId);
        // The resolving evaluation is no longer active: its numbers are the transition's (marks).
        const reading = a?.reading ?? s.marks.find((m) => m.time === p.time);
        expect(reading).toBeDefined();
        expect(p.rate).toBe(reading!.rate);
        expect(p.wilsonLower).toBe(reading!.wilsonLower);
        if (a) {
          expect(p.threshold).toBe(a.reading.threshold);
          expect(p.baseline).toBe(a.reading.baseline);
          expect(p.resolveThreshold).toBe(a.reading.resolveThreshold);
        }
      } else {
        // Lead-in and tail: what windowCounts said at that very evaluation.
        const c = at.counts.get(`${s.scope.key} ${p.windowMinutes}`)!;
        expect([p.calls, p.count]).toEqual([c.calls, c.count]);
        // The levels the alert was judged by: its pending reading's before, its last one's after.
        const judged = p.phase === "lead" ? s.marks[0]! : s.marks[s.marks.length - 1]!;
        expect(p.baseline).toBe(judged.baseline);
        expect(p.threshold).toBe(judged.threshold);
        expect(p.resolveThreshold).not.toBeNull();
      }
    }
    const lead = s.points.filter((p) => p.phase === "lead");
    expect(lead).toHaveLength(30);
    expect(lead.every((p, i) => i === 0 || p.time - lead[i - 1]!.time === 60_000)).toBe(true);
  });

  it("keeps a series only for incidents' roots, and at most maxPoints of it", () => {
    const { entries } = replay(events(spikeCsv({ minutes: 500, from: 150, to: 470 })), {
      maxPoints: 50,
      context: 5,
    });
    const s = entries[0]!.series!;
    expect(s.recorded).toBeGreaterThan(300);
    expect(s.points.length).toBeLessThanOrEqual(50 + s.marks.length);
    expect(s.points.filter((p) => p.pinned).map((p) => p.time)).toEqual(
      expect.arrayContaining(s.marks.map((m) => m.time)),
    );
  });

  it("charts only the first maxCharts incidents", () => {
    const csv = spikeCsv({ minutes: 400, from: 150, to: 170 });
    const later = events(spikeCsv({ minutes: 400, from: 300, to: 320, trunk: "trunk-1" }));
    const list = events(csv).map((e, i) =>
      e.time >= later[0]!.time + 280 * 60_000 ? later[i]! : e,
    );
    const { entries } = replay(list, { maxCharts: 1 });
    expect(entries.length).toBe(2);
    expect(entries[0]!.series).toBeDefined();
    expect(entries[1]!.series).toBeUndefined();
  });
});

describe("SeriesRecorder, an alert that fires again within its cooldown", () => {
  it("gives each incident its own part of the alert's series", () => {
    const first = events(spikeCsv({ minutes: 260, from: 150, to: 170 }));
    const second = events(spikeCsv({ minutes: 260, from: 190, to: 205 }));
    const cut = Date.parse("2026-11-26T08:00:00Z") + 182 * 60_000;
    const list = first.map((e, i) => (e.time >= cut ? second[i]! : e));
    const { entries } = replay(list);
    expect(entries).toHaveLength(2);
    const [a, b] = entries.map((e) => e.series!);
    // The same alert (its id is reused within the cooldown), in two incidents, each named after
    // the episode that opened it.
    expect(a!.alertId).toBe(b!.alertId);
    expect(entries.map((e) => e.incident.root.alertId)).toEqual([a!.alertId, a!.alertId]);
    expect(entries[0]!.incident.id).toBe(a!.alertId);
    expect(entries[1]!.incident.id).not.toBe(entries[0]!.incident.id);
    expect(entries[1]!.incident.id).toBe(
      `${b!.alertId.slice(0, b!.alertId.lastIndexOf(":"))}:${b!.marks[0]!.time}`,
    );
    expect(a!.marks.map((m) => m.to)).toEqual(["pending", "firing", "resolved"]);
    expect(b!.marks.map((m) => m.to)).toEqual(["pending", "firing", "resolved"]);
    expect(Math.max(...a!.points.map((p) => p.time))).toBeLessThan(
      Math.min(...b!.points.map((p) => p.time)),
    );
    expect(a!.points.length + b!.points.length).toBe(a!.recorded + b!.recorded);
  });
});
