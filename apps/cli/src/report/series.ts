// What the HTML report draws, gathered in the backtest's one pass: for every
// alert that goes pending, the detector's numbers at each evaluation while it
// is pending or firing (`active()`), a lead-in read back from its minute
// counts when it goes pending, and a tail after it resolves. Memory stays
// bounded: a series lives while its alert is active or is an incident's
// root, holds at most a fixed number of points (thinned as it grows), and
// only the first `maxCharts` incidents keep theirs.

import type {
  ActiveAlert,
  AlertState,
  Detector,
  Incident,
  IncidentChange,
  Rule,
  ScopeRef,
  Transition,
} from "@sipcodes/detect";
import { wilsonLower, zForConfidence } from "@sipcodes/detect";
import { thin } from "./thin.ts";

const MINUTE_MS = 60_000;
/** Members of an incident kept for its table (root first, then by excess). */
export const MAX_MEMBERS = 50;

/**
 * One evaluation of one alert. `lead`: before it went pending, the rate of
 * the window it went pending on, read back from the detector's minute counts
 * at that moment; `pending`/`firing`: the detector's reading; `tail`: after
 * it resolved, the same window's counts at each evaluation. Lead and tail
 * points carry the levels the alert was judged by (the baseline it froze
 * when it went pending, and its thresholds): the lead its pending reading's,
 * the tail its last reading's, so the chart shows how close the rate came
 * before and after, not only while the alert was active.
 */
export interface SeriesPoint {
  time: number;
  phase: "lead" | "pending" | "firing" | "tail";
  windowMinutes: number;
  calls: number;
  count: number;
  rate: number;
  wilsonLower: number;
  baseline: number | null;
  threshold: number | null;
  resolveThreshold: number | null;
  pinned: boolean;
}

/** A state change of the alert, with the numbers it changed on. */
export interface SeriesMark {
  time: number;
  from: AlertState;
  to: AlertState;
  rate: number;
  wilsonLower: number;
  baseline: number;
  threshold: number;
}

export interface AlertSeries {
  alertId: string;
  rule: string;
  scope: ScopeRef;
  points: SeriesPoint[];
  marks: SeriesMark[];
  /** Points recorded, before any thinning. */
  recorded: number;
}

interface Live extends AlertSeries {
  active: boolean;
  fired: boolean;
  tailLeft: number;
  /**
   * Each time the alert went pending again (a re-fire within the cooldown
   * keeps its id): its first point's time (the lead-in's), when it went
   * pending, and the points recorded before it.
   */
  episodes: { from: number; pending: number; recorded: number }[];
}

export interface IncidentEntry {
  /** The incident as of its last change (resolved, or still open at the end), its first `MAX_MEMBERS` members. */
  incident: Incident;
  /** All its members, of which `incident.members` lists the first. */
  memberCount: number;
  /** The root alert's series; absent beyond `maxCharts`. */
  series?: AlertSeries;
}

export interface RecorderOptions {
  /** Points per chart at most (pinned points aside). */
  maxPoints?: number;
  /** Evaluations before going pending and after resolving to show. */
  context?: number;
  /** Incidents that get a chart; the rest are listed. */
  maxCharts?: number;
}

export class SeriesRecorder {
  private readonly series = new Map<string, Live>();
  /** Every incident, in the order they opened. */
  private readonly incidents: IncidentEntry[] = [];
  private readonly open = new Map<string, IncidentEntry>();
  private readonly rules: Map<string, Rule>;
  private readonly maxWindow: number;
  private readonly maxPoints: number;
  private readonly context: number;
  readonly maxCharts: number;
  /** The last evaluations that read new minutes (an evaluation in the same minute does nothing). */
  private readonly recent: number[] = [];
  private lastMinute = -1;

  constructor(
    private readonly detector: Detector,
    options: RecorderOptions = {},
  ) {
    this.rules = new Map(detector.config.rules.map((r) => [r.id, r]));
    this.maxWindow = Math.max(
      ...detector.config.rules.map((r) => r.windows[r.windows.length - 1]!),
    );
    this.maxPoints = options.maxPoints ?? 300;
    this.context = options.context ?? 30;
    this.maxCharts = options.maxCharts ?? 100;
  }

  /**
   * Call after each `evaluate(now)` with its transitions, the detector's
   * `active()` and the incident changes of that evaluation.
   */
  record(
    now: number,
    transitions: readonly Transition[],
    active: readonly ActiveAlert[],
    changes: readonly IncidentChange[],
  ): void {
    const minute = Math.floor(now / MINUTE_MS);
    if (minute <= this.lastMinute) return;
    this.lastMinute = minute;
    const pinnedNow = new Set<string>();
    let ended = false;
    for (const t of transitions) {
      let s = this.series.get(t.incidentId);
      if (t.to === "pending") {
        if (!s) {
          s = {
            alertId: t.incidentId,
            rule: t.rule,
            scope: t.scope,
            points: [],
            marks: [],
            recorded: 0,
            active: false,
            fired: false,
            tailLeft: 0,
            episodes: [],
          };
          this.series.set(t.incidentId, s);
        }
        if (!s.active) {
          const recorded = s.recorded;
          const first = this.leadIn(s, t, minute);
          s.episodes.push({ from: first ?? now, pending: now, recorded });
        }
        s.active = true;
        s.tailLeft = 0;
      }
      if (!s) continue;
      if (t.to === "firing") s.fired = true;
      if (s.marks.length < 64) {
        s.marks.push({
          time: now,
          from: t.from,
          to: t.to,
          rate: t.rate,
          wilsonLower: t.wilsonLower,
          baseline: t.baseline,
          threshold: t.threshold,
        });
      }
      pinnedNow.add(t.incidentId);
      if (t.to === "resolved" || t.to === "normal") {
        // No longer in active(): the transition carries this evaluation's reading.
        s.active = false;
        ended = true;
        this.push(s, {
          ...pointOf(t, now, t.to === "resolved" ? "firing" : "pending"),
          pinned: true,
        });
        if (t.to === "normal" && !s.fired) this.series.delete(s.alertId);
        else s.tailLeft = this.context;
      }
    }
    for (const a of active) {
      if (a.evaluatedAt !== now) continue;
      const s = this.series.get(a.incidentId);
      if (!s) continue;
      this.push(s, {
        ...pointOf(a.reading, now, a.state),
        pinned: pinnedNow.has(a.incidentId),
      });
    }
    for (const s of this.series.values()) {
      if (s.active || s.tailLeft === 0 || pinnedNow.has(s.alertId)) continue;
      s.tailLeft--;
      const last = s.points[s.points.length - 1];
      const w = last?.windowMinutes ?? 0;
      const counts = w > 0 ? this.detector.windowCounts(s.scope.key, s.rule, w) : undefined;
      if (!counts) {
        s.tailLeft = 0;
        ended = true;
        continue;
      }
      this.push(s, this.countsPoint(s.rule, now, "tail", w, counts.calls, counts.count, last));
      if (s.tailLeft === 0) ended = true;
    }
    for (const c of changes) {
      const known = c.change === "opened" ? undefined : this.open.get(c.incident.id);
      if (!known && c.change !== "opened") continue;
      const members = c.incident.members;
      const entry = {
        incident:
          members.length > MAX_MEMBERS
            ? { ...c.incident, members: members.slice(0, MAX_MEMBERS) }
            : c.incident,
        memberCount: members.length,
      };
      if (known) Object.assign(known, entry);
      else {
        this.incidents.push(entry);
        this.open.set(c.incident.id, entry);
      }
      if (c.change === "resolved") this.open.delete(c.incident.id);
      ended ||= c.change !== "opened";
    }
    if (this.recent.push(now) > this.context) this.recent.shift();
    if (ended) this.forget();
  }

  /** Series no chart needs any more: their alert is over and roots no charted incident. */
  private forget(): void {
    const roots = new Set<string>();
    let charted = 0;
    for (const e of this.incidents) {
      if (charted++ >= this.maxCharts) break;
      roots.add(e.incident.root.alertId);
    }
    for (const [id, s] of this.series) {
      if (!s.active && s.tailLeft === 0 && !roots.has(id)) this.series.delete(id);
    }
  }

  /**
   * The evaluations before `t` went pending, on the window it went pending
   * on: windows the detector's minute counts still hold at this evaluation
   * (the longest rule window back), from the cumulative counts of the last
   * k whole minutes.
   */
  private leadIn(s: Live, t: Transition, minute: number): number | undefined {
    const w = t.windowMinutes;
    const after = s.points[s.points.length - 1]?.time ?? Number.NEGATIVE_INFINITY;
    const cumulative = new Map<number, { calls: number; count: number }>([
      [0, { calls: 0, count: 0 }],
    ]);
    const upTo = (k: number) => {
      let c = cumulative.get(k);
      if (!c) {
        c = this.detector.windowCounts(t.scope.key, t.rule, k);
        if (!c) return undefined;
        cumulative.set(k, c);
      }
      return c;
    };
    const lead: SeriesPoint[] = [];
    for (let i = this.recent.length - 1; i >= 0; i--) {
      const time = this.recent[i]!;
      if (time <= after) break;
      const back = minute - Math.floor(time / MINUTE_MS);
      if (back + w > this.maxWindow) break;
      const whole = upTo(back + w);
      const newer = upTo(back);
      if (!whole || !newer) break;
      lead.push(
        this.countsPoint(
          t.rule,
          time,
          "lead",
          w,
          whole.calls - newer.calls,
          whole.count - newer.count,
          t,
        ),
      );
    }
    for (let i = lead.length - 1; i >= 0; i--) this.push(s, lead[i]!);
    return lead[lead.length - 1]?.time;
  }

  private countsPoint(
    rule: string,
    time: number,
    phase: "lead" | "tail",
    windowMinutes: number,
    calls: number,
    count: number,
    levels?: Pick<SeriesPoint, "baseline" | "threshold" | "resolveThreshold">,
  ): SeriesPoint {
    const r = this.rules.get(rule)!;
    return {
      time,
      phase,
      windowMinutes,
      calls,
      count,
      rate: calls > 0 ? count / calls : 0,
      wilsonLower: wilsonLower(count, calls, zForConfidence(r.confidence)),
      baseline: levels?.baseline ?? null,
      threshold: levels?.threshold ?? null,
      resolveThreshold: levels?.resolveThreshold ?? null,
      pinned: false,
    };
  }

  private push(s: Live, p: SeriesPoint): void {
    s.recorded++;
    s.points.push(p);
    if (s.points.length >= 2 * this.maxPoints) s.points = thin(s.points, this.maxPoints);
  }

  /** The incidents in the order they opened, the first `maxCharts` with their root's series, thinned. */
  result(): IncidentEntry[] {
    const out: IncidentEntry[] = [];
    for (const e of this.incidents) {
      const s = out.length < this.maxCharts ? this.series.get(e.incident.root.alertId) : undefined;
      out.push(s ? { ...e, series: this.episodeOf(s, e.incident) } : { ...e });
    }
    return out;
  }

  /** The part of a series the incident covers: the alert's episodes from before it opened to after it resolved. */
  private episodeOf(s: Live, incident: Incident): AlertSeries {
    const end = incident.resolvedAt ?? Number.POSITIVE_INFINITY;
    const eps = s.episodes;
    let first = -1;
    let last = -1;
    eps.forEach((ep, k) => {
      const until = eps[k + 1]?.from ?? Number.POSITIVE_INFINITY;
      if (ep.pending <= end && until > incident.openedAt) {
        if (first < 0) first = k;
        last = k;
      }
    });
    const from = first < 0 ? Number.NEGATIVE_INFINITY : eps[first]!.from;
    const until =
      last < 0 ? Number.POSITIVE_INFINITY : (eps[last + 1]?.from ?? Number.POSITIVE_INFINITY);
    const inside = (t: number) => t >= from && t < until;
    const recorded =
      (last < 0 ? s.recorded : (eps[last + 1]?.recorded ?? s.recorded)) -
      (first < 0 ? 0 : eps[first]!.recorded);
    return {
      alertId: s.alertId,
      rule: s.rule,
      scope: s.scope,
      points: thin(
        s.points.filter((p) => inside(p.time)),
        this.maxPoints,
      ),
      marks: s.marks.filter((m) => inside(m.time)),
      recorded,
    };
  }
}

function pointOf(
  r: {
    windowMinutes: number;
    calls: number;
    count: number;
    rate: number;
    wilsonLower: number;
    baseline: number | null;
    threshold: number | null;
    resolveThreshold: number | null;
  },
  time: number,
  phase: "pending" | "firing",
): SeriesPoint {
  return {
    time,
    phase,
    windowMinutes: r.windowMinutes,
    calls: r.calls,
    count: r.count,
    rate: r.rate,
    wilsonLower: r.wilsonLower,
    baseline: r.baseline,
    threshold: r.threshold,
    resolveThreshold: r.resolveThreshold,
    pinned: false,
  };
}
