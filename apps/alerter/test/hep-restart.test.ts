import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import dgram from "node:dgram";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { hep3, sip } from "./_hep.ts";
import { tempDir, waitFor } from "./helpers.ts";

// The built alerter (dist/main.mjs + dist/hep-worker.mjs), restarted for real between INVITE and final.
const ROOT = join(import.meta.dirname, "..");
const DIST = join(ROOT, "dist", "main.mjs");

beforeAll(() => {
  if (existsSync(join(ROOT, "dist", "hep-worker.mjs"))) return;
  const built = spawnSync(process.execPath, ["scripts/build.mjs"], { cwd: ROOT, stdio: "inherit" });
  if (built.status !== 0) throw new Error("build failed");
}, 120_000);

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const TIMEOUT_SECONDS = 8;

interface Run {
  child: ChildProcess;
  url: string;
  hepPort: number;
  stop(): Promise<number | null>;
}

async function start(dataDir: string, configFile: string): Promise<Run> {
  const child = spawn(process.execPath, [DIST], {
    env: {
      ...process.env,
      PORT: "0",
      HOST: "127.0.0.1",
      SIPCODES_DATA_DIR: dataDir,
      SIPCODES_ALERTER_CONFIG: configFile,
      LOG_LEVEL: "info",
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
  const seen: { url?: string | undefined; hepPort?: number | undefined } = {};
  const ready = new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on("line", (line) => {
      try {
        const log = JSON.parse(line) as { msg?: string; url?: string; udpPort?: number };
        if (log.msg === "HEP listening") seen.hepPort = log.udpPort;
        if (log.msg === "alerter listening") seen.url = log.url;
        if (seen.url && seen.hepPort) resolve();
      } catch {
        // not a log line
      }
    });
    exited.then((code) => reject(new Error(`alerter exited with ${code}: ${stderr}`)));
  });
  await ready;
  return {
    child,
    url: seen.url!,
    hepPort: seen.hepPort!,
    stop: async () => {
      child.kill("SIGTERM");
      return exited;
    },
  };
}

async function metric(run: Run, pattern: RegExp): Promise<number> {
  const text = await (await fetch(`${run.url}/metrics`)).text();
  return Number(pattern.exec(text)?.[1] ?? 0);
}
const OPEN = /^sipcodes_alerter_hep_open_transactions (\d+)$/m;
const tx = (result: string) =>
  new RegExp(`^sipcodes_alerter_hep_transactions_total\\{result="${result}"\\} (\\d+)$`, "m");
const cls = (c: string) =>
  new RegExp(
    `^sipcodes_alerter_responses_total\\{scope="global",key="all",class="${c}"\\} (\\d+)$`,
    "m",
  );

function send(port: number, payload: string): Promise<void> {
  const socket = dgram.createSocket("udp4");
  const packet = hep3({
    src: "192.0.2.10",
    dst: "198.51.100.20",
    sport: 5060,
    dport: 5060,
    time: Date.now() * 1000,
    payload,
  });
  return new Promise((resolve, reject) =>
    socket.send(packet, port, "127.0.0.1", (error) => {
      socket.close();
      if (error) reject(error);
      else resolve();
    }),
  );
}

describe("HEP open transactions across a restart", () => {
  it("pairs a final sent after a restart with its INVITE from before, and times out the other on the INVITE's clock", async () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    const configFile = join(tmp.dir, "alerter.yaml");
    writeFileSync(
      configFile,
      stringify({
        hep: {
          enabled: true,
          host: "127.0.0.1",
          udpPort: 0,
          tcpPort: null,
          allowFrom: ["127.0.0.1"],
          timeoutSeconds: TIMEOUT_SECONDS,
          saveOpenSeconds: 0,
        },
      }),
    );
    const dataDir = join(tmp.dir, "data");

    // Run 1: two INVITEs, no final response; a clean stop saves them.
    const first = await start(dataDir, configFile);
    const sentAt = Date.now();
    await send(
      first.hepPort,
      sip("INVITE sip:a@carrier.example SIP/2.0", "a@t", "1 INVITE", "z9hG4bKa"),
    );
    await send(
      first.hepPort,
      sip("INVITE sip:b@carrier.example SIP/2.0", "b@t", "1 INVITE", "z9hG4bKb"),
    );
    await waitFor(async () => (await metric(first, OPEN)) === 2, "two open transactions");
    expect(await first.stop()).toBe(0);

    // Run 2: both come back; the 603 for A closes A as a final, not as an orphan.
    const second = await start(dataDir, configFile);
    expect(Date.now() - sentAt).toBeLessThan(TIMEOUT_SECONDS * 1000); // else A timed out meanwhile
    await waitFor(async () => (await metric(second, OPEN)) === 2, "the saved transactions back");
    await send(second.hepPort, sip("SIP/2.0 603 Decline", "a@t", "1 INVITE", "z9hG4bKa"));
    await waitFor(async () => (await metric(second, cls("6xx"))) === 1, "the 603 counted");
    expect(await metric(second, tx("finals"))).toBe(1);
    expect(await metric(second, tx("orphans"))).toBe(0);
    expect(await metric(second, OPEN)).toBe(1);
    expect(await second.stop()).toBe(0);

    // Run 3, started after B's timeout passed while the alerter was down: B is a 408 at once,
    // not TIMEOUT_SECONDS after this start (the timeout runs from the INVITE's receipt).
    const wait = sentAt + TIMEOUT_SECONDS * 1000 + 200 - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const third = await start(dataDir, configFile);
    const startedAt = Date.now();
    await waitFor(async () => (await metric(third, cls("4xx"))) === 1, "B counted as a timeout");
    expect(Date.now() - startedAt).toBeLessThan((TIMEOUT_SECONDS * 1000) / 2);
    expect(await metric(third, tx("timeouts"))).toBe(1);
    expect(await metric(third, OPEN)).toBe(0);
    expect(await metric(third, tx("finals"))).toBe(0);
    expect(await third.stop()).toBe(0);
  }, 90_000);
});
