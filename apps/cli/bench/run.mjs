// CLI benchmarks: `pnpm --filter @sipcodes/cli bench` (after a build).
// 1. Cold start of `sipcode 486` beside `node -e 0`, interleaved runs, medians.
// 2. `sipcode stats` on generated 1M- and 3M-row CDR CSVs beside awk counting
//    the same column, with peak RSS (from /usr/bin/time) to show it does not
//    grow with the file.
import { spawnSync } from "node:child_process";
import {
  createWriteStream,
  existsSync,
  mkdtempSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const bin = fileURLToPath(new URL("../dist/sipcode.cjs", import.meta.url));
if (!existsSync(bin)) throw new Error("build the CLI first: pnpm --filter @sipcodes/cli build");
const runs = Number(process.env.BENCH_RUNS ?? 40);
// BENCH_ONLY=start measures the cold start alone and prints it (no file written).
const only = process.env.BENCH_ONLY;
// BENCH_BASELINE=<another build's sipcode.cjs> interleaves it too, for a same-run before/after.
const baseline = process.env.BENCH_BASELINE;

function time(cmd, args) {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: ["ignore", "ignore", "inherit"] });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

// Warm the OS cache and the V8 code cache, then interleave the two commands.
for (let i = 0; i < 3; i++) {
  time(process.execPath, ["-e", "0"]);
  time(process.execPath, [bin, "486"]);
  if (baseline) time(process.execPath, [baseline, "486"]);
}
const base = [];
const cli = [];
const before = [];
// Each round runs the commands in turn, reversing the order every other round
// so that neither gains from always following the other.
const steps = [
  () => base.push(time(process.execPath, ["-e", "0"])),
  () => cli.push(time(process.execPath, [bin, "486"])),
  ...(baseline ? [() => before.push(time(process.execPath, [baseline, "486"]))] : []),
];
for (let i = 0; i < runs; i++) {
  for (const step of i % 2 ? [...steps].reverse() : steps) step();
}
const startRatio = median(cli) / median(base);
// The median of each round's own ratio: rounds are seconds apart, so a load
// change on a shared machine moves both sides of a pair together.
const paired = (xs) => median(xs.map((x, i) => x / (base[i] ?? Number.NaN)));
const fmt = (n, d = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });
const cpu = cpus()[0]?.model ?? "unknown";
const startLines = [
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
const codes = [200, 200, 200, 200, 200, 200, 486, 487, 603, 500, 404, 480, 503, 408];
async function generate(file, rows) {
  const out = createWriteStream(file);
  out.write("call_id,start_time,trunk,customer,direction,sip_code,duration\n");
  let chunk = "";
  for (let i = 0; i < rows; i++) {
    const code = codes[(i * 7919) % codes.length];
    chunk += `c${i},2026-11-26T10:${String(Math.floor(i / 60000) % 60).padStart(2, "0")}:00Z,trunk-${i % 20},cust-${i % 500},${i % 3 ? "outbound" : "inbound"},${code},${code === 200 ? 60 : 0}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await new Promise((r) => out.once("drain", r));
      chunk = "";
    }
  }
  out.end(chunk);
  await new Promise((r) => out.once("finish", r));
}
function measure(cmd, args) {
  const full = hasTime ? ["/usr/bin/time", ["-f", "%e %M", cmd, ...args]] : [cmd, args];
  const start = process.hrtime.bigint();
  const r = spawnSync(full[0], full[1], { encoding: "utf8", maxBuffer: 1 << 26 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  const rss = hasTime ? Number(r.stderr.trim().split("\n").pop().split(" ")[1]) : Number.NaN;
  return { ms, rssMb: rss / 1024 };
}
const stats = [];
for (const rows of [1_000_000, 3_000_000]) {
  const file = join(dir, `cdr-${rows}.csv`);
  await generate(file, rows);
  const awkRuns = [];
  const cliRuns = [];
  for (let i = 0; i < 3; i++) {
    if (awk)
      awkRuns.push(measure(awk, ["-F,", "NR>1{c[$6]++} END{for(k in c) print k, c[k]}", file]));
    cliRuns.push(measure(process.execPath, [bin, "stats", file, "--json"]));
  }
  stats.push({
    rows,
    mb: statSync(file).size / 1024 / 1024,
    awkMs: awk ? median(awkRuns.map((r) => r.ms)) : Number.NaN,
    cliMs: median(cliRuns.map((r) => r.ms)),
    cliRss: Math.max(...cliRuns.map((r) => r.rssMb)),
    awkRss: awk ? Math.max(...awkRuns.map((r) => r.rssMb)) : Number.NaN,
  });
  rmSync(file);
}
rmSync(dir, { recursive: true, force: true });

const lines = [
  `Machine: ${cpu}, ${cpus().length} cores, Node ${process.version}${awk ? `, ${awk}` : ""}. Command: \`pnpm --filter @sipcodes/cli bench\` (BENCH_RUNS=${runs}).`,
  "",
  ...startLines,
  "",
  "`sipcode stats` on generated CDR CSVs (median of 3; peak RSS from /usr/bin/time):",
  "",
  `| rows | MB | ${awk ?? "awk"} rows/s | sipcode rows/s | sipcode ÷ awk | sipcode peak RSS | awk peak RSS |`,
  "|---:|---:|---:|---:|---:|---:|---:|",
  ...stats.map(
    (s) =>
      `| ${fmt(s.rows)} | ${fmt(s.mb, 1)} | ${fmt((s.rows / s.awkMs) * 1000)} | ${fmt((s.rows / s.cliMs) * 1000)} | ${(s.awkMs / s.cliMs).toFixed(2)}× (target ≥ 0.50×) | ${fmt(s.cliRss, 1)} MB | ${fmt(s.awkRss, 1)} MB |`,
  ),
];
const doc = [
  "# sipcode (CLI) benchmarks",
  "",
  `Written by \`bench/run.mjs\` on ${new Date().toISOString().slice(0, 10)}; run \`pnpm --filter @sipcodes/cli bench\` to measure again (after a build).`,
  "",
  ...lines,
  "",
].join("\n");
writeFileSync(new URL("../BENCHMARKS.md", import.meta.url), doc);
console.log(doc);
