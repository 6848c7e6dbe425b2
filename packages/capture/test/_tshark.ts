import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";

/** True when tshark is on PATH. */
export function hasTshark(): boolean {
  try {
    execFileSync("tshark", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether tshark tests run: skipped with a message on a machine without it,
 * a failure in CI (where .ci/run installs it).
 */
export function tsharkOrSkip(): boolean {
  if (hasTshark()) return true;
  if (process.env.CI)
    throw new Error("tshark is not on PATH but CI is set: .ci/run should have installed it");
  console.warn(
    "tshark not on PATH: skipping the tests that compare with tshark (apt-get install tshark)",
  );
  return false;
}

export interface RunningCapture {
  file: string;
  stop(): Promise<void>;
}

/** Starts `tshark -i <iface> -f <filter> -w <file>` and resolves once it is capturing. */
export async function startCapture(opts: {
  /** One interface, or several: tshark then writes one pcapng with an interface block each. */
  iface: string | string[];
  filter: string;
  file: string;
  pcap?: boolean;
  linkType?: string;
}): Promise<RunningCapture> {
  const args: string[] = [];
  for (const i of Array.isArray(opts.iface) ? opts.iface : [opts.iface])
    args.push("-i", i, "-f", opts.filter);
  args.push("-w", opts.file, "-q");
  if (opts.pcap) args.push("-F", "pcap");
  if (opts.linkType) args.push("-y", opts.linkType);
  const child: ChildProcess = spawn("tshark", args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`tshark did not start: ${stderr}`)), 20_000);
    child.stderr?.on("data", (d: Buffer) => {
      stderr += d.toString();
      if (stderr.includes("Capturing on")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`tshark exited ${code}: ${stderr}`));
    });
  });
  // dumpcap prints before the filter is fully armed; give it a moment.
  await sleep(500);
  return {
    file: opts.file,
    async stop() {
      if (child.exitCode === null) {
        // Let the last packets reach the file before stopping.
        await sleep(500);
        child.kill("SIGINT");
      }
      const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export interface TsharkRow {
  frame: number;
  callIds: string[];
  statuses: string[];
  methods: string[];
  /** frame.time_epoch in microseconds. */
  time: number;
  /** "address port" of the sender and receiver (ip/ipv6 and udp/tcp fields). */
  src: string;
  dst: string;
}

/**
 * `tshark -r file -Y sip -T fields -e frame.number -e sip.Call-ID -e
 * sip.Status-Code -e sip.CSeq.method -e frame.time_epoch -e ip.src -e
 * ipv6.src -e udp.srcport -e tcp.srcport` (and the same for dst).
 */
export function tsharkSipFields(
  file: string,
  decodeAs: string[] = [],
  prefs: string[] = [],
): TsharkRow[] {
  const args = ["-r", file, "-Y", "sip"];
  for (const d of decodeAs) args.push("-d", d);
  for (const o of prefs) args.push("-o", o);
  args.push(
    "-T",
    "fields",
    "-E",
    "separator=\t",
    "-E",
    "occurrence=a",
    "-E",
    "aggregator=|",
    "-e",
    "frame.number",
    "-e",
    "sip.Call-ID",
    "-e",
    "sip.Status-Code",
    "-e",
    "sip.CSeq.method",
    "-e",
    "frame.time_epoch",
    "-e",
    "ip.src",
    "-e",
    "ipv6.src",
    "-e",
    "udp.srcport",
    "-e",
    "tcp.srcport",
    "-e",
    "ip.dst",
    "-e",
    "ipv6.dst",
    "-e",
    "udp.dstport",
    "-e",
    "tcp.dstport",
  );
  // tshark prints what it read and exits non-zero on a file cut short; keep its rows.
  const run = spawnSync("tshark", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  if (run.error) throw run.error;
  if (run.status !== 0 && !/cut short|appears to be damaged/.test(run.stderr)) {
    throw new Error(`tshark failed (${run.status}): ${run.stderr}`);
  }
  const out = run.stdout;
  const split = (s: string | undefined) => (s ? s.split("|") : []);
  return out
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => {
      const [frame, callIds, statuses, methods, time, ...addr] = l.split("\t");
      const [ip4s, ip6s, udps, tcps, ip4d, ip6d, udpd, tcpd] = addr;
      const [sec, frac = ""] = (time ?? "0").split(".");
      return {
        frame: Number(frame),
        callIds: split(callIds),
        statuses: split(statuses),
        methods: split(methods),
        time: Number(sec) * 1_000_000 + Number(frac.padEnd(6, "0").slice(0, 6)),
        src: `${ip4s || ip6s} ${udps || tcps}`,
        dst: `${ip4d || ip6d} ${udpd || tcpd}`,
      };
    });
}

/** The same fields taken from our decoder's messages, grouped by frame like tshark rows. */
export function ourFields(
  messages: {
    frame: number;
    time: number;
    text: string;
    src: { ip: string; port: number };
    dst: { ip: string; port: number };
  }[],
): TsharkRow[] {
  const byFrame = new Map<number, TsharkRow>();
  for (const m of messages) {
    let row = byFrame.get(m.frame);
    if (!row) {
      row = {
        frame: m.frame,
        callIds: [],
        statuses: [],
        methods: [],
        time: m.time,
        src: `${m.src.ip} ${m.src.port}`,
        dst: `${m.dst.ip} ${m.dst.port}`,
      };
      byFrame.set(m.frame, row);
    }
    const callId = /^(?:Call-ID|i)[ \t]*:[ \t]*(.*?)[ \t]*\r?$/im.exec(m.text)?.[1];
    if (callId) row.callIds.push(callId);
    const status = /^SIP\/2\.0 (\d{3})/.exec(m.text)?.[1];
    if (status) row.statuses.push(status);
    const method = /^CSeq[ \t]*:[ \t]*\d+[ \t]+(\S+)/im.exec(m.text)?.[1];
    if (method) row.methods.push(method);
  }
  return [...byFrame.values()].sort((a, b) => a.frame - b.frame);
}
