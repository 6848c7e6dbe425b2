// Deterministic traffic for detector scenarios: whole minutes of calls whose
// failures follow exact rates (basis points, 100 = 1 %), so expected fire and
// resolve times can be worked out by hand.
import type { CallEvent, Detector, Direction, Transition } from "../src/index.ts";

export const MIN = 60_000;
/** Minute 0 of every scenario: Monday 2025-01-06 00:00 UTC. */
export const T0 = Date.UTC(2025, 0, 6);
export const HOUR = 60;
export const DAY = 1440;

export interface Stream {
  trunk?: string;
  direction?: Direction;
  customer?: string;
  /** Calls per minute. */
  calls: number | ((minute: number) => number);
  /** Share of calls answered with `code`, in basis points (1 % = 100). */
  rate: number | ((minute: number) => number);
  /** Failure code, default 603; the other calls answer 200. */
  code?: number;
}

/** Generates each stream's calls minute by minute, carrying the fractional failures over. */
export class Traffic {
  private readonly carry: number[];
  private next = Number.NEGATIVE_INFINITY;

  constructor(private readonly streams: Stream[]) {
    this.carry = streams.map(() => 0);
  }

  /** The events of one minute; minutes must be asked for in increasing order. */
  eventsAt(minute: number): CallEvent[] {
    if (minute < this.next) throw new Error(`minute ${minute} asked after ${this.next - 1}`);
    this.next = minute + 1;
    const events: CallEvent[] = [];
    this.streams.forEach((s, i) => {
      const calls = typeof s.calls === "number" ? s.calls : s.calls(minute);
      const bp = typeof s.rate === "number" ? s.rate : s.rate(minute);
      const before = Math.floor(this.carry[i]! / 10_000);
      this.carry[i]! += calls * bp;
      const failures = Math.floor(this.carry[i]! / 10_000) - before;
      for (let k = 0; k < calls; k++) {
        events.push({
          time: T0 + minute * MIN + Math.floor((k * MIN) / calls),
          code: k < failures ? (s.code ?? 603) : 200,
          ...(s.trunk !== undefined ? { trunk: s.trunk } : {}),
          ...(s.direction !== undefined ? { direction: s.direction } : {}),
          ...(s.customer !== undefined ? { customer: s.customer } : {}),
        });
      }
    });
    return events;
  }
}

/**
 * Feeds minutes [from, to) and evaluates after each one, at the start of the
 * next minute (so the evaluation at minute m + 1 sees minute m).
 */
export function replay(d: Detector, traffic: Traffic, from: number, to: number): Transition[] {
  const transitions: Transition[] = [];
  for (let m = from; m < to; m++) {
    for (const e of traffic.eventsAt(m)) d.observe(e);
    transitions.push(...d.evaluate(T0 + (m + 1) * MIN));
  }
  return transitions;
}

/** The scenario minute of an evaluation time. */
export function minuteOf(time: number): number {
  return (time - T0) / MIN;
}

/** `"+4 sip-603 global pending→firing"`, minutes relative to `origin`. */
export function describeTransitions(transitions: Transition[], origin = 0): string[] {
  return transitions.map((t) => {
    const m = minuteOf(t.time) - origin;
    return `${m >= 0 ? "+" : ""}${m} ${t.rule} ${t.scope.key} ${t.from}→${t.to}`;
  });
}
