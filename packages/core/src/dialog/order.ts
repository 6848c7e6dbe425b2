/**
 * Puts calls back in the order they began while they finish in another: the
 * tracker reports a short failed call before the long answered call that
 * began before it. Items wait here, keyed by their call's number (`c7` is 7,
 * numbered by the tracker in the order it first saw each Call-ID), and come
 * out as soon as every call before them has come out.
 *
 * Memory stays bounded: when more than `maxHeld` items wait (behind a call
 * that stays open, such as a long conversation), the oldest waiting ones are
 * let out, and the open call comes out on its own when it ends, after them.
 */
export class StartOrder<T> {
  readonly #maxHeld: number;
  readonly #held = new Map<number, T>();
  #next = 1;
  /** How many items came out after a later call's (the open call that was passed over). */
  late = 0;

  constructor(maxHeld = 10_000) {
    this.#maxHeld = Math.max(1, maxHeld);
  }

  /** Adds the item of call number `seq` (1, 2, ...); returns the items now due, in order. */
  push(seq: number, item: T): T[] {
    if (seq < this.#next) {
      // Its place was given up to keep memory bounded: out now.
      this.late++;
      return [item];
    }
    this.#held.set(seq, item);
    const out: T[] = [];
    this.#drain(out);
    while (this.#held.size > this.#maxHeld) {
      // Skip to the oldest waiting item, passing over the calls still open.
      let oldest = Number.POSITIVE_INFINITY;
      for (const k of this.#held.keys()) if (k < oldest) oldest = k;
      this.#next = oldest;
      this.#drain(out);
    }
    return out;
  }

  /** Everything still waiting, in order (the input has ended). */
  end(): T[] {
    const out = [...this.#held.entries()].sort((a, b) => a[0] - b[0]).map(([, item]) => item);
    this.#held.clear();
    return out;
  }

  #drain(out: T[]): void {
    for (
      let item = this.#held.get(this.#next);
      item !== undefined;
      item = this.#held.get(this.#next)
    ) {
      out.push(item);
      this.#held.delete(this.#next);
      this.#next++;
    }
  }
}

/** A call's number in the order the tracker first saw it (`c7` → 7). */
export function callSeq(call: { id: string }): number {
  return Number(call.id.slice(1));
}
