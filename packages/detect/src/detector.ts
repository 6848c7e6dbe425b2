import {
  BASELINE_BUCKET_MINUTES,
  type DetectorConfig,
  type Direction,
  type ResolvedConfig,
  type Rule,
  resolveConfig,
  type ScopeKind,
} from "./config.ts";
import { DetectError } from "./errors.ts";
import { fireThreshold, shrinkRate, wilsonLower, zForConfidence } from "./math.ts";
import {
  type AlertSnapshot,
  type ContributorEntry,
  checkSnapshot,
  type DetectorSnapshot,
  type ScopeSnapshot,
} from "./snapshot.ts";
import type {
  ActiveAlert,
  AlertState,
  CallEvent,
  Contributor,
  Detector,
  DetectorStats,
  ObserveResult,
  Reading,
  ScopeRef,
  Transition,
} from "./types.ts";

const MINUTE_MS = 60_000;
const Q = BASELINE_BUCKET_MINUTES;
/** Minutes since epoch must fit an Int32Array. */
const MAX_TIME = 2 ** 31 * MINUTE_MS;
/** Contributor entries kept per minute, rule and contributor kind (Space-Saving). */
const SKETCH = 4;
const KIND_RANK: Record<ScopeKind, number> = {
  global: 0,
  trunk: 1,
  trunk_direction: 2,
  customer: 3,
};
type ContributorKind = Contributor["kind"];
const DIMS: Record<ScopeKind, readonly ContributorKind[]> = {
  global: ["trunk", "customer"],
  trunk: ["customer"],
  trunk_direction: ["customer"],
  customer: [],
};
const NO_RULES: readonly number[] = [];

type AlertSlot = AlertSnapshot;

/** Per-scope counters: a ring of minute buckets for the windows, a ring of 15-minute buckets for the baseline. */
class ScopeData {
  readonly kind: ScopeKind;
  readonly ref: ScopeRef;
  readonly parent: ScopeData | undefined;
  readonly dims: readonly ContributorKind[];
  /** Newest event minute counted here. */
  lastMinute = -1;
  readonly minuteStamp: Int32Array;
  /** Per minute slot: calls, then the count of each rule. */
  readonly minutes: Uint32Array;
  readonly quarterStamp: Int32Array;
  readonly quarters: Uint32Array;
  sketchKeys: (string | undefined)[] | undefined;
  sketchCounts: Uint32Array | undefined;
  alerts: (AlertSlot | undefined)[] | undefined;
  inbound: ScopeData | undefined;
  outbound: ScopeData | undefined;
  /** Effective baseline per rule at the current evaluation (NaN: unknown). */
  readonly baseline: Float64Array;
  traffic = 0;
  watchedAt = -1;

  constructor(ref: ScopeRef, parent: ScopeData | undefined, geometry: Geometry) {
    this.kind = ref.kind;
    this.ref = ref;
    this.parent = parent;
    this.dims = DIMS[ref.kind];
    this.minuteStamp = new Int32Array(geometry.minuteSlots).fill(-1);
    this.minutes = new Uint32Array(geometry.minuteSlots * geometry.stride);
    this.quarterStamp = new Int32Array(geometry.quarterSlots).fill(-1);
    this.quarters = new Uint32Array(geometry.quarterSlots * geometry.stride);
    this.baseline = new Float64Array(geometry.rules).fill(Number.NaN);
    this.sketchKeys = undefined;
    this.sketchCounts = undefined;
    this.alerts = undefined;
    this.inbound = undefined;
    this.outbound = undefined;
  }

  hasActive(): boolean {
    const alerts = this.alerts;
    if (!alerts) return false;
    for (const a of alerts) if (a && (a.state === "pending" || a.state === "firing")) return true;
    return false;
  }
}

interface Geometry {
  rules: number;
  /** 1 + rules: calls then one count per rule. */
  stride: number;
  minuteSlots: number;
  quarterSlots: number;
}

function makeRef(
  kind: ScopeKind,
  trunk?: string,
  direction?: Direction,
  customer?: string,
): ScopeRef {
  switch (kind) {
    case "global":
      return Object.freeze({ kind, key: "global" });
    case "trunk":
      return Object.freeze({ kind, key: `trunk:${trunk}`, trunk: trunk! });
    case "trunk_direction":
      return Object.freeze({
        kind,
        key: `trunk_direction:${trunk}:${direction}`,
        trunk: trunk!,
        direction: direction!,
      });
    case "customer":
      return Object.freeze({ kind, key: `customer:${customer}`, customer: customer! });
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isActive(state: AlertState | undefined): state is "pending" | "firing" {
  return state === "pending" || state === "firing";
}

function copyAlert(a: AlertSlot): AlertSlot {
  return {
    ...a,
    last: a.last && {
      evaluatedAt: a.last.evaluatedAt,
      reading: { ...a.last.reading },
      contributors: a.last.contributors.map((c) => ({ ...c })),
    },
  };
}

interface Emitted {
  rule: number;
  rank: number;
  seq: number;
  transition: Transition;
}

class DetectorImpl implements Detector {
  readonly config: ResolvedConfig;
  private readonly rules: readonly Rule[];
  private readonly geometry: Geometry;
  private readonly stride: number;
  private readonly maxWindow: number;
  private readonly baselineQuarters: number;
  /** Distinct window lengths of all rules, ascending. */
  private readonly windowLengths: readonly number[];
  /** Per rule: indexes into windowLengths, ascending. */
  private readonly ruleWindows: readonly (readonly number[])[];
  private readonly z: readonly number[];
  /** Rule indexes matching each response code. */
  private readonly codeRules: readonly (readonly number[])[];
  /** Rule indexes alerting on each scope kind, by KIND_RANK. */
  private readonly rulesFor: readonly (readonly number[])[];
  private readonly trackTrunks: boolean;
  private readonly trackDirections: boolean;
  private readonly trackCustomers: boolean;
  /** Per rule: the first evaluation minute at which its baseline may be used (after a restore that added it). */
  private readonly warmUntil: number[];

  private readonly global: ScopeData;
  private readonly trunks = new Map<string, ScopeData>();
  private readonly customers = new Map<string, ScopeData>();
  private scopeCount = 1;
  private clockMinute = -1;
  private lastEvaluation: number | null = null;
  private readonly events: Record<ObserveResult, number> = {
    accepted: 0,
    ignored: 0,
    late: 0,
    future: 0,
    invalid: 0,
  };
  private overflow = 0;
  private evicted = 0;
  private watchedCustomers = 0;

  // Scratch space for one scope's sums during an evaluation.
  private readonly windowSums: Float64Array;
  private readonly running: Float64Array;
  private readonly baselineSums: Float64Array;

  constructor(config: ResolvedConfig, snapshot: DetectorSnapshot | undefined) {
    this.config = config;
    const rules = config.rules;
    this.rules = rules;
    const R = rules.length;
    this.stride = R + 1;
    this.maxWindow = Math.max(...rules.map((r) => r.windows[r.windows.length - 1]!));
    this.baselineQuarters = config.baselineMinutes / Q;
    const reach = this.maxWindow + config.maxFutureMinutes;
    this.geometry = {
      rules: R,
      stride: this.stride,
      minuteSlots: reach + 1,
      quarterSlots: this.baselineQuarters + Math.ceil(reach / Q) + 2,
    };
    const lengths = [...new Set(rules.flatMap((r) => r.windows))].sort((a, b) => a - b);
    this.windowLengths = lengths;
    this.ruleWindows = rules.map((r) => r.windows.map((w) => lengths.indexOf(w)));
    this.z = rules.map((r) => zForConfidence(r.confidence));
    const codeRules: number[][] = [];
    for (let code = 0; code < 700; code++) {
      const matching = rules.flatMap((r, i) => (r.codes.includes(code) ? [i] : []));
      codeRules.push(matching.length ? matching : (NO_RULES as number[]));
    }
    this.codeRules = codeRules;
    this.rulesFor = (["global", "trunk", "trunk_direction", "customer"] as const).map((kind) =>
      rules.flatMap((r, i) => (r.scopes.includes(kind) ? [i] : [])),
    );
    const watches = (kind: ScopeKind) => rules.some((r) => r.scopes.includes(kind));
    this.trackDirections = watches("trunk_direction");
    this.trackTrunks = this.trackDirections || watches("trunk");
    this.trackCustomers = watches("customer");
    this.warmUntil = rules.map(() => -1);
    this.windowSums = new Float64Array(lengths.length * this.stride);
    this.running = new Float64Array(this.stride);
    this.baselineSums = new Float64Array(this.stride);
    this.global = new ScopeData(makeRef("global"), undefined, this.geometry);
    if (snapshot !== undefined) this.restore(checkSnapshot(snapshot));
  }

  // ---------------------------------------------------------------- observe

  observe(event: CallEvent): ObserveResult {
    const time = event.time;
    const code = event.code;
    if (
      typeof time !== "number" ||
      !(time >= 0 && time < MAX_TIME) ||
      typeof code !== "number" ||
      !Number.isInteger(code) ||
      code < 100 ||
      code > 699
    ) {
      this.events.invalid++;
      return "invalid";
    }
    const direction = event.direction;
    if (direction !== undefined && direction !== "inbound" && direction !== "outbound") {
      this.events.invalid++;
      return "invalid";
    }
    if (code < 200) {
      this.events.ignored++;
      return "ignored";
    }
    const minute = Math.floor(time / MINUTE_MS);
    const clock = this.clockMinute;
    if (clock >= 0) {
      if (minute > clock + this.config.maxFutureMinutes) {
        this.events.future++;
        return "future";
      }
      if (Math.floor(minute / Q) < this.firstBaselineQuarter(clock + 1)) {
        this.events.late++;
        return "late";
      }
    }
    const rules = this.codeRules[code]!;
    const written = this.write(this.global, minute, rules);
    if (written === 0) {
      this.events.late++;
      return "late";
    }
    this.events.accepted++;
    const slot = minute % this.geometry.minuteSlots;
    const inWindow = written === 2 && rules.length > 0;

    const trunk = event.trunk;
    const customer = event.customer;
    const hasTrunk = typeof trunk === "string" && trunk !== "";
    const hasCustomer = typeof customer === "string" && customer !== "";
    if (inWindow) {
      if (hasTrunk) this.sketch(this.global, slot, rules, 0, trunk);
      if (hasCustomer) this.sketch(this.global, slot, rules, 1, customer);
    }
    if (hasTrunk && this.trackTrunks) {
      const t = this.trunkScope(trunk);
      if (t) {
        this.write(t, minute, rules);
        if (inWindow && hasCustomer) this.sketch(t, slot, rules, 0, customer);
        if (direction !== undefined && this.trackDirections) {
          const td = this.directionScope(t, direction);
          if (td) {
            this.write(td, minute, rules);
            if (inWindow && hasCustomer) this.sketch(td, slot, rules, 0, customer);
          }
        }
      }
    }
    if (hasCustomer && this.trackCustomers) {
      const c = this.customerScope(customer);
      if (c) this.write(c, minute, rules);
    }
    return "accepted";
  }

  /** The oldest 15-minute bucket the baseline of an evaluation at `nowMinute` reads. */
  private firstBaselineQuarter(nowMinute: number): number {
    return Math.floor((nowMinute - this.maxWindow) / Q) - this.baselineQuarters;
  }

  private trunkScope(trunk: string): ScopeData | undefined {
    let t = this.trunks.get(trunk);
    if (t) return t;
    if (this.scopeCount >= this.config.maxScopes) {
      this.overflow++;
      return undefined;
    }
    t = new ScopeData(makeRef("trunk", trunk), this.global, this.geometry);
    this.trunks.set(trunk, t);
    this.scopeCount++;
    return t;
  }

  private directionScope(t: ScopeData, direction: Direction): ScopeData | undefined {
    const existing = direction === "inbound" ? t.inbound : t.outbound;
    if (existing) return existing;
    if (this.scopeCount >= this.config.maxScopes) {
      this.overflow++;
      return undefined;
    }
    const td = new ScopeData(makeRef("trunk_direction", t.ref.trunk, direction), t, this.geometry);
    if (direction === "inbound") t.inbound = td;
    else t.outbound = td;
    this.scopeCount++;
    return td;
  }

  private customerScope(customer: string): ScopeData | undefined {
    let c = this.customers.get(customer);
    if (c) return c;
    if (this.scopeCount >= this.config.maxScopes) {
      this.overflow++;
      return undefined;
    }
    c = new ScopeData(
      makeRef("customer", undefined, undefined, customer),
      this.global,
      this.geometry,
    );
    this.customers.set(customer, c);
    this.scopeCount++;
    return c;
  }

  /**
   * Counts one call (and one per matching rule) in the scope's buckets.
   * Returns 0 when even the 15-minute ring holds only newer data (too late),
   * 1 when only the 15-minute bucket took it, 2 when the minute bucket did too.
   */
  private write(s: ScopeData, minute: number, rules: readonly number[]): 0 | 1 | 2 {
    const stride = this.stride;
    const quarter = Math.floor(minute / Q);
    const qs = quarter % this.geometry.quarterSlots;
    const qStamp = s.quarterStamp[qs]!;
    if (qStamp > quarter) return 0;
    let base = qs * stride;
    if (qStamp !== quarter) {
      s.quarters.fill(0, base, base + stride);
      s.quarterStamp[qs] = quarter;
    }
    s.quarters[base]!++;
    for (let i = 0; i < rules.length; i++) s.quarters[base + 1 + rules[i]!]!++;
    if (minute > s.lastMinute) s.lastMinute = minute;

    const ms = minute % this.geometry.minuteSlots;
    const mStamp = s.minuteStamp[ms]!;
    if (mStamp > minute) return 1;
    base = ms * stride;
    if (mStamp !== minute) {
      s.minutes.fill(0, base, base + stride);
      s.minuteStamp[ms] = minute;
      if (s.sketchKeys) {
        const size = this.geometry.rules * s.dims.length * SKETCH;
        s.sketchKeys.fill(undefined, ms * size, ms * size + size);
        s.sketchCounts!.fill(0, ms * size, ms * size + size);
      }
    }
    s.minutes[base]!++;
    for (let i = 0; i < rules.length; i++) s.minutes[base + 1 + rules[i]!]!++;
    return 2;
  }

  /** Space-Saving update of the top contributors of one minute, for each matching rule. */
  private sketch(
    s: ScopeData,
    slot: number,
    rules: readonly number[],
    dim: number,
    key: string,
  ): void {
    const dims = s.dims.length;
    let keys = s.sketchKeys;
    let counts = s.sketchCounts;
    if (!keys || !counts) {
      const size = this.geometry.minuteSlots * this.geometry.rules * dims * SKETCH;
      keys = s.sketchKeys = new Array<string | undefined>(size).fill(undefined);
      counts = s.sketchCounts = new Uint32Array(size);
    }
    for (let i = 0; i < rules.length; i++) {
      const base = ((slot * this.geometry.rules + rules[i]!) * dims + dim) * SKETCH;
      let min = 0;
      let j = 0;
      for (; j < SKETCH; j++) {
        const k = keys[base + j];
        if (k === key || k === undefined) break;
        if (counts[base + j]! < counts[base + min]!) min = j;
      }
      if (j === SKETCH) {
        keys[base + min] = key;
        counts[base + min]!++;
      } else {
        keys[base + j] = key;
        counts[base + j]!++;
      }
    }
  }

  // --------------------------------------------------------------- evaluate

  evaluate(now: number): Transition[] {
    if (typeof now !== "number" || !(now >= 0 && now < MAX_TIME)) {
      throw new DetectError("invalid_argument", `evaluate needs a time in ms ≥ 0 (got ${now})`);
    }
    const nowMinute = Math.floor(now / MINUTE_MS);
    if (nowMinute <= this.clockMinute) return [];
    this.clockMinute = nowMinute;
    this.lastEvaluation = now;
    const firstQuarter = this.firstBaselineQuarter(nowMinute);
    const idleBefore = firstQuarter * Q;
    const out: Emitted[] = [];

    const g = this.global;
    this.measure(g, nowMinute, firstQuarter);
    this.setBaselines(g, nowMinute);
    this.assess(g, now, nowMinute, out);

    for (const [name, t] of this.trunks) {
      for (const td of [t.inbound, t.outbound]) {
        if (td && td.lastMinute < idleBefore && !td.hasActive()) this.evict(t, td);
      }
      if (!t.inbound && !t.outbound && t.lastMinute < idleBefore && !t.hasActive()) {
        this.trunks.delete(name);
        this.scopeCount--;
        this.evicted++;
        continue;
      }
      this.measure(t, nowMinute, firstQuarter);
      this.setBaselines(t, nowMinute);
      this.assess(t, now, nowMinute, out);
      for (const td of [t.inbound, t.outbound]) {
        if (!td) continue;
        this.measure(td, nowMinute, firstQuarter);
        this.setBaselines(td, nowMinute);
        this.assess(td, now, nowMinute, out);
      }
    }

    if (this.customers.size) this.assessCustomers(now, nowMinute, firstQuarter, idleBefore, out);

    out.sort(
      (a, b) =>
        a.rule - b.rule ||
        a.rank - b.rank ||
        compareText(a.transition.scope.key, b.transition.scope.key) ||
        a.seq - b.seq,
    );
    return out.map((e) => e.transition);
  }

  private evict(t: ScopeData, td: ScopeData): void {
    if (t.inbound === td) t.inbound = undefined;
    else t.outbound = undefined;
    this.scopeCount--;
    this.evicted++;
  }

  /**
   * Customers are watched when their traffic (calls in the baseline plus the
   * longest window) reaches `customers.minCalls`, the busiest `customers.max`
   * of them, plus any customer still pending or firing.
   */
  private assessCustomers(
    now: number,
    nowMinute: number,
    firstQuarter: number,
    idleBefore: number,
    out: Emitted[],
  ): void {
    const { minCalls, max } = this.config.customers;
    const eligible: ScopeData[] = [];
    for (const [name, c] of this.customers) {
      const active = c.hasActive();
      if (c.lastMinute < idleBefore && !active) {
        this.customers.delete(name);
        this.scopeCount--;
        this.evicted++;
        continue;
      }
      c.traffic = this.traffic(c, nowMinute, firstQuarter);
      if (active) c.watchedAt = nowMinute;
      if (c.traffic >= minCalls) eligible.push(c);
    }
    eligible.sort((a, b) => b.traffic - a.traffic || compareText(a.ref.key, b.ref.key));
    for (let i = 0; i < eligible.length && i < max; i++) eligible[i]!.watchedAt = nowMinute;
    let watched = 0;
    for (const c of this.customers.values()) {
      if (c.watchedAt !== nowMinute) continue;
      watched++;
      this.measure(c, nowMinute, firstQuarter);
      this.setBaselines(c, nowMinute);
      this.assess(c, now, nowMinute, out);
    }
    this.watchedCustomers = watched;
  }

  /** Fills windowSums (per distinct window length) and baselineSums for one scope. */
  private measure(s: ScopeData, nowMinute: number, firstQuarter: number): void {
    const stride = this.stride;
    const running = this.running.fill(0);
    const sums = this.windowSums;
    const lengths = this.windowLengths;
    const slots = this.geometry.minuteSlots;
    let w = 0;
    for (let j = 0; j < this.maxWindow; j++) {
      const minute = nowMinute - 1 - j;
      if (minute >= 0) {
        const slot = minute % slots;
        if (s.minuteStamp[slot] === minute) {
          const base = slot * stride;
          for (let k = 0; k < stride; k++) running[k]! += s.minutes[base + k]!;
        }
      }
      if (j + 1 === lengths[w]) {
        sums.set(running, w * stride);
        w++;
      }
    }
    const baseline = this.baselineSums.fill(0);
    const qSlots = this.geometry.quarterSlots;
    const end = firstQuarter + this.baselineQuarters;
    for (let quarter = Math.max(0, firstQuarter); quarter < end; quarter++) {
      const slot = quarter % qSlots;
      if (s.quarterStamp[slot] !== quarter) continue;
      const base = slot * stride;
      for (let k = 0; k < stride; k++) baseline[k]! += s.quarters[base + k]!;
    }
  }

  /** Calls in the baseline plus the longest window, without the per-rule counts. */
  private traffic(s: ScopeData, nowMinute: number, firstQuarter: number): number {
    const stride = this.stride;
    let calls = 0;
    const slots = this.geometry.minuteSlots;
    for (let j = 1; j <= this.maxWindow; j++) {
      const minute = nowMinute - j;
      if (minute < 0) break;
      const slot = minute % slots;
      if (s.minuteStamp[slot] === minute) calls += s.minutes[slot * stride]!;
    }
    const qSlots = this.geometry.quarterSlots;
    const end = firstQuarter + this.baselineQuarters;
    for (let quarter = Math.max(0, firstQuarter); quarter < end; quarter++) {
      const slot = quarter % qSlots;
      if (s.quarterStamp[slot] === quarter) calls += s.quarters[slot * stride]!;
    }
    return calls;
  }

  /**
   * The scope's baseline per rule: its own rate over the baseline buckets,
   * shrunk toward the parent's baseline; the global one needs
   * `minBaselineCalls`. Pending and firing alerts keep the value frozen when
   * they went pending.
   */
  private setBaselines(s: ScopeData, nowMinute: number): void {
    const sums = this.baselineSums;
    const calls = sums[0]!;
    const { minBaselineCalls, priorCalls } = this.config;
    for (let r = 0; r < this.geometry.rules; r++) {
      const slot = s.alerts?.[r];
      if (slot && isActive(slot.state)) {
        s.baseline[r] = slot.frozenBaseline!;
        continue;
      }
      const count = sums[r + 1]!;
      if (nowMinute < this.warmUntil[r]!) s.baseline[r] = Number.NaN;
      else if (!s.parent) {
        s.baseline[r] = calls > 0 && calls >= minBaselineCalls ? count / calls : Number.NaN;
      } else {
        const parentRate = s.parent.baseline[r]!;
        s.baseline[r] = Number.isNaN(parentRate)
          ? Number.NaN
          : shrinkRate(count, calls, parentRate, priorCalls);
      }
    }
  }

  /** Runs the state machine of every rule watching this scope's kind. */
  private assess(s: ScopeData, now: number, nowMinute: number, out: Emitted[]): void {
    const rank = KIND_RANK[s.kind];
    const stride = this.stride;
    const sums = this.windowSums;
    for (const r of this.rulesFor[rank]!) {
      const rule = this.rules[r]!;
      const windows = this.ruleWindows[r]!;
      let w = windows[windows.length - 1]!;
      let sufficient = false;
      for (const candidate of windows) {
        if (sums[candidate * stride]! >= rule.minCalls) {
          w = candidate;
          sufficient = true;
          break;
        }
      }
      const calls = sums[w * stride]!;
      const count = sums[w * stride + 1 + r]!;
      const baseline = s.baseline[r]!;
      const known = !Number.isNaN(baseline);
      const status = !sufficient ? "insufficient_data" : known ? "ok" : "no_baseline";
      const lower = wilsonLower(count, calls, this.z[r]!);
      const rate = calls > 0 ? count / calls : 0;
      const threshold = known ? fireThreshold(baseline, rule) : Number.NaN;
      const resolveThreshold = rule.resolveRatio * threshold;
      const breach = status === "ok" && count >= rule.minCount && lower > threshold;
      const clear = status !== "ok" || !(rate >= resolveThreshold);

      let slot = s.alerts?.[r];
      const state: AlertState = slot?.state ?? "normal";
      if (!breach && !isActive(state)) continue;

      let reading: Reading | undefined;
      let contributors: Contributor[] | undefined;
      // Built once per rule and scope, for a transition or for an active alert's last numbers.
      const readingNow = (): Reading =>
        (reading ??= {
          status,
          windowMinutes: this.windowLengths[w]!,
          calls,
          count,
          rate,
          wilsonLower: lower,
          baseline: known ? baseline : null,
          threshold: known ? threshold : null,
          resolveThreshold: known ? resolveThreshold : null,
        });
      const emit = (a: AlertSlot, from: AlertState, to: AlertState) => {
        const numbers = readingNow();
        contributors ??= this.contributors(s, r, this.windowLengths[w]!, nowMinute);
        out.push({
          rule: r,
          rank,
          seq: out.length,
          transition: {
            rule: rule.id,
            scope: s.ref,
            from,
            to,
            time: now,
            incidentId: a.incidentId!,
            since: a.since!,
            ...numbers,
            baseline,
            threshold,
            resolveThreshold,
            contributors: contributors.map((c) => ({ ...c })),
          },
        });
      };

      if (!slot) {
        s.alerts ??= new Array<AlertSlot | undefined>(this.geometry.rules).fill(undefined);
        slot = s.alerts[r] = {
          state: "normal",
          streak: 0,
          since: null,
          firedAt: null,
          incidentId: null,
          frozenBaseline: null,
          resolvedAt: null,
          resolvedIncidentId: null,
          last: null,
        };
      }
      const a = slot;
      if (state === "normal" || state === "resolved") {
        const reuse =
          a.resolvedIncidentId !== null &&
          a.resolvedAt !== null &&
          now - a.resolvedAt <= rule.cooldownMinutes * MINUTE_MS;
        a.incidentId = reuse ? a.resolvedIncidentId : `${rule.id}:${s.ref.key}:${now}`;
        a.since = now;
        a.firedAt = null;
        a.frozenBaseline = baseline;
        a.state = "pending";
        a.streak = 1;
        emit(a, state, "pending");
        if (a.streak >= rule.fireAfter) this.fire(a, now, emit);
      } else if (state === "pending") {
        if (breach) {
          a.streak++;
          if (a.streak >= rule.fireAfter) this.fire(a, now, emit);
        } else {
          a.state = "normal";
          emit(a, "pending", "normal");
          a.streak = 0;
          a.since = null;
          a.incidentId = null;
          a.frozenBaseline = null;
          a.last = null;
        }
      } else if (clear) {
        a.streak++;
        if (a.streak >= rule.resolveAfter) {
          a.state = "resolved";
          a.resolvedAt = now;
          a.resolvedIncidentId = a.incidentId;
          emit(a, "firing", "resolved");
          a.streak = 0;
          a.since = null;
          a.firedAt = null;
          a.incidentId = null;
          a.frozenBaseline = null;
          a.last = null;
        }
      } else a.streak = 0;

      if (isActive(a.state)) {
        // An active alert's baseline is frozen and known, so readingNow() has no nulls here.
        contributors ??= this.contributors(s, r, this.windowLengths[w]!, nowMinute);
        a.last = { evaluatedAt: now, reading: readingNow(), contributors };
      }
    }
  }

  private fire(
    a: AlertSlot,
    now: number,
    emit: (a: AlertSlot, from: AlertState, to: AlertState) => void,
  ): void {
    a.state = "firing";
    a.firedAt = now;
    a.streak = 0;
    emit(a, "pending", "firing");
  }

  /** Top contributors of rule `r` in the scope over the last `minutes` whole minutes. */
  private contributors(s: ScopeData, r: number, minutes: number, nowMinute: number): Contributor[] {
    const keys = s.sketchKeys;
    const counts = s.sketchCounts;
    const top = this.config.topContributors;
    if (!keys || !counts || top === 0) return [];
    const dims = s.dims.length;
    const slots = this.geometry.minuteSlots;
    const result: Contributor[] = [];
    for (let d = 0; d < dims; d++) {
      const totals = new Map<string, number>();
      for (let j = 1; j <= minutes; j++) {
        const minute = nowMinute - j;
        if (minute < 0) break;
        const slot = minute % slots;
        if (s.minuteStamp[slot] !== minute) continue;
        const base = ((slot * this.geometry.rules + r) * dims + d) * SKETCH;
        for (let i = 0; i < SKETCH; i++) {
          const key = keys[base + i];
          if (key === undefined) break;
          totals.set(key, (totals.get(key) ?? 0) + counts[base + i]!);
        }
      }
      const ranked = [...totals].sort((a, b) => b[1] - a[1] || compareText(a[0], b[0]));
      for (const [key, count] of ranked.slice(0, top))
        result.push({ kind: s.dims[d]!, key, count });
    }
    return result;
  }

  // ------------------------------------------------------- active and stats

  private *allScopes(): Generator<ScopeData> {
    yield this.global;
    for (const t of this.trunks.values()) {
      yield t;
      if (t.inbound) yield t.inbound;
      if (t.outbound) yield t.outbound;
    }
    yield* this.customers.values();
  }

  active(): ActiveAlert[] {
    const found: { r: number; rank: number; alert: ActiveAlert }[] = [];
    for (const s of this.allScopes()) {
      s.alerts?.forEach((a, r) => {
        if (!a || !isActive(a.state) || !a.last) return;
        found.push({
          r,
          rank: KIND_RANK[s.kind],
          alert: {
            rule: this.rules[r]!.id,
            scope: s.ref,
            state: a.state,
            incidentId: a.incidentId!,
            since: a.since!,
            firedAt: a.firedAt,
            evaluatedAt: a.last.evaluatedAt,
            reading: { ...a.last.reading },
            contributors: a.last.contributors.map((c) => ({ ...c })),
          },
        });
      });
    }
    found.sort(
      (a, b) => a.r - b.r || a.rank - b.rank || compareText(a.alert.scope.key, b.alert.scope.key),
    );
    return found.map((f) => f.alert);
  }

  stats(): DetectorStats {
    const scopes = { global: 1, trunk: 0, trunk_direction: 0, customer: 0, total: 0 };
    for (const s of this.allScopes()) if (s.kind !== "global") scopes[s.kind]++;
    scopes.total = this.scopeCount;
    return {
      scopes,
      watchedCustomers: this.watchedCustomers,
      buckets: this.scopeCount * (this.geometry.minuteSlots + this.geometry.quarterSlots),
      events: { ...this.events },
      overflow: this.overflow,
      evicted: this.evicted,
      lastEvaluation: this.lastEvaluation,
    };
  }

  // ---------------------------------------------------- snapshot and restore

  snapshot(): DetectorSnapshot {
    const scopes: ScopeSnapshot[] = [];
    for (const s of this.allScopes()) scopes.push(this.scopeSnapshot(s));
    return {
      version: 1,
      rules: this.rules.map((r, i) => ({
        id: r.id,
        codes: [...r.codes],
        ...(this.warmUntil[i]! >= 0 ? { warmUntil: this.warmUntil[i]! } : {}),
      })),
      lastEvaluation: this.lastEvaluation,
      events: { ...this.events },
      overflow: this.overflow,
      evicted: this.evicted,
      watchedCustomers: this.watchedCustomers,
      scopes,
    };
  }

  private scopeSnapshot(s: ScopeData): ScopeSnapshot {
    const stride = this.stride;
    const flatten = (stamps: Int32Array, values: Uint32Array): number[] => {
      const flat: number[] = [];
      stamps.forEach((stamp, slot) => {
        if (stamp < 0 || values[slot * stride] === 0) return;
        flat.push(stamp);
        for (let k = 0; k < stride; k++) flat.push(values[slot * stride + k]!);
      });
      return flat;
    };
    const contributors: ContributorEntry[] = [];
    const keys = s.sketchKeys;
    const counts = s.sketchCounts;
    if (keys && counts) {
      const dims = s.dims.length;
      s.minuteStamp.forEach((minute, slot) => {
        if (minute < 0) return;
        for (let r = 0; r < this.geometry.rules; r++) {
          for (let d = 0; d < dims; d++) {
            const base = ((slot * this.geometry.rules + r) * dims + d) * SKETCH;
            for (let i = 0; i < SKETCH; i++) {
              const key = keys[base + i];
              if (key === undefined) break;
              const kind = s.dims[d] === "trunk" ? 0 : 1;
              contributors.push([minute, r, kind, i, key, counts[base + i]!]);
            }
          }
        }
      });
    }
    const { trunk, direction, customer } = s.ref;
    return {
      kind: s.kind,
      ...(trunk !== undefined ? { trunk } : {}),
      ...(direction !== undefined ? { direction } : {}),
      ...(customer !== undefined ? { customer } : {}),
      lastMinute: s.lastMinute,
      minutes: flatten(s.minuteStamp, s.minutes),
      quarterHours: flatten(s.quarterStamp, s.quarters),
      contributors,
      alerts: this.rules.map((_, r) => {
        const a = s.alerts?.[r];
        return a ? copyAlert(a) : null;
      }),
    };
  }

  private restore(snap: DetectorSnapshot): void {
    // Map each configured rule to the snapshot rule with the same id and codes.
    const source = this.rules.map((rule) =>
      snap.rules.findIndex(
        (s) =>
          s.id === rule.id &&
          s.codes.length === rule.codes.length &&
          s.codes.every((c) => rule.codes.includes(c)),
      ),
    );
    const lastEvaluation = snap.lastEvaluation;
    this.lastEvaluation = lastEvaluation;
    this.clockMinute = lastEvaluation === null ? -1 : Math.floor(lastEvaluation / MINUTE_MS);
    Object.assign(this.events, snap.events);
    this.overflow = snap.overflow;
    this.evicted = snap.evicted;
    this.watchedCustomers = snap.watchedCustomers;

    const newest = Math.max(this.clockMinute, ...snap.scopes.map((s) => s.lastMinute));
    source.forEach((from, r) => {
      if (from >= 0) this.warmUntil[r] = snap.rules[from]!.warmUntil ?? -1;
      // A rule the snapshot did not count has no history: no baseline until a whole one is new.
      else this.warmUntil[r] = newest + 1 + this.maxWindow + this.config.baselineMinutes + Q;
    });

    const sourceStride = snap.rules.length + 1;
    snap.scopes.forEach((shot, i) => {
      const s = this.restoreScope(shot, i);
      if (!s) return;
      s.lastMinute = shot.lastMinute;
      const load = (flat: number[], write: (stamp: number, values: number[]) => void) => {
        for (let at = 0; at < flat.length; at += sourceStride + 1) {
          const values = [flat[at + 1]!];
          for (const from of source) values.push(from >= 0 ? flat[at + 2 + from]! : 0);
          write(flat[at]!, values);
        }
      };
      load(shot.minutes, (minute, values) => {
        this.load(s.minuteStamp, s.minutes, minute % this.geometry.minuteSlots, minute, values);
      });
      load(shot.quarterHours, (quarter, values) => {
        this.load(
          s.quarterStamp,
          s.quarters,
          quarter % this.geometry.quarterSlots,
          quarter,
          values,
        );
      });
      for (const [minute, from, kind, position, key, count] of shot.contributors) {
        const r = source.indexOf(from);
        const d = s.dims.indexOf(kind === 0 ? "trunk" : "customer");
        const slot = minute % this.geometry.minuteSlots;
        if (r < 0 || d < 0 || position >= SKETCH || s.minuteStamp[slot] !== minute) continue;
        const dims = s.dims.length;
        if (!s.sketchKeys || !s.sketchCounts) {
          const size = this.geometry.minuteSlots * this.geometry.rules * dims * SKETCH;
          s.sketchKeys = new Array<string | undefined>(size).fill(undefined);
          s.sketchCounts = new Uint32Array(size);
        }
        const index = ((slot * this.geometry.rules + r) * dims + d) * SKETCH + position;
        s.sketchKeys[index] = key;
        s.sketchCounts[index] = count;
      }
      source.forEach((from, r) => {
        const a = from >= 0 ? shot.alerts[from] : null;
        if (!a) return;
        s.alerts ??= new Array<AlertSlot | undefined>(this.geometry.rules).fill(undefined);
        s.alerts[r] = copyAlert(a);
      });
    });
  }

  private load(
    stamps: Int32Array,
    values: Uint32Array,
    slot: number,
    stamp: number,
    counts: number[],
  ): void {
    const existing = stamps[slot]!;
    if (existing > stamp) return;
    const base = slot * this.stride;
    if (existing !== stamp) {
      values.fill(0, base, base + this.stride);
      stamps[slot] = stamp;
    }
    for (let k = 0; k < this.stride; k++) values[base + k]! += counts[k]!;
  }

  private restoreScope(shot: ScopeSnapshot, index: number): ScopeData | undefined {
    switch (shot.kind) {
      case "global":
        return this.global;
      case "trunk":
        if (!this.trackTrunks) return undefined;
        if (this.trunks.has(shot.trunk!)) break;
        return this.trunkScope(shot.trunk!);
      case "trunk_direction": {
        if (!this.trackDirections) return undefined;
        const t = this.trunks.get(shot.trunk!);
        // Its trunk was not restored (maxScopes), or the snapshot lists it later: skip it.
        if (!t) return undefined;
        if ((shot.direction === "inbound" ? t.inbound : t.outbound) !== undefined) break;
        return this.directionScope(t, shot.direction!);
      }
      case "customer":
        if (!this.trackCustomers) return undefined;
        if (this.customers.has(shot.customer!)) break;
        return this.customerScope(shot.customer!);
    }
    throw new DetectError(
      "invalid_snapshot",
      `invalid detector snapshot: scopes[${index}] repeats a scope`,
      [{ path: ["scopes", index], message: "repeats a scope" }],
    );
  }
}

/**
 * Creates a detector. `config` is checked with `resolveConfig` (throws a
 * `DetectError` with code `invalid_config`); a `snapshot` from `snapshot()`
 * (JSON round-tripped or not) resumes exactly where it was taken.
 */
export function createDetector(config?: DetectorConfig, snapshot?: DetectorSnapshot): Detector {
  return new DetectorImpl(resolveConfig(config), snapshot);
}
