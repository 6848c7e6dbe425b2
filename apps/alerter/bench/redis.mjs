// Redis-mode benchmarks (results go to BENCHMARKS.md by hand, with this command):
//   node scripts/build.mjs && node bench/redis.mjs
// Needs redis-server on PATH; starts its own on a free loopback port (AOF on,
// appendfsync everysec, the production default) and stops it at the end.
// 1. Throughput: three built nodes (dist/main.mjs) on one Redis; a paced load
//    generator posts NDJSON batches of 1,000 events round the nodes at
//    BENCH_RATE events/s (default 20000) for BENCH_SECONDS (default 60). The
//    evaluator's lag bound (from /healthz) is sampled every 200 ms; the same
//    load goes to one SQLite node afterwards for the single-node figure.
// 2. Failover: BENCH_KILLS (default 5) times, kill -9 the evaluator under
//    load and time until another node logs "became the evaluator" (it has
//    taken the lease and replayed the stream since the last commit).
// 3. Dedupe: 200,000 36-character event ids through the ingest script
//    (used_memory with the stream trimmed away, per event), then Redis's CPU
//    per event at steady state (see dedupe() below). BENCH_DEDUPE_BASELINE=
//    <another checkout's apps/alerter> measures its store too, in the same run.
// Options: BENCH_SKIP=throughput|failover|dedupe (comma-separated).
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";

const root = fileURLToPath(new URL("..", import.meta.url));
const RATE = Number(process.env.BENCH_RATE ?? 20_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const KILLS = Number(process.env.BENCH_KILLS ?? 5);
const skip = (process.env.BENCH_SKIP ?? "").split(",");
// BENCH_STANDBY=on,off: the Redis runs once with the warm standby and once without (store.redis.standby).
const STANDBY = (process.env.BENCH_STANDBY ?? "on").split(",").map((s) => s.trim() === "on");
// BENCH_MAIN: the built alerter to run (a copy, so that a rebuild during a long run changes nothing).
const MAIN = process.env.BENCH_MAIN ?? "dist/main.mjs";
const BATCH = 1000;
// Failover runs at 10,000 scopes: 2,000 trunks (three scopes each) and 4,000 customers.
const SCOPES_SHAPE = {
  trunks: Number(process.env.BENCH_TRUNKS ?? 2000),
  customers: Number(process.env.BENCH_CUSTOMERS ?? 4000),
};
const SCOPES_WANTED = Math.floor((SCOPES_SHAPE.trunks * 3 + SCOPES_SHAPE.customers) * 0.95);
const TOKEN = "bench-ingest-token-0123456789";
const tmp = mkdtempSync(join(tmpdir(), "alerter-redis-bench-"));
const children = new Set();

async function freePort() {
  const s = createServer();
  await new Promise((r) => s.listen(0, "127.0.0.1", r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

async function startRedis() {
  const port = await freePort();
  // A directory of its own: each run starts from an empty Redis (AOF on), not the last run's.
  const dir = mkdtempSync(join(tmp, "redis-"));
  const child = spawn(
    "redis-server",
    [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "yes",
      "--dir",
      dir,
    ],
    { stdio: "ignore" },
  );
  children.add(child);
  const redis = new Redis({ port, host: "127.0.0.1", lazyConnect: true, maxRetriesPerRequest: 0 });
  redis.on("error", () => {});
  for (let i = 0; i < 200; i++) {
    try {
      await redis.connect();
      break;
    } catch {
      redis.disconnect();
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return { url: `redis://127.0.0.1:${port}`, redis, child };
}

function config(redisUrl, standby, evaluation = {}) {
  return {
    ingest: {
      secret: `whsec_${Buffer.from("bench-secret-of-32-bytes-length!").toString("base64")}`,
      tokens: [TOKEN],
      maxInFlight: 256,
    },
    api: { token: "bench-api-token-0123456789" },
    // Every evaluation commits, so a new evaluator replays at most one interval of events.
    evaluation: { snapshotSeconds: 0, ...evaluation },
    ...(redisUrl ? { store: { redis: { url: redisUrl, standby } } } : {}),
  };
}

function startNode(name, redisUrl, standby = true, evaluation = {}) {
  const file = join(tmp, `${name}.json`);
  writeFileSync(file, JSON.stringify(config(redisUrl, standby, evaluation)));
  const child = spawn(process.execPath, [MAIN], {
    cwd: root,
    env: {
      ...process.env,
      PORT: "0",
      HOST: "127.0.0.1",
      SIPCODES_DATA_DIR: join(tmp, name),
      SIPCODES_ALERTER_CONFIG: file,
      SIPCODES_NODE_ID: name,
      LOG_LEVEL: "info",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.add(child);
  const node = { name, child, became: [], firstCommit: [], firstEvaluation: [], takeovers: [] };
  // BENCH_LOG_DIR: keep each node's log there (for a failover that went wrong).
  const keep = process.env.BENCH_LOG_DIR
    ? createWriteStream(join(process.env.BENCH_LOG_DIR, `${name}.log`))
    : undefined;
  node.url = new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).on("line", (line) => {
      keep?.write(`${line}\n`);
      try {
        const log = JSON.parse(line);
        if (log.msg === "alerter listening") resolve(log.url);
        if (log.msg === "became the evaluator") {
          node.became.push(log.time);
          node.takeovers.push({ warm: log.warm, replayed: log.replayed, reason: log.reason });
        }
        if (log.msg === "first commit as the evaluator") node.firstCommit.push(log);
        if (log.msg === "first evaluation as the evaluator") node.firstEvaluation.push(log);
      } catch {}
    });
    child.once("exit", (code) => reject(new Error(`${name} exited with ${code}`)));
  });
  node.url.catch(() => {});
  node.exited = new Promise((r) => child.once("exit", r));
  return node;
}

/**
 * 1,000 events with fresh ids, times of just now, spread over `shape.trunks`
 * trunks and `shape.customers` customers (each trunk is three scopes: itself
 * and its two directions).
 */
let batchNo = 0;
function body(shape = { trunks: 50, customers: 500 }) {
  const prefix = randomUUID();
  const time = Date.now() - 500;
  const offset = (batchNo++ * BATCH) % (shape.trunks * shape.customers);
  let out = "";
  for (let i = 0; i < BATCH; i++) {
    const k = offset + i;
    const code = i % 50 === 0 ? 603 : i % 97 === 0 ? 500 : 200;
    // Both directions on every trunk (i alone would give an even trunk count one direction each).
    const inbound = (i + Math.floor(k / shape.trunks)) % 2 === 1;
    out += `{"id":"${prefix}-${i}","time":${time},"code":${code},"direction":"${inbound ? "inbound" : "outbound"}","trunk":"trunk-${k % shape.trunks}","customer":"cust-${k % shape.customers}"}\n`;
  }
  return out;
}

/** Posts BATCH-event bodies round `urls` at `rate` events/s for `seconds`; counts what was acknowledged. */
async function paced(urls, rate, seconds, stop = { v: false }, shape = undefined) {
  const perTick = rate / BATCH / 10; // batches every 100 ms
  const stats = { acked: 0, refused: 0, failed: 0, latencies: [] };
  const pending = new Set();
  const end = Date.now() + seconds * 1000;
  let owed = 0;
  let k = 0;
  while (Date.now() < end && !stop.v) {
    const tick = Date.now();
    owed += perTick;
    for (; owed >= 1; owed--) {
      const url = urls()[k++ % urls().length];
      const t0 = performance.now();
      const p = fetch(`${url}/v1/events`, {
        method: "POST",
        headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/x-ndjson" },
        body: body(shape),
      })
        .then(async (res) => {
          const json = await res.json().catch(() => ({}));
          if (res.status === 200) stats.acked += json.accepted;
          else stats.refused++;
          stats.latencies.push(performance.now() - t0);
        })
        .catch(() => stats.failed++)
        .finally(() => pending.delete(p));
      pending.add(p);
    }
    await new Promise((r) => setTimeout(r, Math.max(0, 100 - (Date.now() - tick))));
  }
  await Promise.all(pending);
  return stats;
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};

async function health(url) {
  try {
    return await (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) })).json();
  } catch {
    return {};
  }
}

async function evaluator(nodes) {
  for (;;) {
    for (const n of nodes) {
      if (n.child.exitCode !== null || n.child.signalCode !== null) continue;
      if ((await health(await n.url)).role === "evaluator") return n;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** CPU seconds (user + system, every thread) a process has used, from /proc (Linux). */
function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(f[11]) + Number(f[12])) / 100; // utime, stime in clock ticks (100/s)
  } catch {
    return null;
  }
}

/** CPU seconds of each named pid and of this generator between two readings. */
function cpuMeter(pids) {
  const start = Object.fromEntries(Object.entries(pids).map(([k, p]) => [k, cpuSeconds(p)]));
  const self = process.cpuUsage();
  return () => {
    const out = {};
    for (const [k, p] of Object.entries(pids)) {
      const now = cpuSeconds(p);
      out[k] = now === null || start[k] === null ? null : +(now - start[k]).toFixed(2);
    }
    const used = process.cpuUsage(self);
    out.generator = +((used.user + used.system) / 1e6).toFixed(2);
    return out;
  };
}

async function throughput(redis, standby) {
  const redisUrl = redis.url;
  const nodes = ["a", "b", "c"].map((n) => startNode(n, redisUrl, standby));
  const urls = await Promise.all(nodes.map((n) => n.url));
  const lead = await evaluator(nodes);
  const leadUrl = await lead.url;
  const cpu = cpuMeter({
    redis: redis.child.pid,
    ...Object.fromEntries(
      nodes.map((n) => [n === lead ? `${n.name} (evaluator)` : n.name, n.child.pid]),
    ),
  });
  const lags = [];
  const eventLags = [];
  let missed = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const h = await health(leadUrl);
      if (h.stream) {
        lags.push(h.stream.lagMs);
        if (h.stream.eventLagMs !== undefined) eventLags.push(h.stream.eventLagMs);
      } else missed++;
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  const t0 = Date.now();
  const stats = await paced(() => urls, RATE, SECONDS);
  const took = (Date.now() - t0) / 1000;
  const cpuSecondsUsed = cpu();
  // How long after the last acknowledgement the evaluator had counted every acknowledged event.
  const ended = Date.now();
  const head = Number((await redisHead(redisUrl)) ?? 0);
  let drainMs = null;
  for (let t = 0; t < 600; t++) {
    const c = (await health(leadUrl)).stream?.counted ?? 0;
    if (c >= head) {
      drainMs = Date.now() - ended;
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  sampling = false;
  await sampler;
  const h = await health(leadUrl);
  const histogram = await lagHistogram(leadUrl);
  for (const n of nodes) n.child.kill("SIGTERM");
  await Promise.all(nodes.map((n) => n.exited));
  return {
    mode: `redis, 3 nodes, standby ${standby ? "on" : "off"}`,
    offered: RATE,
    ackedPerSecond: Math.round(stats.acked / took),
    refusedBatches: stats.refused,
    failedBatches: stats.failed,
    p50Ms: Math.round(pct(stats.latencies, 50)),
    p99Ms: Math.round(pct(stats.latencies, 99)),
    lagMaxMs: Math.max(0, ...lags),
    lagP99Ms: pct(lags, 99),
    lagP50Ms: pct(lags, 50),
    eventLagMaxMs: Math.max(0, ...eventLags),
    eventLagP99Ms: pct(eventLags, 99),
    eventLagP50Ms: pct(eventLags, 50),
    lagHistogram: histogram,
    seconds: +took.toFixed(1),
    cpuSeconds: cpuSecondsUsed,
    cpuMicrosecondsPerEvent: perEvent(cpuSecondsUsed, stats.acked),
    lagSamples: lags.length,
    lagMissedSamples: missed,
    drainMs,
    head,
    counted: h.stream?.counted,
    acked: stats.acked,
  };
}

/**
 * The evaluator's `sipcodes_alerter_stream_lag_seconds` histogram (every
 * batch it counted, not samples): count, and the bucket holding p50 / p99 /
 * the largest value.
 */
async function lagHistogram(url) {
  let text = "";
  try {
    text = await (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
  } catch {
    return null;
  }
  const buckets = [];
  for (const line of text.split("\n")) {
    const m = /^sipcodes_alerter_stream_lag_seconds_bucket\{le="([^"]+)"\} (\d+)/.exec(line);
    if (m) buckets.push([m[1] === "+Inf" ? Number.POSITIVE_INFINITY : Number(m[1]), Number(m[2])]);
  }
  const total = buckets.at(-1)?.[1] ?? 0;
  if (total === 0) return { batches: 0 };
  const at = (q) => buckets.find(([, n]) => n >= q * total)?.[0];
  const label = (le) => (le === Number.POSITIVE_INFINITY ? "> 60 s" : `<= ${le} s`);
  return { batches: total, p50: label(at(0.5)), p99: label(at(0.99)), max: label(at(1)) };
}

/** The newest seq appended (`{sipcodes}:seq`). */
async function redisHead(url) {
  const r = new Redis(url, { maxRetriesPerRequest: 1 });
  r.on("error", () => {});
  try {
    return await r.get("{sipcodes}:seq");
  } finally {
    r.disconnect();
  }
}

/** CPU µs per acknowledged event, by process, and their sum. */
function perEvent(cpu, acked) {
  const out = {};
  let total = 0;
  for (const [k, v] of Object.entries(cpu)) {
    if (v === null) continue;
    out[k] = +((v * 1e6) / Math.max(1, acked)).toFixed(1);
    total += out[k];
  }
  out.total = +total.toFixed(1);
  return out;
}

async function single() {
  const node = startNode("sqlite", undefined);
  const url = await node.url;
  const cpu = cpuMeter({ sqlite: node.child.pid });
  const t0 = Date.now();
  const stats = await paced(() => [url], RATE, SECONDS);
  const took = (Date.now() - t0) / 1000;
  const cpuSecondsUsed = cpu();
  node.child.kill("SIGTERM");
  await node.exited;
  return {
    mode: "sqlite, 1 node",
    offered: RATE,
    seconds: +took.toFixed(1),
    cpuSeconds: cpuSecondsUsed,
    cpuMicrosecondsPerEvent: perEvent(cpuSecondsUsed, stats.acked),
    ackedPerSecond: Math.round(stats.acked / took),
    refusedBatches: stats.refused,
    failedBatches: stats.failed,
    p50Ms: Math.round(pct(stats.latencies, 50)),
    p99Ms: Math.round(pct(stats.latencies, 99)),
  };
}

/**
 * Failover nodes evaluate every FO_INTERVAL s with a 1 s grace, and each
 * kill lands KILL_EARLY_MS before an evaluation is due: the evaluation the
 * dead holder would have made is the one the next holder must commit, so
 * "kill to the next committed evaluation" is measured, not a wait for the
 * next minute.
 */
const FO_INTERVAL = Number(process.env.BENCH_FAILOVER_INTERVAL ?? 15);
const FO_EVALUATION = { intervalSeconds: FO_INTERVAL, graceSeconds: 1 };
const KILL_EARLY_MS = 300;

async function failover(redisUrl, standby) {
  const names = ["f1", "f2", "f3"];
  let nodes = names.map((n) => startNode(n, redisUrl, standby, FO_EVALUATION));
  await Promise.all(nodes.map((n) => n.url));
  const stop = { v: false };
  const live = () => nodes.filter((n) => n.child.exitCode === null && n.child.signalCode === null);
  let urls = await Promise.all(live().map((n) => n.url));
  const rate = Number(process.env.BENCH_FAILOVER_RATE ?? Math.min(RATE, 10_000));
  const load = paced(() => urls, rate, 3600, stop, SCOPES_SHAPE);
  const times = [];
  const commits = [];
  const evaluations = [];
  const late = [];
  const scopes = [];
  const takeovers = [];
  let pauseMs = 0;
  for (let i = 0; i < KILLS; i++) {
    const lead = await evaluator(live());
    // Under load until every scope exists and the holder has checkpointed at that size.
    for (let t = 0; t < 60; t++) {
      const h = await health(await lead.url);
      if (h.scopes >= SCOPES_WANTED && h.stream?.checkpointPauseMs > 0 && t >= 6) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    const h = await health(await lead.url);
    scopes.push(h.scopes);
    pauseMs = Math.max(pauseMs, h.stream?.checkpointPauseMs ?? 0);
    // Just before the next evaluation is due (boundary + 1 s grace).
    const step = FO_INTERVAL * 1000;
    const due = Math.floor((Date.now() - 1000) / step) * step + step + 1000;
    await new Promise((r) => setTimeout(r, Math.max(0, due - KILL_EARLY_MS - Date.now())));
    const killedAt = Date.now();
    lead.child.kill("SIGKILL");
    await lead.exited;
    const rest = live();
    urls = await Promise.all(rest.map((n) => n.url));
    const next = await evaluator(rest);
    // Its /healthz can say "evaluator" before its log line has been read here.
    for (let t = 0; t < 50 && !(next.became.at(-1) >= killedAt); t++)
      await new Promise((r) => setTimeout(r, 100));
    const at = next.became.at(-1);
    times.push(at - killedAt);
    // The new holder's first commit (its checkpoint right after the replay).
    for (let t = 0; t < 300 && next.firstCommit.length === 0; t++)
      await new Promise((r) => setTimeout(r, 100));
    const first = next.firstCommit.at(-1);
    commits.push(first ? first.time - killedAt : null);
    for (let t = 0; t < 600 && next.firstEvaluation.length === 0; t++)
      await new Promise((r) => setTimeout(r, 100));
    const evaluation = next.firstEvaluation.at(-1);
    evaluations.push(evaluation ? evaluation.time - killedAt : null);
    late.push(evaluation ? evaluation.lateMs : null);
    const how = next.takeovers.at(-1) ?? {};
    takeovers.push(how);
    console.error(
      `kill ${i + 1}: ${lead.name} -> ${next.name}: lease taken and stream replayed ${at - killedAt} ms, first evaluation committed ${evaluation ? evaluation.time - killedAt : "none"} ms (${evaluation?.lateMs} ms after it was due), first checkpoint ${first ? first.time - killedAt : "none"} ms (${h.scopes} scopes; ${how.warm ? "warm standby" : `full load: ${how.reason}`}, ${how.replayed} events replayed)`,
    );
    // A replacement node joins, as a supervisor would restart the killed one.
    const again = startNode(`${lead.name}-${i}`, redisUrl, standby, FO_EVALUATION);
    nodes = [...rest, again];
    await again.url;
    urls = await Promise.all(live().map((n) => n.url));
  }
  stop.v = true;
  await load;
  for (const n of live()) n.child.kill("SIGTERM");
  await Promise.all(nodes.map((n) => n.exited));
  const done = commits.filter((x) => x !== null);
  const evaluated = evaluations.filter((x) => x !== null);
  return {
    standby: standby ? "on" : "off",
    kills: times.length,
    scopes,
    becameEvaluatorMs: times,
    medianBecameMs: pct(times, 50),
    firstEvaluationMs: evaluations,
    medianFirstEvaluationMs: pct(evaluated, 50),
    evaluationLateMs: late,
    firstCommitMs: commits,
    medianFirstCommitMs: pct(done, 50),
    longestCheckpointPauseMs: pauseMs,
    takeovers,
  };
}

const info = async (redis, section, field) =>
  Number(new RegExp(`${field}:([\\d.]+)`).exec(await redis.info(section))[1]);

/** Redis's CPU seconds so far: the whole process (every thread) and its main thread. */
async function redisCpu(redis) {
  const text = await redis.info("cpu");
  const f = (name) => Number(new RegExp(`${name}:([\\d.]+)`).exec(text)[1]);
  return {
    all: f("used_cpu_user") + f("used_cpu_sys"),
    main: f("used_cpu_user_main_thread") + f("used_cpu_sys_main_thread"),
  };
}

const batchOfIds = () => {
  const events = [];
  for (let j = 0; j < BATCH; j++) events.push({ id: randomUUID(), time: 1, code: 200 });
  return events;
};

/**
 * The ingest script alone, through `RedisStore` (a module built from one
 * checkout), on a fresh redis-server:
 * - memory: 200,000 ids of 36 characters at the 30-minute horizon, Redis
 *   `used_memory` before, then after with the stream trimmed away;
 * - CPU at steady state: a 6 s horizon (buckets of 1 s) and 20,000 ids/s
 *   (20 batches of 1,000 a second) for DEDUPE_SECONDS (default 15), so the
 *   ids expire as fast as they come and every live bucket is full; Redis's
 *   CPU (`INFO cpu`, user + sys, all threads and the main thread) over that
 *   run, per id.
 */
async function dedupe(redis, RedisStore) {
  await redis.flushall();
  const before = await info(redis, "memory", "used_memory");
  const store = new RedisStore({
    redis,
    prefix: "bench",
    dedupeMs: 1800_000,
    replicas: 0,
    replicaTimeoutMs: 1,
  });
  const N = 200_000;
  const cpu0 = await redisCpu(redis);
  for (let i = 0; i < N; i += BATCH) await store.insertEvents(batchOfIds(), Date.now());
  const cpu1 = await redisCpu(redis);
  const withStream = await info(redis, "memory", "used_memory");
  await redis.xtrim("{bench}:events", "MAXLEN", 0);
  const after = await info(redis, "memory", "used_memory");
  const perEvent = (after - before) / N;
  const streamPerEvent = (withStream - after) / N;
  const horizon = (rate) => ({ rate, gib: +((perEvent * rate * 1800) / 2 ** 30).toFixed(2) });

  await redis.flushall();
  const steady = new RedisStore({
    redis,
    prefix: "steady",
    dedupeMs: 6000,
    replicas: 0,
    replicaTimeoutMs: 1,
  });
  const seconds = Number(process.env.DEDUPE_SECONDS ?? 15);
  const s0 = await redisCpu(redis);
  const start = Date.now();
  let ids = 0;
  for (let tick = 0; Date.now() - start < seconds * 1000; tick++) {
    await steady.insertEvents(batchOfIds(), Date.now());
    ids += BATCH;
    const wait = start + ((tick + 1) * 1000) / 20 - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  const took = (Date.now() - start) / 1000;
  const s1 = await redisCpu(redis);
  const us = (a, b, n) => +(((b - a) * 1e6) / n).toFixed(2);
  return {
    events: N,
    dedupeBytesPerEvent: Math.round(perEvent),
    streamBytesPerEvent: Math.round(streamPerEvent),
    horizon30min: [horizon(2000), horizon(20_000)],
    fillRedisCpuMicrosecondsPerEvent: {
      all: us(cpu0.all, cpu1.all, N),
      main: us(cpu0.main, cpu1.main, N),
    },
    steady: {
      ids,
      idsPerSecond: Math.round(ids / took),
      redisCpuMicrosecondsPerEvent: {
        all: us(s0.all, s1.all, ids),
        main: us(s0.main, s1.main, ids),
      },
    },
  };
}

/** Builds `<dir>/src/io/redis/redis-store.ts` into dist/<name>.mjs and imports it. */
async function storeModule(build, dir, name) {
  const outfile = join(root, `dist/${name}.mjs`);
  await build({
    entryPoints: [join(dir, "src/io/redis/redis-store.ts")],
    outfile,
    bundle: true,
    format: "esm",
    platform: "node",
    packages: "external",
    logLevel: "warning",
  });
  return (await import(outfile)).RedisStore;
}

try {
  // The store alone, for the dedupe measurement (same code as the nodes run);
  // BENCH_DEDUPE_BASELINE: the apps/alerter folder of another checkout, measured in the same run.
  const { build } = await import("esbuild");
  const stores = [["this build", await storeModule(build, root, "redis-store-bench")]];
  if (process.env.BENCH_DEDUPE_BASELINE)
    stores.unshift([
      "baseline",
      await storeModule(build, process.env.BENCH_DEDUPE_BASELINE, "redis-store-baseline"),
    ]);
  const out = { load: loadavg().map((x) => +x.toFixed(1)), rate: RATE, seconds: SECONDS };
  if (!skip.includes("throughput")) {
    out.redis = [];
    for (const standby of STANDBY) {
      const r = await startRedis();
      const res = { ...(await throughput(r, standby)), load: loadavg()[0].toFixed(1) };
      out.redis.push(res);
      console.error(JSON.stringify(res));
      r.redis.disconnect();
      r.child.kill("SIGKILL");
    }
    out.sqlite = { ...(await single()), load: loadavg()[0].toFixed(1) };
    console.error(JSON.stringify(out.sqlite));
  }
  if (!skip.includes("failover")) {
    out.failover = [];
    for (const standby of STANDBY) {
      const r = await startRedis();
      const res = {
        ...(await failover(r.url, standby)),
        load: loadavg().map((x) => +x.toFixed(1)),
      };
      out.failover.push(res);
      console.error(JSON.stringify(res));
      r.redis.disconnect();
      r.child.kill("SIGKILL");
    }
  }
  if (!skip.includes("dedupe")) {
    out.dedupe = {};
    for (const [name, RedisStore] of stores) {
      const r = await startRedis();
      out.dedupe[name] = {
        ...(await dedupe(r.redis, RedisStore)),
        load: loadavg().map((x) => +x.toFixed(1)),
      };
      console.error(name, JSON.stringify(out.dedupe[name]));
      r.redis.disconnect();
      r.child.kill("SIGKILL");
    }
  }
  out.loadAfter = loadavg().map((x) => +x.toFixed(1));
  console.log(JSON.stringify(out, null, 2));
} finally {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  rmSync(tmp, { recursive: true, force: true });
  rmSync(join(root, "dist/redis-store-bench.mjs"), { force: true });
  rmSync(join(root, "dist/redis-store-baseline.mjs"), { force: true });
}
