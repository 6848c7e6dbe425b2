// The top contributors (trunks, customers) of a scope's matching responses:
// per minute slot, rule and contributor kind, a Space-Saving summary of
// SKETCH entries. Counts are exact while a minute has at most SKETCH distinct
// contributors, upper bounds otherwise.
import type { Contributor } from "./reading.ts";

/** Contributor entries kept per minute, rule and contributor kind. */
export const SKETCH = 4;

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export class Sketch<Kind extends string = Contributor["kind"]> {
  private readonly rules: number;
  readonly kinds: readonly Kind[];
  private readonly keys: (string | undefined)[];
  private readonly counts: Uint32Array;
  /** The minute each slot's entries are about (-1: none yet). */
  private readonly stamp: Int32Array;

  constructor(slots: number, rules: number, kinds: readonly Kind[]) {
    this.rules = rules;
    this.kinds = kinds;
    const size = slots * rules * kinds.length * SKETCH;
    this.keys = new Array<string | undefined>(size).fill(undefined);
    this.counts = new Uint32Array(size);
    this.stamp = new Int32Array(slots).fill(-1);
  }

  private base(slot: number, rule: number, kind: number): number {
    return ((slot * this.rules + rule) * this.kinds.length + kind) * SKETCH;
  }

  /** Makes `slot` hold `minute`, dropping the entries of an older minute. */
  private open(minute: number, slot: number): void {
    if (this.stamp[slot] === minute) return;
    const size = this.rules * this.kinds.length * SKETCH;
    // Plain loops, not fill(): a call into the runtime costs more than these few stores.
    for (let i = slot * size; i < slot * size + size; i++) {
      this.keys[i] = undefined;
      this.counts[i] = 0;
    }
    this.stamp[slot] = minute;
  }

  /** Space-Saving update: one matching response of each of `rules` from contributor `key` of kind index `kind`. */
  add(minute: number, slot: number, rules: readonly number[], kind: number, key: string): void {
    this.open(minute, slot);
    const keys = this.keys;
    const counts = this.counts;
    for (let i = 0; i < rules.length; i++) {
      const base = this.base(slot, rules[i]!, kind);
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

  /** The `limit` top keys of each kind for `rule` over the `minutes` whole minutes before `nowMinute`. */
  top(
    rule: number,
    minutes: number,
    nowMinute: number,
    limit: number,
  ): { kind: Kind; key: string; count: number }[] {
    const slots = this.stamp.length;
    const result: { kind: Kind; key: string; count: number }[] = [];
    for (let d = 0; d < this.kinds.length; d++) {
      const totals = new Map<string, number>();
      for (let j = 1; j <= minutes; j++) {
        const minute = nowMinute - j;
        if (minute < 0) break;
        const slot = minute % slots;
        if (this.stamp[slot] !== minute) continue;
        const base = this.base(slot, rule, d);
        for (let i = 0; i < SKETCH; i++) {
          const key = this.keys[base + i];
          if (key === undefined) break;
          totals.set(key, (totals.get(key) ?? 0) + this.counts[base + i]!);
        }
      }
      const ranked = [...totals].sort((a, b) => b[1] - a[1] || compareText(a[0], b[0]));
      for (const [key, count] of ranked.slice(0, limit))
        result.push({ kind: this.kinds[d]!, key, count });
    }
    return result;
  }

  /** Every entry of `minute`'s slot: `[rule, kind index, position, key, count]`. */
  entries(minute: number, slot: number): [number, number, number, string, number][] {
    const out: [number, number, number, string, number][] = [];
    if (this.stamp[slot] !== minute) return out;
    for (let r = 0; r < this.rules; r++) {
      for (let d = 0; d < this.kinds.length; d++) {
        const base = this.base(slot, r, d);
        for (let i = 0; i < SKETCH; i++) {
          const key = this.keys[base + i];
          if (key === undefined) break;
          out.push([r, d, i, key, this.counts[base + i]!]);
        }
      }
    }
    return out;
  }

  /** Restores one entry. */
  set(
    minute: number,
    slot: number,
    rule: number,
    kind: number,
    position: number,
    key: string,
    count: number,
  ): void {
    this.open(minute, slot);
    const index = this.base(slot, rule, kind) + position;
    this.keys[index] = key;
    this.counts[index] = count;
  }
}
