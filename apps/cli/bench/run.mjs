// CLI benchmarks: `pnpm --filter @sipcodes/cli bench` (after a build), then
// bench/report.mjs (the backtest HTML report, its own section of BENCHMARKS.md).
// 1. Cold start of `sipcode 486` beside `node -e 0`, interleaved runs, medians.
// 2. `sipcode stats` on generated 1M-row files beside a baseline counting the
//    same column in the same run: a generic CSV and its .gz (mawk, zcat | mawk)
//    and a FreeSWITCH CSV (mawk on sip_term_status).
// 3. Peak RSS (from /usr/bin/time) at 1M and 10M rows, to show it stays flat.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeSection } from "./_section.mjs";
import { generate } from "./_stats-cdr.mjs";

const bin = fileURLToPath(new URL("../dist/sipcode.cjs", import.meta.url));
if (!existsSync(bin)) throw new Error("build the CLI first: pnpm --filter @sipcodes/cli build");
const runs = Number(process.env.BENCH_RUNS ?? 40);
// BENCH_ONLY=start measures the cold start alone and prints it (no file written).
const only = process.env.BENCH_ONLY;
// BENCH_BASELINE=<another build's sipcode.cjs> interleaves it too, for a same-run before/after.
const baseline = process.env.BENCH_BASELINE;

// Each build keeps its V8 code cache in a temp directory of its own: a build
// removes the caches of other builds of the same bundle, so two builds that
// shared one would each start without a cache every time.
const baselineEnv = baseline && {
  ...process.env,
  TMPDIR: mkdtempSync(join(tmpdir(), "sipcode-bench-baseline-")),
};

function time(cmd, args, env = process.env) {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: ["ignore", "ignore", "inherit"], env });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

// BENCH_ONLY=stats measures the CDR part alone and prints it (no file written).
const skipStart = only === "stats";
const loadAtStart = loadavg();
// Warm the OS cache and the V8 code cache, then interleave the two commands.
for (let i = 0; i < (skipStart ? 1 : 3); i++) {
  time(process.execPath, ["-e", "0"]);
  time(process.execPath, [bin, "486"]);
  if (baseline) time(process.execPath, [baseline, "486"], baselineEnv);
}
const base = [];
const cli = [];
const before = [];
// Each round runs the commands in turn, reversing the order every other round
// so that neither gains from always following the other.
const steps = [
  () => base.push(time(process.execPath, ["-e", "0"])),
  () => cli.push(time(process.execPath, [bin, "486"])),
  ...(baseline ? [() => before.push(time(process.execPath, [baseline, "486"], baselineEnv))] : []),
];
for (let i = 0; i < (skipStart ? 0 : runs); i++) {
  for (const step of i % 2 ? [...steps].reverse() : steps) step();
}
const startRatio = median(cli) / median(base);
// The median of each round's own ratio: rounds are seconds apart, so a load
// change on a shared machine moves both sides of a pair together.
const paired = (xs) => median(xs.map((x, i) => x / (base[i] ?? Number.NaN)));
const fmt = (n, d = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });
const cpu = cpus()[0]?.model ?? "unknown";
const startLines = skipStart
  ? []
  : [
      "Cold start (median of interleaved runs, wall time):",
      "",
      "| command | median ms | ratio of medians | median of paired ratios |",
      "|---|---:|---:|---:|",
      `| \`node -e 0\` | ${fmt(median(base), 1)} | 1.00× | 1.00× |`,
      `| \`sipcode 486\` | ${fmt(median(cli), 1)} | ${startRatio.toFixed(2)}× (target ≤ 1.10×) | ${paired(cli).toFixed(2)}× |`,
      ...(baseline
        ? [
            `| \`sipcode 486\`, baseline build (\`${baseline}\`) | ${fmt(median(before), 1)} | ${(median(before) / median(base)).toFixed(2)}× | ${paired(before).toFixed(2)}× |`,
          ]
        : []),
    ];
if (only === "start") {
  const text = startLines.join("\n");
  console.log(
    `Machine: ${cpu}, ${cpus().length} cores, Node ${process.version}. BENCH_ONLY=start BENCH_RUNS=${runs}\n\n${text}`,
  );
  process.exit(0);
}

// CDR statistics.
const awk = ["mawk", "awk"].find((a) => spawnSync("sh", ["-c", `command -v ${a}`]).status === 0);
const hasTime = existsSync("/usr/bin/time");
const dir = mkdtempSync(join(tmpdir(), "sipcode-bench-"));
function measure(cmd, args) {
  const full = hasTime ? ["/usr/bin/time", ["-f", "%e %M %U %S", cmd, ...args]] : [cmd, args];
  const start = process.hrtime.bigint();
  const r = spawnSync(full[0], full[1], { encoding: "utf8", maxBuffer: 1 << 26 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  const last = hasTime ? r.stderr.trim().split("\n").pop().split(" ") : [];
  const rss = hasTime ? Number(last[1]) : Number.NaN;
  // CPU seconds (user + system) of the command and its children: on a
  // shared machine this moves less than wall time.
  const cpuMs = hasTime ? (Number(last[2]) + Number(last[3])) * 1000 : Number.NaN;
  return { ms, rssMb: rss / 1024, cpuMs };
}
const statRuns = Number(process.env.BENCH_STATS_RUNS ?? 5);
/** Interleaved runs of the baseline and sipcode on the same file; medians. */
function compare(label, rows, file, baseline, baselineLabel, extra = []) {
  const base = [];
  const cliRuns = [];
  for (let i = 0; i < statRuns; i++) {
    // The order alternates, so that neither command always runs second.
    const pair = [
      () => baseline && base.push(measure(...baseline)),
      () => cliRuns.push(measure(process.execPath, [bin, "stats", file, "--json", ...extra])),
    ];
    for (const step of i % 2 ? pair.reverse() : pair) step();
  }
  return {
    label,
    baselineLabel,
    rows,
    mb: statSync(file).size / 1024 / 1024,
    baseMs: base.length ? median(base.map((r) => r.ms)) : Number.NaN,
    cliMs: median(cliRuns.map((r) => r.ms)),
    baseCpu: base.length ? median(base.map((r) => r.cpuMs)) : Number.NaN,
    cliCpu: median(cliRuns.map((r) => r.cpuMs)),
    cliRss: Math.max(...cliRuns.map((r) => r.rssMb)),
    baseRss: base.length ? Math.max(...base.map((r) => r.rssMb)) : Number.NaN,
  };
}
const stats = [];
const mawkCount = (column, file) => [
  awk,
  ["-F,", `NR>1{c[$${column}]++} END{for(k in c) print k, c[k]}`, file],
];
{
  const generic = join(dir, "generic-1m.csv");
  await generate(generic, 1_000_000, "generic");
  // One thread and two (the default, auto, picks two only when a core is free).
  for (const threads of ["1", "2"]) {
    stats.push(
      compare(
        `generic CSV, \`--threads ${threads}\``,
        1_000_000,
        generic,
        awk && mawkCount(6, generic),
        `${awk} -F, 'NR>1{c[$6]++}'`,
        ["--threads", threads],
      ),
    );
  }
  spawnSync("gzip", ["-k", "-6", generic]);
  const gz = `${generic}.gz`;
  if (existsSync(gz)) {
    stats.push(
      compare(
        "generic CSV .gz",
        1_000_000,
        gz,
        awk && [
          "sh",
          [
            "-c",
            `zcat '${gz}' | ${awk} ${mawkCount(6, "-")[1]
              .map((a) => `'${a}'`)
              .join(" ")}`,
          ],
        ],
        `zcat | ${awk} -F, 'NR>1{c[$6]++}'`,
      ),
    );
    rmSync(gz);
  }
  rmSync(generic);
  const fs = join(dir, "freeswitch-1m.csv");
  await generate(fs, 1_000_000, "freeswitch");
  stats.push(
    compare(
      "FreeSWITCH CSV",
      1_000_000,
      fs,
      awk && mawkCount(11, fs),
      `${awk} -F, 'NR>1{c[$11]++}'`,
    ),
  );
  rmSync(fs);
}
// Peak memory from 1M to 10M rows (BENCH_BIG=0 skips the 10M file: 600 MB on disk).
const memory = [];
for (const rows of process.env.BENCH_BIG === "0" ? [1_000_000] : [1_000_000, 10_000_000]) {
  const file = join(dir, `generic-${rows}.csv`);
  await generate(file, rows, "generic");
  const base = awk ? measure(...mawkCount(6, file)) : undefined;
  const r = measure(process.execPath, [bin, "stats", file, "--json", "--threads", "1"]);
  const r2 = measure(process.execPath, [bin, "stats", file, "--json", "--threads", "2"]);
  memory.push({
    ms2: r2.ms,
    rss2: r2.rssMb,
    rows,
    mb: statSync(file).size / 1024 / 1024,
    ...r,
    baseMs: base?.ms ?? Number.NaN,
  });
  rmSync(file);
}
rmSync(dir, { recursive: true, force: true });

const lines = [
  `Machine: ${cpu}, ${cpus().length} cores, Node ${process.version}${awk ? `, ${awk}` : ""}, load average ${loadavg()[0].toFixed(1)} at the end of the run (other work shares the cores). Command: \`pnpm --filter @sipcodes/cli bench\` (BENCH_RUNS=${runs}, BENCH_STATS_RUNS=${statRuns}).`,
  "",
  ...startLines,
  "",
  `\`sipcode stats FILE --json\` on generated CDR files beside a baseline on the same file, interleaved in the same run (median of ${statRuns}; peak RSS from /usr/bin/time):`,
  "",
  "| input | rows | MB | baseline | baseline rows/s | sipcode rows/s | sipcode ÷ baseline (wall) | target | sipcode ÷ baseline (CPU s) | sipcode peak RSS |",
  "|---|---:|---:|---|---:|---:|---:|---:|---:|---:|",
  ...stats.map(
    (s) =>
      `| ${s.label} | ${fmt(s.rows)} | ${fmt(s.mb, 1)} | \`${s.baselineLabel}\` | ${fmt((s.rows / s.baseMs) * 1000)} | ${fmt((s.rows / s.cliMs) * 1000)} | ${(s.baseMs / s.cliMs).toFixed(2)}× | ${s.label.startsWith("generic CSV,") ? "≥ 1.00×" : "≥ 0.50×"} | ${(s.baseCpu / s.cliCpu).toFixed(2)}× | ${fmt(s.cliRss, 1)} MB |`,
  ),
  "",
  "Peak memory as the file grows (one run each; target: flat, ≤ 100 MB):",
  "",
  `| rows | MB | ${awk ?? "awk"} seconds | sipcode seconds, 1 / 2 threads | sipcode ÷ ${awk ?? "awk"}, 1 / 2 threads | sipcode peak RSS, 1 / 2 threads |`,
  "|---:|---:|---:|---:|---:|---:|",
  ...memory.map(
    (m) =>
      `| ${fmt(m.rows)} | ${fmt(m.mb, 1)} | ${fmt(m.baseMs / 1000, 2)} | ${fmt(m.ms / 1000, 2)} / ${fmt(m.ms2 / 1000, 2)} | ${(m.baseMs / m.ms).toFixed(2)}× / ${(m.baseMs / m.ms2).toFixed(2)}× | ${fmt(m.rssMb, 1)} / ${fmt(m.rss2, 1)} MB |`,
  ),
];
const notes = [
  "How to read these: every ratio compares two commands on the same file in the same run, so load from other work on the machine hits both; CPU seconds (user + system, children included) move less with that load than wall time.",
  "sipcode's time includes Node's start-up and the JIT warm-up, a fixed cost that mawk does not pay; on a 1M-row file that cost is a large part of the run, and the 10M-row line shows the throughput once it is paid.",
  "The `.gz` case inflates in zlib's thread while the main thread parses, as `zcat | mawk` runs two processes.",
];
const heading = "## Cold start and CDR statistics (`bench/run.mjs`)";
const doc = [
  heading,
  "",
  `Written by \`bench/run.mjs\` on ${new Date().toISOString().slice(0, 10)}; run \`pnpm --filter @sipcodes/cli bench\` to measure again (after a build).`,
  "",
  ...lines,
  "",
  ...notes.flatMap((n) => [n, ""]),
].join("\n");
if (skipStart) {
  const at = (l) => l.map((x) => x.toFixed(2)).join(", ");
  console.log(
    `${lines.filter((l) => !startLines.includes(l)).join("\n")}\n\nLoad average at the start ${at(loadAtStart)}, at the end ${at(loadavg())}.`,
  );
} else {
  writeSection(heading, doc);
  console.log(doc);
}
