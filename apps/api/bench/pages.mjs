// pnpm --filter @sipcodes/api bench:pages
//
// The HTML pages' budget (issue 15):
// 1. Size: every code page under every profile, HTML and CSS uncompressed
//    (the budget is 30 KB; test/pages.test.ts asserts it too), with gzip sizes
//    for information.
// 2. Throughput: GET /codes/603?profile=jola (Accept: text/html) at 50
//    connections against the API (dist/node.mjs) and against a bare Hono
//    route on the same @hono/node-server serving the very same bytes
//    (bench/bare-page.mjs), interleaved ROUNDS times; medians and their ratio
//    (target >= 0.9x).
// Prints a Markdown report and writes it to apps/api/BENCHMARKS.pages.md
// (bench/run.mjs owns BENCHMARKS.md).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { cannon, fmt, median, root, start, stop, table } from "./_harness.mjs";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const DURATION = Number(process.env.BENCH_DURATION ?? 8);
const PAGE = process.env.BENCH_PAGE ?? "/codes/603?profile=jola";
const BUDGET = 30 * 1024;
const ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: root, stdio: "inherit" });

const api = await start(["dist/node.mjs"], { PORT: "0", HOST: "127.0.0.1" });
const get = async (path) => {
  const res = await fetch(`${api.base}${path}`, { headers: { accept: ACCEPT } });
  if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
};

// ------------------------------------------------------------------ 1. sizes

const codes = [...(await (await fetch(`${api.base}/v1/codes`)).json()).codes.map((c) => c.code)];
const profiles = (await (await fetch(`${api.base}/v1/profiles`)).json()).profiles.map((p) => p.id);
const sizes = [];
for (const profile of profiles) {
  for (const code of codes) {
    const path = `/codes/${code}${profile === "rfc" ? "" : `?profile=${profile}`}`;
    const body = await get(path);
    sizes.push({ path, bytes: body.byteLength, gzip: gzipSync(body).byteLength });
  }
}
sizes.sort((a, b) => b.bytes - a.bytes);
const largest = sizes[0];
const over = sizes.filter((s) => s.bytes > BUDGET);
const others = [];
for (const path of ["/", "/explain", "/glossary", "/q850", "/profiles"]) {
  const body = await get(path);
  others.push({ path, bytes: body.byteLength, gzip: gzipSync(body).byteLength });
}

// ------------------------------------------------------------------ 2. page vs bare

const body = await get(PAGE);
const dir = mkdtempSync(join(tmpdir(), "sipcodes-bench-pages-"));
writeFileSync(join(dir, "page.html"), body);
const bare = await start([
  "bench/bare-page.mjs",
  join(dir, "page.html"),
  PAGE,
  "text/html; charset=utf-8",
]);
const check = new Uint8Array(await (await fetch(`${bare.base}${PAGE}`)).arrayBuffer());
if (Buffer.compare(Buffer.from(check), Buffer.from(body)) !== 0) {
  throw new Error("the bare route does not serve the same bytes");
}
// The same bare route sending the API's other headers too (ETag, Cache-Control, CORS,
// Content-Length), for the CPU comparison: how much of the gap is those headers.
const sent = await fetch(`${api.base}${PAGE}`, { headers: { accept: ACCEPT } });
const extra = {};
for (const name of ["etag", "cache-control", "access-control-allow-origin", "content-length"]) {
  extra[name] = sent.headers.get(name);
}
const bareHeaders = await start([
  "bench/bare-page.mjs",
  join(dir, "page.html"),
  PAGE,
  "text/html; charset=utf-8",
  JSON.stringify(extra),
]);
const targets = { api, bare, bareHeaders };
const runs = { api: [], bare: [] };
const request = (name) => ({
  url: `${targets[name].base}${PAGE}`,
  headers: { accept: ACCEPT },
  connections: 50,
});
for (const name of ["api", "bare"]) await cannon({ ...request(name), duration: 3 });
for (let round = 0; round < ROUNDS; round++) {
  const order = round % 2 ? ["bare", "api"] : ["api", "bare"];
  for (const name of order) {
    const result = await cannon({ ...request(name), duration: DURATION });
    if (result.errors || result.non2xx) {
      throw new Error(`${name}: ${result.errors} errors, ${result.non2xx} non-2xx`);
    }
    runs[name].push({ rps: result.requests.average, p99: result.latency.p99 });
    console.error(
      `round ${round + 1} ${name}: ${fmt(result.requests.average)} req/s, p99 ${result.latency.p99} ms`,
    );
  }
}
// CPU time per request: each server's user+system time (from /proc) over a fixed number of
// requests. Far less sensitive than req/s to other processes on a shared machine.
const CPU_REQUESTS = Number(process.env.BENCH_CPU_REQUESTS ?? 100_000);
const ticks = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return Number(fields[11]) + Number(fields[12]); // utime + stime, in clock ticks
};
const TICK_US = 1e6 / Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim());
const cpu = { api: [], bare: [], bareHeaders: [] };
await cannon({ ...request("bareHeaders"), duration: 3 });
for (let round = 0; round < 3; round++) {
  for (const name of round % 2 ? ["bareHeaders", "bare", "api"] : ["api", "bare", "bareHeaders"]) {
    const before = ticks(targets[name].child.pid);
    const result = await cannon({ ...request(name), amount: CPU_REQUESTS });
    if (result.errors || result.non2xx) throw new Error(`${name}: errors in the CPU pass`);
    cpu[name].push(((ticks(targets[name].child.pid) - before) * TICK_US) / CPU_REQUESTS);
    console.error(`cpu ${round + 1} ${name}: ${cpu[name].at(-1).toFixed(1)} µs/request`);
  }
}
const cpuApi = median(cpu.api);
const cpuBare = median(cpu.bare);
const cpuBareHeaders = median(cpu.bareHeaders);
await Promise.all([stop(bare), stop(bareHeaders), stop(api)]);

const med = (name, key) => median(runs[name].map((r) => r[key]));
const ratio = med("api", "rps") / med("bare", "rps");
// Paired: each round's pages/bare ratio, so a slow moment on a shared machine hits one pair only.
const paired = median(runs.api.map((r, i) => r.rps / runs.bare[i].rps));

// ------------------------------------------------------------------ report

const cpuModel =
  /model name\s*:\s*(.+)/.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1]?.trim() ??
  cpus()[0]?.model ??
  "unknown";
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const lines = [
  "# @sipcodes/api: the HTML pages' budget",
  "",
  "Written by `bench/pages.mjs`; run `pnpm --filter @sipcodes/api bench:pages` to measure again (it builds `dist/node.mjs` first).",
  "",
  "## Size",
  "",
  `Every code page under every profile (${sizes.length} pages), HTML with its inline CSS, uncompressed; budget ${kb(BUDGET)} (30 × 1024 bytes). ${over.length ? `**${over.length} over budget.**` : "None over budget."}`,
  "",
  ...table(
    ["page", "bytes", "KB", "gzip bytes"],
    [
      ...sizes.slice(0, 3).map((s) => [`\`${s.path}\``, fmt(s.bytes), kb(s.bytes), fmt(s.gzip)]),
      [
        `median of ${sizes.length} code pages`,
        fmt(median(sizes.map((s) => s.bytes))),
        kb(median(sizes.map((s) => s.bytes))),
        fmt(median(sizes.map((s) => s.gzip))),
      ],
      ...others.map((s) => [`\`${s.path}\``, fmt(s.bytes), kb(s.bytes), fmt(s.gzip)]),
    ],
  ),
  "",
  `Largest code page: \`${largest.path}\`, ${fmt(largest.bytes)} bytes (${((largest.bytes / BUDGET) * 100).toFixed(0)} % of the budget).`,
  "",
  `## \`GET ${PAGE}\` vs a bare Hono route (50 connections)`,
  "",
  `${ROUNDS} rounds of ${DURATION} s each, interleaved (order alternating), after a 3 s warm-up of each, both with a browser's \`Accept\`. The bare route serves the same ${fmt(body.byteLength)}-byte page as a constant from \`bench/bare-page.mjs\` on the same @hono/node-server.`,
  "",
  ...table(
    ["round", "pages req/s", "pages p99 (ms)", "bare req/s", "bare p99 (ms)", "ratio"],
    [
      ...runs.api.map((r, i) => [
        i + 1,
        fmt(r.rps),
        r.p99,
        fmt(runs.bare[i].rps),
        runs.bare[i].p99,
        `${(r.rps / runs.bare[i].rps).toFixed(2)}×`,
      ]),
      [
        "**median**",
        `**${fmt(med("api", "rps"))}**`,
        `**${med("api", "p99")}**`,
        `**${fmt(med("bare", "rps"))}**`,
        `**${med("bare", "p99")}**`,
        `**${paired.toFixed(2)}×**`,
      ],
    ],
  ),
  "",
  `Throughput ratio pages / bare: **${ratio.toFixed(2)}×** of the medians, **${paired.toFixed(2)}×** as the median of the per-round ratios (target ≥ 0.9×).`,
  "",
  `### CPU time per request`,
  "",
  `User + system CPU time of each server process (from \`/proc/<pid>/stat\`) over ${fmt(CPU_REQUESTS)} requests, 3 passes each, interleaved; medians.`,
  "",
  ...table(
    ["server", "µs per request", "passes"],
    [
      ["pages", cpuApi.toFixed(1), cpu.api.map((v) => v.toFixed(1)).join(", ")],
      ["bare", cpuBare.toFixed(1), cpu.bare.map((v) => v.toFixed(1)).join(", ")],
      [
        "bare + the API's headers",
        cpuBareHeaders.toFixed(1),
        cpu.bareHeaders.map((v) => v.toFixed(1)).join(", "),
      ],
    ],
  ),
  "",
  `Against the bare route sending the same headers (ETag, Cache-Control, CORS, Content-Length): **${(cpuBareHeaders / cpuApi).toFixed(2)}×**.`,
  "",
  `Requests per CPU second, pages / bare: **${(cpuBare / cpuApi).toFixed(2)}×** (what the throughput ratio tends to when the server, not the machine, is the limit).`,
  "",
  "## Machine",
  "",
  `- command: \`pnpm --filter @sipcodes/api bench:pages\`, ${new Date().toISOString().slice(0, 10)}`,
  `- \`nproc\`: ${execFileSync("nproc").toString().trim()}; CPU: ${cpuModel}`,
  `- \`node -v\`: ${process.version}; autocannon in the bench process, each server in its own process`,
  "",
];
const report = lines.join("\n");
writeFileSync(join(root, "BENCHMARKS.pages.md"), report);
console.log(report);
if (over.length) process.exitCode = 1;
