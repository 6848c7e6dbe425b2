/**
 * Core speed benchmarks: `pnpm --filter @sipcodes/core bench` (or `pnpm bench`).
 * Each case runs beside a same-run baseline, a plain Map.get of the code, and
 * is reported as a ratio as well as an absolute rate: these machines are noisy.
 */
import { writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { Bench } from "tinybench";
import { explain, parseInput, searchCodes, summarize } from "../src/index.ts";
import { searchQueries } from "../test/search-queries.ts";

const response = [
  "SIP/2.0 486 Busy Here",
  "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK74bf9;received=192.0.2.10;rport=5060",
  "Via: SIP/2.0/TCP edge1.trunk.example.net:5060;branch=z9hG4bK776asdhds",
  "Record-Route: <sip:edge1.trunk.example.net;lr;transport=tcp>",
  'From: "Alice Example" <sip:+441234567890@trunk.example.net>;tag=9fxced76sl',
  "To: <sip:+442071234567@trunk.example.net>;tag=8321234356",
  "Call-ID: 3848276298220188511@192.0.2.10",
  "CSeq: 314159 INVITE",
  "Contact: <sip:+442071234567@198.51.100.7:5060;transport=udp>",
  "Server: Example-SBC/7.2.1",
  "Allow: INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, NOTIFY, INFO, UPDATE",
  "Supported: replaces, timer, 100rel",
  'Reason: Q.850;cause=17;text="User busy"',
  'Warning: 399 sbc1.example.net "All 30 channels of the customer trunk are in use"',
  "Retry-After: 120 (channels full);duration=600",
  "P-Asserted-Identity: <sip:+442071234567@trunk.example.net>",
  "X-Trunk-Id: acme-london-01",
  "Session-Expires: 1800;refresher=uac",
  "Require: timer",
  "Content-Length: 0",
  "",
  "",
].join("\r\n");

const codes = new Map([[486, { code: 486 }]]);
let sink = 0;

const bench = new Bench({ time: 1000, warmupTime: 200 });
bench
  .add("baseline: Map.get(486)", () => {
    sink += codes.get(486)?.code ?? 0;
  })
  .add("explain(486)", () => {
    sink += explain(486).code;
  })
  .add(`parse+explain of a ${response.length}-byte SIP response`, () => {
    sink += explain(response).code;
  })
  .add("parseInput only (same response)", () => {
    sink += parseInput(response).code ?? 0;
  });

const events = Array.from({ length: 10_000 }, (_, i) => ({
  code: [200, 200, 200, 486, 487, 603, 500, 404][i % 8] as number,
}));
bench.add("summarize 10,000 events", () => {
  sink += summarize(events).attempts;
});

await bench.run();

const rows = bench.tasks.map((task) => {
  const r = task.result;
  const hz = r && "throughput" in r ? r.throughput.mean : 0;
  return { name: task.name, hz };
});
const base = rows[0]?.hz ?? 1;

// Search quality: the share of the query set whose expected code ranks first / in the top 3.
const ranks = searchQueries.map((q) =>
  searchCodes(q.query, q.profile === undefined ? {} : { profile: q.profile }).findIndex(
    (hit) => hit.code === q.code,
  ),
);
const share = (ok: (rank: number) => boolean) =>
  `${((ranks.filter(ok).length / ranks.length) * 100).toFixed(1)}%`;
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const lines = [
  `Machine: ${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} cores, Node ${process.version}`,
  "",
  "| case | ops/s | vs baseline |",
  "|---|---:|---:|",
  ...rows.map((r) => `| ${r.name} | ${fmt(r.hz)} | ${(r.hz / base).toFixed(3)}× |`),
  "",
  `Search ranking on the query set (\`test/search-queries.ts\`, ${ranks.length} queries; floors asserted in \`src/search.test.ts\`):`,
  "",
  "| measure | share |",
  "|---|---:|",
  `| expected code first | ${share((r) => r === 0)} |`,
  `| expected code in the top 3 | ${share((r) => r >= 0 && r < 3)} |`,
];
const doc = [
  "# @sipcodes/core benchmarks",
  "",
  `Written by \`bench/run.ts\` on ${new Date().toISOString().slice(0, 10)}; run \`pnpm --filter @sipcodes/core bench\` (or \`pnpm bench\`) to measure again.`,
  "Targets: `explain(486)` ≥ 1,000,000/s; parse + explain of a ~1 KB response ≥ 100,000/s, on one core.",
  "",
  ...lines,
  "",
].join("\n");
writeFileSync(new URL("../BENCHMARKS.md", import.meta.url), doc);
console.log(doc);
if (sink === 42) console.log("");
