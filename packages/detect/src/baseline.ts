import { isActive } from "./alert.ts";
import type { HourRate } from "./hours.ts";
import { shrinkRate, wilsonUpper } from "./math.ts";
import type { Scope } from "./scope.ts";

const scratch: HourRate = { rate: 0, weight: 0 };

/**
 * Sets the scope's baseline per rule from `sums` (its baseline buckets:
 * calls, then one count per rule): its own rate, shrunk toward the parent's
 * baseline with `priorCalls` pseudo-calls; the global one needs
 * `minBaselineCalls` calls. That 24-hour rate is then pulled toward the
 * hour-of-week profile of `hour` (hours since epoch) by the hour's evidence
 * (hours.ts), or of the hour before when `previousHour` (the windows reach
 * into it) and its baseline is higher. Pending and firing alerts keep the value frozen when they went
 * pending; a rule before its `warmUntil` minute has none.
 */
export function setBaselines(
  s: Scope,
  sums: Float64Array,
  options: {
    readonly minBaselineCalls: number;
    readonly priorCalls: number;
    readonly baselineMinutes: number;
  },
  warmUntil: readonly number[],
  nowMinute: number,
  hour: number,
  previousHour: boolean,
  reuse = false,
): void {
  // The baselines are a function of these inputs alone: when none moved since the scope's last
  // evaluation (most evaluations: the sums move every 15 minutes), they are what they are.
  if (reuse && sameInputs(s, sums, options, warmUntil, nowMinute, hour, previousHour)) return;
  const calls = sums[0]!;
  // The evidence behind a scope's baseline: its own calls, plus the pseudo-calls of its parent's.
  const weight = s.parent ? calls + options.priorCalls : calls;
  for (let r = 0; r < s.baseline.length; r++) {
    const slot = s.alerts?.[r];
    const frozen = slot && isActive(slot.state);
    // A cold-start alert froze no baseline (it fires on the rule's ceiling): its scope still has none,
    // until the alert has lasted a whole baseline window. Then the scope's own history is all of
    // that level, and it becomes the baseline the alert is judged on from here: a scope whose
    // usual rate sits above the rule's ceiling would otherwise never resolve. A level that keeps
    // rising still fires against it; one that held for a day resolves as this scope's normal.
    if (frozen && slot.cold) {
      const day = coldReleaseDue(slot.since, nowMinute, options.baselineMinutes)
        ? ownBaseline(s, r, sums, calls, options, warmUntil, nowMinute)
        : Number.NaN;
      if (Number.isNaN(day)) {
        s.baseline[r] = Number.NaN;
        s.baselineUpper[r] = Number.NaN;
        continue;
      }
      delete slot.cold;
      slot.frozenBaseline = day;
    }
    const day = ownBaseline(s, r, sums, calls, options, warmUntil, nowMinute);
    if (!s.hours || Number.isNaN(day)) {
      const b = frozen ? slot.frozenBaseline! : day;
      s.baseline[r] = b;
      s.baselineUpper[r] = upper(b, weight);
      continue;
    }
    // The hour's profile only raises the baseline (an hour that is usually worse): a lower hour
    // rate may be a rising trend seen a day late, and a baseline frozen too low never resolves.
    // A window reaching into the previous hour is judged against the higher of the two.
    s.hours.rate(r, hour, day, weight, scratch);
    let b = Math.max(day, scratch.rate);
    let u = Math.max(upper(day, weight), upper(scratch.rate, scratch.weight));
    if (previousHour) {
      s.hours.rate(r, hour - 1, day, weight, scratch, false);
      b = Math.max(b, scratch.rate);
      u = Math.max(u, upper(scratch.rate, scratch.weight));
    }
    // An active alert keeps its frozen baseline; its bound stays as wide as the hour's.
    if (frozen) {
      b = slot.frozenBaseline!;
      u = Math.max(u, upper(b, weight));
    }
    s.baseline[r] = b;
    s.baselineUpper[r] = u;
  }
}

/**
 * Whether every input of `setBaselines` for `s` is what it was at the last
 * call (compared bit for bit, so NaN is NaN); records them when not: the
 * hour and whether the hour before counts, the hour profile's changes, the
 * baseline sums, and per rule the parent's baseline, the alert's frozen
 * baseline (and cold start) and the warm-up.
 */
let inputs = new Float64Array(64);
/** The bits of `inputs`: compared word by word, the same bits are the same numbers (NaN too). */
let inputBits = new Uint32Array(inputs.buffer);

/** Whether a cold-start alert that went pending at `since` (ms) has lasted a whole baseline window. */
function coldReleaseDue(since: number | null, nowMinute: number, baselineMinutes: number): boolean {
  return since !== null && nowMinute - Math.floor(since / 60_000) >= baselineMinutes;
}

function sameInputs(
  s: Scope,
  sums: Float64Array,
  options: { readonly baselineMinutes: number },
  warmUntil: readonly number[],
  nowMinute: number,
  hour: number,
  previousHour: boolean,
): boolean {
  const rules = s.baseline.length;
  const size = 3 + sums.length + 3 * rules;
  if (inputs.length < size) {
    inputs = new Float64Array(size);
    inputBits = new Uint32Array(inputs.buffer);
  }
  const v = inputs;
  let at = 0;
  v[at++] = hour;
  v[at++] = previousHour ? 1 : 0;
  v[at++] = s.hours ? s.hours.changes : -1;
  for (let k = 0; k < sums.length; k++) v[at++] = sums[k]!;
  for (let r = 0; r < rules; r++) {
    const slot = s.alerts?.[r];
    const frozen = slot !== undefined && isActive(slot.state);
    const held = frozen ? slot.frozenBaseline : null;
    v[at++] = s.parent ? s.parent.baseline[r]! : 0;
    // Frozen or not, cold or not, a frozen value or none, warming up or not, a cold alert due
    // for its release or not.
    v[at++] =
      (frozen ? 1 : 0) +
      (frozen && slot.cold ? 2 : 0) +
      (held === null ? 4 : 0) +
      (nowMinute < warmUntil[r]! ? 8 : 0) +
      (frozen && slot.cold && coldReleaseDue(slot.since, nowMinute, options.baselineMinutes)
        ? 16
        : 0);
    v[at++] = held ?? 0;
  }
  const key = s.baselineInputs;
  const words = 2 * size;
  let same = key !== undefined && key.length === words;
  for (let k = 0; same && k < words; k++) same = key![k] === inputBits[k];
  if (!same) {
    if (key === undefined || key.length !== words) s.baselineInputs = inputBits.slice(0, words);
    else key.set(inputBits.subarray(0, words));
  }
  return same;
}

/** The baseline's upper bound given the calls it rests on (NaN: unknown). */
function upper(b: number, weight: number): number {
  return Number.isNaN(b) || weight <= 0 ? Number.NaN : wilsonUpper(b * weight, weight, BASELINE_Z);
}

/** One-sided 95 % (z of a two-sided 90 % interval): how far the sequential test trusts a baseline. */
const BASELINE_Z = 1.6449;

function ownBaseline(
  s: Scope,
  r: number,
  sums: Float64Array,
  calls: number,
  options: { readonly minBaselineCalls: number; readonly priorCalls: number },
  warmUntil: readonly number[],
  nowMinute: number,
): number {
  const { minBaselineCalls, priorCalls } = options;
  const count = sums[r + 1]!;
  if (nowMinute < warmUntil[r]!) return Number.NaN;
  if (!s.parent) return calls > 0 && calls >= minBaselineCalls ? count / calls : Number.NaN;
  const parentRate = s.parent.baseline[r]!;
  return Number.isNaN(parentRate) ? Number.NaN : shrinkRate(count, calls, parentRate, priorCalls);
}
