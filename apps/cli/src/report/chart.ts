// One incident's chart: the root alert's rate, Wilson lower bound, threshold,
// resolve threshold and baseline over time as SVG paths, with a line at each
// state change. Every path carries its series name and point count
// (`data-series`, `data-points`); every mark its time and numbers.

import { escapeHtml as e } from "./escape.ts";
import type { AlertSeries, SeriesPoint } from "./series.ts";

const W = 760;
const H = 260;
const LEFT = 64;
const RIGHT = 16;
const TOP = 18;
const BOTTOM = 40;

type Value = "rate" | "wilsonLower" | "threshold" | "resolveThreshold" | "baseline";

/** The series drawn, in drawing order, with their class and legend label. */
export const SERIES: readonly { key: Value; name: string; label: string }[] = [
  { key: "baseline", name: "baseline", label: "baseline" },
  { key: "resolveThreshold", name: "resolve-threshold", label: "resolve threshold" },
  { key: "threshold", name: "threshold", label: "threshold" },
  { key: "wilsonLower", name: "wilson", label: "Wilson lower bound" },
  { key: "rate", name: "rate", label: "rate" },
];

export const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");

/** A rate as a percentage, with more digits for small ones. */
export function pct(x: number | null): string {
  if (x === null || Number.isNaN(x)) return "–";
  const p = x * 100;
  return `${p.toFixed(p !== 0 && Math.abs(p) < 1 ? 2 : 1)}%`;
}

/** The smallest of 1, 2, 2.5, 5 × 10^k at or above `x`. */
function niceCeil(x: number): number {
  if (!(x > 0)) return 0.01;
  const k = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * k >= x) return m * k;
  return 10 * k;
}

const r1 = (n: number) => Math.round(n * 10) / 10;

export function renderChart(s: AlertSeries, id: string, title: string): string {
  const points = s.points;
  const times = [...points.map((p) => p.time), ...s.marks.map((m) => m.time)];
  const t0 = Math.min(...times);
  const t1 = Math.max(...times);
  let top = 0;
  for (const p of points) {
    for (const { key } of SERIES) {
      const v = p[key];
      if (v !== null && Number.isFinite(v)) top = Math.max(top, v);
    }
  }
  const yMax = Math.min(1, niceCeil(top * 1.08));
  const plotW = W - LEFT - RIGHT;
  const plotH = H - TOP - BOTTOM;
  const x = (t: number) => r1(LEFT + (t1 === t0 ? plotW / 2 : ((t - t0) / (t1 - t0)) * plotW));
  const y = (v: number) => r1(TOP + plotH - (Math.min(v, yMax) / yMax) * plotH);

  const parts: string[] = [];
  // Horizontal grid with the rate axis.
  for (let i = 0; i <= 4; i++) {
    const v = (yMax * i) / 4;
    const yy = y(v);
    parts.push(
      `<line class="grid" x1="${LEFT}" x2="${W - RIGHT}" y1="${yy}" y2="${yy}"/>`,
      `<text class="axis" x="${LEFT - 6}" y="${yy + 4}" text-anchor="end">${pct(v)}</text>`,
    );
  }
  // Time axis: the start, the end and three ticks between.
  for (let i = 0; i <= 4; i++) {
    const t = t0 + ((t1 - t0) * i) / 4;
    const label = iso(Math.round(t / 60_000) * 60_000).slice(11, 16);
    parts.push(
      `<text class="axis" x="${x(t)}" y="${H - BOTTOM + 16}" text-anchor="${i === 0 ? "start" : i === 4 ? "end" : "middle"}">${label}</text>`,
    );
  }
  parts.push(`<text class="axis" x="${LEFT}" y="${H - 6}">${e(iso(t0).slice(0, 10))} UTC</text>`);
  for (const m of s.marks) {
    if (m.to !== "firing" && m.to !== "resolved") continue;
    const xx = x(m.time);
    parts.push(
      `<g class="mark mark-${m.to}" data-state="${m.to}" data-time="${iso(m.time)}" data-rate="${m.rate}" data-wilson="${m.wilsonLower}" data-threshold="${m.threshold}" data-baseline="${m.baseline}"><line x1="${xx}" x2="${xx}" y1="${TOP}" y2="${H - BOTTOM}"/><text x="${xx > W - RIGHT - 70 ? xx - 3 : xx + 3}" y="${TOP + 10}" text-anchor="${xx > W - RIGHT - 70 ? "end" : "start"}">${m.to}</text></g>`,
    );
  }
  for (const { key, name } of SERIES) {
    const { d, n } = pathOf(points, key, x, y);
    if (n === 0) continue;
    parts.push(`<path class="series ${name}" data-series="${name}" data-points="${n}" d="${d}"/>`);
  }
  const fired = s.marks.find((m) => m.to === "firing");
  const desc = `${s.rule} on ${s.scope.key}, ${iso(t0)} to ${iso(t1)}: rate peaked at ${pct(Math.max(...points.map((p) => p.rate)))}${fired ? `; it fired at ${iso(fired.time)} with the threshold at ${pct(fired.threshold)} over a baseline of ${pct(fired.baseline)}` : ""}.`;
  return `<svg class="chart" role="img" viewBox="0 0 ${W} ${H}" aria-labelledby="${id}-t ${id}-d" data-alert="${e(s.alertId)}" data-y-max="${yMax}" data-t0="${t0}" data-t1="${t1}"><title id="${id}-t">${e(title)}</title><desc id="${id}-d">${e(desc)}</desc>${parts.join("")}</svg>`;
}

/** The path of one value over the points that have it; a gap (no value) starts a new segment. */
function pathOf(
  points: readonly SeriesPoint[],
  key: Value,
  x: (t: number) => number,
  y: (v: number) => number,
): { d: string; n: number } {
  let d = "";
  let n = 0;
  let open = false;
  for (const p of points) {
    const v = p[key];
    if (v === null || !Number.isFinite(v)) {
      open = false;
      continue;
    }
    d += `${open ? "L" : "M"}${x(p.time)} ${y(v)}`;
    open = true;
    n++;
  }
  return { d, n };
}
