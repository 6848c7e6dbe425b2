// Seeded scenarios with known truth, and what the detector's incidents make
// of them. Traffic: Poisson calls (per-minute counts drawn from a Poisson
// law), two trunks (A outbound, B inbound, each half the calls), 40
// customers; background 0.5 % 500 and 1 % 603. A scenario adds true events
// (a window of time and the calls it touches); an incident opened while an
// event runs (or up to 10 minutes after its end) detects it, any other is
// false.

import { createDetector } from "../src/detector.ts";
import { type IncidentChange, trackIncidents } from "../src/incidents.ts";
import type { CallEvent, DetectorConfig } from "../src/index.ts";
import { replayClock } from "../src/replay.ts";

export const MIN = 60_000;
export const T0 = Date.UTC(2026, 0, 5, 0, 0);

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function poisson(lambda: number, random: () => number): number {
  if (lambda > 60) {
    // Normal approximation for large means.
    const u = Math.max(random(), 1e-12);
    const v = random();
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * z));
  }
  const l = Math.exp(-lambda);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= random();
  } while (p > l);
  return k - 1;
}

export interface Call {
  minute: number;
  trunk: "A" | "B";
  customer: number;
}

/** A true problem: minutes [from, to), which calls, and the share they fail with which code. */
export interface TrueEvent {
  from: number;
  to: number;
  code: number;
  /** Failure share at minute m of the event (added to the background). */
  rate: (m: number) => number;
  touches: (c: Call) => boolean;
}

export interface Scenario {
  name: string;
  minutes: number;
  /** Mean calls a minute at minute m. */
  perMinute: (m: number) => number;
  events: TrueEvent[];
  /** Background share of 603 (default 1 %). */
  base603?: (m: number) => number;
  config?: DetectorConfig;
}

const BASE_500 = 0.005;

export function generate(s: Scenario, seed: number): CallEvent[] {
  const random = mulberry32(seed);
  const out: CallEvent[] = [];
  for (let m = 0; m < s.minutes; m++) {
    const n = poisson(s.perMinute(m), random);
    const b603 = s.base603?.(m) ?? 0.01;
    for (let i = 0; i < n; i++) {
      const call: Call = {
        minute: m,
        trunk: random() < 0.5 ? "A" : "B",
        customer: Math.floor(random() * 40),
      };
      let code = 200;
      const u = random();
      const live = s.events.find((e) => m >= e.from && m < e.to && e.touches(call));
      if (live && u < live.rate(m)) code = live.code;
      else if (random() < BASE_500) code = 500;
      else if (random() < b603) code = 603;
      out.push({
        time: T0 + m * MIN + Math.floor(random() * MIN),
        code,
        trunk: call.trunk,
        direction: call.trunk === "A" ? "outbound" : "inbound",
        customer: `c${call.customer}`,
      });
    }
  }
  return out.sort((a, b) => a.time - b.time);
}

export interface RunResult {
  /** Per true event: minutes from its start to the first incident opened for it (null: missed). */
  delays: (number | null)[];
  /** Per true event: incidents opened for it. */
  incidentsPerEvent: number[];
  /** Per true event: notices per destination (one per incident opened and one per resolve). */
  noticesPerEvent: number[];
  /** Per true event: minutes from its end to the resolve of its last incident (null: not resolved). */
  allClear: (number | null)[];
  /** Incidents opened outside every event (false), and after an event ended (re-fires). */
  falseIncidents: number;
  refires: number;
  days: number;
  events: number;
  ms: number;
}

const GRACE = 10;

/** Replays one seeded run on the 60 s clock and scores its incidents. */
export function run(
  s: Scenario,
  seed: number,
  trace?: (minute: number, change: IncidentChange) => void,
): RunResult {
  const events = generate(s, seed);
  const started = performance.now();
  const detector = createDetector(s.config);
  const tracker = trackIncidents(detector);
  const clock = replayClock(detector, 60);
  const opened: { at: number; id: string }[] = [];
  const resolved = new Map<string, number>();
  const step = (times: number[]) => {
    for (const now of times) {
      const transitions = detector.evaluate(now);
      for (const c of tracker.update(now, transitions)) {
        const minute = (now - T0) / MIN;
        trace?.(minute, c);
        if (c.change === "opened") opened.push({ at: minute, id: c.incident.id });
        if (c.change === "resolved") resolved.set(c.incident.id, minute);
      }
    }
  };
  for (const e of events) {
    step(clock.due(e.time));
    detector.observe(e);
  }
  step(clock.due(T0 + s.minutes * MIN));
  const ms = performance.now() - started;

  const owner = (at: number) => s.events.findIndex((e) => at >= e.from && at < e.to + GRACE);
  const delays: (number | null)[] = [];
  const incidentsPerEvent: number[] = [];
  const noticesPerEvent: number[] = [];
  const allClear: (number | null)[] = [];
  s.events.forEach((e, i) => {
    const mine = opened.filter((o) => owner(o.at) === i);
    delays.push(mine.length ? mine[0]!.at - e.from : null);
    incidentsPerEvent.push(mine.length);
    noticesPerEvent.push(mine.length + mine.filter((o) => resolved.has(o.id)).length);
    const ends = mine.map((o) => resolved.get(o.id));
    allClear.push(
      mine.length === 0 || ends.some((x) => x === undefined)
        ? null
        : Math.max(...(ends as number[])) - e.to,
    );
  });
  const strays = opened.filter((o) => owner(o.at) < 0);
  const refires = strays.filter((o) =>
    s.events.some((e) => o.at >= e.to + GRACE && o.at < e.to + 120),
  ).length;
  return {
    delays,
    incidentsPerEvent,
    noticesPerEvent,
    allClear,
    falseIncidents: strays.length,
    refires,
    days: s.minutes / 1440,
    events: events.length,
    ms,
  };
}

const everyone = () => true;

/** Day/night: 5 calls/min at night to `peak` at mid-day. */
const dayNight = (peak: number) => (m: number) => {
  const hour = (m / 60) % 24;
  return 5 + (peak - 5) * Math.max(0, Math.sin(((hour - 6) / 24) * 2 * Math.PI));
};

/** A share that is `night` from 22:00 to 06:00 and `day` otherwise. */
const nightShare = (night: number, day: number) => (m: number) => {
  const hour = (m / 60) % 24;
  return hour >= 22 || hour < 6 ? night : day;
};

const WARM = 6 * 60; // six hours of history before the events

export function scenarios(): Scenario[] {
  const steps = [2, 10, 50, 200].map(
    (cpm): Scenario => ({
      name: `step 500 0.5%→20%, ${cpm} calls/min`,
      minutes: WARM + 180,
      perMinute: () => cpm,
      events: [{ from: WARM, to: WARM + 60, code: 500, rate: () => 0.2, touches: everyone }],
    }),
  );
  return [
    ...steps,
    {
      name: "trunk A only 500 20%, 50 calls/min",
      minutes: WARM + 180,
      perMinute: () => 50,
      events: [
        { from: WARM, to: WARM + 60, code: 500, rate: () => 0.2, touches: (c) => c.trunk === "A" },
      ],
    },
    {
      name: "customer c7 only 603 50%, 200 calls/min",
      minutes: WARM + 180,
      perMinute: () => 200,
      events: [
        { from: WARM, to: WARM + 60, code: 603, rate: () => 0.5, touches: (c) => c.customer === 7 },
      ],
    },
    {
      name: "ramp 500 0.5%→15% over 3 h, 50 calls/min",
      minutes: WARM + 240,
      perMinute: () => 50,
      events: [
        {
          from: WARM,
          to: WARM + 180,
          code: 500,
          rate: (m) => 0.145 * ((m - WARM) / 180),
          touches: everyone,
        },
      ],
    },
    {
      name: "high baseline 603 30%→45%, 300 calls/min",
      minutes: WARM + 180,
      perMinute: () => 300,
      base603: () => 0.3,
      events: [{ from: WARM, to: WARM + 60, code: 603, rate: () => 0.15 / 0.7, touches: everyone }],
    },
    {
      name: "burst 500 30% for 3 min, 50 calls/min",
      minutes: WARM + 120,
      perMinute: () => 50,
      events: [{ from: WARM, to: WARM + 3, code: 500, rate: () => 0.3, touches: everyone }],
    },
    {
      name: "cold start: 500 at 20% from minute 30, 50 calls/min",
      minutes: 240,
      perMinute: () => 50,
      events: [{ from: 30, to: 150, code: 500, rate: () => 0.2, touches: everyone }],
    },
    {
      name: "7 days at 2 calls/min, no event",
      minutes: 7 * 1440,
      perMinute: () => 2,
      events: [],
    },
    {
      name: "2 days at 200 calls/min (40 customers at 5 calls/min), no event",
      minutes: 2 * 1440,
      perMinute: () => 200,
      events: [],
    },
    {
      name: "7 days day/night (5–120 calls/min), no event",
      minutes: 7 * 1440,
      perMinute: dayNight(120),
      events: [],
    },
    {
      name: "7 days day/night, 603 at 8% by night and 2% by day, no event",
      minutes: 7 * 1440,
      perMinute: dayNight(120),
      base603: nightShare(0.08, 0.02),
      events: [],
    },
  ];
}
