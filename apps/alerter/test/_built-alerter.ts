import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import dgram from "node:dgram";
import { existsSync } from "node:fs";
import net from "node:net";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { hep3 } from "./_hep.ts";

/**
 * The built alerter (dist/main.mjs + dist/hep-worker.mjs) as a child
 * process, for the tests that restart it or its HEP worker for real.
 */
const ROOT = join(import.meta.dirname, "..");
const DIST = join(ROOT, "dist", "main.mjs");

/** Builds dist/ once if it is missing (call from beforeAll). */
export function ensureBuilt(): void {
  if (existsSync(join(ROOT, "dist", "hep-worker.mjs"))) return;
  const built = spawnSync(process.execPath, ["scripts/build.mjs"], { cwd: ROOT, stdio: "inherit" });
  if (built.status !== 0) throw new Error("build failed");
}

export interface BuiltRun {
  child: ChildProcess;
  url: string;
  hepPort: number;
  tcpPort: number | undefined;
  /** Every JSON log line so far. */
  logs: { msg?: string; [k: string]: unknown }[];
  stop(): Promise<number | null>;
}

/** Starts it; `cleanups` gets a SIGKILL for the end of the test. */
export async function startBuilt(
  dataDir: string,
  configFile: string,
  cleanups: (() => Promise<void> | void)[],
  env: Record<string, string> = {},
): Promise<BuiltRun> {
  const child = spawn(process.execPath, [DIST], {
    env: {
      ...process.env,
      PORT: "0",
      HOST: "127.0.0.1",
      SIPCODES_DATA_DIR: dataDir,
      SIPCODES_ALERTER_CONFIG: configFile,
      LOG_LEVEL: "info",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  cleanups.push(() => {
    child.kill("SIGKILL");
  });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const logs: BuiltRun["logs"] = [];
  const seen: { url?: string | undefined; hepPort?: number | undefined; tcpPort?: number } = {};
  const ready = new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on("line", (line) => {
      let log: { msg?: string; url?: string; udpPort?: number; tcpPort?: number };
      try {
        log = JSON.parse(line);
      } catch {
        return; // not a log line
      }
      logs.push(log);
      if (log.msg === "HEP listening") {
        seen.hepPort = log.udpPort;
        if (log.tcpPort !== undefined) seen.tcpPort = log.tcpPort;
      }
      if (log.msg === "alerter listening") seen.url = log.url;
      if (seen.url && seen.hepPort) resolve();
    });
    exited.then((code) => reject(new Error(`alerter exited with ${code}: ${stderr}`)));
  });
  await ready;
  return {
    child,
    url: seen.url!,
    hepPort: seen.hepPort!,
    tcpPort: seen.tcpPort,
    logs,
    stop: async () => {
      child.kill("SIGTERM");
      return exited;
    },
  };
}

/** One sample of /metrics (0 when the series is absent). */
export async function metric(run: BuiltRun, pattern: RegExp): Promise<number> {
  const text = await (await fetch(`${run.url}/metrics`)).text();
  return Number(pattern.exec(text)?.[1] ?? 0);
}
export const OPEN = /^sipcodes_alerter_hep_open_transactions (\d+)$/m;
export const tx = (result: string) =>
  new RegExp(`^sipcodes_alerter_hep_transactions_total\\{result="${result}"\\} (\\d+)$`, "m");
export const cls = (c: string) =>
  new RegExp(
    `^sipcodes_alerter_responses_total\\{scope="global",key="all",class="${c}"\\} (\\d+)$`,
    "m",
  );

function packet(payload: string): Uint8Array {
  return hep3({
    src: "192.0.2.10",
    dst: "198.51.100.20",
    sport: 5060,
    dport: 5060,
    time: Date.now() * 1000,
    payload,
  });
}

/** One SIP message in a HEPv3 datagram to 127.0.0.1:`port`. */
export function send(port: number, payload: string): Promise<void> {
  const socket = dgram.createSocket("udp4");
  return new Promise((resolve, reject) =>
    socket.send(packet(payload), port, "127.0.0.1", (error) => {
      socket.close();
      if (error) reject(error);
      else resolve();
    }),
  );
}

/** SIP messages as HEPv3 packets back to back on one TCP connection to 127.0.0.1:`port`. */
export function sendTcp(port: number, payloads: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1", () => {
      for (const p of payloads) socket.write(packet(p));
      socket.end();
    });
    socket.once("error", reject);
    socket.once("close", () => resolve());
  });
}
