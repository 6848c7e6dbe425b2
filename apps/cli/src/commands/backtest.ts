import { readFileSync } from "node:fs";
import {
  createDetector,
  type DetectorConfig,
  formatIssue,
  type Transition,
  validateConfig,
} from "@sipcodes/detect";
import { parse as parseYaml } from "yaml";
import { readCdrFile } from "../cdr/read-file.ts";
import { type CliContext, CliError, EXIT, printJson, useColor } from "../context.ts";
import { palette, table } from "../render/table.ts";

export interface BacktestFlags {
  config?: string;
  codeColumn?: string;
  timeColumn?: string;
  interval?: string;
  format?: "csv" | "ndjson";
  json?: boolean;
  color?: boolean;
}

/**
 * Reads the detector settings from a config file: the alerter's file (its
 * `detector` section) or a file holding the detector settings themselves.
 */
function loadConfig(file: string | undefined): DetectorConfig {
  if (file === undefined) return {};
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(
      `cannot read config ${file}: ${code === "ENOENT" ? "no such file" : (error as Error).message}`,
      EXIT.usage,
    );
  }
  let data: unknown;
  try {
    data = /\.json$/i.test(file) ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new CliError(
      `${file}: not valid ${/\.json$/i.test(file) ? "JSON" : "YAML"}: ${(error as Error).message.split("\n")[0]}`,
      EXIT.usage,
    );
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw new CliError(
      `${file}: expected an object with a "detector" section or detector settings`,
      EXIT.usage,
    );
  }
  const record = data as Record<string, unknown>;
  return (record.detector ?? (record.rules !== undefined ? record : {})) as DetectorConfig;
}

/**
 * Turns a CDR time cell into ms since the epoch: ISO 8601, "YYYY-MM-DD HH:MM:SS"
 * (read as UTC), or a number of seconds or milliseconds since the epoch.
 */
export function parseTime(raw: string): number | undefined {
  const s = raw.trim();
  if (/^\d+(\.\d+)?$/.test(s)) {
    const n = Number(s);
    return n > 1e11 ? n : n * 1000;
  }
  const sql = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/.exec(s);
  const t = Date.parse(sql ? `${sql[1]}T${sql[2]}Z` : s);
  return Number.isNaN(t) ? undefined : t;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");
const pct = (x: number | null) => (x === null ? "-" : `${(x * 100).toFixed(1)}%`);

export async function runBacktest(
  ctx: CliContext,
  file: string,
  flags: BacktestFlags,
): Promise<void> {
  const intervalSeconds = Number(flags.interval ?? 60);
  if (!Number.isInteger(intervalSeconds) || intervalSeconds < 60 || intervalSeconds % 60 !== 0) {
    throw new CliError(
      `--interval must be a whole number of minutes in seconds (60, 120, ...), got "${flags.interval}"`,
      EXIT.usage,
    );
  }
  const checked = validateConfig(loadConfig(flags.config));
  if (!checked.success) {
    const first = checked.issues[0];
    throw new CliError(
      `${flags.config}: ${first ? formatIssue(first) : "invalid"}${checked.issues.length > 1 ? ` (and ${checked.issues.length - 1} more)` : ""}`,
      EXIT.usage,
    );
  }
  const detector = createDetector(checked.data);
  const step = intervalSeconds * 1000;
  const transitions: Transition[] = [];
  let next: number | undefined;
  let first: number | undefined;
  let last: number | undefined;
  let evaluations = 0;
  let noTime = 0;
  const noTimeLines: number[] = [];

  const result = await readCdrFile(
    ctx,
    file,
    (row) => {
      const time = row.time === undefined ? undefined : parseTime(row.time);
      if (time === undefined) {
        noTime++;
        if (noTimeLines.length < 5) noTimeLines.push(row.line);
        return;
      }
      first = first === undefined ? time : Math.min(first, time);
      last = last === undefined ? time : Math.max(last, time);
      // Simulated time follows the events: evaluate each interval the events pass.
      next ??= (Math.floor(time / 60_000) + 1) * 60_000;
      while (time >= next) {
        transitions.push(...detector.evaluate(next));
        evaluations++;
        next += step;
      }
      detector.observe({
        time,
        code: row.code,
        direction: row.direction,
        trunk: row.trunk,
        customer: row.customer,
      });
    },
    {
      ...(flags.codeColumn ? { codeColumn: flags.codeColumn } : {}),
      ...(flags.timeColumn ? { timeColumn: flags.timeColumn } : {}),
      ...(flags.format ? { format: flags.format } : {}),
      progress: !flags.json,
    },
  );
  if (
    result.rows > 0 &&
    result.columns !== undefined &&
    result.columns.time === undefined &&
    result.format === "csv"
  ) {
    throw new CliError(
      `no column holds the event time (looked for time, timestamp, start_time, end_time, …); name one with --time-column`,
      EXIT.usage,
    );
  }
  if (next !== undefined) {
    transitions.push(...detector.evaluate(next));
    evaluations++;
  }
  const stats = detector.stats();
  const summary = {
    file,
    rows: result.rows,
    badRows: {
      count: result.badCount + noTime,
      first: [...result.bad, ...noTimeLines.map((line) => ({ line, message: "no readable time" }))],
    },
    from: first === undefined ? null : iso(first),
    to: last === undefined ? null : iso(last),
    evaluations,
    events: stats.events,
    rules: checked.data.rules.map((r) => r.id),
    incidents: new Set(transitions.map((t) => t.incidentId)).size,
  };
  if (flags.json) {
    printJson(ctx, { ...summary, transitions });
    return;
  }
  const p = palette(useColor(ctx, flags.color));
  ctx.out(
    `${p.bold("Backtest")}  ${file === "-" ? "stdin" : file}  ${p.dim(`${summary.from ?? "?"} → ${summary.to ?? "?"}, ${evaluations} evaluations every ${intervalSeconds / 60} min, rules ${summary.rules.join(", ")}`)}\n`,
  );
  ctx.out(
    `  rows ${result.rows.toLocaleString("en-US")} · accepted ${stats.events.accepted.toLocaleString("en-US")}${stats.events.late ? ` · late ${stats.events.late}` : ""}${stats.events.future ? ` · ahead of time ${stats.events.future}` : ""} · bad rows ${summary.badRows.count}\n`,
  );
  if (transitions.length === 0) {
    ctx.out("\nNo alert would have changed state.\n");
    return;
  }
  ctx.out(`\n${p.bold(`${transitions.length} transitions, ${summary.incidents} incidents`)}\n`);
  const rows = [
    [
      "time",
      "rule",
      "scope",
      "state",
      "window",
      "calls",
      "count",
      "rate",
      "wilson",
      "baseline",
      "threshold",
      "top",
    ].map(p.dim),
  ];
  for (const t of transitions) {
    const top = t.contributors[0];
    rows.push([
      iso(t.time),
      t.rule,
      t.scope.key,
      `${t.from}→${t.to === "firing" ? p.bold(t.to) : t.to}`,
      `${t.windowMinutes}m`,
      String(t.calls),
      String(t.count),
      pct(t.rate),
      pct(t.wilsonLower),
      pct(t.baseline),
      pct(t.threshold),
      top ? `${top.kind} ${top.key} (${top.count})` : "",
    ]);
  }
  ctx.out(table(rows).replace(/^(?=.)/gm, "  "));
}
