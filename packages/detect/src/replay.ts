// When a replay evaluates: the alerter's event clock, in one place. The
// alerter (event clock) and the CLI's backtest both use it, so a backtest
// replays what the alerter does with the same events and interval.

import { DetectError } from "./errors.ts";
import { type IncidentChange, trackIncidents } from "./incidents.ts";
import type { CallEvent, Detector, Transition } from "./types.ts";

const MINUTE_MS = 60_000;

/**
 * The evaluation times of a replay. Evaluations fall on whole multiples of
 * the interval (epoch-aligned: every :00 for 60 s, :00 and :30 for 30 s,
 * :00, :05, … for 300 s). The first event starts the clock at the first
 * multiple after it; every later event first runs the evaluations due at or
 * before its time, then is observed. A detector that was evaluated before
 * (restored from a snapshot) resumes at the multiple after its last
 * evaluation.
 */
export interface ReplayClock {
  /** The next evaluation time (ms), or null until the first event starts the clock. */
  readonly next: number | null;
  /**
   * The evaluation times due before something at `time` (ms) is observed, in
   * order; [] when none is. A gap longer than the baseline plus an hour only
   * evaluates its last `baselineMinutes + 60` minutes of intervals: evaluating
   * more empty intervals changes nothing.
   */
  due(time: number): number[];
}

export function replayClock(detector: Detector, intervalSeconds: number): ReplayClock {
  if (!Number.isInteger(intervalSeconds) || intervalSeconds < 1 || intervalSeconds > 86_400) {
    throw new DetectError(
      "invalid_argument",
      `replay needs a whole number of seconds in [1, 86400] between evaluations (got ${intervalSeconds})`,
    );
  }
  const step = intervalSeconds * 1000;
  const last = detector.stats().lastEvaluation;
  let next: number | null = last === null ? null : (Math.floor(last / step) + 1) * step;
  const maxSteps = Math.ceil(((detector.config.baselineMinutes + 60) * MINUTE_MS) / step);
  return {
    get next() {
      return next;
    },
    due(time: number): number[] {
      if (next === null) {
        next = (Math.floor(time / step) + 1) * step;
        return [];
      }
      if (time < next) return [];
      const behind = Math.floor((time - next) / step);
      if (behind > maxSteps) next += (behind - maxSteps) * step;
      const times: number[] = [];
      while (next <= time) {
        times.push(next);
        next += step;
      }
      return times;
    },
  };
}

export interface ReplayResult {
  transitions: Transition[];
  /** The incidents the transitions make, as `trackIncidents` folds them after each evaluation. */
  incidents: IncidentChange[];
  /** Evaluations run (an evaluation in the same minute as the one before changes nothing). */
  evaluations: number;
}

/**
 * Replays events (in time order) through `detector` on a `replayClock`, then
 * runs the next evaluation after the last event, so its minute is judged too.
 */
export function replay(
  detector: Detector,
  events: Iterable<CallEvent>,
  intervalSeconds: number,
): ReplayResult {
  const clock = replayClock(detector, intervalSeconds);
  const tracker = trackIncidents(detector);
  const result: ReplayResult = { transitions: [], incidents: [], evaluations: 0 };
  const run = (times: number[]) => {
    for (const now of times) {
      const transitions = detector.evaluate(now);
      result.transitions.push(...transitions);
      result.incidents.push(...tracker.update(now, transitions));
      result.evaluations++;
    }
  };
  for (const event of events) {
    run(clock.due(event.time));
    detector.observe(event);
  }
  if (clock.next !== null) run(clock.due(clock.next));
  return result;
}
