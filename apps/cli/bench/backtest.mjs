// How fast `sipcode alerts backtest` replays a CDR file: `node bench/backtest.mjs`
// from apps/cli after a build (also run by `pnpm --filter @sipcodes/cli bench`).
// Generates the 1M-row file of bench/_backtest-cdr.mjs, then interleaves
// BENCH_BACKTEST_RUNS rounds (default 5, the order flipped every round) of
//   - `sipcode stats FILE --json`: the same reader over the same file, so the
//     ratio says what the replay costs beyond reading;
//   - `sipcode alerts backtest FILE --json`: the figure, in rows a second;
//   - with BENCH_BASELINE=<another build's sipcode.cjs>, that build's
//     backtest too, whose output must be byte for byte the same.
// Target: >= 1,000,000 rows/s. Rewrites the "Backtest replay" section of BENCHMARKS.md.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generate, PER_MINUTE, ROWS } from "./_backtest-cdr.mjs";
import { writeSection } from "./_section.mjs";

const bin = fileURLToPath(new URL("../dist/sipcode.cjs", import.meta.url));
if (!existsSync(bin)) throw new Error("build the CLI first: pnpm --filter @sipcodes/cli build");
const rounds = Number(process.env.BENCH_BACKTEST_RUNS ?? 5);
const baseline = process.env.BENCH_BASELINE;
const hasTime = existsSync("/usr/bin/time");

// The baseline build keeps its V8 code cache in a temp directory of its own: a
// build removes the caches of other builds of the same bundle, so two builds
// sharing one would each start without a cache every time (as bench/run.mjs does).
const baselineEnv = baseline && {
  ...process.env,
  TMPDIR: mkdtempSync(join(tmpdir(), "sipcode-bench-baseline-")),
};

function measure(script, args, env = process.env) {
  const cmd = hasTime
    ? ["/usr/bin/time", ["-f", "%e %M %U %S", process.execPath, script, ...args]]
    : [process.execPath, [script, ...args]];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd[0], cmd[1], { encoding: "utf8", maxBuffer: 1 << 28, env });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0)
    throw new Error(`${script} ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  const last = hasTime ? r.stderr.trim().split("\n").pop().split(" ") : [];
  return {
    ms,
    cpuMs: hasTime ? (Number(last[2]) + Number(last[3])) * 1000 : Number.NaN,
    rssMb: hasTime ? Number(last[1]) / 1024 : Number.NaN,
    stdout: r.stdout,
  };
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n, d = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });

const dir = mkdtempSync(join(tmpdir(), "sipcode-backtest-bench-"));
const file = join(dir, "calls-1m.csv");
await generate(file);
const mb = statSync(file).size / 1024 / 1024;
const statsArgs = ["stats", file, "--json"];
const backtestArgs = ["alerts", "backtest", file, "--json", "--threads", "2"];
// The same replay with the file read on the main thread too: what the reader thread gains.
const oneThreadArgs = ["alerts", "backtest", file, "--json", "--threads", "1"];
const withoutThreads = (text) => {
  const { threads: _threads, ...rest } = JSON.parse(text);
  return JSON.stringify(rest);
};
const loadStart = loadavg();
// One warm-up of each (OS cache, V8 code cache), and the outputs to compare.
measure(bin, statsArgs);
const out = measure(bin, backtestArgs).stdout;
const summary = JSON.parse(out);
if (withoutThreads(measure(bin, oneThreadArgs).stdout) !== withoutThreads(out)) {
  throw new Error("the backtest output on one thread differs from the output on two");
}
// A baseline build may be older than --threads: it runs with its defaults.
const baselineArgs = ["alerts", "backtest", file, "--json"];
if (
  baseline &&
  withoutThreads(measure(baseline, baselineArgs, baselineEnv).stdout) !== withoutThreads(out)
) {
  throw new Error(`the backtest output differs from the baseline build's (${baseline})`);
}
const runs = { stats: [], backtest: [], one: [], baseline: [] };
for (let i = 0; i < rounds; i++) {
  const steps = [
    () => runs.stats.push(measure(bin, statsArgs)),
    () => runs.backtest.push(measure(bin, backtestArgs)),
    () => runs.one.push(measure(bin, oneThreadArgs)),
    ...(baseline ? [() => runs.baseline.push(measure(baseline, baselineArgs, baselineEnv))] : []),
  ];
  for (const step of i % 2 ? steps.reverse() : steps) step();
}
const loadEnd = loadavg();
rmSync(dir, { recursive: true, force: true });
if (baselineEnv) rmSync(baselineEnv.TMPDIR, { recursive: true, force: true });

const wall = (xs) => median(xs.map((r) => r.ms));
const cpu = (xs) => median(xs.map((r) => r.cpuMs));
const row = (label, xs) =>
  `| ${label} | ${fmt(wall(xs))} | ${fmt(cpu(xs))} | ${fmt((ROWS / wall(xs)) * 1000)} | ${fmt((ROWS / cpu(xs)) * 1000)} | ${fmt(wall(xs) / wall(runs.stats), 2)}× | ${fmt(Math.max(...xs.map((r) => r.rssMb)), 1)} MB |`;
const loads = (l) => l.map((x) => x.toFixed(1)).join(", ");
const section = [
  "## Backtest replay",
  "",
  `Written by \`bench/backtest.mjs\` on ${new Date().toISOString().slice(0, 10)} (machine: ${cpus()[0]?.model ?? "unknown"}, ${cpus().length} cores, Node ${process.version}; load average ${loads(loadStart)} at the start and ${loads(loadEnd)} at the end, other work sharing the cores). Command: \`${baseline ? `BENCH_BASELINE=${baseline} ` : ""}BENCH_BACKTEST_RUNS=${rounds} node bench/backtest.mjs\` from apps/cli after \`node scripts/build.mjs\`.`,
  "",
  `Input: the generated CDR CSV of bench/_backtest-cdr.mjs, ${fmt(ROWS)} rows (${fmt(mb, 1)} MB; ${PER_MINUTE} calls a minute over 20 trunks and 500 customers; ${fmt(summary.evaluations)} evaluations a minute apart, ${summary.incidents} incidents, ${summary.transitions.length} alert state changes). The same-run baseline is \`sipcode stats FILE --json\`: the same reader over the same file, so the last ratio is what the replay adds to reading; \`--threads 2\` reads the file on a thread of its own while the replay runs (what \`auto\` does when a core is spare), \`--threads 1\` reads it on the replay's thread. ${rounds} rounds, the commands interleaved and the order flipped every round; medians. Rows/s is rows over the whole process (start-up included), by wall and by CPU time (user + system).`,
  "",
  "| command | median wall ms | median CPU ms | rows/s (wall) | rows/s (CPU) | wall ÷ `stats` | peak RSS |",
  "|---|---:|---:|---:|---:|---:|---:|",
  row("`stats FILE --json` (baseline)", runs.stats),
  row("`alerts backtest FILE --json --threads 2`", runs.backtest),
  row("`alerts backtest FILE --json --threads 1`", runs.one),
  ...(baseline
    ? [row(`\`alerts backtest FILE --json\`, build \`${baseline}\``, runs.baseline)]
    : []),
  "",
  ...(baseline
    ? [
        "The baseline build's backtest and the one-thread run printed the same output as the two-thread run, field for field (but `threads`).",
        "",
      ]
    : []),
].join("\n");
writeSection("## Backtest replay", section);
console.log(section);
