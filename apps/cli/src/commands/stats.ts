import {
  CallSummarizer,
  explain,
  type GroupBy,
  SKIP_REASON_LABELS,
  SKIP_REASONS,
  type SkipReason,
  type Summary,
  type Totals,
} from "@sipcodes/core";
import { detectionNotes } from "../cdr/detection-notes.ts";
import type { FormatChoice } from "../cdr/formats.ts";
import { readCdrFile } from "../cdr/read-file.ts";
import type { CdrRow, ReaderResult, SkipTally, WantedFields } from "../cdr/reader.ts";
import { parseCdrTime } from "../cdr/time.ts";
import { type CliContext, CliError, EXIT, printJson, useColor } from "../context.ts";
import { clip, palette, table } from "../render/table.ts";
import { resolveProfile } from "./profile.ts";

export interface StatsFlags {
  codeColumn?: string;
  timeColumn?: string;
  trunkColumn?: string;
  customerColumn?: string;
  directionColumn?: string;
  by?: GroupBy;
  profile?: string;
  top?: string;
  format?: FormatChoice;
  since?: string;
  until?: string;
  json?: boolean;
  color?: boolean;
  /** "auto" (default), "1" or "2": see readCdrFile's `threads`. */
  threads?: "auto" | "1" | "2";
}

/** Rows that give no call outcome; more than this share of them means the figures cannot be trusted. */
const UNUSABLE: readonly SkipReason[] = ["provisional", "no-outcome", "bad-value"];
const UNUSABLE_LIMIT = 0.5;

const pct = (value: number | null) => (value === null ? "-" : `${(value * 100).toFixed(1)}%`);
/** 1,234,567: by hand, since the first toLocaleString() call loads ICU (about 25 ms). */
const int = (value: number) => String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
const secs = (value: number | null) => {
  if (value === null) return "-";
  const s = Math.round(value);
  return s >= 60
    ? `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`
    : `${value.toFixed(1)}s`;
};

function parseWhen(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const t = parseCdrTime(/^\d{4}-\d\d-\d\d$/.test(value) ? `${value}T00:00:00Z` : value);
  if (t === undefined) {
    throw new CliError(
      `${flag} must be a date or time such as 2026-11-26 or 2026-11-26T10:00:00Z, got "${value}"`,
      EXIT.usage,
    );
  }
  return t;
}

function wantedFields(by: GroupBy | undefined, direction: boolean): WantedFields {
  // The direction is read when the profile gives a code a meaning for one
  // direction only: each call is then counted under its own direction's.
  const fields: WantedFields = { duration: true, pdd: true, ...(direction ? { direction } : {}) };
  if (by === "hour") fields.start = true;
  else if (by && by !== "code") fields[by] = true;
  return fields;
}

interface FileReport {
  file: string;
  format: ReaderResult["format"];
  detected: ReaderResult["detected"];
  delimiter?: string;
  headerRow?: boolean;
  pages?: number;
  threads?: number;
  columns?: ReaderResult["columns"];
  pairing?: ReaderResult["pairing"];
  challenges?: ReaderResult["challenges"];
  otherLines?: number;
  rowsRead: number;
  attempts: number;
  outsideWindow: number;
  skipped: Record<SkipReason, SkipTally>;
  warnings: string[];
  /** The first skipped rows, whatever the reason (not printed in JSON per file). */
  bad: { line: number; message: string }[];
}

export async function runStats(
  ctx: CliContext,
  input: string | string[],
  flags: StatsFlags,
): Promise<void> {
  const files = typeof input === "string" ? [input] : input;
  const top = Number(flags.top ?? 20);
  if (!Number.isInteger(top) || top < 1)
    throw new CliError(`--top must be a positive whole number, got "${flags.top}"`, EXIT.usage);
  if (files.filter((f) => f === "-").length > 1)
    throw new CliError("standard input ('-') can be read only once", EXIT.usage);
  const since = parseWhen("--since", flags.since);
  const until = parseWhen("--until", flags.until);
  if (since !== undefined && until !== undefined && until <= since)
    throw new CliError("--until must be later than --since", EXIT.usage);
  const { profile, registry } = await resolveProfile(flags.profile);
  const summarizer = new CallSummarizer({
    profile,
    registry,
    ...(flags.by ? { groupBy: flags.by } : {}),
  });
  // A CdrRow is a CallEvent (plus its line and raw time): handed over as is.
  const add = (row: CdrRow) => summarizer.add(row);

  const reports: FileReport[] = [];
  for (const file of files) {
    const result = await readCdrFile(ctx, file, add, {
      ...(flags.format ? { format: flags.format } : {}),
      ...(flags.codeColumn ? { codeColumn: flags.codeColumn } : {}),
      ...(flags.timeColumn ? { timeColumn: flags.timeColumn } : {}),
      ...(flags.trunkColumn ? { trunkColumn: flags.trunkColumn } : {}),
      ...(flags.customerColumn ? { customerColumn: flags.customerColumn } : {}),
      ...(flags.directionColumn ? { directionColumn: flags.directionColumn } : {}),
      ...(since !== undefined ? { since } : {}),
      ...(until !== undefined ? { until } : {}),
      fields: wantedFields(flags.by, summarizer.directionMatters),
      // Kamailio acc: an answered call's length from its INVITE and BYE rows.
      pairCalls: true,
      onCall: (code, duration) => summarizer.addCall(code, duration),
      // A large plain CSV may be read on two threads; their counts come here.
      threads: flags.threads === "1" ? 1 : flags.threads === "2" ? 2 : "auto",
      ...(flags.by
        ? {}
        : {
            onCounts: (counts: number[], sum: number, timed: number) =>
              summarizer.addCounts(counts, sum, timed),
          }),
      progress: !flags.json,
    });
    const name = file === "-" ? "stdin" : file;
    reports.push({
      file: name,
      format: result.format,
      detected: result.detected,
      ...(result.delimiter !== undefined ? { delimiter: result.delimiter } : {}),
      ...(result.headerRow !== undefined ? { headerRow: result.headerRow } : {}),
      ...(result.pages !== undefined ? { pages: result.pages } : {}),
      ...(result.threads !== undefined ? { threads: result.threads } : {}),
      ...(result.columns ? { columns: result.columns } : {}),
      ...(result.pairing ? { pairing: result.pairing } : {}),
      ...(result.challenges ? { challenges: result.challenges } : {}),
      ...(result.otherLines !== undefined ? { otherLines: result.otherLines } : {}),
      rowsRead: result.rowsRead,
      attempts: result.rows,
      outsideWindow: result.outsideWindow,
      skipped: result.skipped,
      warnings: result.warnings,
      bad: result.bad,
    });
    for (const note of detectionNotes(name, result)) ctx.err(`sipcode: ${note}\n`);
  }

  const summary = summarizer.result();
  const rowsRead = reports.reduce((n, r) => n + r.rowsRead, 0);
  const outsideWindow = reports.reduce((n, r) => n + r.outsideWindow, 0);
  const skipped = mergeSkipped(reports);
  const unusable = UNUSABLE.reduce((n, r) => n + skipped[r].count, 0);
  const inWindow = rowsRead - outsideWindow;
  const trusted = summary.attempts > 0 && unusable <= inWindow * UNUSABLE_LIMIT;
  const counted = () => countedTable(reports, skipped, rowsRead, summary.attempts, outsideWindow);

  if (!trusted) {
    ctx.exitCode = EXIT.unusable;
    ctx.err(`${counted().join("\n")}\n`);
    ctx.err(
      unusable === 0
        ? "sipcode: no call attempts were counted, so there is no ASR or NER to give; check --format and the column flags\n"
        : `sipcode: ${int(unusable)} of ${int(inWindow)} rows (${pct(unusable / inWindow)}) gave no usable outcome, so ASR and NER over the rest would mislead; check --format and the column flags\n`,
    );
  }

  const failures = (t: Totals) => t.codes.filter((c) => c.code >= 300);
  if (flags.json) {
    const first = reports[0];
    printJson(ctx, {
      ...(files.length === 1 && first
        ? { file: first.file, format: first.format, columns: first.columns }
        : {}),
      files: reports.map(({ bad: _, ...r }) => r),
      rowsRead,
      rows: summary.attempts,
      outsideWindow,
      skipped,
      unusable: { count: unusable, share: inWindow ? unusable / inWindow : null, trusted },
      badRows: {
        count: Object.values(skipped).reduce((n, t) => n + t.count, 0),
        first: reports
          .flatMap((r) => r.bad.map((b) => (reports.length > 1 ? { file: r.file, ...b } : b)))
          .slice(0, 5),
      },
      summary,
    });
    return;
  }
  if (!trusted) return;

  const p = palette(useColor(ctx, flags.color));
  const lines: string[] = [];
  lines.push(
    `${p.bold("CDR summary")}  ${reports.map((r) => r.file).join(", ")} ${p.dim(`(profile ${summary.profile})`)}`,
  );
  lines.push(...counted().map((l) => `  ${l}`));
  lines.push(
    `  ${p.bold("ASR")} ${pct(summary.asr)}   ${p.bold("NER")} ${pct(summary.ner)}   ${p.bold("ACD")} ${secs(summary.acd)}${summary.pdd !== null ? `   ${p.bold("PDD")} ${(summary.pdd / 1000).toFixed(1)}s ${p.dim(`(mean over ${int(summary.pddCalls)} calls)`)}` : ""}`,
  );
  lines.push(
    p.dim(
      `  NER (ITU-T E.411) counts answered calls plus the users' outcomes: busy, no answer, caller cancel, the callee's refusal${summary.userCausedCodes.length ? ` (here: ${summary.userCausedCodes.join(", ")})` : ""}.`,
    ),
  );
  if (summary.acd !== null && summary.timedAnswers < summary.answered)
    lines.push(
      p.dim(`  ACD over the ${int(summary.timedAnswers)} answered calls that carry a duration.`),
    );
  ctx.out(`${lines.join("\n")}\n`);

  const fails = failures(summary);
  if (fails.length) {
    ctx.out(`\n${p.bold("Top failure codes")}\n`);
    const rows = [["code", "phrase", "count", "rate", "meaning"].map(p.dim)];
    for (const c of fails.slice(0, top)) {
      const meaning = explain(c.code, {
        profile,
        registry,
        ...(c.direction ? { direction: c.direction } : {}),
      }).summary;
      rows.push([
        c.direction
          ? `${p.code(c.code)} ${p.dim(c.direction === "inbound" ? "in" : "out")}`
          : p.code(c.code),
        c.phrase || "(unassigned)",
        int(c.count),
        pct(c.rate),
        clip(meaning, Math.max(30, (ctx.env.columns ?? 110) - 50)),
      ]);
    }
    ctx.out(indent(table(rows, "  ", (ctx.env.columns ?? 110) - 2)));
    if (fails.length > top) ctx.out(`  … and ${int(fails.length - top)} more codes\n`);
  } else {
    ctx.out(`\nNo failures among ${int(summary.attempts)} call attempts.\n`);
  }
  if (summary.groups) printGroups(ctx, summary, top, p);
}

function mergeSkipped(reports: FileReport[]): Record<SkipReason, SkipTally & { files?: string[] }> {
  const out = {} as Record<SkipReason, SkipTally & { files?: string[] }>;
  for (const reason of SKIP_REASONS) {
    const merged: SkipTally & { files?: string[] } = { count: 0, lines: [] };
    for (const r of reports) {
      const t = r.skipped[reason];
      if (t.count === 0) continue;
      merged.count += t.count;
      if (merged.lines.length === 0) {
        merged.lines = [...t.lines];
        if (t.example !== undefined) merged.example = t.example;
        if (reports.length > 1) merged.files = [r.file];
      }
    }
    out[reason] = merged;
  }
  return out;
}

/** What was read and counted: the same lines on stdout normally, on stderr when the figures are refused. */
function countedTable(
  reports: FileReport[],
  skipped: Record<SkipReason, SkipTally & { files?: string[] }>,
  rowsRead: number,
  attempts: number,
  outsideWindow: number,
): string[] {
  const lines: string[] = [];
  for (const r of reports) {
    const how = r.detected.auto ? `auto: ${r.detected.why}` : "--format";
    const syntax =
      r.format === "csv"
        ? `csv, ${r.delimiter === "\t" ? "TAB" : `'${r.delimiter ?? ","}'`}${r.headerRow === false ? ", no header row" : ""}`
        : r.format === "json"
          ? `Graph JSON, ${int(r.pages ?? 0)} page${r.pages === 1 ? "" : "s"}`
          : r.format === "acc-log"
            ? "acc log lines"
            : "ndjson";
    lines.push(`${r.file}: ${r.detected.format} (${syntax}; ${how})`);
    const cols = Object.entries(r.columns ?? {}).map(([field, column]) => `${field}=${column}`);
    if (cols.length) lines.push(`  columns: ${cols.join(", ")}`);
    const pair = r.pairing;
    if (pair) {
      const notes = [
        pair.unpairedAnswers
          ? `${int(pair.unpairedAnswers)} answered without a BYE row${pair.evicted ? ` (${int(pair.evicted)} of them past the ${int(pair.maxPending)} calls held at once)` : ""}`
          : "",
        pair.unpairedByes ? `${int(pair.unpairedByes)} BYE rows with no answered INVITE` : "",
      ].filter(Boolean);
      lines.push(
        `  durations: ${int(pair.paired)} answered calls timed from INVITE to BYE${notes.length ? `; ${notes.join("; ")}` : ""}`,
      );
    }
    const ch = r.challenges;
    if (ch && (ch.retried || ch.unretried)) {
      lines.push(
        `  auth challenges (401/407): ${int(ch.retried)} retried in the same call, counted as the retry's attempt; ${int(ch.unretried)} with no retry, counted as attempts`,
      );
      if (ch.evicted) {
        lines.push(
          `  ${int(ch.evicted)} challenges counted before a retry could come (more than ${int(ch.maxPending)} waiting at once)${ch.lateRetries ? `: ${int(ch.lateRetries)} of them were retried later, so ${int(ch.lateRetries)} calls are counted twice` : `; none of ${ch.evicted > ch.maxPending ? `the last ${int(ch.maxPending)} of ` : ""}them was retried later`}`,
        );
      }
    }
    if (r.otherLines)
      lines.push(`  ${int(r.otherLines)} log lines that are not acc records passed over`);
  }
  const skippedTotal = Object.values(skipped).reduce((n, t) => n + t.count, 0);
  lines.push(
    `rows read ${int(rowsRead)} · call attempts ${int(attempts)} · skipped ${int(skippedTotal)}${outsideWindow ? ` · outside --since/--until ${int(outsideWindow)}` : ""}`,
  );
  const rows: string[][] = [];
  for (const reason of SKIP_REASONS) {
    const t = skipped[reason];
    if (t.count === 0) continue;
    rows.push([
      `  ${SKIP_REASON_LABELS[reason]}`,
      int(t.count),
      `first at line ${t.lines.join(", ")}${t.files ? ` of ${t.files[0]}` : ""}${t.example ? `: ${t.example}` : ""}`,
    ]);
  }
  if (rows.length) lines.push(...table(rows).trimEnd().split("\n"));
  return lines;
}

function indent(text: string): string {
  return text.replace(/^(?=.)/gm, "  ");
}

function printGroups(
  ctx: CliContext,
  summary: Summary,
  top: number,
  p: ReturnType<typeof palette>,
): void {
  ctx.out(`\n${p.bold(`By ${summary.groupBy}`)}\n`);
  const rows = [
    [summary.groupBy ?? "group", "attempts", "ASR", "NER", "ACD", "top failure"].map(p.dim),
  ];
  const groups = summary.groups ?? [];
  for (const g of groups.slice(0, top)) {
    const worst = g.codes.find((c) => c.code >= 300);
    rows.push([
      g.key,
      int(g.attempts),
      pct(g.asr),
      pct(g.ner),
      secs(g.acd),
      worst ? `${worst.code} ${worst.phrase} (${pct(worst.rate)})` : "-",
    ]);
  }
  ctx.out(indent(table(rows, "  ", (ctx.env.columns ?? 110) - 2)));
  if (groups.length > top) {
    const rest = groups.slice(top);
    ctx.out(
      `  … and ${int(rest.length)} more ${summary.groupBy} groups (${int(rest.reduce((n, g) => n + g.attempts, 0))} attempts); --top ${groups.length} shows them all\n`,
    );
  }
}
