/**
 * When wall-clock evaluations run. Evaluation times are whole multiples of
 * the interval since the epoch (every minute on :00 for 60 s), so incident
 * and notification ids depend on the traffic, never on when the process
 * started; each runs `grace` later so events of the minute that just closed
 * and are still in transit are counted. Pure: the wall time comes in.
 */

export interface Tick {
  /** The evaluation time (what the detector and the ids see). */
  at: number;
  /** When to run it on the wall clock: `at` plus the grace. */
  runAt: number;
}

/** The grace actually applied: at most the interval less one second. */
export function graceMs(intervalSeconds: number, graceSeconds: number): number {
  return Math.max(0, Math.min(graceSeconds, intervalSeconds - 1)) * 1000;
}

/** The latest evaluation time at or before `wall`. */
export function alignedNow(wall: number, intervalSeconds: number): number {
  const step = intervalSeconds * 1000;
  return Math.floor(wall / step) * step;
}

/**
 * The next evaluation to run: the earliest multiple of the interval after
 * `after` (the last one run, if any) whose run time is not yet past, except
 * that an evaluation missed while the process was busy is not run late more
 * than once: a tick whose run time passed is replaced by the latest one due.
 */
export function nextTick(
  wall: number,
  intervalSeconds: number,
  graceSeconds: number,
  after: number | null = null,
): Tick {
  const step = intervalSeconds * 1000;
  const grace = graceMs(intervalSeconds, graceSeconds);
  // The latest evaluation whose run time is at or before now, else the next one.
  let at = Math.floor((wall - grace) / step) * step;
  if (at + grace < wall) at += step;
  if (after !== null && at <= after) at = after + step;
  return { at, runAt: at + grace };
}
