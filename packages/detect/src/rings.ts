// Per-scope call counts by event time: a ring of minute buckets (the windows)
// and a ring of 15-minute buckets (the baseline). Each bucket holds the calls,
// then one count per rule; a stamp per slot says which minute (or quarter) it holds.
import { BASELINE_BUCKET_MINUTES as Q } from "./config.ts";

export interface Geometry {
  rules: number;
  /** 1 + rules: calls then one count per rule. */
  stride: number;
  minuteSlots: number;
  quarterSlots: number;
}

export class Rings {
  readonly geometry: Geometry;
  /** Newest event minute counted here. */
  lastMinute = -1;
  /**
   * The calls of every bucket both rings hold, whatever minute or quarter it
   * is about: no sum `calls` makes (a part of each ring) can exceed it, so a
   * scope holding fewer calls than a floor needs no sum to be ruled out.
   */
  held = 0;
  readonly minuteStamp: Int32Array;
  /** Per minute slot: calls, then the count of each rule. */
  readonly minutes: Uint32Array;
  readonly quarterStamp: Int32Array;
  readonly quarters: Uint32Array;
  /**
   * The last `sumQuarters` result and what it covered: an evaluation reads
   * the same baseline quarters 15 times in a row, and only a late event
   * (a write before `sumEnd`) changes them.
   */
  private readonly sumCache: Float64Array;
  private sumFirst = -1;
  private sumEnd = -1;
  private sumWrites = -1;
  private oldWrites = 0;
  /**
   * What `calls` last summed, so the next evaluation slides it instead of
   * summing every bucket again: the minute part ends at `callsNow`, the
   * quarter part covers `callsFirst` to `callsEnd`. A write before either
   * end (a late event, a restore) bumps a counter and the next call sums
   * that part afresh.
   */
  private callsNow = -1;
  /** The newest minute either sliding sum ends at: a write before it is a late one. */
  private sumNow = -1;
  private windowsNow = -1;
  private windowsPast = -1;
  private windowsLengths: readonly number[] | undefined = undefined;
  private windowsCache: Float64Array | undefined = undefined;
  private callsWindow = 0;
  private callsMinuteSum = 0;
  private callsPast = -1;
  private pastWrites = 0;
  private callsFirst = -1;
  private callsEnd = -1;
  private callsQuarterSum = 0;
  private callsLate = -1;
  private lateWrites = 0;

  constructor(geometry: Geometry) {
    this.geometry = geometry;
    this.minuteStamp = new Int32Array(geometry.minuteSlots).fill(-1);
    this.minutes = new Uint32Array(geometry.minuteSlots * geometry.stride);
    this.quarterStamp = new Int32Array(geometry.quarterSlots).fill(-1);
    this.quarters = new Uint32Array(geometry.quarterSlots * geometry.stride);
    this.sumCache = new Float64Array(geometry.stride);
  }

  /**
   * Counts one call (and one per matching rule) in its buckets. Returns 0
   * when even the 15-minute ring holds only newer data (too late), 1 when
   * only the 15-minute bucket took it, 2 when the minute bucket did too.
   */
  count(minute: number, rules: readonly number[]): 0 | 1 | 2 {
    const quarter = Math.floor(minute / Q);
    const g = this.geometry;
    return this.countAt(minute, quarter, quarter % g.quarterSlots, minute % g.minuteSlots, rules);
  }

  /**
   * `count` given what it works out from the minute: its quarter
   * (`Math.floor(minute / 15)`) and both slots, the same in every scope
   * (one geometry), so an event counted in four scopes works them out once.
   */
  countAt(
    minute: number,
    quarter: number,
    qs: number,
    ms: number,
    rules: readonly number[],
  ): 0 | 1 | 2 {
    const stride = this.geometry.stride;
    const qStamp = this.quarterStamp[qs]!;
    if (qStamp > quarter) return 0;
    if (quarter < this.sumEnd) this.oldWrites++;
    if (quarter < this.callsEnd) this.lateWrites++;
    if (minute < this.sumNow) this.pastWrites++;
    let base = qs * stride;
    // A plain loop, not fill(): a call into the runtime costs more than these few stores.
    if (qStamp !== quarter) {
      this.held -= this.quarters[base]!;
      for (let k = 0; k < stride; k++) this.quarters[base + k] = 0;
      this.quarterStamp[qs] = quarter;
    }
    this.quarters[base]!++;
    this.held++;
    for (let i = 0; i < rules.length; i++) this.quarters[base + 1 + rules[i]!]!++;
    if (minute > this.lastMinute) this.lastMinute = minute;

    const mStamp = this.minuteStamp[ms]!;
    if (mStamp > minute) return 1;
    base = ms * stride;
    if (mStamp !== minute) {
      this.held -= this.minutes[base]!;
      for (let k = 0; k < stride; k++) this.minutes[base + k] = 0;
      this.minuteStamp[ms] = minute;
    }
    this.minutes[base]!++;
    this.held++;
    for (let i = 0; i < rules.length; i++) this.minutes[base + 1 + rules[i]!]!++;
    return 2;
  }

  /**
   * Sums the whole minutes before `nowMinute` into `sums`: `stride` numbers
   * per window length of `lengths` (ascending, the last is the longest).
   * `running` is scratch space of `stride` numbers. Given `previous` (the
   * detector's clock minute before this evaluation; -1 for none), the sums
   * are kept and the next evaluation slides them, as `calls` does.
   */
  sumWindows(
    nowMinute: number,
    lengths: readonly number[],
    running: Float64Array,
    sums: Float64Array,
    previous?: number,
  ): void {
    const stride = this.geometry.stride;
    const slots = this.geometry.minuteSlots;
    const size = lengths.length * stride;
    const cache = this.windowsCache;
    if (
      previous !== undefined &&
      previous >= 0 &&
      cache !== undefined &&
      previous === this.windowsNow &&
      lengths === this.windowsLengths &&
      this.windowsPast === this.pastWrites &&
      nowMinute > previous &&
      nowMinute - previous < lengths[0]!
    ) {
      const stamps = this.minuteStamp;
      const values = this.minutes;
      for (let w = 0; w < lengths.length; w++) {
        const length = lengths[w]!;
        const at = w * stride;
        for (let minute = previous; minute < nowMinute; minute++) {
          const slot = minute % slots;
          if (stamps[slot] !== minute) continue;
          const base = slot * stride;
          for (let k = 0; k < stride; k++) cache[at + k]! += values[base + k]!;
        }
        for (let minute = Math.max(0, previous - length); minute < nowMinute - length; minute++) {
          const slot = minute % slots;
          if (stamps[slot] !== minute) continue;
          const base = slot * stride;
          for (let k = 0; k < stride; k++) cache[at + k]! -= values[base + k]!;
        }
      }
      sums.set(cache);
      this.windowsNow = nowMinute;
      this.sumNow = Math.max(this.sumNow, nowMinute);
      return;
    }
    const longest = lengths[lengths.length - 1]!;
    running.fill(0);
    let w = 0;
    for (let j = 0; j < longest; j++) {
      const minute = nowMinute - 1 - j;
      if (minute >= 0) {
        const slot = minute % slots;
        if (this.minuteStamp[slot] === minute) {
          const base = slot * stride;
          for (let k = 0; k < stride; k++) running[k]! += this.minutes[base + k]!;
        }
      }
      if (j + 1 === lengths[w]) {
        sums.set(running, w * stride);
        w++;
      }
    }
    if (previous === undefined) return;
    if (cache === undefined || cache.length !== size) this.windowsCache = new Float64Array(size);
    this.windowsCache!.set(sums.subarray(0, size));
    this.windowsLengths = lengths;
    this.windowsNow = nowMinute;
    this.windowsPast = this.pastWrites;
    this.sumNow = Math.max(this.sumNow, nowMinute);
  }

  /** Sums the `quarters` 15-minute buckets from `firstQuarter` into `out` (`stride` numbers). */
  sumQuarters(firstQuarter: number, quarters: number, out: Float64Array): void {
    const stride = this.geometry.stride;
    const qSlots = this.geometry.quarterSlots;
    const end = firstQuarter + quarters;
    const cache = this.sumCache;
    if (
      firstQuarter === this.sumFirst &&
      end === this.sumEnd &&
      this.oldWrites === this.sumWrites
    ) {
      out.set(cache);
      return;
    }
    if (
      firstQuarter === this.sumFirst + 1 &&
      end === this.sumEnd + 1 &&
      this.oldWrites === this.sumWrites
    ) {
      // One quarter on, as `calls` slides: add the one that came in, drop the one that left
      // (still in its slot: nothing is counted far enough ahead to reuse it).
      const entering = (end - 1) % qSlots;
      if (end - 1 >= 0 && this.quarterStamp[entering] === end - 1) {
        for (let k = 0; k < stride; k++) cache[k]! += this.quarters[entering * stride + k]!;
      }
      const leaving = this.sumFirst;
      if (leaving >= 0 && this.quarterStamp[leaving % qSlots] === leaving) {
        const base = (leaving % qSlots) * stride;
        for (let k = 0; k < stride; k++) cache[k]! -= this.quarters[base + k]!;
      }
      this.sumFirst = firstQuarter;
      this.sumEnd = end;
      out.set(cache);
      return;
    }
    out.fill(0);
    for (let quarter = Math.max(0, firstQuarter); quarter < end; quarter++) {
      const slot = quarter % qSlots;
      if (this.quarterStamp[slot] !== quarter) continue;
      const base = slot * stride;
      for (let k = 0; k < stride; k++) out[k]! += this.quarters[base + k]!;
    }
    this.sumCache.set(out.subarray(0, stride));
    this.sumFirst = firstQuarter;
    this.sumEnd = end;
    this.sumWrites = this.oldWrites;
  }

  /**
   * Calls in the last `minutes` whole minutes before `nowMinute` plus `quarters` 15-minute buckets
   * from `firstQuarter`. `previous` is the detector's clock minute before this evaluation: when
   * the last call was made then (and no event was counted before it since), the minute part
   * slides from that sum. That is exact because the detector counts nothing more than
   * `maxFutureMinutes` past its clock, so no bucket of that window has been reused since.
   */
  calls(
    nowMinute: number,
    minutes: number,
    firstQuarter: number,
    quarters: number,
    previous = -1,
  ): number {
    const stride = this.geometry.stride;
    const slots = this.geometry.minuteSlots;
    const stamps = this.minuteStamp;
    const values = this.minutes;
    let calls = 0;
    if (
      previous >= 0 &&
      previous === this.callsNow &&
      minutes === this.callsWindow &&
      this.callsPast === this.pastWrites &&
      nowMinute > previous &&
      nowMinute - previous < minutes
    ) {
      calls = this.callsMinuteSum;
      for (let minute = previous; minute < nowMinute; minute++) {
        const slot = minute % slots;
        if (stamps[slot] === minute) calls += values[slot * stride]!;
      }
      for (let minute = Math.max(0, previous - minutes); minute < nowMinute - minutes; minute++) {
        const slot = minute % slots;
        if (stamps[slot] === minute) calls -= values[slot * stride]!;
      }
    } else {
      for (let j = 1; j <= minutes; j++) {
        const minute = nowMinute - j;
        if (minute < 0) break;
        const slot = minute % slots;
        if (stamps[slot] === minute) calls += values[slot * stride]!;
      }
    }
    this.callsNow = nowMinute;
    this.sumNow = Math.max(this.sumNow, nowMinute);
    this.callsWindow = minutes;
    this.callsMinuteSum = calls;
    this.callsPast = this.pastWrites;

    const end = firstQuarter + quarters;
    const qSlots = this.geometry.quarterSlots;
    if (
      firstQuarter === this.callsFirst + 1 &&
      end === this.callsEnd + 1 &&
      this.callsLate === this.lateWrites
    ) {
      // One quarter on: add the one that came in, drop the one that left (still in its slot).
      const entering = (end - 1) % qSlots;
      if (end - 1 >= 0 && this.quarterStamp[entering] === end - 1)
        this.callsQuarterSum += this.quarters[entering * stride]!;
      const leaving = this.callsFirst;
      if (leaving >= 0 && this.quarterStamp[leaving % qSlots] === leaving)
        this.callsQuarterSum -= this.quarters[(leaving % qSlots) * stride]!;
      this.callsFirst = firstQuarter;
      this.callsEnd = end;
    } else if (
      firstQuarter !== this.callsFirst ||
      end !== this.callsEnd ||
      this.callsLate !== this.lateWrites
    ) {
      let sum = 0;
      for (let quarter = Math.max(0, firstQuarter); quarter < end; quarter++) {
        const slot = quarter % qSlots;
        if (this.quarterStamp[slot] === quarter) sum += this.quarters[slot * stride]!;
      }
      this.callsFirst = firstQuarter;
      this.callsEnd = end;
      this.callsQuarterSum = sum;
      this.callsLate = this.lateWrites;
    }
    return calls + this.callsQuarterSum;
  }

  /** Non-empty buckets of one ring, flattened: `stamp, calls, count per rule…` repeated (slot order). */
  flatten(ring: "minutes" | "quarters"): number[] {
    const stride = this.geometry.stride;
    const [stamps, values] =
      ring === "minutes" ? [this.minuteStamp, this.minutes] : [this.quarterStamp, this.quarters];
    const flat: number[] = [];
    stamps.forEach((stamp, slot) => {
      if (stamp < 0 || values[slot * stride] === 0) return;
      flat.push(stamp);
      for (let k = 0; k < stride; k++) flat.push(values[slot * stride + k]!);
    });
    return flat;
  }

  /** Adds restored counts (`stride` numbers) to the bucket of `stamp`, unless its slot holds newer data. */
  load(ring: "minutes" | "quarters", stamp: number, counts: readonly number[]): void {
    const stride = this.geometry.stride;
    const [stamps, values, slots] =
      ring === "minutes"
        ? [this.minuteStamp, this.minutes, this.geometry.minuteSlots]
        : [this.quarterStamp, this.quarters, this.geometry.quarterSlots];
    const slot = stamp % slots;
    const existing = stamps[slot]!;
    if (existing > stamp) return;
    if (ring === "quarters" && stamp < this.sumEnd) this.oldWrites++;
    // A restored bucket: the next `calls` sums afresh.
    this.lateWrites++;
    this.pastWrites++;
    const base = slot * stride;
    if (existing !== stamp) {
      this.held -= values[base]!;
      values.fill(0, base, base + stride);
      stamps[slot] = stamp;
    }
    const before = values[base]!;
    for (let k = 0; k < stride; k++) values[base + k]! += counts[k]!;
    // What the bucket holds now (a Uint32Array stores what it can of the sum).
    this.held += values[base]! - before;
  }
}
