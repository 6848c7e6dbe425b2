// Per-packet cost of the HEP receive path without sockets: decode, SIP scan
// and pairing of the packets bench/hep-send.mjs sends, in-process.
//   npx tsx bench/hep-pairing.mjs [packets]   (tsx: it imports the TypeScript sources)
import { hepMessages, safeDecodeHep } from "@sipcodes/capture";
import { HepCalls } from "../src/domain/hep-calls.ts";
import { packets } from "./_hep-packets.mjs";

const n = Number(process.argv[2] ?? 400_000);
const all = packets(n);
const calls = new HepCalls({
  match: "call",
  timeoutMs: 32_000,
  maxOpen: 100_000,
  rules: [{ set: { direction: "outbound", trunk: { header: "X-Trunk" } } }],
});
const t0 = performance.now();
const cpu0 = process.cpuUsage();
let events = 0;
for (const b of all) {
  const r = safeDecodeHep(b);
  if (!r.success) throw r.error;
  for (const m of hepMessages(r.data).messages)
    events += calls.observe(
      { time: m.time / 1000, src: m.src, dst: m.dst, text: m.text },
      0,
    ).length;
}
const ms = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const cpuMs = (cpu.user + cpu.system) / 1000;
console.log(
  JSON.stringify({
    packets: n,
    events,
    ms: Math.round(ms),
    nsPerPacket: Math.round((ms * 1e6) / n),
    packetsPerSecond: Math.round(n / (ms / 1000)),
    // CPU time this thread was given (GC threads included): what a free core would take.
    cpuNsPerPacket: Math.round((cpuMs * 1e6) / n),
    packetsPerCpuSecond: Math.round(n / (cpuMs / 1000)),
  }),
);
