// HEP ingest benchmark (results go to BENCHMARKS.md by hand, with this command):
//   node bench/hep.mjs            (from apps/alerter; builds dist/main.mjs first)
// A sender process (bench/hep-send.mjs) replays HEPv3 packets, an INVITE and
// its 603 per call with unique Call-IDs, over loopback UDP at fixed rates to
// (1) a bare node:dgram socket that only counts (bench/hep-baseline.mjs) and
// (2) the built alerter with HEP on (pairing, SQLite, detector), one at a time
// in the same run. For each: packets sent, packets the receiver counted,
// kernel drops of its socket (the `drops` column of /proc/net/udp), and for
// the alerter the call events it stored.
// Options: HEP_BENCH_RATES (default "20000:30,100000:10,150000:10", rate:seconds);
// HEP_BENCH_SENDERS (default 1): sender processes at once, each with its own
// socket and rate/N (more than one only helps with cores to spare: on 2 cores
// extra senders take CPU from the receiver); HEP_BENCH_ROUNDS (default 1): baseline,
// alerter, baseline, alerter...; HEP_BENCH_RCVBUF (bytes, default 8 MiB): the
// receive buffer both receivers ask for; HEP_BENCH_RMEM_MAX (bytes): when run
// as root, net.core.rmem_max is raised to this for the run and put back
// after (the kernel caps every socket's ask at it); HEP_BENCH_ONLY=alerter|baseline.
// HEP_BENCH_MAIN: the alerter bundle (default dist/main.mjs; another build for an A/B run);
// HEP_BENCH_NO_BUILD=1: do not build first; HEP_BENCH_NODE_ARGS: node flags for the alerter (--cpu-prof).
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const rates = (process.env.HEP_BENCH_RATES ?? "20000:30,100000:10,150000:10")
  .split(",")
  .map((p) => p.split(":").map(Number));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const senders = Number(process.env.HEP_BENCH_SENDERS ?? 1);
const rounds = Number(process.env.HEP_BENCH_ROUNDS ?? 1);
const rcvbuf = Number(process.env.HEP_BENCH_RCVBUF ?? 8 * 1024 * 1024);
const only = process.env.HEP_BENCH_ONLY ?? "";
/** The next unused packet number: every call of the whole run is new to the receiver. */
let nextPacket = 0;

function drops(port) {
  const hex = port.toString(16).toUpperCase().padStart(4, "0");
  for (const line of readFileSync("/proc/net/udp", "utf8").split("\n").slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f[1]?.endsWith(`:${hex}`)) return Number(f[f.length - 1]);
  }
  return Number.NaN;
}

/** CPU seconds (user + system, all threads) process `pid` has used, from /proc/<pid>/stat. */
function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(f[11]) + Number(f[12])) / 100;
}

/** `senders` processes at once, each rate/senders over its own range of packet numbers (even: whole calls). */
async function send(port, rate, seconds) {
  const each = Math.round(rate / senders);
  const span = 2 * Math.ceil((each * seconds) / 2);
  const runs = [];
  for (let k = 0; k < senders; k++) {
    const first = nextPacket;
    nextPacket += span;
    const child = spawn(
      process.execPath,
      ["bench/hep-send.mjs", String(port), String(each), String(seconds), String(first)],
      { cwd: root, stdio: ["ignore", "pipe", "inherit"] },
    );
    children.add(child);
    runs.push(
      new Promise((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (d) => {
          out += d;
        });
        child.once("exit", (code) => {
          children.delete(child);
          if (code !== 0) reject(new Error(`sender exited with ${code}`));
          else resolve(JSON.parse(out.trim()));
        });
      }),
    );
  }
  const all = await Promise.all(runs);
  return {
    sent: all.reduce((a, r) => a + r.sent, 0),
    // The whole send took as long as its slowest sender.
    seconds: Math.max(...all.map((r) => r.seconds)),
    cpuSeconds: all.reduce((a, r) => a + r.cpuSeconds, 0),
  };
}

async function settle(read) {
  let last = -1;
  for (let i = 0; i < 50; i++) {
    const v = await read();
    if (v === last) return v;
    last = v;
    await sleep(200);
  }
  return last;
}

async function run(name, startReceiver, round) {
  const { port, pid, count, extra, stop } = await startReceiver();
  const rows = [];
  for (const [rate, seconds] of rates) {
    const load = readFileSync("/proc/loadavg", "utf8").split(" ")[0];
    const before = {
      count: await count(),
      drops: drops(port),
      extra: await extra(),
      cpu: cpuSeconds(pid),
    };
    const s = await send(port, rate, seconds);
    const after = {
      count: await settle(count),
      drops: drops(port),
      extra: await extra(),
      cpu: cpuSeconds(pid),
    };
    const got = after.count - before.count;
    rows.push({
      round,
      receiver: name,
      senders,
      loadAverage: Number(load),
      targetRate: rate,
      seconds,
      sent: s.sent,
      sendSeconds: Number(s.seconds.toFixed(2)),
      counted: got,
      countedPerSecond: Math.round(got / s.seconds),
      kernelDrops: after.drops - before.drops,
      // CPU per core-second of the run: the sender's own, and the receiver's (all its threads,
      // including the time it took to catch up after the sender stopped).
      senderCpuSeconds: Number(s.cpuSeconds.toFixed(2)),
      receiverCpuSeconds: Number((after.cpu - before.cpu).toFixed(2)),
      ...(after.extra ? { callEvents: after.extra - before.extra } : {}),
    });
    console.error(JSON.stringify(rows.at(-1)));
  }
  await stop();
  return rows;
}

function lines(child, onLine) {
  createInterface({ input: child.stdout }).on("line", (l) => {
    try {
      onLine(JSON.parse(l));
    } catch {}
  });
}

async function baseline() {
  const child = spawn(process.execPath, ["bench/hep-baseline.mjs", String(rcvbuf)], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
  });
  let n = 0;
  const port = await new Promise((resolve) =>
    lines(child, (j) => {
      if (j.msg === "listening") {
        console.error(`baseline: receive buffer ${j.receiveBuffer} bytes (asked ${rcvbuf})`);
        resolve(j.port);
      }
      if (typeof j.count === "number") n = j.count;
    }),
  );
  return {
    port,
    pid: child.pid,
    count: async () => {
      await sleep(250);
      return n;
    },
    extra: async () => undefined,
    stop: async () => {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    },
  };
}

async function alerter() {
  const dir = mkdtempSync(join(tmpdir(), "alerter-hep-bench-"));
  const probe = spawnSync(
    process.execPath,
    [
      "-e",
      "const s=require('dgram').createSocket('udp4');s.bind(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})",
    ],
    { encoding: "utf8" },
  );
  const hepPort = Number(probe.stdout.trim());
  const config = join(dir, "alerter.yaml");
  writeFileSync(
    config,
    `hep:\n  enabled: true\n  host: 127.0.0.1\n  udpPort: ${hepPort}\n  tcpPort: null\n  allowFrom: [127.0.0.1]\n  maxPendingEvents: 1000000\n  udpReceiveBufferBytes: ${rcvbuf}\n  rules:\n    - set: { direction: outbound, trunk: { header: X-Trunk } }\n`,
  );
  const nodeArgs = (process.env.HEP_BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const main = process.env.HEP_BENCH_MAIN ?? "dist/main.mjs";
  const child = spawn(process.execPath, [...nodeArgs, main], {
    cwd: root,
    env: {
      ...process.env,
      PORT: "0",
      HOST: "127.0.0.1",
      SIPCODES_DATA_DIR: join(dir, "data"),
      SIPCODES_ALERTER_CONFIG: config,
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.add(child);
  const url = await new Promise((resolve) => {
    // LOG_LEVEL warn hides "alerter listening"; find the HTTP port from the first-start warning's example.
    lines(child, (j) => {
      const m = /(http:\/\/127\.0\.0\.1:\d+)\/v1\/events/.exec(j.example ?? "");
      if (m) resolve(m[1]);
      if (j.granted) console.error(`alerter: receive buffer ${j.granted} bytes (asked ${j.asked})`);
    });
  });
  const metric = async (re) => {
    // A fresh connection each time: the sender blocks this process for the whole run, and the
    // server closes idle keep-alive connections meanwhile.
    const text = await (await fetch(`${url}/metrics`, { headers: { connection: "close" } })).text();
    const m = re.exec(text);
    return m ? Number(m[1]) : 0;
  };
  return {
    port: hepPort,
    pid: child.pid,
    count: () => metric(/sipcodes_alerter_hep_packets_total\{transport="udp",result="ok"\} (\d+)/),
    extra: () => metric(/sipcodes_alerter_events_total\{result="accepted",source="hep"\} (\d+)/),
    stop: async () => {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const children = new Set();
process.on("exit", () => {
  for (const c of children) c.kill("SIGKILL");
});
const RMEM = "/proc/sys/net/core/rmem_max";
const rmemBefore = readFileSync(RMEM, "utf8").trim();
if (process.env.HEP_BENCH_RMEM_MAX) {
  // Root only: the kernel's cap on every socket's receive buffer, for this run.
  writeFileSync(RMEM, process.env.HEP_BENCH_RMEM_MAX);
  process.on("exit", () => writeFileSync(RMEM, rmemBefore));
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(130));
}
console.error(`net.core.rmem_max ${readFileSync(RMEM, "utf8").trim()} (was ${rmemBefore})`);
if (!process.env.HEP_BENCH_NO_BUILD) {
  const built = spawnSync(process.execPath, ["scripts/build.mjs"], { cwd: root, stdio: "inherit" });
  if (built.status !== 0) process.exit(1);
}
const rows = [];
for (let round = 1; round <= rounds; round++) {
  if (only !== "alerter") rows.push(...(await run("bare node:dgram", baseline, round)));
  if (only !== "baseline") rows.push(...(await run("alerter", alerter, round)));
}
console.log(JSON.stringify(rows, null, 2));
