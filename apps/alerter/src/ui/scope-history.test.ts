import { createDetector, type Detector } from "@sipcodes/detect";
import { describe, expect, it } from "vitest";
import { ScopeHistory } from "./scope-history.ts";

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 1);

/** A detector fed `perMinute` calls a minute on each trunk, evaluated at every minute. */
class Feed {
  readonly detector: Detector = createDetector({
    rules: [{ id: "sip-603", codes: [603], scopes: ["trunk"] }],
  });
  /** Per trunk and minute: calls and 603s, as sent. */
  readonly sent = new Map<string, { calls: number; bad: number }>();
  minute = 0;

  /** Runs minutes until `to`, with `rate(trunk, minute)` of the calls a 603; calls `each` after every evaluation. */
  run(
    to: number,
    trunks: string[],
    rate: (trunk: string, m: number) => number,
    each?: (m: number) => void,
  ) {
    for (; this.minute < to; this.minute++) {
      const m = this.minute;
      for (const trunk of trunks) {
        let owed = 0;
        let bad = 0;
        for (let i = 0; i < 30; i++) {
          owed += rate(trunk, m);
          const is603 = owed >= 1;
          if (is603) {
            owed -= 1;
            bad++;
          }
          this.detector.observe({ time: T0 + m * MIN + i * 1000, code: is603 ? 603 : 200, trunk });
        }
        this.sent.set(`${trunk}@${m}`, { calls: 30, bad });
      }
      this.detector.evaluate(T0 + (m + 1) * MIN);
      each?.(m + 1);
    }
  }

  /** The rate over the `w` minutes ending at `minute` (index from T0), from what was sent. */
  rate(trunk: string, minute: number, w: number): number {
    let calls = 0;
    let bad = 0;
    for (let m = minute - w + 1; m <= minute; m++) {
      const s = this.sent.get(`${trunk}@${m}`)!;
      calls += s.calls;
      bad += s.bad;
    }
    return bad / calls;
  }
}

const spikeAfter = (start: number) => (_t: string, m: number) => (m >= start ? 0.5 : 0.01);
const minuteIndex = (minute: number) => minute - T0 / MIN;

describe("ScopeHistory", () => {
  it("copies an alerting scope minute by minute: its rate is the detector's own reading", () => {
    const feed = new Feed();
    const history = new ScopeHistory({ detector: feed.detector, incidents: () => [] });
    feed.run(240, ["T1"], spikeAfter(180), () => history.sample());
    const alert = feed.detector.active()[0]!;
    expect(alert.state).toBe("firing");
    const view = history.view("sip-603", "trunk:T1")!;
    // From the first minute known (not padded to six hours) to the minute before the last evaluation.
    expect(view.points.length).toBeLessThan(6 * 60);
    expect(view.points[0]!.rate ?? view.points[0]!.threshold).not.toBeNull();
    const last = view.points.at(-1)!;
    expect(minuteIndex(last.minute)).toBe(239);
    expect(view.windowMinutes).toBe(alert.reading.windowMinutes);
    expect(last.rate).toBeCloseTo(alert.reading.rate, 12);
    expect(last.threshold).toBe(alert.reading.threshold);
    // Every known point is the rate of what was sent in its window.
    const known = view.points.filter((p) => p.rate !== null);
    // Tracking began when the alert went pending; the longest window (60 min) before it was read then.
    expect(known.length).toBeGreaterThan(60);
    for (const p of known) {
      expect(p.rate).toBeCloseTo(feed.rate("T1", minuteIndex(p.minute), view.windowMinutes), 12);
    }
    // The threshold is known from the evaluation that went pending on, not before.
    const since = minuteIndex(Math.floor(alert.since / MIN));
    for (const p of view.points) {
      if (minuteIndex(p.minute) < since - 1) expect(p.threshold).toBeNull();
      else expect(p.threshold).toBe(alert.reading.threshold);
    }
  });

  it("leaves a gap where no sample read a minute, never a made-up value", () => {
    const feed = new Feed();
    const history = new ScopeHistory({ detector: feed.detector, incidents: () => [] });
    feed.run(200, ["T1"], spikeAfter(180), () => history.sample());
    feed.run(300, ["T1"], spikeAfter(180)); // 100 minutes unsampled: longer than the 60-minute window
    history.sample();
    const points = history.view("sip-603", "trunk:T1")!.points;
    const at = (m: number) => points.find((p) => minuteIndex(p.minute) === m)!;
    expect(at(198).rate).not.toBeNull();
    // Minutes 200..239 were never read: unknown, and so is any window reaching into them.
    for (let m = 200; m < 240 + 4; m++) expect(at(m).rate, `minute ${m}`).toBeNull();
    expect(at(250).rate).toBeCloseTo(feed.rate("T1", 250, 5), 12);
  });

  it("keeps at most maxSeries series, dropping the one seen longest ago", () => {
    const feed = new Feed();
    const history = new ScopeHistory(
      { detector: feed.detector, incidents: () => [] },
      { hours: 6, maxSeries: 2 },
    );
    // T1 spikes first and recovers; T2 and T3 spike later.
    const rate = (t: string, m: number) =>
      t === "T1" ? (m >= 180 && m < 195 ? 0.5 : 0.01) : m >= 260 ? 0.5 : 0.01;
    feed.run(300, ["T1", "T2", "T3"], rate, () => history.sample());
    expect(history.size).toBe(2);
    expect(history.view("sip-603", "trunk:T1")).toBeUndefined();
    expect(history.view("sip-603", "trunk:T2")).toBeDefined();
    expect(history.view("sip-603", "trunk:T3")).toBeDefined();
  });

  it("forgets a series once it was last seen longer ago than the history reaches", () => {
    const feed = new Feed();
    const history = new ScopeHistory(
      { detector: feed.detector, incidents: () => [] },
      { hours: 1, maxSeries: 10 },
    );
    feed.run(
      200,
      ["T1"],
      (_t, m) => (m >= 180 && m < 195 ? 0.5 : 0.01),
      () => history.sample(),
    );
    expect(history.size).toBe(1);
    feed.run(
      400,
      ["T1"],
      () => 0.01,
      () => history.sample(),
    );
    expect(feed.detector.active()).toEqual([]);
    expect(history.size).toBe(0);
  });

  it("re-reads on page views at most once a second", () => {
    const feed = new Feed();
    const history = new ScopeHistory({ detector: feed.detector, incidents: () => [] });
    feed.run(180, ["T1"], () => 0.01);
    history.refresh(10_000);
    feed.run(200, ["T1"], spikeAfter(180));
    history.refresh(10_999);
    expect(history.size).toBe(0);
    history.refresh(11_000);
    expect(history.size).toBe(1);
  });
});
