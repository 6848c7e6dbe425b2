import { type Alert, isActive, NORMAL, step } from "./alert.ts";
import { setBaselines } from "./baseline.ts";
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
import { HourProfile } from "./hours.ts";
import { fireThreshold, wilsonLower, wilsonUpper, zForConfidence } from "./math.ts";
import { likelyByChance, minCountFor } from "./min-count.ts";
import { phraseKey, RuleMatcher, readPhrases } from "./phrases.ts";
import type { Contributor, ObserveResult, PhraseCount, Reading } from "./reading.ts";
import { type Recent, recentCounts } from "./recent.ts";
import type { Geometry } from "./rings.ts";
import { KIND_RANK, makeRef, Scope } from "./scope.ts";
import { changeEvidence, type Evidence } from "./sequential.ts";
import {
  checkSnapshot,
  type DetectorSnapshot,
  type DetectorSnapshotV1,
  loadScope,
  type ScopeSnapshot,
  scopeSnapshot,
} from "./snapshot.ts";
import type {
  ActiveAlert,
  CallEvent,
  Detector,
  DetectorStats,
  Transition,
  WindowCounts,
} from "./types.ts";

const MINUTE_MS = 60_000;
const Q = BASELINE_BUCKET_MINUTES;
/** Minutes since epoch must fit an Int32Array. */
const MAX_TIME = 2 ** 31 * MINUTE_MS;
const NO_RULES: readonly number[] = [];

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
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
  private readonly zResolve: readonly number[];
  /** Rule indexes matching each response code and phrase. */
  private readonly matcher: RuleMatcher;
  /** Rule indexes alerting on each scope kind, by KIND_RANK. */
  private readonly rulesFor: readonly (readonly number[])[];
  private readonly trackTrunks: boolean;
  private readonly trackDirections: boolean;
  private readonly trackCustomers: boolean;
  /** Per rule: the first evaluation minute at which its baseline may be used (after a restore that added it). */
  private readonly warmUntil: number[];

  private readonly global: Scope;
  private readonly trunks = new Map<string, Scope>();
  private readonly customers = new Map<string, Scope>();
  private scopeCount = 1;
  private clockMinute = -1;
  /** The clock minute before the running evaluation: the scopes' sums slide from it. */
  private previousMinute = -1;
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
  private readonly evidence: Evidence = { llr: 0, minutes: 0, calls: 0, count: 0 };
  /** The sequential test's evidence since a firing alert's last window breach (stillRising). */
  private readonly sinceBreach: Evidence = { llr: 0, minutes: 0, calls: 0, count: 0 };
  private readonly recent: Recent = { minutes: 0, calls: 0, count: 0 };
  /** Per scope kind: ln(scopes of that kind judged now), added to the sequential test's level. */
  private readonly looks = [0, 0, 0, 0];
  /**
   * The alerts the last evaluation left active (every scope with one is judged in every
   * evaluation); -1 before the first, or while one runs. With none, `active()` returns at once.
   */
  private activeAfter = -1;
  private activeSeen = 0;
  /** Per scope kind: the scopes of that kind judged now (at least 1). */
  private readonly scopesOf = [1, 1, 1, 1];
  /** Per rule: its longest window (minutes), how far back the sequential test looks. */
  private readonly ruleLongest: readonly number[];

  /** False: every sum and test is worked out in full (see `DetectorOptions.exhaustive`). */
  private readonly shortcuts: boolean;

  constructor(
    config: ResolvedConfig,
    snapshot: DetectorSnapshot | DetectorSnapshotV1 | undefined,
    options: DetectorOptions,
  ) {
    this.config = config;
    this.shortcuts = options.exhaustive !== true;
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
    this.ruleLongest = rules.map((r) => r.windows[r.windows.length - 1]!);
    this.z = rules.map((r) => zForConfidence(r.confidence));
    this.zResolve = rules.map((r) => zForConfidence(r.resolveConfidence));
    this.matcher = new RuleMatcher(rules, NO_RULES);
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
    this.global = new Scope(makeRef("global"), undefined, this.geometry);
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
    const quarter = Math.floor(minute / Q);
    const clock = this.clockMinute;
    if (clock >= 0) {
      if (minute > clock + this.config.maxFutureMinutes) {
        this.events.future++;
        return "future";
      }
      if (quarter < this.firstBaselineQuarter(clock + 1)) {
        this.events.late++;
        return "late";
      }
    }
    const rules = this.matcher.rules(code, event.phrase);
    // The same buckets in every scope: worked out once.
    const qSlot = quarter % this.geometry.quarterSlots;
    const slot = minute % this.geometry.minuteSlots;
    const written = this.global.countAt(minute, quarter, qSlot, slot, rules);
    if (written === 0) {
      this.events.late++;
      return "late";
    }
    this.events.accepted++;
    const inWindow = written === 2 && rules.length > 0;

    const trunk = event.trunk;
    const customer = event.customer;
    const hasTrunk = typeof trunk === "string" && trunk !== "";
    const hasCustomer = typeof customer === "string" && customer !== "";
    const text = inWindow ? phraseKey(code, event.phrase, event.reason, direction) : "";
    if (inWindow) {
      if (hasTrunk) this.global.openSketch().add(minute, slot, rules, 0, trunk);
      if (hasCustomer) this.global.openSketch().add(minute, slot, rules, 1, customer);
      this.global.openPhrases().add(minute, slot, rules, 0, text);
    }
    if (hasTrunk && this.trackTrunks) {
      const t = this.trunkScope(trunk);
      if (t) {
        t.countAt(minute, quarter, qSlot, slot, rules);
        if (inWindow) {
          if (hasCustomer) t.openSketch().add(minute, slot, rules, 0, customer);
          t.openPhrases().add(minute, slot, rules, 0, text);
        }
        if (direction !== undefined && this.trackDirections) {
          const td = this.directionScope(t, direction);
          if (td) {
            td.countAt(minute, quarter, qSlot, slot, rules);
            if (inWindow) {
              if (hasCustomer) td.openSketch().add(minute, slot, rules, 0, customer);
              td.openPhrases().add(minute, slot, rules, 0, text);
            }
          }
        }
      }
    }
    if (hasCustomer && this.trackCustomers) {
      const c = this.customerScope(customer);
      if (c) {
        c.countAt(minute, quarter, qSlot, slot, rules);
        if (inWindow) {
          if (hasTrunk) c.openSketch().add(minute, slot, rules, 0, trunk);
          c.openPhrases().add(minute, slot, rules, 0, text);
        }
      }
    }
    return "accepted";
  }

  /** The oldest 15-minute bucket the baseline of an evaluation at `nowMinute` reads. */
  private firstBaselineQuarter(nowMinute: number): number {
    return Math.floor((nowMinute - this.maxWindow) / Q) - this.baselineQuarters;
  }

  private trunkScope(trunk: string): Scope | undefined {
    let t = this.trunks.get(trunk);
    if (t) return t;
    if (this.scopeCount >= this.config.maxScopes) {
      this.overflow++;
      return undefined;
    }
    t = new Scope(makeRef("trunk", trunk), this.global, this.geometry);
    this.trunks.set(trunk, t);
    this.scopeCount++;
    return t;
  }

  private directionScope(t: Scope, direction: Direction): Scope | undefined {
    const existing = direction === "inbound" ? t.inbound : t.outbound;
    if (existing) return existing;
    if (this.scopeCount >= this.config.maxScopes) {
      this.overflow++;
      return undefined;
    }
    const td = new Scope(makeRef("trunk_direction", t.ref.trunk, direction), t, this.geometry);
    if (direction === "inbound") t.inbound = td;
    else t.outbound = td;
    this.scopeCount++;
    return td;
  }

  private customerScope(customer: string): Scope | undefined {
    let c = this.customers.get(customer);
    if (c) return c;
    if (this.scopeCount >= this.config.maxScopes) {
      this.overflow++;
      return undefined;
    }
    c = new Scope(makeRef("customer", undefined, undefined, customer), this.global, this.geometry);
    this.customers.set(customer, c);
    this.scopeCount++;
    return c;
  }

  // --------------------------------------------------------------- evaluate

  evaluate(now: number): Transition[] {
    if (typeof now !== "number" || !(now >= 0 && now < MAX_TIME)) {
      throw new DetectError("invalid_argument", `evaluate needs a time in ms ≥ 0 (got ${now})`);
    }
    const nowMinute = Math.floor(now / MINUTE_MS);
    if (nowMinute <= this.clockMinute) return [];
    const previousMinute = this.clockMinute;
    this.previousMinute = previousMinute;
    this.clockMinute = nowMinute;
    this.lastEvaluation = now;
    const firstQuarter = this.firstBaselineQuarter(nowMinute);
    const idleBefore = firstQuarter * Q;
    const out: Emitted[] = [];
    this.activeAfter = -1;
    this.activeSeen = 0;

    // The sequential test's false-alarm budget is split evenly among the scopes of each level.
    let directions = 0;
    for (const t of this.trunks.values()) directions += (t.inbound ? 1 : 0) + (t.outbound ? 1 : 0);
    this.scopesOf[KIND_RANK.trunk] = Math.max(1, this.trunks.size);
    this.scopesOf[KIND_RANK.trunk_direction] = Math.max(1, directions);
    this.looks[KIND_RANK.trunk] = Math.log(this.scopesOf[KIND_RANK.trunk]!);
    this.looks[KIND_RANK.trunk_direction] = Math.log(this.scopesOf[KIND_RANK.trunk_direction]!);
    this.judge(this.global, now, nowMinute, firstQuarter, out);
    for (const t of this.trunks.values()) {
      const inbound = t.inbound;
      const outbound = t.outbound;
      if (inbound && inbound.lastMinute < idleBefore && !inbound.hasActive())
        this.evict(t, inbound);
      if (outbound && outbound.lastMinute < idleBefore && !outbound.hasActive())
        this.evict(t, outbound);
      if (!t.inbound && !t.outbound && t.lastMinute < idleBefore && !t.hasActive()) {
        this.trunks.delete(t.ref.trunk!);
        this.scopeCount--;
        this.evicted++;
        continue;
      }
      this.judge(t, now, nowMinute, firstQuarter, out);
      if (t.inbound) this.judge(t.inbound, now, nowMinute, firstQuarter, out);
      if (t.outbound) this.judge(t.outbound, now, nowMinute, firstQuarter, out);
    }

    if (this.customers.size)
      this.assessCustomers(now, nowMinute, previousMinute, firstQuarter, idleBefore, out);
    this.activeAfter = this.activeSeen;

    out.sort(
      (a, b) =>
        a.rule - b.rule ||
        a.rank - b.rank ||
        compareText(a.transition.scope.key, b.transition.scope.key) ||
        a.seq - b.seq,
    );
    return out.map((e) => e.transition);
  }

  /** Sums a scope's windows and baseline, sets its baselines and runs its alerts. */
  private judge(
    s: Scope,
    now: number,
    nowMinute: number,
    firstQuarter: number,
    out: Emitted[],
  ): void {
    s.sumWindows(nowMinute, this.windowLengths, this.running, this.windowSums, this.previousMinute);
    s.sumQuarters(firstQuarter, this.baselineQuarters, this.baselineSums);
    // The hour-of-week profile takes the quarter-hours the baseline has read to its end.
    s.hours ??= new HourProfile(this.stride);
    s.hours.fold(s, this.geometry.quarterSlots, firstQuarter + this.baselineQuarters);
    const hour = Math.floor((nowMinute - 1) / 60);
    const previousHour = nowMinute - this.maxWindow < hour * 60;
    setBaselines(
      s,
      this.baselineSums,
      this.config,
      this.warmUntil,
      nowMinute,
      hour,
      previousHour,
      this.shortcuts,
    );
    this.assess(s, now, nowMinute, out);
  }

  private evict(t: Scope, td: Scope): void {
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
    previousMinute: number,
    firstQuarter: number,
    idleBefore: number,
    out: Emitted[],
  ): void {
    const { minCalls, max } = this.config.customers;
    const eligible: Scope[] = [];
    // Values, not entries: no [key, value] pair is made for each of the customers.
    for (const c of this.customers.values()) {
      const active = c.hasActive();
      if (c.lastMinute < idleBefore && !active) {
        this.customers.delete(c.ref.customer!);
        this.scopeCount--;
        this.evicted++;
        continue;
      }
      // Its rings hold fewer calls than the floor, so its traffic (a part of them) is under it
      // too: neither watched nor ranked, and no sum is needed. A skipped sum only makes the next
      // one start afresh (Rings.calls slides only from the evaluation just before).
      if (this.shortcuts && !active && c.held < minCalls) continue;
      c.traffic = c.calls(
        nowMinute,
        this.maxWindow,
        firstQuarter,
        this.baselineQuarters,
        previousMinute,
      );
      if (active) c.watchedAt = nowMinute;
      if (c.traffic >= minCalls) eligible.push(c);
    }
    eligible.sort((a, b) => b.traffic - a.traffic || compareText(a.ref.key, b.ref.key));
    for (let i = 0; i < eligible.length && i < max; i++) eligible[i]!.watchedAt = nowMinute;
    let watched = 0;
    for (const c of this.customers.values()) if (c.watchedAt === nowMinute) watched++;
    this.scopesOf[KIND_RANK.customer] = Math.max(1, watched);
    this.looks[KIND_RANK.customer] = Math.log(this.scopesOf[KIND_RANK.customer]!);
    for (const c of this.customers.values()) {
      if (c.watchedAt === nowMinute) this.judge(c, now, nowMinute, firstQuarter, out);
    }
    this.watchedCustomers = watched;
  }

  /** Reads every rule watching this scope's kind and steps its alert. */
  private assess(s: Scope, now: number, nowMinute: number, out: Emitted[]): void {
    const rank = KIND_RANK[s.kind];
    const stride = this.stride;
    const sums = this.windowSums;
    // Calls a minute to expect: the baseline's, or the longest window's when the history is
    // shorter than the baseline (call volume does not spike with failures the way rates do).
    const longest = this.windowLengths.length - 1;
    const expected = Math.max(
      this.baselineSums[0]! / this.config.baselineMinutes,
      this.windowSums[longest * this.stride]! / this.windowLengths[longest]!,
    );
    const shortcuts = this.shortcuts;
    for (const r of this.rulesFor[rank]!) {
      const rule = this.rules[r]!;
      const windows = this.ruleWindows[r]!;
      const before: Alert = s.alerts?.[r] ?? NORMAL;
      const held = isActive(before.state) ? before.window : undefined;
      let w = windows[windows.length - 1]!;
      if (held !== undefined && this.windowLengths.indexOf(held) >= 0) {
        // Kept while the alert is active: the decision never moves to a shorter window
        // mid-incident. A held window short of calls (a quiet minute or two) grows to the
        // next one holding enough, so a lull is not taken for a recovery.
        w = this.windowLengths.indexOf(held);
        for (const candidate of windows) {
          if (
            candidate > w &&
            sums[w * stride]! < rule.minCalls &&
            sums[candidate * stride]! >= rule.minCalls
          ) {
            w = candidate;
            break;
          }
        }
      } else {
        // The shortest window the expected volume fills; with no history, the one the calls fill.
        let chosen = -1;
        for (const candidate of windows) {
          const fill =
            expected > 0 ? expected * this.windowLengths[candidate]! : sums[candidate * stride]!;
          if (fill >= rule.minCalls) {
            chosen = candidate;
            break;
          }
        }
        if (chosen >= 0) w = chosen;
      }
      const sufficient = sums[w * stride]! >= rule.minCalls;
      const calls = sums[w * stride]!;
      const count = sums[w * stride + 1 + r]!;
      // Cold start: with no baseline yet (warming up), a rule's absolute `coldCeiling` is the
      // threshold, and an alert that went pending that way keeps it until it resolves.
      const cold = isActive(before.state)
        ? before.cold === true
        : Number.isNaN(s.baseline[r]!) && rule.coldCeiling !== undefined;
      const baseline = cold ? 0 : s.baseline[r]!;
      const known = !Number.isNaN(baseline);
      const status = !sufficient ? "insufficient_data" : known && !cold ? "ok" : "no_baseline";
      const judged = sufficient && known;
      const rate = calls > 0 ? count / calls : 0;
      const threshold = cold
        ? rule.coldCeiling!
        : known
          ? fireThreshold(baseline, rule)
          : Number.NaN;
      const resolveThreshold = rule.resolveRatio * threshold;
      // The matching responses needed to fire: `minCount`, fewer where the baseline makes even
      // that few improbable in this window's calls (min-count.ts). It lies in [low, rule.minCount].
      const low = Math.min(rule.minCountFloor, rule.minCount);
      // The common case, an inactive alert whose window holds fewer matching responses than could
      // ever fire at a rate under the resolve threshold: clear and no breach (see below), so it
      // stays as it is, whatever the bounds and the sequential test would say.
      if (shortcuts && !isActive(before.state) && count < low && rate < resolveThreshold) continue;
      const lower = wilsonLower(count, calls, this.z[r]!);
      const windowMinutes = this.windowLengths[w]!;
      // No re-fire from the evidence of an alert that already resolved: the window must start after it.
      const stale =
        !isActive(before.state) &&
        before.resolvedAt !== null &&
        nowMinute - windowMinutes < Math.floor(before.resolvedAt / MINUTE_MS);
      const p0 = s.baselineUpper[r]!;
      // Worked out (-1 until then) only where a count falls in [low, rule.minCount).
      let minCount =
        judged && !cold && !Number.isNaN(p0)
          ? shortcuts
            ? -1
            : minCountFor(rule, calls * baseline, this.scopesOf[rank]!, windowMinutes)
          : rule.minCount;
      // Clear: the upper bound is under the resolve threshold; a window too thin for that bound
      // is clear when it holds fewer matching responses than could fire and its rate is under.
      // A firing alert is cleared on its most recent minutes holding `minCalls` calls (at least
      // the rule's shortest window, at most the held one): a thin scope's long held window would
      // keep the problem's minutes, and any background failure among its calls, long after the
      // problem ended (recent.ts).
      let clearMinutes = windowMinutes;
      let clearCalls = calls;
      let clearCount = count;
      if (before.state === "firing" && sufficient) {
        const recent = recentCounts(
          s,
          this.geometry.minuteSlots,
          stride,
          1 + r,
          nowMinute,
          rule.windows[0]!,
          windowMinutes,
          rule.minCalls,
          this.recent,
        );
        if (recent.calls >= rule.minCalls) {
          clearMinutes = recent.minutes;
          clearCalls = recent.calls;
          clearCount = recent.count;
        }
      }
      const clearRate = clearCalls > 0 ? clearCount / clearCalls : 0;
      let clear =
        !judged || wilsonUpper(clearCount, clearCalls, this.zResolve[r]!) < resolveThreshold;
      if (!clear && clearRate < resolveThreshold) {
        if (minCount < 0 && clearCount >= low && clearCount < rule.minCount)
          minCount = minCountFor(rule, calls * baseline, this.scopesOf[rank]!, windowMinutes);
        clear = clearCount < (minCount < 0 ? rule.minCount : minCount);
      }
      let windowBreach = false;
      if (lower > threshold) {
        if (minCount < 0 && count >= low && count < rule.minCount)
          minCount = minCountFor(rule, calls * baseline, this.scopesOf[rank]!, windowMinutes);
        windowBreach =
          count >= (minCount < 0 ? rule.minCount : minCount) &&
          // A count the baseline makes likely in some scope of the kind on most days is no breach.
          (cold ||
            !likelyByChance(rule, count, calls, baseline, this.scopesOf[rank]!, windowMinutes));
      }
      // A change point whose rate the window no longer shows (clear) is history, not a problem
      // now: with the window clear and no breach of it, an inactive alert stays as it is, whatever
      // the sequential test finds, so it is not run.
      if (
        shortcuts &&
        !isActive(before.state) &&
        !(judged && !stale && (windowBreach || (rule.cusumThreshold > 0 && !clear)))
      )
        continue;
      // The sequential test: the strongest change point since the last resolve (a slow ramp, or
      // the first minutes of a large step, undiluted by the minutes before it).
      const evidence = this.evidence;
      // A change point needs `minCount` matching responses after it: with fewer in the whole
      // longest window there is none to weigh, and the ring is not read.
      const longestCount = sums[windows[windows.length - 1]! * stride + 1 + r]!;
      const weighs = judged && !cold && rule.cusumThreshold > 0 && !Number.isNaN(p0);
      if (weighs && minCount < 0 && longestCount >= low)
        minCount = minCountFor(rule, calls * baseline, this.scopesOf[rank]!, windowMinutes);
      if (weighs && minCount >= 0 && longestCount >= minCount) {
        const sinceResolve =
          before.resolvedAt === null
            ? Infinity
            : nowMinute - Math.floor(before.resolvedAt / MINUTE_MS);
        changeEvidence(
          s,
          this.geometry.minuteSlots,
          stride,
          1 + r,
          nowMinute,
          Math.min(this.ruleLongest[r]!, sinceResolve),
          p0,
          threshold,
          minCount,
          evidence,
        );
      } else changeEvidence(s, 1, stride, 1 + r, nowMinute, 0, 0, 0, 0, evidence);
      const level = rule.cusumThreshold + this.looks[rank]!;
      // A firing alert is not clear while the sequential test still shows a conclusive rise
      // since its window test last breached (stillRising).
      if (
        clear &&
        judged &&
        before.state === "firing" &&
        rule.cusumThreshold > 0 &&
        evidence.llr >= level
      ) {
        if (minCount < 0)
          minCount = minCountFor(rule, calls * baseline, this.scopesOf[rank]!, windowMinutes);
        if (this.stillRising(s, r, nowMinute, before.lastBreach, p0, threshold, minCount, level))
          clear = false;
      }
      // A change point whose rate the window no longer shows (clear) is history, not a problem now.
      const conclusive = rule.cusumThreshold > 0 && evidence.llr >= level && !clear;
      const breach = judged && !stale && (windowBreach || conclusive);

      if (!breach && !isActive(before.state)) continue;

      const reading: Reading = {
        status,
        windowMinutes,
        calls,
        count,
        rate,
        wilsonLower: lower,
        baseline: known && !cold ? baseline : null,
        threshold: known ? threshold : null,
        resolveThreshold: known ? resolveThreshold : null,
        llr: evidence.llr,
        changeMinutes: evidence.minutes,
        changeCalls: evidence.calls,
        changeCount: evidence.count,
      };
      let contributors: Contributor[] | undefined;
      let phrases: PhraseCount[] | undefined;
      const { alert, changes } = step(
        before,
        { now, breach, conclusive: breach && conclusive, clear, baseline },
        {
          key: `${rule.id}:${s.ref.key}`,
          fireAfter: rule.fireAfter,
          resolveAfter: rule.resolveAfter,
          cooldownMinutes: rule.cooldownMinutes,
          minFiringMinutes: rule.minFiringMinutes,
        },
      );
      for (const change of changes) {
        contributors ??= this.contributors(s, r, windowMinutes, nowMinute);
        phrases ??= this.phrases(s, r, windowMinutes, nowMinute);
        // A resolve reports the minutes it was decided on (the recent ones, or the held window);
        // who and what failed stay those of the held window, the problem's.
        const decided: Reading =
          change.to === "resolved"
            ? {
                ...reading,
                windowMinutes: clearMinutes,
                calls: clearCalls,
                count: clearCount,
                rate: clearRate,
                wilsonLower: wilsonLower(clearCount, clearCalls, this.z[r]!),
              }
            : reading;
        out.push({
          rule: r,
          rank,
          seq: out.length,
          transition: {
            rule: rule.id,
            scope: s.ref,
            from: change.from,
            to: change.to,
            time: now,
            incidentId: change.incidentId,
            since: change.since,
            ...decided,
            baseline,
            threshold,
            resolveThreshold,
            contributors: contributors.map((c) => ({ ...c })),
            phrases: phrases.map((p) => ({ ...p })),
          },
        });
      }
      if (isActive(alert.state)) {
        alert.window ??= windowMinutes;
        if (cold && !isActive(before.state)) alert.cold = true;
        if (judged && !stale && windowBreach) alert.lastBreach = nowMinute;
        else if (!isActive(before.state)) alert.lastBreach = null;
      } else if (alert !== before) {
        delete alert.window;
        delete alert.cold;
        delete alert.lastBreach;
      }
      if (isActive(alert.state)) {
        // An active alert's baseline is frozen and known, so the reading has no nulls here.
        contributors ??= this.contributors(s, r, windowMinutes, nowMinute);
        phrases ??= this.phrases(s, r, windowMinutes, nowMinute);
        alert.last = { evaluatedAt: now, reading, contributors, phrases };
        this.activeSeen++;
      }
      s.alerts ??= new Array<Alert | undefined>(this.geometry.rules).fill(undefined);
      s.alerts[r] = alert;
    }
  }

  /**
   * Whether the sequential test still finds a conclusive rise since the
   * firing alert's window test last breached (over its whole look-back if it
   * never did): the accumulating test must have reset too before the alert
   * resolves. A slow problem hovering near the threshold dips under the
   * resolve threshold on the short recent minutes now and then; without this
   * it would resolve and fire again minutes later. What a breaching window
   * showed (a step that has ended) is left to the window test, which clears
   * on the recent minutes as before. Called when this evaluation's evidence
   * (`this.evidence`, over the rule's longest window since the last resolve)
   * is conclusive.
   */
  private stillRising(
    s: Scope,
    r: number,
    nowMinute: number,
    lastBreach: number | null | undefined,
    p0: number,
    threshold: number,
    minCount: number,
    level: number,
  ): boolean {
    // Restored from a snapshot taken before the breach was kept: unknown, so nothing is held.
    if (lastBreach === undefined) return false;
    const since = lastBreach === null ? Infinity : nowMinute - lastBreach;
    // The strongest change point already follows the last breach: it is the one that counts.
    if (this.evidence.minutes <= since) return true;
    const after = changeEvidence(
      s,
      this.geometry.minuteSlots,
      this.stride,
      1 + r,
      nowMinute,
      since,
      p0,
      threshold,
      minCount,
      this.sinceBreach,
    );
    return after >= level;
  }

  /** Top contributors of rule `r` in the scope over the last `minutes` whole minutes. */
  private contributors(s: Scope, r: number, minutes: number, nowMinute: number): Contributor[] {
    const top = this.config.topContributors;
    if (!s.sketch || top === 0) return [];
    return s.sketch.top(r, minutes, nowMinute, top);
  }

  /** Top (code, phrase, reason) texts of rule `r` in the scope over the last `minutes` whole minutes. */
  private phrases(s: Scope, r: number, minutes: number, nowMinute: number): PhraseCount[] {
    const top = this.config.topContributors;
    if (!s.phrases || top === 0) return [];
    return readPhrases(s.phrases.top(r, minutes, nowMinute, top));
  }

  // ------------------------------------------------------- active and stats

  private *allScopes(): Generator<Scope> {
    yield this.global;
    for (const t of this.trunks.values()) {
      yield t;
      if (t.inbound) yield t.inbound;
      if (t.outbound) yield t.outbound;
    }
    yield* this.customers.values();
  }

  active(): ActiveAlert[] {
    // Most evaluations leave none: no walk over every scope (the incident tracker asks each time).
    if (this.shortcuts && this.activeAfter === 0) return [];
    const found: { r: number; rank: number; alert: ActiveAlert }[] = [];
    // Plain loops, not allScopes(): the incident tracker asks after every evaluation.
    const each = (s: Scope) => {
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
            phrases: (a.last.phrases ?? []).map((p) => ({ ...p })),
          },
        });
      });
    };
    each(this.global);
    for (const t of this.trunks.values()) {
      if (t.alerts) each(t);
      if (t.inbound?.alerts) each(t.inbound);
      if (t.outbound?.alerts) each(t.outbound);
    }
    for (const c of this.customers.values()) if (c.alerts) each(c);
    found.sort(
      (a, b) => a.r - b.r || a.rank - b.rank || compareText(a.alert.scope.key, b.alert.scope.key),
    );
    return found.map((f) => f.alert);
  }

  /** Whether the last evaluation had a global baseline for every rule (read from the rings, so a restore agrees). */
  private warmingUp(): boolean {
    if (this.lastEvaluation === null) return true;
    const sums = new Float64Array(this.stride);
    this.global.sumQuarters(
      this.firstBaselineQuarter(this.clockMinute),
      this.baselineQuarters,
      sums,
    );
    const calls = sums[0]!;
    if (!(calls > 0 && calls >= this.config.minBaselineCalls)) return true;
    return this.warmUntil.some((until) => this.clockMinute < until);
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
      warmingUp: this.warmingUp(),
    };
  }

  windowCounts(scopeKey: string, rule: string, minutes: number): WindowCounts | undefined {
    const r = this.rules.findIndex((x) => x.id === rule);
    if (r < 0 || this.clockMinute < 0 || !(minutes >= 1 && minutes <= this.maxWindow)) return;
    const s = this.scopeByKey(scopeKey);
    if (!s) return undefined;
    const sums = new Float64Array(this.stride);
    s.sumWindows(this.clockMinute, [Math.floor(minutes)], new Float64Array(this.stride), sums);
    return { calls: sums[0]!, count: sums[1 + r]! };
  }

  private scopeByKey(key: string): Scope | undefined {
    if (key === "global") return this.global;
    if (key.startsWith("trunk:")) return this.trunks.get(key.slice(6));
    if (key.startsWith("customer:")) return this.customers.get(key.slice(9));
    if (key.startsWith("trunk_direction:")) {
      const rest = key.slice(16);
      const at = rest.lastIndexOf(":");
      const t = this.trunks.get(rest.slice(0, at));
      const d = rest.slice(at + 1);
      return d === "inbound" ? t?.inbound : d === "outbound" ? t?.outbound : undefined;
    }
    return undefined;
  }

  // ---------------------------------------------------- snapshot and restore

  snapshot(): DetectorSnapshot {
    const scopes: ScopeSnapshot[] = [];
    for (const s of this.allScopes()) scopes.push(scopeSnapshot(s));
    return {
      version: 2,
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

    snap.scopes.forEach((shot, i) => {
      const s = this.restoreScope(shot, i);
      if (s) loadScope(s, shot, source, snap.rules.length);
    });
  }

  private restoreScope(shot: ScopeSnapshot, index: number): Scope | undefined {
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

export interface DetectorOptions {
  /**
   * Work out every sum and test at every evaluation, with none of the
   * shortcuts that skip work whose result cannot change a decision (a
   * customer whose rings hold too few calls to be watched, the bounds and the
   * sequential test of an alert whose window is clear, baselines whose inputs
   * did not move). The two must agree; tests hold them equal with this.
   */
  exhaustive?: boolean;
}

/**
 * Creates a detector. `config` is checked with `resolveConfig` (throws a
 * `DetectError` with code `invalid_config`); a `snapshot` from `snapshot()`
 * (JSON round-tripped or not) resumes exactly where it was taken.
 */
export function createDetector(
  config?: DetectorConfig,
  snapshot?: DetectorSnapshot | DetectorSnapshotV1,
  options: DetectorOptions = {},
): Detector {
  return new DetectorImpl(resolveConfig(config), snapshot, options);
}
