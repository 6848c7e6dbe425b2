// `sipcode stats` against mawk on a 1M-row generic CSV, same run, many rounds:
//   node bench/stats-mawk.mjs [label=path/to/sipcode.cjs[:threads] ...]
// Each round runs mawk and every build once, in turn (reversed every other
// round); it prints the median wall and CPU (user + system) time of each,
// and the median of each round's own mawk ÷ sipcode wall ratio, which a load
// change between rounds moves less. With no build named, this checkout's
// dist/sipcode.cjs with --threads 1 and auto. FILE= reads that file instead
// of generating one; ROUNDS= (default 21).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generate } from "./_stats-cdr.mjs";

const here = fileURLToPath(new URL("../dist/sipcode.cjs", import.meta.url));
const rounds = Number(process.env.ROUNDS ?? 21);
const builds = process.argv.slice(2).length
  ? process.argv.slice(2)
  : [`threads-1=${here}:1`, `auto=${here}:auto`];

const dir = process.env.FILE ? undefined : mkdtempSync(join(tmpdir(), "sipcode-mawk-"));
const file = process.env.FILE ?? join(dir, "generic-1m.csv");
if (dir) await generate(file, 1_000_000, "generic");
const commands = [
  ["mawk", "mawk", ["-F,", "NR>1{c[$6]++} END{for(k in c) print k, c[k]}", file]],
  ...builds.map((b) => {
    const [label, rest] = b.split("=");
    const [path, threads = "1"] = rest.split(":");
    return [label, process.execPath, [path, "stats", file, "--json", "--threads", threads]];
  }),
];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const wall = new Map(commands.map(([l]) => [l, []]));
const cpu = new Map(commands.map(([l]) => [l, []]));
const paired = new Map(commands.map(([l]) => [l, []]));
const load = loadavg()[0];
for (let r = 0; r < rounds; r++) {
  const round = new Map();
  for (const [label, cmd, args] of r % 2 ? [...commands].reverse() : commands) {
    const start = process.hrtime.bigint();
    const run = spawnSync("/usr/bin/time", ["-f", "%U %S", cmd, ...args], {
      encoding: "utf8",
      maxBuffer: 1 << 26,
    });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (run.status !== 0) throw new Error(`${label}: ${run.stderr}`);
    const [user, system] = run.stderr.trim().split("\n").pop().split(" ").map(Number);
    wall.get(label).push(ms);
    cpu.get(label).push((user + system) * 1000);
    round.set(label, ms);
  }
  for (const [label] of commands) paired.get(label).push(round.get("mawk") / round.get(label));
}
if (dir) rmSync(dir, { recursive: true, force: true });
console.log(
  `${cpus()[0]?.model ?? "?"}, ${cpus().length} cores, Node ${process.version}; ${rounds} rounds; load average ${load.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end\n`,
);
console.log(
  "| command | median wall ms | median CPU ms | mawk ÷ this, wall (median of rounds) | mawk ÷ this, CPU (ratio of medians) |",
);
console.log("|---|---:|---:|---:|---:|");
for (const [label] of commands) {
  console.log(
    `| ${label} | ${median(wall.get(label)).toFixed(0)} | ${median(cpu.get(label)).toFixed(0)} | ${median(paired.get(label)).toFixed(2)}× | ${(median(cpu.get("mawk")) / median(cpu.get(label))).toFixed(2)}× |`,
  );
}
