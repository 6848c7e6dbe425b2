// `pnpm --filter @sipcodes/detect bench`: runs every scenario over several
// seeds and prints the table BENCHMARKS.md holds. A report, not a test: it
// asserts nothing; the numbers are written down with the command.
import { it } from "vitest";
import { defaultRules } from "../src/config.ts";
import { run, scenarios } from "./scenarios.ts";

const SEEDS = Number(process.env.BENCH_SEEDS ?? 10);

const quantile = (xs: number[], q: number) => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const f = (x: number | null, d = 0) => (x === null ? "–" : x.toFixed(d));

const ONLY = process.env.BENCH_ONLY;
/** BENCH_RULE='{"minCountFloor":5}': merged into every shipped rule, to compare a setting in one run. */
const RULE = process.env.BENCH_RULE ? (JSON.parse(process.env.BENCH_RULE) as object) : undefined;
const TRACE = process.env.BENCH_TRACE;

it.skipIf(Boolean(TRACE))("scenario report", () => {
  const rows: string[] = [
    "| scenario | runs | delay median (min) | delay p90 | missed | incidents / event | notices / event | all-clear median (min) | false incidents / day | re-fires | events/s |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const scenario of scenarios()) {
    if (ONLY && !scenario.name.includes(ONLY)) continue;
    const s = RULE
      ? {
          ...scenario,
          config: { ...scenario.config, rules: defaultRules.map((r) => ({ ...r, ...RULE })) },
        }
      : scenario;
    const seeds =
      s.events.length === 0 ? Math.min(Number(process.env.BENCH_LONG_SEEDS ?? 2), SEEDS) : SEEDS;
    const delays: number[] = [];
    let missed = 0;
    const perEvent: number[] = [];
    const notices: number[] = [];
    const clear: number[] = [];
    let falses = 0;
    let days = 0;
    let refires = 0;
    let events = 0;
    let ms = 0;
    for (let seed = 1; seed <= seeds; seed++) {
      const r = run(s, seed);
      for (const d of r.delays)
        if (d === null) missed++;
        else delays.push(d);
      perEvent.push(...r.incidentsPerEvent);
      notices.push(...r.noticesPerEvent);
      for (const c of r.allClear) if (c !== null) clear.push(c);
      falses += r.falseIncidents;
      refires += r.refires;
      days += r.days;
      events += r.events;
      ms += r.ms;
    }
    const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
    rows.push(
      `| ${s.name} | ${seeds} | ${f(quantile(delays, 0.5))} | ${f(quantile(delays, 0.9))} | ${missed}/${seeds * s.events.length} | ${f(mean(perEvent), 2)} | ${f(mean(notices), 2)} | ${f(quantile(clear, 0.5))} | ${f(falses / days, 2)} | ${refires} | ${Math.round(events / (ms / 1000)).toLocaleString("en-US")} |`,
    );
  }
  console.log(`\n${rows.join("\n")}\n`);
});
