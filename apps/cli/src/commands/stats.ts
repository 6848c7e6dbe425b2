import { CallSummarizer, explain, type GroupBy, type Summary, type Totals } from "@sipcodes/core";
import { readCdrFile } from "../cdr/read-file.ts";
import { type CliContext, CliError, EXIT, printJson, useColor } from "../context.ts";
import { clip, palette, table } from "../render/table.ts";
import { resolveProfile } from "./profile.ts";

export interface StatsFlags {
  codeColumn?: string;
  by?: GroupBy;
  profile?: string;
  top?: string;
  format?: "csv" | "ndjson";
  json?: boolean;
  color?: boolean;
}

const pct = (value: number | null) => (value === null ? "-" : `${(value * 100).toFixed(1)}%`);
const int = (value: number) => value.toLocaleString("en-US");

export async function runStats(ctx: CliContext, file: string, flags: StatsFlags): Promise<void> {
  const top = Number(flags.top ?? 10);
  if (!Number.isInteger(top) || top < 1)
    throw new CliError(`--top must be a positive whole number, got "${flags.top}"`, EXIT.usage);
  const { profile, registry } = await resolveProfile(flags.profile);
  const summarizer = new CallSummarizer({
    profile,
    registry,
    ...(flags.by ? { groupBy: flags.by } : {}),
  });
  const result = await readCdrFile(ctx, file, (row) => summarizer.add(row), {
    ...(flags.codeColumn ? { codeColumn: flags.codeColumn } : {}),
    ...(flags.format ? { format: flags.format } : {}),
    fields: { [flags.by ?? "none"]: true },
    progress: !flags.json,
  });
  const summary = summarizer.result();
  const failures = (t: Totals) => t.codes.filter((c) => c.code >= 300).slice(0, top);

  if (flags.json) {
    printJson(ctx, {
      file,
      format: result.format,
      columns: result.columns,
      rows: result.rows,
      badRows: { count: result.badCount, first: result.bad },
      summary,
    });
    return;
  }
  const p = palette(useColor(ctx, flags.color));
  const lines: string[] = [];
  lines.push(
    `${p.bold("CDR summary")}  ${file === "-" ? "stdin" : file} ${p.dim(`(${result.format}, code column "${result.columns?.code}", profile ${summary.profile})`)}`,
  );
  lines.push(
    `  rows ${int(result.rows)} · final responses ${int(summary.attempts)} · answered ${int(summary.answered)}${summary.events > summary.attempts ? ` · provisional only ${int(summary.events - summary.attempts)}` : ""}`,
  );
  lines.push(`  ${p.bold("ASR")} ${pct(summary.asr)}   ${p.bold("NER")} ${pct(summary.ner)}`);
  lines.push(
    p.dim(
      `  NER counts answered calls plus failures caused by users, not the network${summary.userCausedCodes.length ? ` (here: ${summary.userCausedCodes.join(", ")})` : ""}.`,
    ),
  );
  if (result.badCount) {
    lines.push(
      `  ${p.bold("bad rows")} ${int(result.badCount)} skipped: ${result.bad.map((b) => `line ${b.line}: ${b.message}`).join("; ")}${result.badCount > result.bad.length ? "; …" : ""}`,
    );
  }
  ctx.out(`${lines.join("\n")}\n`);

  const fails = failures(summary);
  if (fails.length) {
    ctx.out(`\n${p.bold("Top failure codes")}\n`);
    const rows = [["code", "phrase", "count", "rate", "meaning"].map(p.dim)];
    for (const c of fails) {
      const meaning = explain(c.code, { profile, registry }).summary;
      rows.push([
        p.code(c.code),
        c.phrase || "(unassigned)",
        int(c.count),
        pct(c.rate),
        clip(meaning, Math.max(30, (ctx.env.columns ?? 110) - 50)),
      ]);
    }
    ctx.out(indent(table(rows, "  ", (ctx.env.columns ?? 110) - 2)));
  } else {
    ctx.out(`\nNo failures.\n`);
  }
  if (summary.groups) printGroups(ctx, summary, p);
}

function indent(text: string): string {
  return text.replace(/^(?=.)/gm, "  ");
}

function printGroups(ctx: CliContext, summary: Summary, p: ReturnType<typeof palette>): void {
  ctx.out(`\n${p.bold(`By ${summary.groupBy}`)}\n`);
  const rows = [[summary.groupBy ?? "group", "attempts", "ASR", "NER", "top failure"].map(p.dim)];
  for (const g of summary.groups ?? []) {
    const worst = g.codes.find((c) => c.code >= 300);
    rows.push([
      g.key,
      int(g.attempts),
      pct(g.asr),
      pct(g.ner),
      worst ? `${worst.code} ${worst.phrase} (${pct(worst.rate)})` : "-",
    ]);
  }
  ctx.out(indent(table(rows, "  ", (ctx.env.columns ?? 110) - 2)));
}
