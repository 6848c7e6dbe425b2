/**
 * Capture decoding throughput: `pnpm --filter @sipcodes/capture bench`.
 *
 * Writes a ~100 MB classic pcap of SIP over UDP (Ethernet/IPv4, a mix of
 * INVITE, 100, 180, 486, 200, ACK and BYE), then in the same run:
 *  - streams it through createCaptureReader() in 64 KiB chunks (peak RSS sampled),
 *  - reads it whole with readCapture(),
 *  - runs `tshark -r file -Y sip -T fields -e sip.Status-Code` on it,
 * and writes the figures to BENCHMARKS.md beside this package.
 */
import { spawnSync } from "node:child_process";
import {
  closeSync,
  createReadStream,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { createCaptureReader, readCapture } from "../src/index.ts";
import { ethernet, udp4, writePcap } from "../test/_build.ts";
import { sipMessage } from "../test/_traffic.ts";

const TARGET = Number(process.env.BENCH_MB ?? 100) * 1024 * 1024;
const dir = mkdtempSync(join(tmpdir(), "sipcodes-capture-bench-"));
const file = join(dir, "sip.pcap");

const enc = new TextEncoder();
// Each call offers its own media port, as real calls do (tshark sets up an RTP
// conversation per SDP; one port reused by every call makes it quadratic).
const sdp = (call: number) =>
  `v=0\r\no=- ${call} 1 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\nm=audio ${20000 + 2 * (call % 20000)} RTP/AVP 0 8\r\n`;
const shapes = [
  ["INVITE sip:+442071234567@trunk.example.net SIP/2.0", "1 INVITE", true],
  ["SIP/2.0 100 Trying", "1 INVITE", false],
  ["SIP/2.0 180 Ringing", "1 INVITE", false],
  ["SIP/2.0 486 Busy Here", "1 INVITE", false],
  ["ACK sip:+442071234567@trunk.example.net SIP/2.0", "1 ACK", false],
  ["INVITE sip:+442071234568@trunk.example.net SIP/2.0", "1 INVITE", true],
  ["SIP/2.0 200 OK", "1 INVITE", true],
  ["ACK sip:+442071234568@trunk.example.net SIP/2.0", "1 ACK", false],
  ["BYE sip:+442071234568@trunk.example.net SIP/2.0", "2 BYE", false],
  ["SIP/2.0 200 OK", "2 BYE", false],
] as const;

// Write in batches so generating 100 MB does not itself need 100 MB of heap.
const fd = openSync(file, "w");
writeSync(fd, writePcap([], 1));
let size = 24;
let messages = 0;
const t0 = 1_700_000_000_000_000;
while (size < TARGET) {
  const batch = [];
  for (let i = 0; i < 2000; i++, messages++) {
    const [line, cseq, body] = shapes[messages % shapes.length] as (typeof shapes)[number];
    const call = Math.floor(messages / 5);
    const text = sipMessage(line, `call-${call}@bench`, cseq, body ? sdp(call) : "");
    const fromCaller = !line.startsWith("SIP/");
    // Each call from its own source port, as a trunk's calls are spread over
    // many conversations (one giant conversation is a pathological case for tshark).
    const port = 10000 + (Math.floor(messages / 5) % 50000);
    const ip = fromCaller
      ? udp4("192.0.2.10", "198.51.100.7", port, 5060, enc.encode(text))
      : udp4("198.51.100.7", "192.0.2.10", 5060, port, enc.encode(text));
    batch.push({ time: t0 + messages * 1000, data: ethernet(ip) });
  }
  const chunk = writePcap(batch, 1).subarray(24);
  writeSync(fd, chunk);
  size += chunk.length;
}
closeSync(fd);
const mb = size / 1024 / 1024;
console.log(`wrote ${file}: ${mb.toFixed(1)} MiB, ${messages} SIP datagrams`);

let peakRss = 0;
const sample = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 20);

async function streamed(): Promise<{ ms: number; count: number; rss: number }> {
  global.gc?.();
  peakRss = process.memoryUsage().rss;
  const start = performance.now();
  const reader = createCaptureReader();
  let count = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 64 * 1024 })) {
    count += reader.push(chunk as Uint8Array).length;
  }
  count += reader.end().length;
  const ms = performance.now() - start;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  return { ms, count, rss: peakRss };
}

function whole(): { ms: number; count: number } {
  const bytes = new Uint8Array(readFileSync(file));
  const start = performance.now();
  const r = readCapture(bytes);
  return { ms: performance.now() - start, count: r.messages.length };
}

function tshark(): { ms: number; count: number } | undefined {
  if (process.env.BENCH_TSHARK === "0") return undefined;
  const start = performance.now();
  const r = spawnSync(
    "tshark",
    ["-r", file, "-Y", "sip", "-T", "fields", "-e", "sip.Status-Code"],
    {
      encoding: "utf8",
      maxBuffer: 1 << 30,
    },
  );
  if (r.error || r.status !== 0) return undefined;
  const count = r.stdout.split("\n").length - 1;
  return { ms: performance.now() - start, count };
}

const s = await streamed();
clearInterval(sample);
const w = whole();
const t = tshark();
rmSync(dir, { recursive: true, force: true });

const rate = (ms: number) =>
  `${(mb / (ms / 1000)).toFixed(1)} MiB/s, ${Math.round(messages / (ms / 1000)).toLocaleString("en")} msg/s`;
const rows = [
  `| \`createCaptureReader\`, 64 KiB chunks from a file stream | ${(s.ms / 1000).toFixed(2)} s | ${rate(s.ms)} | ${s.count.toLocaleString("en")} | peak RSS ${(s.rss / 1024 / 1024).toFixed(0)} MiB |`,
  `| \`readCapture\` on the file read into memory | ${(w.ms / 1000).toFixed(2)} s | ${rate(w.ms)} | ${w.count.toLocaleString("en")} | input held in memory |`,
  t
    ? `| \`tshark -r file -Y sip -T fields -e sip.Status-Code\` | ${(t.ms / 1000).toFixed(2)} s | ${rate(t.ms)} | ${t.count.toLocaleString("en")} rows | ours is ${(t.ms / s.ms).toFixed(1)}× faster streamed |`
    : "| tshark | not run (not on PATH) | | | |",
];
for (const r of rows) console.log(r);

const cpu = cpus()[0]?.model ?? "unknown";
const md = `# @sipcodes/capture benchmarks

Generated by \`pnpm --filter @sipcodes/capture bench\` (\`tsx bench/run.ts\`;
\`BENCH_MB=…\` changes the size). One run writes a classic pcap of SIP over UDP
(Ethernet/IPv4, INVITE/100/180/486/200/ACK/BYE in turn, ${messages.toLocaleString("en")}
datagrams, ${mb.toFixed(1)} MiB), then decodes it three ways in the same run.

Machine: ${cpus().length} × ${cpu}, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB, Node ${process.version},
${process.platform}; ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC. The machine is shared,
so absolute rates move; compare rows of one run.

| what | time | throughput | SIP messages | notes |
|---|---|---|---|---|
${rows.join("\n")}

tshark does far more per packet (full dissection of every layer), so the
comparison says our reader is cheap enough to run inline in the CLI and API,
not that it replaces tshark. Memory while streaming stays flat: it holds one
record and the open TCP streams, not the file. Peak RSS is the whole bench
process (the generator's garbage included); on 2026-12-01 it was 171 MiB for
a 5 MiB file, 174 MiB for 30 MiB and 135–142 MiB for 100 MiB, so it does not
grow with the file.

The generated calls each offer their own media port. With one port reused
by every call tshark slows down quadratically (30 MiB took 193 s, 100 MiB did
not finish in 8 minutes), which measures tshark's RTP conversation setup, not
reading SIP.
`;
writeFileSync(new URL("../BENCHMARKS.md", import.meta.url), md);
