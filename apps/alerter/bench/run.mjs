// Benchmarks of the alerter (results go to BENCHMARKS.md by hand, with this command):
//   pnpm --filter @sipcodes/alerter bench            (after `pnpm --filter @sipcodes/alerter build`)
// 1. Ingest: NDJSON batches of 1,000 events, bearer auth, into the built alerter
//    (dist/main.mjs, SQLite in a temp dir) with autocannon, beside a bare Hono
//    route that only reads the body, in the same run on the same machine.
// 2. Memory: 10 M events across 10,000 scopes fed in-process through the
//    engine (detector, grouping, evaluations every simulated minute); RSS is
//    sampled every million events and must stay flat.
// Options: BENCH_SECONDS (default 10), BENCH_CONNECTIONS (default 8),
// BENCH_EVENTS (default 10000000), BENCH_SKIP=ingest|memory, BENCH_MAIN (the
// alerter bundle to start, default dist/main.mjs: another build for an A/B run),
// BENCH_NODE_ARGS (extra node flags for the alerter, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"),
// BENCH_ONLY=alerter|baseline (one server only).
// Beside events/s, each server's CPU (user + system from /proc/<pid>/stat)
// per million events: on a shared machine that moves less than events/s.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 8);
const skip = process.env.BENCH_SKIP ?? "";
const BATCH = 1000;
const MAIN = process.env.BENCH_MAIN ?? "dist/main.mjs";
const NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean);
const only = process.env.BENCH_ONLY ?? "";

/** CPU seconds (user + system) process `pid` has used: all threads, or only the main thread's. */
function cpuSeconds(pid, mainThread = false) {
  const stat = readFileSync(
    mainThread ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`,
    "utf8",
  );
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(f[11]) + Number(f[12])) / 100;
}

function start(args, env) {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).on("line", (line) => {
      try {
        const log = JSON.parse(line);
        if ((log.msg === "listening" || log.msg === "alerter listening") && log.port)
          resolve(log.port);
      } catch {}
    });
    child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { child, port };
}

/** A body generator: 1,000 events with ids unique across the whole run. */
function makeBodies() {
  const trunks = 50;
  const customers = 500;
  // Each line is `{"id":"<prefix>` + mid[i] + `<time>` + tail[i]: a few concatenations per line, so
  // the load generator (sharing the machine) spends little CPU.
  const mid = [];
  const tail = [];
  for (let i = 0; i < BATCH; i++) {
    const code = i % 50 === 0 ? 603 : i % 97 === 0 ? 500 : 200;
    const dir = i % 2 ? "inbound" : "outbound";
    mid.push(`-${i}","time":`);
    tail.push(
      `,"code":${code},"direction":"${dir}","trunk":"trunk-${i % trunks}","customer":"cust-${i % customers}"}\n`,
    );
  }
  let n = 0;
  return () => {
    const prefix = `{"id":"${process.pid}-${n++}`;
    const time = String(Date.now() - 1000);
    let body = "";
    for (let i = 0; i < BATCH; i++) body += prefix + mid[i] + time + tail[i];
    return body;
  };
}

async function load(port, token, pid) {
  const next = makeBodies();
  const cpu0 = cpuSeconds(pid);
  const main0 = cpuSeconds(pid, true);
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/v1/events`,
    connections,
    duration: seconds,
    requests: [
      {
        method: "POST",
        headers: { "content-type": "application/x-ndjson", authorization: `Bearer ${token}` },
        setupRequest: (req) => ({ ...req, body: next() }),
      },
    ],
  });
  const ok = result["2xx"];
  const cpu = cpuSeconds(pid) - cpu0;
  const main = cpuSeconds(pid, true) - main0;
  const perMillion = (s) => (ok > 0 ? Number(((s * 1e6) / (ok * BATCH)).toFixed(2)) : null);
  return {
    serverCpuSecondsPerMillionEvents: perMillion(cpu),
    // The main thread alone (HTTP, parsing, the store's writes, the detector): one core's
    // worth of it bounds what the process can take, whatever the other threads do.
    mainThreadCpuSecondsPerMillionEvents: perMillion(main),
    serverCpuShare: Number((cpu / result.duration).toFixed(2)),
    requestsPerSecond: ok / result.duration,
    eventsPerSecond: (ok * BATCH) / result.duration,
    latencyP50: result.latency.p50,
    latencyP99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

async function ingestBench() {
  const out = {};
  if (only !== "alerter") {
    const { child, port } = start(["bench/baseline.mjs"], {});
    out.baseline = await load(await port, "unused", child.pid);
    child.kill("SIGTERM");
  }
  if (only !== "baseline") {
    const dir = mkdtempSync(join(tmpdir(), "alerter-bench-"));
    const token = "bench-token-0123456789abcdef";
    writeFileSync(join(dir, "alerter.yaml"), `ingest:\n  tokens: ["${token}"]\n`);
    const { child, port } = start([...NODE_ARGS, MAIN], {
      PORT: "0",
      HOST: "127.0.0.1",
      SIPCODES_DATA_DIR: join(dir, "data"),
      SIPCODES_ALERTER_CONFIG: join(dir, "alerter.yaml"),
      LOG_LEVEL: "info",
    });
    out.alerter = await load(await port, token, child.pid);
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

async function memoryBench() {
  const outfile = join(root, "dist", "bench-memory.mjs");
  await build({
    entryPoints: [join(root, "bench", "memory.ts")],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    external: ["better-sqlite3"],
    logLevel: "warning",
    banner: {
      js: 'import { createRequire as __cr } from "node:module"; const require = __cr(import.meta.url);',
    },
  });
  const child = spawn(process.execPath, ["--expose-gc", outfile], {
    cwd: root,
    env: process.env,
    stdio: ["ignore", "pipe", "inherit"],
  });
  let text = "";
  child.stdout.on("data", (d) => {
    text += d;
    process.stderr.write(d);
  });
  await new Promise((r) => child.once("exit", r));
  return JSON.parse(text.trim().split("\n").at(-1));
}

const machine = { nproc: cpus().length, cpu: cpus()[0]?.model, node: process.version };
console.error(`machine: ${JSON.stringify(machine)}`);
const results = { machine, seconds, connections, batch: BATCH };
if (!skip.includes("ingest")) {
  results.ingest = await ingestBench();
  console.error(JSON.stringify(results.ingest, null, 2));
}
if (!skip.includes("memory")) results.memory = await memoryBench();
console.log(JSON.stringify(results, null, 2));
