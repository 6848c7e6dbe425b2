import type { ActiveAlert, Detector, Incident } from "@sipcodes/detect";

/** How far back a sparkline reaches. */
export const HISTORY_HOURS = 6;
/** At most this many (rule, scope) series are kept; the one seen longest ago goes first. */
export const MAX_SERIES = 200;

/** How often the alerter samples on its own (well within the longest window, so no minute is missed). */
export const HISTORY_SAMPLE_MS = 30_000;

const MINUTE = 60_000;

/** What the history reads: the detector's minute rings (through `windowCounts`) and the open incidents. */
export interface HistorySource {
  readonly detector: Pick<Detector, "active" | "stats" | "windowCounts" | "config">;
  incidents(): readonly Incident[];
}

/** One minute of a sparkline: the rule's rate over its window ending that minute, and the threshold then. */
export interface HistoryPoint {
  /** Minutes since the epoch. */
  minute: number;
  /** null where a minute of the window was never read, or the window had no calls. */
  rate: number | null;
  threshold: number | null;
}

export interface SeriesView {
  rule: string;
  scopeKey: string;
  /** The window (minutes) the rate is computed over: the one the last reading used. */
  windowMinutes: number;
  points: HistoryPoint[];
}

interface Series {
  rule: string;
  scopeKey: string;
  windowMinutes: number;
  /** Newest minute at which the series was pending, firing or in an open incident. */
  lastSeen: number;
  /** Per slot: the minute it holds (-1 none), its calls and matching responses, the threshold then (NaN unknown). */
  stamp: Int32Array;
  calls: Float64Array;
  count: Float64Array;
  threshold: Float64Array;
}

const keyOf = (rule: string, scopeKey: string) => `${rule}\u0000${scopeKey}`;

/**
 * The last hours of each alerting scope, for the status page's sparklines.
 *
 * The detector keeps per-minute counts only as long as its longest window
 * (`windowCounts` reads at most that far back) and otherwise 15-minute
 * baseline buckets it does not expose, so this keeps its own copy: for each
 * (rule, scope) that is pending, firing or in an open incident, a ring of
 * `HISTORY_HOURS` hours plus one window of minutes holding the calls and
 * matching responses `windowCounts` reports for each minute, and the
 * threshold of the readings seen. Every `sample()` re-reads the whole
 * longest window, so sampling at least once per window misses no minute
 * (late events counted since are picked up too); a minute never read stays
 * unknown and the sparkline has a gap there, never a guessed value.
 *
 * Memory is bounded: `MAX_SERIES` series of `(HISTORY_HOURS × 60 + longest
 * window)` slots of 28 bytes (about 12 KB each with the default rules, so
 * under 2.5 MB in all). A series is dropped once it was last seen longer
 * than `HISTORY_HOURS` ago. It lives in memory: after a restart the
 * sparklines start again from the detector's longest window.
 */
export class ScopeHistory {
  private readonly series = new Map<string, Series>();
  private readonly slots: number;
  private readonly maxWindow: number;

  constructor(
    private readonly source: HistorySource,
    private readonly limits: { hours: number; maxSeries: number } = {
      hours: HISTORY_HOURS,
      maxSeries: MAX_SERIES,
    },
  ) {
    const rules = source.detector.config.rules;
    this.maxWindow = Math.max(1, ...rules.map((r) => r.windows[r.windows.length - 1] ?? 1));
    this.slots = limits.hours * 60 + this.maxWindow;
  }

  /** Series kept now (for tests and the bound). */
  get size(): number {
    return this.series.size;
  }

  private sampledAt = Number.NEGATIVE_INFINITY;

  /** `sample()` unless it ran less than a second ago (`wallNow`, ms): what a page view calls. */
  refresh(wallNow: number): void {
    if (wallNow - this.sampledAt < 1000 && wallNow >= this.sampledAt) return;
    this.sample();
    this.sampledAt = wallNow;
  }

  /** Reads the detector's last evaluation into the series (the longest window of each, minute by minute). */
  sample(): void {
    const { detector } = this.source;
    const last = detector.stats().lastEvaluation;
    if (last === null) return;
    const clockMinute = Math.floor(last / MINUTE);
    for (const alert of detector.active()) this.see(alert, clockMinute);
    for (const incident of this.source.incidents()) {
      if (incident.status !== "firing") continue;
      for (const m of incident.members) this.see(m, clockMinute);
    }
    for (const [key, s] of this.series) {
      if (clockMinute - s.lastSeen > this.limits.hours * 60) {
        this.series.delete(key);
        continue;
      }
      this.backfill(s, clockMinute);
    }
  }

  private see(
    alert: Pick<ActiveAlert, "rule" | "scope" | "since" | "reading"> & { status?: string },
    clockMinute: number,
  ): void {
    const key = keyOf(alert.rule, alert.scope.key);
    let s = this.series.get(key);
    if (!s) {
      if (this.series.size >= this.limits.maxSeries) this.evictOldest();
      s = {
        rule: alert.rule,
        scopeKey: alert.scope.key,
        windowMinutes: alert.reading.windowMinutes,
        lastSeen: clockMinute,
        stamp: new Int32Array(this.slots).fill(-1),
        calls: new Float64Array(this.slots),
        count: new Float64Array(this.slots),
        threshold: new Float64Array(this.slots).fill(Number.NaN),
      };
      this.series.set(key, s);
    }
    s.lastSeen = Math.max(s.lastSeen, clockMinute);
    s.windowMinutes = alert.reading.windowMinutes;
    // A resolved member's reading is from when it resolved; only a live alert's threshold is now's.
    const threshold = alert.status === "resolved" ? null : alert.reading.threshold;
    if (threshold === null) return;
    // The threshold is frozen from the evaluation that went pending (`since`) on: its windows
    // ended the minute before, and so did this evaluation's.
    const from = Math.max(Math.floor(alert.since / MINUTE) - 1, clockMinute - this.slots);
    for (let m = from; m < clockMinute; m++) {
      const slot = m % this.slots;
      if (s.stamp[slot] !== m) this.clear(s, slot, m);
      s.threshold[slot] = threshold;
    }
  }

  private clear(s: Series, slot: number, minute: number): void {
    s.stamp[slot] = minute;
    s.calls[slot] = Number.NaN;
    s.count[slot] = Number.NaN;
    s.threshold[slot] = Number.NaN;
  }

  /** Minute by minute, the longest window before the last evaluation's minute: differences of `windowCounts`. */
  private backfill(s: Series, clockMinute: number): void {
    let calls = 0;
    let count = 0;
    for (let k = 1; k <= this.maxWindow; k++) {
      const w = this.source.detector.windowCounts(s.scopeKey, s.rule, k);
      if (!w) return;
      const m = clockMinute - k;
      const slot = m % this.slots;
      if (s.stamp[slot] !== m) this.clear(s, slot, m);
      s.calls[slot] = w.calls - calls;
      s.count[slot] = w.count - count;
      calls = w.calls;
      count = w.count;
    }
  }

  private evictOldest(): void {
    let oldest: [string, number] | undefined;
    for (const [key, s] of this.series) {
      if (!oldest || s.lastSeen < oldest[1]) oldest = [key, s.lastSeen];
    }
    if (oldest) this.series.delete(oldest[0]);
  }

  /**
   * The last `hours` hours of a series (less when it is younger), one point
   * per minute up to the minute before the last evaluation; undefined for a
   * series not kept.
   */
  view(rule: string, scopeKey: string): SeriesView | undefined {
    const s = this.series.get(keyOf(rule, scopeKey));
    const last = this.source.detector.stats().lastEvaluation;
    if (!s || last === null) return undefined;
    const end = Math.floor(last / MINUTE) - 1;
    const w = s.windowMinutes;
    const points: HistoryPoint[] = [];
    for (let m = end - this.limits.hours * 60 + 1; m <= end; m++) {
      const point = { minute: m, rate: this.rate(s, m, w), threshold: this.at(s, m, s.threshold) };
      // Starts at the first minute known: a series younger than the history is not padded.
      if (points.length === 0 && point.rate === null && point.threshold === null) continue;
      points.push(point);
    }
    return { rule: s.rule, scopeKey: s.scopeKey, windowMinutes: w, points };
  }

  private at(s: Series, minute: number, values: Float64Array): number | null {
    if (minute < 0) return null;
    const slot = minute % this.slots;
    if (s.stamp[slot] !== minute) return null;
    const v = values[slot]!;
    return Number.isNaN(v) ? null : v;
  }

  /** Matching responses / calls over the `w` minutes ending at `minute`, null unless all were read. */
  private rate(s: Series, minute: number, w: number): number | null {
    let calls = 0;
    let count = 0;
    for (let m = minute - w + 1; m <= minute; m++) {
      const c = this.at(s, m, s.calls);
      const n = this.at(s, m, s.count);
      if (c === null || n === null) return null;
      calls += c;
      count += n;
    }
    return calls > 0 ? count / calls : null;
  }
}
