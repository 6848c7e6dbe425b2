import { accessSync, constants, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import {
  type CallEvent,
  type ConfigIssue,
  createDetector,
  describeIncidentChange,
  formatIssue,
  type IncidentChangeLine,
  type ResolvedConfig,
  replayClock,
  type Transition,
  trackIncidents,
  validateConfig,
} from "@sipcodes/detect";
import { parse as parseYaml } from "yaml";
import { detectionNotes } from "../cdr/detection-notes.ts";
import { readCdrEvents } from "../cdr/read-events.ts";
import { type CliContext, CliError, EXIT, printJson, useColor } from "../context.ts";
import { palette, table } from "../render/table.ts";
import { renderReport } from "../report/html.ts";
import { SeriesRecorder } from "../report/series.ts";

declare const __VERSION__: string | undefined;
const version = typeof __VERSION__ === "string" ? __VERSION__ : "0.0.0-dev";

export interface BacktestFlags {
  config?: string;
  codeColumn?: string;
  timeColumn?: string;
  interval?: string;
  format?: "csv" | "ndjson";
  json?: boolean;
  color?: boolean;
  /** Also write the HTML report to this file. */
  html?: string;
  /** "auto" (default), "1" or "2": read the file on a thread of its own (see readCdrEvents). */
  threads?: "auto" | "1" | "2";
}

/**
 * The top-level sections of the alerter's config file (apps/alerter's
 * `AlerterConfig`); the alerter's tests run the built CLI on a file holding
 * every one of them, so a new section cannot be missed here.
 */
const ALERTER_SECTIONS = new Set([
  "profile",
  "evaluation",
  "detector",
  "ingest",
  "adapters",
  "api",
  "grouping",
  "inhibitRules",
  "destinations",
  "delivery",
  "health",
  "hep",
  "security",
  "store",
]);

const usage = (message: string) => new CliError(message, EXIT.usage);

/** Fails before the replay, not after it, when the report cannot be written where asked. */
function checkWritable(file: string): void {
  let directory = false;
  try {
    directory = statSync(file).isDirectory();
  } catch {
    // Not there yet: its folder must be writable.
  }
  if (directory) throw usage(`--html ${file}: is a directory, not a file`);
  try {
    accessSync(dirname(file), constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw usage(
      `--html ${file}: cannot write there (${code === "ENOENT" ? "no such folder" : code === "EACCES" ? "permission denied" : (error as Error).message})`,
    );
  }
}

function readData(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw usage(
      `cannot read config ${file}: ${code === "ENOENT" ? "no such file" : (error as Error).message}`,
    );
  }
  const json = /\.json$/i.test(file);
  try {
    return json ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    const first = (error as Error).message.split("\n")[0];
    throw usage(`${file}: not valid ${json ? "JSON" : "YAML"}: ${first}`);
  }
}

/**
 * The detector settings of a config file, checked in full: either the
 * alerter's file (its `detector` section; any other key must be one of the
 * alerter's sections) or a file holding the detector settings themselves at
 * the top level (`rules`, `baselineMinutes`, …). Unknown keys are errors.
 */
function loadConfig(file: string | undefined): { config: ResolvedConfig; interval?: string } {
  if (file === undefined) return { config: validated(undefined, [], "") };
  const data = readData(file);
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw usage(`${file}: expected an object: an alerter config or detector settings`);
  }
  const keys = Object.keys(data);
  if (!keys.some((key) => ALERTER_SECTIONS.has(key))) return { config: validated(data, [], file) };
  const unknown = keys.find((key) => !ALERTER_SECTIONS.has(key));
  if (unknown !== undefined) {
    throw usage(
      `${file}: ${unknown}: is not a known option (an alerter config holds ${[...ALERTER_SECTIONS].join(", ")}; detector settings go under detector)`,
    );
  }
  const { detector, evaluation } = data as { detector?: unknown; evaluation?: unknown };
  const config = validated(detector, ["detector"], file);
  // The alerter evaluates every `evaluation.intervalSeconds`: replay on that clock.
  const seconds = (evaluation as { intervalSeconds?: unknown } | undefined)?.intervalSeconds;
  if (seconds === undefined) return { config };
  if (typeof seconds !== "number")
    throw usage(`${file}: evaluation.intervalSeconds: must be a number`);
  return { config, interval: String(seconds) };
}

function validated(input: unknown, at: ConfigIssue["path"], file: string): ResolvedConfig {
  const checked = validateConfig(input);
  if (checked.success) return checked.data;
  const [first, ...rest] = checked.issues.map((i) => ({ ...i, path: [...at, ...i.path] }));
  const more = rest.length > 0 ? ` (and ${rest.length} more)` : "";
  throw usage(`${file}: ${first ? formatIssue(first) : "invalid"}${more}`);
}

/** Seconds between evaluations, as the alerter's `evaluation.intervalSeconds` allows: 1–3600. */
function parseInterval(raw: string | undefined, from = "--interval"): number {
  const seconds = Number(raw ?? 60);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 3600) {
    throw usage(`${from} must be a whole number of seconds from 1 to 3600, got "${raw}"`);
  }
  return seconds;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");
const pct = (x: number | null) => (x === null ? "-" : `${(x * 100).toFixed(1)}%`);
const every = (s: number) => (s % 60 === 0 ? `${s / 60} min` : `${s} s`);

/**
 * Replays a CDR file through the detector on the alerter's event clock
 * (`replayClock`), so it produces the transitions the alerter would, then
 * prints them.
 */
export async function runBacktest(
  ctx: CliContext,
  file: string,
  flags: BacktestFlags,
): Promise<void> {
  const { config, interval } = loadConfig(flags.config);
  // --interval wins over the alerter config's evaluation.intervalSeconds; 60 s otherwise.
  const intervalSeconds =
    flags.interval !== undefined || interval === undefined
      ? parseInterval(flags.interval)
      : parseInterval(interval, `${flags.config}: evaluation.intervalSeconds`);
  if (flags.html !== undefined) checkWritable(flags.html);
  const detector = createDetector(config);
  const clock = replayClock(detector, intervalSeconds);
  const recorder = flags.html === undefined ? undefined : new SeriesRecorder(detector);
  // The incidents the alerter would notify (grouping by incident), folded the same way.
  const tracker = trackIncidents(detector);
  const transitions: Transition[] = [];
  const incidentChanges: IncidentChangeLine[] = [];
  let evaluations = 0;
  const run = (times: number[]) => {
    for (const now of times) {
      const changed = detector.evaluate(now);
      transitions.push(...changed);
      const changes = tracker.update(now, changed);
      for (const c of changes) incidentChanges.push(describeIncidentChange(c));
      recorder?.record(now, changed, detector.active(), changes);
    }
    evaluations += times.length;
  };
  // The first and last event times: kept in an array of doubles, so a row stores no new number.
  const span = new Float64Array(2);
  let seen = false;
  const event: CallEvent = {
    time: 0,
    code: 0,
    direction: undefined,
    trunk: undefined,
    customer: undefined,
  };
  const noTime: number[] = [];
  let noTimeCount = 0;

  // The clock's next evaluation, read again only when it moves (in due()).
  let next = clock.next;
  const take = (
    time: number | undefined,
    code: number,
    trunk: string | undefined,
    customer: string | undefined,
    direction: CallEvent["direction"],
    line: number,
  ) => {
    if (time === undefined) {
      if (noTimeCount++ < 5) noTime.push(line);
      return;
    }
    if (!seen) {
      span[0] = time;
      span[1] = time;
      seen = true;
    } else {
      if (time < span[0]!) span[0] = time;
      if (time > span[1]!) span[1] = time;
    }
    // Most rows fall before the next evaluation: no list of due times to build.
    if (next === null || time >= next) {
      run(clock.due(time));
      next = clock.next;
    }
    // One event object for every row (the detector keeps none of it).
    event.time = time;
    event.code = code;
    event.direction = direction;
    event.trunk = trunk;
    event.customer = customer;
    detector.observe(event);
  };
  const result = await readCdrEvents(ctx, file, take, {
    // What the replay reads (duration too: a Kamailio file pairs its answers by it, which
    // decides when they are read); the other cells are never decoded.
    fields: { time: true, trunk: true, customer: true, direction: true, duration: true },
    ...(flags.codeColumn ? { codeColumn: flags.codeColumn } : {}),
    ...(flags.timeColumn ? { timeColumn: flags.timeColumn } : {}),
    ...(flags.format ? { format: flags.format } : {}),
    progress: !flags.json,
    threads: flags.threads === "1" ? 1 : flags.threads === "2" ? 2 : "auto",
  });
  const name = file === "-" ? "stdin" : file;
  for (const note of detectionNotes(name, result)) ctx.err(`sipcode: ${note}\n`);
  const columns = result.columns;
  if (
    result.rows > 0 &&
    result.format === "csv" &&
    columns !== undefined &&
    columns.time === undefined
  ) {
    throw usage(
      `no column holds the event time (looked for time, timestamp, start_time, end_time, …); name one with --time-column`,
    );
  }
  // The evaluation after the last event, so its minute is judged too.
  if (clock.next !== null) run(clock.due(clock.next));

  const stats = detector.stats();
  const summary = {
    file,
    format: result.format,
    detected: result.detected,
    ...(result.columns ? { columns: result.columns } : {}),
    warnings: result.warnings,
    rowsRead: result.rowsRead,
    // 2 when the file was read on a thread of its own while the replay ran (read-events.ts).
    ...(result.threads !== undefined ? { threads: result.threads } : {}),
    rows: result.rows,
    skipped: result.skipped,
    ...(result.challenges ? { challenges: result.challenges } : {}),
    badRows: {
      count: result.badCount + noTimeCount,
      first: [...result.bad, ...noTime.map((line) => ({ line, message: "no readable time" }))],
    },
    from: seen ? iso(span[0]!) : null,
    to: seen ? iso(span[1]!) : null,
    evaluations,
    events: stats.events,
    rules: config.rules.map((r) => r.id),
    /** Alert episodes (rule × scope), each with its own alert incident id. */
    alerts: new Set(transitions.map((t) => t.incidentId)).size,
    /** Incidents the alerter would page for: one per root cause. */
    incidents: incidentChanges.filter((c) => c.change === "opened").length,
  };
  if (recorder && flags.html !== undefined) {
    const count = (change: IncidentChangeLine["change"]) =>
      incidentChanges.filter((c) => c.change === change).length;
    const html = renderReport({
      version,
      file,
      detection: detectionNotes(name, result),
      rowsRead: result.rowsRead,
      rows: result.rows,
      skipped: result.skipped,
      noTime: noTimeCount,
      badRows: summary.badRows.count,
      from: summary.from,
      to: summary.to,
      evaluations,
      intervalSeconds,
      events: stats.events,
      rules: summary.rules,
      alerts: summary.alerts,
      transitions: transitions.length,
      changes: { opened: count("opened"), updated: count("updated"), resolved: count("resolved") },
      incidents: recorder.result(),
    });
    try {
      writeFileSync(flags.html, html);
    } catch (error) {
      throw usage(`--html ${flags.html}: cannot write it: ${(error as Error).message}`);
    }
    ctx.err(
      `sipcode: report written to ${flags.html} (${Math.ceil(Buffer.byteLength(html) / 1024)} KB)\n`,
    );
  }
  if (flags.json) {
    printJson(ctx, { ...summary, transitions, incidentChanges });
    return;
  }
  const p = palette(useColor(ctx, flags.color));
  ctx.out(
    `${p.bold("Backtest")}  ${file === "-" ? "stdin" : file}  ${p.dim(`${summary.from ?? "?"} → ${summary.to ?? "?"}, ${evaluations} evaluations every ${every(intervalSeconds)}, rules ${summary.rules.join(", ")}`)}\n`,
  );
  ctx.out(
    `  rows ${result.rows.toLocaleString("en-US")} · accepted ${stats.events.accepted.toLocaleString("en-US")}${stats.events.late ? ` · late ${stats.events.late}` : ""}${stats.events.future ? ` · ahead of time ${stats.events.future}` : ""} · bad rows ${summary.badRows.count}${result.skipped["auth-retried"].count ? ` (of which ${result.skipped["auth-retried"].count.toLocaleString("en-US")} auth challenges retried in the same call, first at line ${result.skipped["auth-retried"].lines.join(", ")})` : ""}\n`,
  );
  if (summary.badRows.count > 0) {
    const shown = summary.badRows.first.slice(0, 3);
    ctx.out(
      `  ${p.dim(`not replayed: ${shown.map((b) => `line ${b.line} (${b.message})`).join(", ")}${summary.badRows.count > shown.length ? `, and ${(summary.badRows.count - shown.length).toLocaleString("en-US")} more` : ""}`)}\n`,
    );
  }
  if (transitions.length === 0) {
    ctx.out("\nNo alert would have changed state.\n");
    return;
  }
  ctx.out(
    `\n${p.bold(plural(summary.incidents, "incident"))} ${p.dim(`(${plural(summary.alerts, "alert")}, ${plural(transitions.length, "transition")})`)}\n`,
  );
  ctx.out(incidentTable(incidentChanges, p).replace(/^(?=.)/gm, "  "));
  ctx.out(`\n${p.bold("Transitions")}\n`);
  ctx.out(transitionTable(transitions, p).replace(/^(?=.)/gm, "  "));
}

function incidentTable(changes: IncidentChangeLine[], p: ReturnType<typeof palette>): string {
  const rows = ["time change incident root codes scopes".split(" ").map(p.dim)];
  for (const c of changes) {
    const firing = c.members.filter((m) => m.endsWith(" firing")).length;
    rows.push([
      iso(Date.parse(c.time)),
      c.change === "opened" ? p.bold(c.change) : c.change,
      c.id,
      c.root,
      c.codes.join("/"),
      `${firing}/${c.members.length}${c.mergedInto ? ` → ${c.mergedInto}` : ""}`,
    ]);
  }
  return table(rows);
}

function transitionTable(transitions: Transition[], p: ReturnType<typeof palette>): string {
  const header = "time rule scope state window calls count rate wilson baseline threshold top";
  const rows = [header.split(" ").map(p.dim)];
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
  return table(rows);
}

/** "1 incident", "14 alerts". */
function plural(n: number, word: string): string {
  return `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;
}
