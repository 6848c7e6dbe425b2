/**
 * `sipcode explain big.pcap --brief` against tshark on the same file, same run:
 * `node ../../packages/core/node_modules/.bin/tsx bench/calls.ts` (after
 * `node scripts/build.mjs`). Writes a ~100 MB pcap of SIP over UDP with the
 * capture package's generator shapes (INVITE/100/180/486/ACK and
 * INVITE/200/ACK/BYE/200 calls, one message per millisecond), then times
 *  - sipcode explain FILE --brief > /dev/null (wall time, peak RSS),
 *  - tshark -r FILE -Y sip -T fields -e sip.Status-Code > /dev/null,
 * alternating, and prints messages/s for both and their ratio.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeSipPcap } from "../../../packages/capture/bench/sip-pcap.ts";

const TARGET = Number(process.env.BENCH_MB ?? 100) * 1024 * 1024;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const bin = fileURLToPath(new URL("../dist/sipcode.cjs", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "sipcodes-calls-bench-"));
const file = join(dir, "calls.pcap");
const { bytes: size, messages } = writeSipPcap(file, TARGET);
const mib = size / 1024 / 1024;
console.log(
  `wrote ${file}: ${mib.toFixed(1)} MiB, ${messages} SIP messages, ${Math.ceil(messages / 5)} calls`,
);

/** Wall seconds and peak RSS (KiB) of a command, output to /dev/null, via /usr/bin/time. */
function timed(cmd: string[]): { seconds: number; rssKiB: number; lines: number } {
  const r = spawnSync("/usr/bin/time", ["-f", "%e %M", "sh", "-c", `"$@" | wc -l`, "sh", ...cmd], {
    encoding: "utf8",
    maxBuffer: 1 << 20,
  });
  const [seconds, rss] = (r.stderr.trim().split("\n").pop() ?? "").split(" ").map(Number);
  return {
    seconds: seconds ?? Number.NaN,
    rssKiB: rss ?? Number.NaN,
    lines: Number(r.stdout.trim()),
  };
}

const ours = [];
const theirs = [];
for (let i = 0; i < ROUNDS; i++) {
  ours.push(timed([process.execPath, bin, "explain", file, "--brief"]));
  theirs.push(timed(["tshark", "-r", file, "-Y", "sip", "-T", "fields", "-e", "sip.Status-Code"]));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;
const oursS = median(ours.map((r) => r.seconds));
const theirsS = median(theirs.map((r) => r.seconds));
const load = execFileSync("cat", ["/proc/loadavg"], { encoding: "utf8" }).trim();
console.log(
  `machine: ${cpus()[0]?.model ?? "?"}, ${cpus().length} cores, node ${process.version}, loadavg ${load}`,
);
console.log(
  `sipcode explain --brief: ${oursS.toFixed(2)} s (runs ${ours.map((r) => r.seconds).join(", ")}), ${Math.round(messages / oursS)} messages/s, ${ours[0]?.lines} calls printed, peak RSS ${Math.max(...ours.map((r) => r.rssKiB)) / 1024} MiB`,
);
console.log(
  `tshark -Y sip -T fields -e sip.Status-Code: ${theirsS.toFixed(2)} s (runs ${theirs.map((r) => r.seconds).join(", ")}), ${Math.round(messages / theirsS)} messages/s, peak RSS ${Math.max(...theirs.map((r) => r.rssKiB)) / 1024} MiB`,
);
console.log(`ratio (ours/tshark throughput): ${(theirsS / oursS).toFixed(2)}x (target >= 0.5x)`);
if (!process.env.BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
else console.log(`kept ${file}`);
