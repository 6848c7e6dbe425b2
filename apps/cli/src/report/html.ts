// The backtest's HTML report: one self-contained page (inline CSS and SVG,
// no script, no external asset) with the run's summary and, per incident,
// its root alert's chart, its state changes and its affected scopes.

import type { DetectorStats, IncidentMember } from "@sipcodes/detect";
import { iso, pct, renderChart } from "./chart.ts";
import { escapeHtml as e } from "./escape.ts";
import type { IncidentEntry } from "./series.ts";

export interface ReportInput {
  version: string;
  file: string;
  /** What the reader chose and why, and its warnings. */
  detection: readonly string[];
  rowsRead: number;
  rows: number;
  /** Rows the reader skipped, by reason. */
  skipped: Readonly<Record<string, { count: number }>>;
  noTime: number;
  badRows: number;
  from: string | null;
  to: string | null;
  evaluations: number;
  intervalSeconds: number;
  events: DetectorStats["events"];
  rules: readonly string[];
  alerts: number;
  transitions: number;
  changes: { opened: number; updated: number; resolved: number };
  incidents: readonly IncidentEntry[];
}

const SKIP_LABEL: Record<string, string> = {
  "non-invite": "not an INVITE",
  provisional: "provisional response only",
  "no-outcome": "no usable outcome",
  "bad-value": "a value that could not be read",
};

const int = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
const every = (s: number) => (s % 60 === 0 ? `${s / 60} min` : `${s} s`);
/** A time for a table cell: date and time, kept on one line. */
const at = (ms: number) => `<time datetime="${iso(ms)}">${iso(ms).replace("T", " ")}</time>`;
const when = (ms: number | null) => (ms === null ? "–" : at(ms));

const CSS = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1b1f24;--muted:#4a5560;--line:#d0d7de;--panel:#f6f8fa;
--rate:#0b57d0;--wilson:#6f42c1;--threshold:#c62828;--resolve:#b35c00;--baseline:#1e7d32;--fire:#c62828;--ok:#1e7d32}
@media (prefers-color-scheme:dark){:root{--bg:#0f1216;--fg:#e6edf3;--muted:#9ba7b4;--line:#30363d;--panel:#161b22;
--rate:#6cb6ff;--wilson:#d2a8ff;--threshold:#ff7b72;--resolve:#f0b45a;--baseline:#7ee787;--fire:#ff7b72;--ok:#7ee787}}
*{box-sizing:border-box}
body{margin:0 auto;max-width:64rem;padding:1.5rem;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif}
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.2rem;margin:2rem 0 .5rem;border-bottom:1px solid var(--line)}h3{font-size:1.05rem;margin:1.5rem 0 .25rem}
p,li{max-width:48rem}.muted{color:var(--muted)}code{font:13px ui-monospace,monospace}
table{border-collapse:collapse;margin:.5rem 0;font-size:14px}th,td{border:1px solid var(--line);padding:.2rem .5rem;text-align:left;vertical-align:top}
th{background:var(--panel)}td.n{text-align:right;font-variant-numeric:tabular-nums}time{white-space:nowrap}
section.incident{border-top:1px solid var(--line);margin-top:1.5rem}
figure{margin:.5rem 0}figcaption{font-size:13px;color:var(--muted)}
svg.chart{width:100%;height:auto;background:var(--panel);border:1px solid var(--line)}
svg .grid{stroke:var(--line);stroke-width:1}svg text{fill:var(--fg);font:11px system-ui,sans-serif}
svg .series{fill:none;stroke-width:2;stroke-linejoin:round}svg .rate{stroke:var(--rate)}svg .wilson{stroke:var(--wilson);stroke-width:1.5;stroke-dasharray:2 3}
svg .threshold{stroke:var(--threshold)}svg .resolve-threshold{stroke:var(--resolve);stroke-dasharray:6 4;stroke-width:1.5}svg .baseline{stroke:var(--baseline);stroke-dasharray:8 3}
svg .mark line{stroke-width:1.5;stroke-dasharray:3 3}svg .mark-firing line{stroke:var(--fire)}svg .mark-resolved line{stroke:var(--ok)}
.legend{display:flex;flex-wrap:wrap;gap:.25rem 1rem;padding:0;margin:.25rem 0;list-style:none;font-size:13px}
.legend svg{vertical-align:middle;margin-right:.3rem}
@media print{body{max-width:none;padding:0;font-size:11pt}section.incident,figure,table{break-inside:avoid}svg.chart{background:none}a{color:inherit}}
`;

function legend(): string {
  const item = (cls: string, label: string) =>
    `<li><svg width="28" height="10" aria-hidden="true"><path class="series ${cls}" d="M0 5H28"/></svg>${label}</li>`;
  return `<ul class="legend">${item("rate", "rate")}${item("wilson", "Wilson lower bound (what must exceed the threshold)")}${item("threshold", "threshold")}${item("resolve-threshold", "resolve threshold")}${item("baseline", "baseline")}</ul>`;
}

function summaryTable(r: ReportInput): string {
  const rows: [string, string][] = [
    ["File", e(r.file === "-" ? "standard input" : r.file)],
    ["Format", r.detection.map((l) => e(l)).join("<br>")],
    ["Rows read", int(r.rowsRead)],
    ["Call attempts", int(r.rows)],
  ];
  for (const [reason, t] of Object.entries(r.skipped)) {
    if (t.count > 0) rows.push([`Skipped: ${e(SKIP_LABEL[reason] ?? reason)}`, int(t.count)]);
  }
  if (r.noTime > 0) rows.push(["Skipped: no readable time", int(r.noTime)]);
  rows.push(
    ["Rows not used, in all", int(r.badRows)],
    [
      "Events given to the detector",
      `${int(r.events.accepted)} counted · ${int(r.events.ignored)} provisional · ${int(r.events.late)} late · ${int(r.events.future)} ahead of time · ${int(r.events.invalid)} invalid`,
    ],
    ["Time span", `${e(r.from ?? "–")} to ${e(r.to ?? "–")}`],
    ["Evaluations", `${int(r.evaluations)}, every ${every(r.intervalSeconds)}`],
    ["Rules", e(r.rules.join(", "))],
    ["Alert episodes (rule × scope)", int(r.alerts)],
    ["Alert state changes", int(r.transitions)],
    ["Incidents", int(r.incidents.length)],
    [
      "Incident changes (what the alerter's notices are made of)",
      `${int(r.changes.opened)} opened · ${int(r.changes.updated)} updated · ${int(r.changes.resolved)} resolved`,
    ],
  );
  return `<table class="summary"><caption class="muted">What was read and found</caption><tbody>${rows.map(([k, v]) => `<tr><th scope="row">${k}</th><td>${v}</td></tr>`).join("")}</tbody></table>`;
}

function incidentList(r: ReportInput): string {
  const head = ["Incident", "Opened", "Resolved", "Root scope", "Rule", "Codes", "Scopes"];
  const rows = r.incidents.map((x, i) => {
    const inc = x.incident;
    const name = x.series ? `<a href="#incident-${i + 1}">${i + 1}</a>` : String(i + 1);
    return `<tr><td>${name}</td><td>${at(inc.openedAt)}</td><td>${inc.resolvedAt === null ? "still open" : at(inc.resolvedAt)}${inc.mergedInto ? ` (merged into ${e(inc.mergedInto)})` : ""}</td><td>${e(inc.root.scope.key)}</td><td>${e(inc.root.rule)}</td><td>${e(inc.codes.join(", "))}</td><td class="n">${int(x.memberCount)}</td></tr>`;
  });
  return `<table class="incidents"><thead><tr>${head.map((h) => `<th scope="col">${h}</th>`).join("")}</tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function membersTable(x: IncidentEntry): string {
  const head = [
    "Scope",
    "Rule",
    "Role",
    "Status",
    "Pending since",
    "Fired",
    "Resolved",
    "Rate",
    "Threshold",
    "Window",
  ];
  const row = (m: IncidentMember) =>
    `<tr><td>${e(m.scope.key)}</td><td>${e(m.rule)}</td><td>${e(m.role)}${m.explainedBy ? ` by ${e(m.explainedBy.join(", "))}` : ""}</td><td>${m.status}</td><td>${at(m.since)}</td><td>${when(m.firedAt)}</td><td>${when(m.resolvedAt)}</td><td class="n">${pct(m.reading.rate)}</td><td class="n">${pct(m.reading.threshold)}</td><td class="n">${m.reading.windowMinutes} min</td></tr>`;
  const more =
    x.memberCount > x.incident.members.length
      ? `<p class="muted">and ${int(x.memberCount - x.incident.members.length)} more scopes.</p>`
      : "";
  return `<table class="members"><caption class="muted">Affected scopes (numbers from each alert's last evaluation in the incident)</caption><thead><tr>${head.map((h) => `<th scope="col">${h}</th>`).join("")}</tr></thead><tbody>${x.incident.members.map(row).join("")}</tbody></table>${more}`;
}

function incidentSection(x: IncidentEntry, i: number): string {
  const s = x.series;
  if (!s) return "";
  const inc = x.incident;
  const id = `incident-${i + 1}`;
  const title = `Incident ${i + 1}: ${s.rule} on ${s.scope.key}`;
  const marks = s.marks
    .map(
      (m) =>
        `<tr><td>${at(m.time)}</td><td>${m.from} → ${m.to}</td><td class="n">${pct(m.rate)}</td><td class="n">${pct(m.wilsonLower)}</td><td class="n">${pct(m.threshold)}</td><td class="n">${pct(m.baseline)}</td></tr>`,
    )
    .join("");
  const leads = s.points.some((p) => p.phase === "lead" || p.phase === "tail");
  const shown =
    s.points.length < s.recorded
      ? ` ${int(s.points.length)} of ${int(s.recorded)} evaluations shown (the lowest and highest rate of each stretch, and every state change).`
      : "";
  return `<section class="incident" id="${id}" aria-labelledby="${id}-h"><h3 id="${id}-h">${e(title)}</h3>
<p>Opened ${iso(inc.openedAt)}, ${inc.resolvedAt === null ? "still open when the file ends" : `resolved ${iso(inc.resolvedAt)}`}${inc.mergedInto ? ` (merged into ${e(inc.mergedInto)})` : ""}. Codes ${e(inc.codes.join(", "))}; rules ${e(inc.rules.join(", "))}.</p>
<figure>${renderChart(s, id, title)}<figcaption>${legend()}The rate is over the alert's window (${e([...new Set(s.points.map((p) => p.windowMinutes))].join(", "))} min). ${leads ? "Before it went pending and after it resolved, only the window's rate and bound are drawn: the detector reports a baseline and thresholds only while an alert is pending or firing." : ""}${shown}</figcaption></figure>
<table class="marks"><caption class="muted">State changes of ${e(s.rule)} on ${e(s.scope.key)}</caption><thead><tr><th scope="col">Time</th><th scope="col">Change</th><th scope="col">Rate</th><th scope="col">Wilson lower bound</th><th scope="col">Threshold</th><th scope="col">Baseline</th></tr></thead><tbody>${marks}</tbody></table>
${membersTable(x)}</section>`;
}

/** The whole page. */
export function renderReport(r: ReportInput): string {
  const name = r.file === "-" ? "standard input" : r.file;
  const charted = r.incidents.filter((x) => x.series).length;
  const body =
    r.incidents.length === 0
      ? `<p class="empty">No incident: with these rules, no alert would have fired on this file.${r.transitions > 0 ? ` ${int(r.transitions)} alert state changes happened without one firing (pending, then back to normal).` : ""}</p>`
      : `${incidentList(r)}${charted < r.incidents.length ? `<p class="muted">Charts for the first ${int(charted)} incidents; the rest are listed above.</p>` : ""}${r.incidents.map(incidentSection).join("\n")}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="generator" content="sipcode ${e(r.version)}">
<title>Backtest of ${e(name)}: ${int(r.incidents.length)} incident${r.incidents.length === 1 ? "" : "s"}</title>
<style>${CSS}</style></head>
<body><header><h1>Alert backtest</h1><p class="muted">${e(name)}, replayed through the alert rules by sipcode ${e(r.version)}.</p></header>
<main><h2 id="summary">Summary</h2>${summaryTable(r)}
<h2 id="incidents">Incidents</h2>${body}</main></body></html>
`;
}
