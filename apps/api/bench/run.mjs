// pnpm --filter @sipcodes/api bench
//
// 1. GET /v1/codes/486 at 50 connections against the API (dist/node.mjs) and
//    against a bare Hono route on the same @hono/node-server serving the very
//    same body bytes (bench/bare.mjs), interleaved ROUNDS times; medians of
//    req/s and p99, and their ratio.
// 2. 200 connections for 30 s against a mix of good and bad requests: counts
//    errors and 5xx, and the server's RSS before and after.
// Prints a Markdown report and writes it to apps/api/BENCHMARKS.md.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { cannon, fmt, median, root, start, stop, table } from "./_harness.mjs";

const loadStart = loadavg()[0];
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const DURATION = Number(process.env.BENCH_DURATION ?? 8);
const LOAD_DURATION = Number(process.env.BENCH_LOAD_DURATION ?? 30);

if (!existsSync(join(root, "dist/node.mjs"))) {
  execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: root, stdio: "inherit" });
}

/** utime + stime of a process, in clock ticks (/proc/<pid>/stat fields 14 and 15). */
function cpuTicks(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return Number(fields[11]) + Number(fields[12]);
}
/** Microseconds per clock tick (USER_HZ, 100 on Linux). */
const TICK_US = 1e6 / Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim() || 100);

function rssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return Math.round((kb / 1024) * 10) / 10;
}

// ------------------------------------------------------------------ machine

const cpuModel =
  /model name\s*:\s*(.+)/.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1]?.trim() ??
  cpus()[0]?.model ??
  "unknown";
const nproc = execFileSync("nproc").toString().trim();

// ------------------------------------------------------------------ 1. hot path vs bare

// BENCH_CPU_PROF=<dir> writes V8 CPU profiles of both servers there (api.cpuprofile and
// bare.cpuprofile), for finding where the API spends what bare does not.
const profile = (name) =>
  process.env.BENCH_CPU_PROF
    ? [
        "--cpu-prof",
        `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`,
        `--cpu-prof-name=${name}.cpuprofile`,
      ]
    : [];
// The edge runs as in production: every request is counted by the rate limiter (with a limit
// this one client cannot reach), gets a request id, an access-log line and a metrics sample.
const api = await start([...profile("api"), "dist/node.mjs"], {
  PORT: "0",
  HOST: "127.0.0.1",
  SIPCODES_RATE_LIMIT: "100000000",
});
// Identity, as autocannon asks (it sends no Accept-Encoding).
const captured = await fetch(`${api.base}/v1/codes/486`, {
  headers: { "accept-encoding": "identity" },
});
const body = new Uint8Array(await captured.arrayBuffer());
const dir = mkdtempSync(join(tmpdir(), "sipcodes-bench-"));
writeFileSync(join(dir, "486.json"), body);
// Node writes these itself; every other header the API sent, bare sends as a constant.
const own = new Set(["date", "connection", "keep-alive", "content-length", "transfer-encoding"]);
const sent = Object.fromEntries([...captured.headers].filter(([name]) => !own.has(name)));
writeFileSync(join(dir, "486.headers.json"), JSON.stringify(sent));
const bare = await start([
  ...profile("bare"),
  "bench/bare.mjs",
  join(dir, "486.json"),
  join(dir, "486.headers.json"),
]);
const check = new Uint8Array(await (await fetch(`${bare.base}/v1/codes/486`)).arrayBuffer());
if (Buffer.compare(Buffer.from(check), Buffer.from(body)) !== 0) {
  throw new Error("the bare route does not serve the same bytes");
}

// The same API with its whole-answer cache off (SIPCODES_ANSWER_CACHE_MB=0): every request
// goes through Hono, the route and the representation cache, as on a miss.
const uncached = await start([...profile("uncached"), "dist/node.mjs"], {
  PORT: "0",
  HOST: "127.0.0.1",
  SIPCODES_RATE_LIMIT: "100000000",
  SIPCODES_ANSWER_CACHE_MB: "0",
});
const checkUncached = await fetch(`${uncached.base}/v1/codes/486`, {
  headers: { "accept-encoding": "identity" },
});
if (Buffer.compare(Buffer.from(await checkUncached.arrayBuffer()), Buffer.from(body)) !== 0) {
  throw new Error("the API without its answer cache does not serve the same bytes");
}

const NAMES = ["api", "uncached", "bare"];
const targets = { api, uncached, bare };
const runs = { api: [], uncached: [], bare: [] };
for (const name of NAMES) {
  // Warm up: JIT, caches, connections.
  await cannon({ url: `${targets[name].base}/v1/codes/486`, connections: 50, duration: 3 });
}
for (let round = 0; round < ROUNDS; round++) {
  // Alternate which goes first, so drift on a noisy machine hits both alike.
  const order = round % 2 ? [...NAMES].reverse() : NAMES;
  for (const name of order) {
    const ticks = cpuTicks(targets[name].child.pid);
    const result = await cannon({
      url: `${targets[name].base}/v1/codes/486`,
      connections: 50,
      duration: DURATION,
    });
    if (result.errors || result.non2xx) {
      throw new Error(`${name}: ${result.errors} errors, ${result.non2xx} non-2xx`);
    }
    // CPU the server itself spent per answer: unlike req/s, it barely moves when other
    // work on the machine takes the cores (the server then just gets fewer of them).
    const cpu = ((cpuTicks(targets[name].child.pid) - ticks) * TICK_US) / result.requests.total;
    runs[name].push({ rps: result.requests.average, p99: result.latency.p99, cpu });
    console.error(
      `round ${round + 1} ${name}: ${fmt(result.requests.average)} req/s, p99 ${result.latency.p99} ms`,
    );
  }
}
await stop(bare);
await stop(uncached);

const med = (name, key) => median(runs[name].map((r) => r[key]));
const ratio = med("api", "rps") / med("bare", "rps");
const uncachedRatio = med("uncached", "rps") / med("bare", "rps");
const uncachedCpuRatio = med("bare", "cpu") / med("uncached", "cpu");
const cpuRatio = med("bare", "cpu") / med("api", "cpu");
const p99Ratio = med("api", "p99") / Math.max(med("bare", "p99"), 1);

// ------------------------------------------------------------------ 1b. compressed, vs bare

// The 46 KiB Teams profile asked for with Accept-Encoding: br: after the first answer the API
// serves the brotli bytes it kept for that ETag; bare serves those same bytes and headers.
const BR_ROUNDS = Number(process.env.BENCH_BR_ROUNDS ?? 3);
const BR_PATH = "/v1/profiles/teams";
const brHeaders = { "accept-encoding": "br" };
const brCaptured = await new Promise((resolve, reject) => {
  // fetch would decode the body; node:http hands over the bytes as sent.
  import("node:http").then(({ get }) =>
    get(`${api.base}${BR_PATH}`, { headers: brHeaders }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
    }).on("error", reject),
  );
});
if (brCaptured.headers["content-encoding"] !== "br") throw new Error("the API did not answer br");
writeFileSync(join(dir, "teams.br"), brCaptured.body);
const brSent = Object.fromEntries(
  Object.entries(brCaptured.headers).filter(([name]) => !own.has(name)),
);
writeFileSync(join(dir, "teams.headers.json"), JSON.stringify(brSent));
const bareBr = await start([
  "bench/bare.mjs",
  join(dir, "teams.br"),
  join(dir, "teams.headers.json"),
  BR_PATH,
]);
const brTargets = { api, bare: bareBr };
const brRuns = { api: [], bare: [] };
for (const name of ["api", "bare"])
  await cannon({
    url: `${brTargets[name].base}${BR_PATH}`,
    headers: brHeaders,
    connections: 50,
    duration: 3,
  });
for (let round = 0; round < BR_ROUNDS; round++) {
  const order = round % 2 ? ["bare", "api"] : ["api", "bare"];
  for (const name of order) {
    const ticks = cpuTicks(brTargets[name].child.pid);
    const result = await cannon({
      url: `${brTargets[name].base}${BR_PATH}`,
      headers: brHeaders,
      connections: 50,
      duration: DURATION,
    });
    if (result.errors || result.non2xx) {
      throw new Error(`${name} (br): ${result.errors} errors, ${result.non2xx} non-2xx`);
    }
    const cpu = ((cpuTicks(brTargets[name].child.pid) - ticks) * TICK_US) / result.requests.total;
    brRuns[name].push({ rps: result.requests.average, p99: result.latency.p99, cpu });
    console.error(`br round ${round + 1} ${name}: ${fmt(result.requests.average)} req/s`);
  }
}
await stop(bareBr);
const brMed = (name, key) => median(brRuns[name].map((r) => r[key]));
const brRatio = brMed("api", "rps") / brMed("bare", "rps");
const brCpuRatio = brMed("bare", "cpu") / brMed("api", "cpu");

// ------------------------------------------------------------------ 2. load

const batch = JSON.stringify({ inputs: ["486", "603", "SIP/2.0 404 Not Found", 799, "nonsense"] });
const json = { "content-type": "application/json" };
const etag = captured.headers.get("etag") ?? "";
const mix = [
  { method: "GET", path: "/v1/codes/486" },
  { method: "GET", path: "/v1/codes/486", headers: { "if-none-match": etag } },
  { method: "GET", path: "/v1/codes/486", headers: { accept: "text/plain" } },
  { method: "GET", path: "/v1/codes/799" },
  { method: "GET", path: "/v1/codes/abc" },
  { method: "GET", path: "/v1/codes/486?direction=sideways&profile=NOPE" },
  { method: "GET", path: "/v1/codes?q=busy&class=4xx" },
  { method: "GET", path: "/v1/q850/17" },
  { method: "GET", path: "/v1/profiles/teams" },
  { method: "GET", path: "/nowhere" },
  { method: "DELETE", path: "/v1/codes/486" },
  { method: "POST", path: "/v1/explain", headers: json, body: '{"input":"SIP/2.0 486 Busy Here"}' },
  { method: "POST", path: "/v1/explain", headers: json, body: '{"input":' },
  { method: "POST", path: "/v1/explain", headers: json, body: '{"input":"hello"}' },
  {
    method: "POST",
    path: "/v1/explain",
    headers: { "content-type": "application/xml" },
    body: "<a/>",
  },
  { method: "POST", path: "/v1/explain/batch", headers: json, body: batch },
];
// Plus a random code, profile and direction on every other request, so the
// response cache keeps filling and evicting while the load runs.
const profiles = ["", "rfc", "jola", "teams"];
const directions = ["", "inbound", "outbound"];
let n = 0;
const requests = [
  {
    setupRequest: (req) => {
      n++;
      if (n % 2) {
        const code = 100 + Math.floor(Math.random() * 600);
        const p = profiles[n % 4];
        const d = directions[n % 3];
        const sub = n % 5 === 0 ? `&subCode=${Math.floor(Math.random() * 1e6)}` : "";
        return {
          ...req,
          method: "GET",
          path: `/v1/codes/${code}?profile=${p || "rfc"}${d ? `&direction=${d}` : ""}${sub}`,
        };
      }
      const pick = mix[(n >> 1) % mix.length];
      return { ...req, ...pick, headers: { ...(pick.headers ?? {}) } };
    },
  },
];

// Two passes back to back: the first fills the bounded caches, the second
// shows whether memory keeps growing once they are full.
const statuses = new Map();
const passes = [];
const PASSES = Number(process.env.BENCH_LOAD_PASSES ?? 2);
for (let pass = 1; pass <= PASSES; pass++) {
  const rssBefore = rssMiB(api.child.pid);
  const rssSeries = [];
  const sampler = setInterval(() => rssSeries.push(rssMiB(api.child.pid)), 5000);
  const result = await cannon({
    url: api.base,
    connections: 200,
    duration: LOAD_DURATION,
    requests,
    setupClient: (client) => {
      client.on("response", (status) => statuses.set(status, (statuses.get(status) ?? 0) + 1));
    },
  });
  clearInterval(sampler);
  passes.push({ pass, result, rssBefore, rssAfter: rssMiB(api.child.pid), rssSeries });
  console.error(`load pass ${pass}: ${fmt(result.requests.total)} requests`);
}
await stop(api);
const load = {
  errors: passes.reduce((a, p) => a + p.result.errors, 0),
  timeouts: passes.reduce((a, p) => a + p.result.timeouts, 0),
};

const fivexx = [...statuses].filter(([s]) => s >= 500).reduce((a, [, c]) => a + c, 0);
const byStatus = [...statuses]
  .sort(([a], [b]) => a - b)
  .map(([s, c]) => `${s}: ${fmt(c)}`)
  .join(", ");

// ------------------------------------------------------------------ report

const command = "pnpm --filter @sipcodes/api bench";
const date = new Date().toISOString().slice(0, 10);
const lines = [
  "## `GET /v1/codes/486` vs a bare Hono route (50 connections)",
  "",
  `${ROUNDS} rounds of ${DURATION} s each, interleaved (order alternating), after a 3 s warm-up of each. The bare route serves the same ${body.byteLength}-byte body and the same ${Object.keys(sent).length} headers (${Object.keys(sent).join(", ")}) as constants from \`bench/bare.mjs\` on the same @hono/node-server, so both put the same bytes on the wire. The API runs its whole edge: rate limiter (\`SIPCODES_RATE_LIMIT=100000000\`: every request counted, none refused), request ids, CORS, the access log (one JSON line per request, buffered) and the metrics histogram; compression is on but autocannon sends no Accept-Encoding, so these answers are identity.`,
  "",
  ...table(
    [
      "round",
      "API req/s",
      "API p99 (ms)",
      "API CPU µs/req",
      "uncached req/s",
      "uncached CPU µs/req",
      "bare req/s",
      "bare p99 (ms)",
      "bare CPU µs/req",
    ],
    [
      ...runs.api.map((a, i) => [
        i + 1,
        fmt(a.rps),
        a.p99,
        a.cpu.toFixed(1),
        fmt(runs.uncached[i]?.rps ?? 0),
        runs.uncached[i]?.cpu.toFixed(1) ?? "",
        fmt(runs.bare[i]?.rps ?? 0),
        runs.bare[i]?.p99 ?? "",
        runs.bare[i]?.cpu.toFixed(1) ?? "",
      ]),
      [
        "**median**",
        `**${fmt(med("api", "rps"))}**`,
        `**${med("api", "p99")}**`,
        `**${med("api", "cpu").toFixed(1)}**`,
        `**${fmt(med("uncached", "rps"))}**`,
        `**${med("uncached", "cpu").toFixed(1)}**`,
        `**${fmt(med("bare", "rps"))}**`,
        `**${med("bare", "p99")}**`,
        `**${med("bare", "cpu").toFixed(1)}**`,
      ],
    ],
  ),
  "",
  `Throughput ratio API / bare: **${ratio.toFixed(2)}×** (target ≥ 0.95×). p99 ratio: **${p99Ratio.toFixed(2)}×** (target ≤ 2×). CPU per answer, bare / API (the throughput ratio of a server that has the cores to itself): **${cpuRatio.toFixed(2)}×**.`,
  "",
  `The API as configured by default answers a repeated GET from its whole-answer cache (\`src/answer-cache.ts\`: what the app wrote, kept as its Vary allows; the edge still runs for every request). "uncached" is the same build with \`SIPCODES_ANSWER_CACHE_MB=0\`, where every request goes through Hono, the route and its representation cache: **${uncachedRatio.toFixed(2)}×** bare's throughput, **${uncachedCpuRatio.toFixed(2)}×** on CPU per answer.`,
  "",
  `## \`GET ${BR_PATH}\` compressed (Accept-Encoding: br) vs a bare route serving the same br bytes`,
  "",
  `${BR_ROUNDS} rounds of ${DURATION} s each at 50 connections, interleaved, after a 3 s warm-up of each. The API answers the ${fmt(brCaptured.body.byteLength)}-byte brotli body it compressed once and kept for this ETag; bare serves those bytes and the same headers as constants.`,
  "",
  ...table(
    ["round", "API req/s", "API CPU µs/req", "bare req/s", "bare CPU µs/req"],
    [
      ...brRuns.api.map((a, i) => [
        i + 1,
        fmt(a.rps),
        a.cpu.toFixed(1),
        fmt(brRuns.bare[i]?.rps ?? 0),
        brRuns.bare[i]?.cpu.toFixed(1) ?? "",
      ]),
      [
        "**median**",
        `**${fmt(brMed("api", "rps"))}**`,
        `**${brMed("api", "cpu").toFixed(1)}**`,
        `**${fmt(brMed("bare", "rps"))}**`,
        `**${brMed("bare", "cpu").toFixed(1)}**`,
      ],
    ],
  ),
  "",
  `Throughput ratio API / bare: **${brRatio.toFixed(2)}×**; CPU per answer, bare / API: **${brCpuRatio.toFixed(2)}×**.`,
  "",
  `## Mixed load: 200 connections, ${LOAD_DURATION} s, ${PASSES} passes`,
  "",
  "Half the requests are a random code (100-699) with a random profile and direction (some with a random sub-code), half cycle through good and bad requests: cached and 304 lookups, text rendering, 400/404/405/415/422 problems, search, the 46 KiB Teams profile, POST /v1/explain and a 5-input batch. The load generator shares the 2 cores with the server, so this run measures robustness (errors, 5xx, memory), not throughput.",
  "",
  ...table(
    [
      "pass",
      "requests",
      "req/s (mean)",
      "p99 (ms)",
      "errors",
      "timeouts",
      "RSS before",
      "RSS after",
    ],
    passes.map((p) => [
      p.pass,
      fmt(p.result.requests.total),
      fmt(p.result.requests.average),
      p.result.latency.p99,
      p.result.errors,
      p.result.timeouts,
      `${p.rssBefore} MiB`,
      `${p.rssAfter} MiB`,
    ]),
  ),
  "",
  `Responses by status, both passes: ${byStatus} (5xx: ${fivexx}).`,
  "",
  ...passes.map((p) => `RSS every 5 s in pass ${p.pass} (MiB): ${p.rssSeries.join(", ")}.`),
  "",
  "The caches are bounded (5,000 serialised responses by query, 2,000 code URLs; the core's explanation cache by the code × profile × direction × audience space), so RSS rises while they fill in the first pass and should not keep rising in the second.",
  "",
  "## Machine",
  "",
  `- command: \`${command}\` (from the repository root), ${date}`,
  `- \`nproc\`: ${nproc}; CPU: ${cpuModel}`,
  `- \`node -v\`: ${process.version}; autocannon in the bench process, each server in its own process`,
  `- load average (1 min) at the start and the end: ${loadStart.toFixed(1)} and ${loadavg()[0].toFixed(1)} (other work on the machine shares its ${nproc} cores; above ${nproc} the figures say more about that work than about this code)`,
];
const report = lines.join("\n");
console.log(report);

writeFileSync(
  join(root, "BENCHMARKS.md"),
  `# @sipcodes/api benchmarks\n\nWritten by \`bench/run.mjs\`; run \`${command}\` to measure again (it needs \`pnpm --filter @sipcodes/api build\` first, which turbo's \`bench\` task does).\n\n${report}\n`,
);

// Errors and 5xx under load are failures; a speed ratio just under its target
// on a shared machine is reported, and fails the run only with BENCH_STRICT=1.
const failed = [];
const slow = [];
if (ratio < 0.95) slow.push(`throughput ratio ${ratio.toFixed(3)} < 0.95`);
if (cpuRatio < 0.95) slow.push(`CPU ratio ${cpuRatio.toFixed(3)} < 0.95`);
if (p99Ratio > 2) slow.push(`p99 ratio ${p99Ratio.toFixed(2)} > 2`);
if (load.errors || load.timeouts)
  failed.push(`${load.errors} errors, ${load.timeouts} timeouts under load`);
if (fivexx) failed.push(`${fivexx} 5xx responses under load`);
if (slow.length) console.error(`\nSpeed targets missed in this run: ${slow.join("; ")}`);
if (failed.length) console.error(`\nFailures under load: ${failed.join("; ")}`);
if (failed.length || (slow.length && process.env.BENCH_STRICT === "1")) process.exitCode = 1;
