/** A point a chart can thin: its time, the value whose envelope is kept, and whether it must stay. */
export interface Thinnable {
  time: number;
  rate: number;
  /** A state change happened at this evaluation: never dropped. */
  pinned: boolean;
}

/**
 * At most about `target` points of `points` (in time order), keeping the
 * envelope: the first and last, every pinned point, and in each run of
 * consecutive points the one with the lowest and the one with the highest
 * rate. Every point kept is one of the input points, unchanged, so the chart
 * shows the detector's own numbers at the evaluations it keeps.
 */
export function thin<P extends Thinnable>(points: readonly P[], target: number): P[] {
  if (points.length <= target) return [...points];
  const buckets = Math.max(1, Math.floor((target - 2) / 2));
  const inner = points.length - 2;
  const out: P[] = [points[0]!];
  for (let b = 0; b < buckets; b++) {
    const from = 1 + Math.floor((b * inner) / buckets);
    const to = 1 + Math.floor(((b + 1) * inner) / buckets);
    let lo = -1;
    let hi = -1;
    for (let i = from; i < to; i++) {
      const p = points[i]!;
      if (lo < 0 || p.rate < points[lo]!.rate) lo = i;
      if (hi < 0 || p.rate > points[hi]!.rate) hi = i;
    }
    for (let i = from; i < to; i++)
      if (i === lo || i === hi || points[i]!.pinned) out.push(points[i]!);
  }
  out.push(points[points.length - 1]!);
  return out;
}
