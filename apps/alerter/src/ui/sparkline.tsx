import type { HistoryPoint } from "./scope-history.ts";

export const SPARK_WIDTH = 240;
export const SPARK_HEIGHT = 48;
const PAD = 2;

/** A rate as a percentage with one decimal: 0.4812 → "48.1 %". */
export const percent = (rate: number | null | undefined) =>
  rate === null || rate === undefined ? "unknown" : `${(rate * 100).toFixed(1)} %`;

/**
 * An SVG path through the values, one point per index; a null value ends the
 * line and the next known value starts a new piece (a gap, not a guess).
 */
export function sparkPath(values: readonly (number | null)[], top: number): string {
  const n = values.length;
  if (n === 0 || top <= 0) return "";
  const dx = n > 1 ? (SPARK_WIDTH - 2 * PAD) / (n - 1) : 0;
  const h = SPARK_HEIGHT - 2 * PAD;
  let d = "";
  let pen = false;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      pen = false;
      continue;
    }
    const x = (PAD + i * dx).toFixed(1);
    const y = (PAD + h - (Math.min(v, top) / top) * h).toFixed(1);
    d += `${pen ? "L" : "M"}${x} ${y}`;
    pen = true;
  }
  return d;
}

/** The y-axis top: a little above the highest rate or threshold, at least 1 %. */
export function sparkTop(points: readonly HistoryPoint[]): number {
  let max = 0.01;
  for (const p of points) max = Math.max(max, p.rate ?? 0, p.threshold ?? 0);
  return max * 1.1;
}

/**
 * A scope's rate (solid) and threshold (dashed) over the last hours as an
 * inline SVG, named for screen readers by a sentence with the latest numbers;
 * colours come from the page's stylesheet (light and dark), no inline styles.
 */
export function Sparkline(props: { id: string; label: string; points: readonly HistoryPoint[] }) {
  const { points } = props;
  const top = sparkTop(points);
  const rate = sparkPath(
    points.map((p) => p.rate),
    top,
  );
  const threshold = sparkPath(
    points.map((p) => p.threshold),
    top,
  );
  const titleId = `${props.id}-title`;
  return (
    <svg
      class="spark"
      viewBox={`0 0 ${SPARK_WIDTH} ${SPARK_HEIGHT}`}
      width={SPARK_WIDTH}
      height={SPARK_HEIGHT}
      role="img"
      aria-labelledby={titleId}
      data-points={String(points.filter((p) => p.rate !== null).length)}
    >
      <title id={titleId}>{props.label}</title>
      <rect class="frame" x="0.5" y="0.5" width={SPARK_WIDTH - 1} height={SPARK_HEIGHT - 1} />
      {threshold ? <path class="threshold" d={threshold} /> : null}
      {rate ? <path class="rate" d={rate} /> : null}
    </svg>
  );
}
