// The hour-of-week profile of one scope: 168 slots (one per hour of the
// week, UTC), each holding the calls and the count of each rule of that hour
// in past weeks, halved every week so recent weeks weigh most. Fed from the
// scope's 15-minute ring once a quarter-hour is older than anything the
// baseline reads as "now" (so the current spike never enters it).
//
// The baseline of an hour is pulled toward the 24-hour rate by how much
// evidence the hour has:
//
//   day  = (same hour on the other days + k · rate24) / (their calls + k)
//   hour = (this hour-of-week slot + k · day)        / (its calls + k)
//
// where k (pseudo-calls) comes from how much the hours of the day really
// differ: k = m(1 − m)/τ² − 1 with τ² the between-hour variance of the rate
// beyond binomial noise (method of moments over the 24 hours of the day).
// Traffic without a daily cycle has k = ∞: the 24-hour rate, as before. A
// cycle counts only when the hours' spread passes a chi-square test at 99 %
// (a moment estimate over a few hours of flat traffic is positive half the
// time by chance). Traffic with one (603 at 8 % by night, 2 % by day) has a small k:
// each hour keeps its own rate once it has been seen. The detector uses the
// hour's rate only where it is above the 24-hour one (baseline.ts).
import { BASELINE_BUCKET_MINUTES as Q } from "./config.ts";
import { chiSquareQuantile } from "./math.ts";

export const HOURS_PER_WEEK = 168;
const QUARTERS_PER_HOUR = 60 / Q;
/** Weight of a week's counts one week later. */
export const WEEKLY_DECAY = 0.5;
/**
 * How far the 24 hours' spread must go before the profile is used: the chi-square test's 99 %
 * quantile for each count of hours seen less one (worked out once, not per fold).
 */
const CYCLE_LIMIT = Array.from({ length: 24 }, (_, df) =>
  df > 0 ? chiSquareQuantile(df, 0.99) : Number.POSITIVE_INFINITY,
);

/** The 15-minute ring of a scope, as rings.ts keeps it. */
export interface QuarterRing {
  readonly quarterStamp: Int32Array;
  readonly quarters: Uint32Array;
}

export interface HourRate {
  /** The hour's baseline rate. */
  rate: number;
  /** The calls it rests on (the hour's own and the pseudo-calls of what it was pulled toward). */
  weight: number;
}

/** WEEKLY_DECAY ** n for the first whole n, worked out once (the same operation, the same values). */
const DECAY = Array.from({ length: 64 }, (_, n) => WEEKLY_DECAY ** n);

/** The weight of counts `weeks` weeks old (a whole number ≥ 0). */
export function decay(weeks: number): number {
  return weeks < DECAY.length ? DECAY[weeks]! : WEEKLY_DECAY ** weeks;
}

// Scratch space of updateStrength, shared: it runs to the end before another call can.
const scratchCalls = new Float64Array(24);
const scratchCounts = new Float64Array(24);
const scratchWeights = new Float64Array(HOURS_PER_WEEK);

export class HourProfile {
  private readonly stride: number;
  /** Week number (hour / 168) of each slot's newest counts; -1: empty. */
  readonly stamp: Int32Array;
  readonly values: Float64Array;
  /** The next quarter-hour to fold in (-1: none folded yet). */
  folded = -1;
  /** Per rule: the prior strength k of the last fold (Infinity: no daily cycle). */
  private readonly strength: Float64Array;
  /** Week the strengths were computed in (they age with the slots). */
  private strengthWeek = -1;
  /** Counts every change to the slots or strengths: what `rate` reads is the same while it is. */
  changes = 0;

  constructor(stride: number) {
    this.stride = stride;
    this.stamp = new Int32Array(HOURS_PER_WEEK).fill(-1);
    this.values = new Float64Array(HOURS_PER_WEEK * stride);
    this.strength = new Float64Array(stride - 1).fill(Number.POSITIVE_INFINITY);
  }

  /**
   * Folds the 15-minute buckets from `folded` (or the oldest the ring holds)
   * up to, not including, `end`. Returns whether anything was folded.
   */
  fold(ring: QuarterRing, slots: number, end: number): boolean {
    const stride = this.stride;
    const from = this.folded < 0 ? end - slots : Math.max(this.folded, end - slots);
    if (from >= end) return false;
    for (let quarter = Math.max(0, from); quarter < end; quarter++) {
      const slot = quarter % slots;
      if (ring.quarterStamp[slot] !== quarter) continue;
      const base = slot * stride;
      if (ring.quarters[base] === 0) continue;
      const hour = Math.floor(quarter / QUARTERS_PER_HOUR);
      this.add(hour, (k) => ring.quarters[base + k]!);
    }
    this.folded = end;
    this.updateStrength(Math.floor(end / QUARTERS_PER_HOUR / HOURS_PER_WEEK));
    return true;
  }

  /** Adds counts (`stride` numbers by index) to the slot of `hour` (hours since epoch). */
  add(hour: number, count: (k: number) => number): void {
    const stride = this.stride;
    const slot = hour % HOURS_PER_WEEK;
    const week = Math.floor(hour / HOURS_PER_WEEK);
    const base = slot * stride;
    const old = this.stamp[slot]!;
    if (old > week) return;
    this.changes++;
    if (old !== week) {
      const factor = old < 0 ? 0 : decay(week - old);
      for (let k = 0; k < stride; k++) this.values[base + k]! *= factor;
      this.stamp[slot] = week;
    }
    for (let k = 0; k < stride; k++) this.values[base + k]! += count(k);
  }

  /** A slot's weight in `week`: its counts are halved for each week since they were written. */
  private weightOf(slot: number, week: number): number {
    const stamp = this.stamp[slot]!;
    return stamp < 0 || stamp > week ? 0 : decay(week - stamp);
  }

  /** Recomputes each rule's prior strength k from the hours of the day (method of moments). */
  private updateStrength(week: number): void {
    this.changes++;
    const stride = this.stride;
    const calls = scratchCalls;
    const counts = scratchCounts;
    const weights = scratchWeights;
    for (let slot = 0; slot < HOURS_PER_WEEK; slot++) weights[slot] = this.weightOf(slot, week);
    for (let r = 0; r < stride - 1; r++) {
      calls.fill(0);
      counts.fill(0);
      for (let slot = 0; slot < HOURS_PER_WEEK; slot++) {
        const w = weights[slot]!;
        if (w === 0) continue;
        calls[slot % 24]! += w * this.values[slot * stride]!;
        counts[slot % 24]! += w * this.values[slot * stride + 1 + r]!;
      }
      let n = 0;
      let c = 0;
      let squares = 0;
      let hours = 0;
      for (let h = 0; h < 24; h++) {
        if (calls[h]! <= 0) continue;
        n += calls[h]!;
        c += counts[h]!;
        squares += calls[h]! * calls[h]!;
        hours++;
      }
      this.strength[r] = Number.POSITIVE_INFINITY;
      if (hours < 2 || n <= 0) continue;
      const m = c / n;
      if (!(m > 0 && m < 1)) continue;
      let spread = 0;
      for (let h = 0; h < 24; h++) {
        if (calls[h]! <= 0) continue;
        const d = counts[h]! / calls[h]! - m;
        spread += calls[h]! * d * d;
      }
      // Hours that differ no more than binomial noise makes likely show no daily cycle: a
      // moment estimate of τ² over a few hours is positive half the time by chance alone, and
      // would give every hour never seen a baseline as uncertain as a real cycle's.
      if (spread / (m * (1 - m)) <= CYCLE_LIMIT[hours - 1]!) continue;
      const tau2 = (spread - (hours - 1) * m * (1 - m)) / (n - squares / n);
      if (tau2 > 0) this.strength[r] = Math.max(0, (m * (1 - m)) / tau2 - 1);
    }
    this.strengthWeek = week;
  }

  /**
   * The baseline of rule `r` for `hour` (hours since epoch), pulled toward
   * `rate24` (the scope's 24-hour baseline, resting on `weight24` calls).
   * Without a daily cycle (or any history of that hour) it is `rate24`.
   * `ownWeek` false leaves out the hour's own slot (the hour before now:
   * its slot already holds this week's minutes of it, not a past week's).
   */
  rate(
    r: number,
    hour: number,
    rate24: number,
    weight24: number,
    out: HourRate,
    ownWeek = true,
  ): HourRate {
    out.rate = rate24;
    out.weight = weight24;
    const k = this.strength[r]!;
    if (!Number.isFinite(k) || Number.isNaN(rate24) || this.strengthWeek < 0) return out;
    const week = Math.floor(hour / HOURS_PER_WEEK);
    const stride = this.stride;
    const own = hour % HOURS_PER_WEEK;
    let dayCalls = 0;
    let dayCount = 0;
    for (let d = 1; d < 7; d++) {
      const slot = (own + HOURS_PER_WEEK - 24 * d) % HOURS_PER_WEEK;
      const w = this.weightOf(slot, week);
      if (w === 0) continue;
      dayCalls += w * this.values[slot * stride]!;
      dayCount += w * this.values[slot * stride + 1 + r]!;
    }
    const w = ownWeek ? this.weightOf(own, week) : 0;
    const ownCalls = w * this.values[own * stride]!;
    const ownCount = w * this.values[own * stride + 1 + r]!;
    // An hour never seen rests on the prior alone: the 24-hour rate, as uncertain as hours differ.
    if (dayCalls + ownCalls <= 0) {
      out.weight = Math.min(weight24, k);
      return out;
    }
    const day = (dayCount + k * rate24) / (dayCalls + k);
    out.rate = (ownCount + k * day) / (ownCalls + k);
    out.weight = Math.min(weight24, ownCalls + dayCalls + k);
    return out;
  }

  /**
   * Restores a snapshot's slots (`flatten()`'s layout with `sourceStride`
   * numbers per slot, `source[r]` the snapshot's index of rule `r`, -1: none).
   */
  load(
    folded: number,
    flat: readonly number[],
    source: readonly number[],
    sourceStride: number,
  ): void {
    for (let at = 0; at + 2 + sourceStride <= flat.length; at += 2 + sourceStride) {
      const slot = flat[at]!;
      if (!(slot >= 0 && slot < HOURS_PER_WEEK)) continue;
      this.changes++;
      this.stamp[slot] = flat[at + 1]!;
      const base = slot * this.stride;
      this.values[base] = flat[at + 2]!;
      source.forEach((from, r) => {
        this.values[base + 1 + r] = from >= 0 ? flat[at + 3 + from]! : 0;
      });
    }
    this.folded = folded;
    if (folded >= 0) this.updateStrength(Math.floor(folded / QUARTERS_PER_HOUR / HOURS_PER_WEEK));
  }

  /** Non-empty slots, flattened: `slot, week, calls, count per rule…` repeated. */
  flatten(): number[] {
    const flat: number[] = [];
    for (let slot = 0; slot < HOURS_PER_WEEK; slot++) {
      if (this.stamp[slot]! < 0) continue;
      flat.push(slot, this.stamp[slot]!);
      for (let k = 0; k < this.stride; k++) flat.push(this.values[slot * this.stride + k]!);
    }
    return flat;
  }
}
