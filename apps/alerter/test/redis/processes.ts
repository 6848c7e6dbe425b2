import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";

const ROOT = join(import.meta.dirname, "..", "..");
export const DIST = join(ROOT, "dist", "main.mjs");

/** Builds dist/main.mjs unless it is there and knows Redis mode. */
export function ensureBuilt(): void {
  if (existsSync(DIST) && readFileSync(DIST, "utf8").includes("SIPCODES_REDIS_URL")) return;
  const built = spawnSync(process.execPath, ["scripts/build.mjs"], { cwd: ROOT, stdio: "inherit" });
  if (built.status !== 0) throw new Error("build failed");
}

export interface Node {
  name: string;
  process: ChildProcess;
  url: Promise<string>;
  exited: Promise<number | null>;
  log: string[];
}

/** Starts one built alerter process in Redis mode. */
export function spawnNode(
  name: string,
  dataDir: string,
  configFile: string,
  redisUrl: string,
  env: Record<string, string> = {},
): Node {
  const child = spawn(process.execPath, [DIST], {
    env: {
      ...process.env,
      PORT: "0",
      HOST: "127.0.0.1",
      SIPCODES_DATA_DIR: dataDir,
      SIPCODES_ALERTER_CONFIG: configFile,
      SIPCODES_REDIS_URL: redisUrl,
      SIPCODES_NODE_ID: name,
      LOG_LEVEL: "info",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const log: string[] = [];
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => resolve(code)),
  );
  const url = new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on("line", (line) => {
      log.push(line);
      try {
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        if (entry.msg === "alerter listening" && entry.url) resolve(entry.url);
      } catch {
        // not a log line
      }
    });
    exited.then((code) => reject(new Error(`${name} exited with ${code}: ${stderr}`)));
  });
  url.catch(() => undefined);
  return { name, process: child, url, exited, log };
}

/** Kills a node (SIGKILL unless told) and waits for it to be gone. */
export async function kill(node: Node, signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
  if (node.process.exitCode !== null || node.process.signalCode !== null) return;
  node.process.kill(signal);
  await node.exited;
}

/** The pid (among `pids`) owning the loopback TCP socket whose local port is `port` (Linux /proc). */
export function pidOfLocalPort(port: number, pids: readonly number[]): number | undefined {
  const inodes = new Set<string>();
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, "utf8").split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/);
      const local = cols[1];
      if (!local) continue;
      if (Number.parseInt(local.slice(local.lastIndexOf(":") + 1), 16) === port && cols[9])
        inodes.add(cols[9]);
    }
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m && inodes.has(m[1]!)) return pid;
      } catch {
        // closed meanwhile
      }
    }
  }
  return undefined;
}
