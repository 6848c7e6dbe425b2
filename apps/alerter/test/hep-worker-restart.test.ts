import { writeFileSync } from "node:fs";
import net from "node:net";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import {
  type BuiltRun,
  cls,
  ensureBuilt,
  metric,
  OPEN,
  send,
  sendTcp,
  startBuilt,
} from "./_built-alerter.ts";
import { sip } from "./_hep.ts";
import { tempDir, waitFor } from "./helpers.ts";

// The built alerter whose HEP worker thread crashes or stalls for real (SIPCODES_FAULT),
// is seen down by /readyz, and is restarted on the same ports with the saved open calls.
beforeAll(ensureBuilt, 120_000);

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const restarts = (cause: string) =>
  new RegExp(`^sipcodes_alerter_hep_worker_restarts_total\\{cause="${cause}"\\} (\\d+)$`, "m");
const UP = /^sipcodes_alerter_hep_worker_up (\d+)$/m;

interface Ready {
  status: number;
  body: {
    status: string;
    failed: string[];
    checks: {
      hep: { ok: boolean; error?: string; reason?: string; worker?: string; attempt?: number };
    };
  };
}
async function readyz(run: BuiltRun): Promise<Ready> {
  const res = await fetch(`${run.url}/readyz`);
  return { status: res.status, body: (await res.json()) as Ready["body"] };
}

async function start(fault: "hep-worker-crash" | "hep-worker-stall") {
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
        tcpPort: 0,
        allowFrom: ["127.0.0.1"],
        saveOpenSeconds: 1,
        workerStallSeconds: 2,
      },
    }),
  );
  const dataDir = join(tmp.dir, "data");
  const run = await startBuilt(dataDir, configFile, cleanups, { SIPCODES_FAULT: fault });
  return { run, db: join(dataDir, "alerter.db") };
}

/** The open transactions the alerter saved in SQLite, read beside it. */
function savedOpen(db: string): number {
  const d = new Database(db, { readonly: true, fileMustExist: true });
  try {
    const text = d.prepare("SELECT value FROM state WHERE key = 'value:hep.open'").pluck().get() as
      | string
      | undefined;
    return text === undefined ? 0 : (JSON.parse(text) as { open: unknown[] }).open.length;
  } finally {
    d.close();
  }
}

/** Sends the call that trips the fault; /readyz must then fail `hep` with `reason`, then recover. */
async function tripAndRecover(run: BuiltRun, db: string, cause: string, reason: RegExp) {
  expect((await readyz(run)).status).toBe(200);
  expect(await metric(run, UP)).toBe(1);
  // B stays open across the outage: saved by the periodic save before the worker goes down.
  await send(
    run.hepPort,
    sip("INVITE sip:b@carrier.example SIP/2.0", "b@t", "1 INVITE", "z9hG4bKb"),
  );
  await waitFor(async () => savedOpen(db) === 1, "B saved as open");
  // A's final completes the first call: the fault fires there, and A is lost with the worker.
  await send(
    run.hepPort,
    sip("INVITE sip:a@carrier.example SIP/2.0", "a@t", "1 INVITE", "z9hG4bKa"),
  );
  await send(run.hepPort, sip("SIP/2.0 500 Server Error", "a@t", "1 INVITE", "z9hG4bKa"));

  const down = await waitFor(async () => {
    const r = await readyz(run);
    return r.status === 503 ? r : undefined;
  }, "/readyz to see the HEP worker down");
  expect(down.body.status).toBe("not_ready");
  expect(down.body.failed).toEqual(["hep"]);
  expect(down.body.checks.hep.ok).toBe(false);
  expect(down.body.checks.hep.error).toMatch(
    /^worker down since \d{4}-\d\d-\d\dT[\d:.]+Z; (next attempt in \d+ s|restarting, attempt 1)/,
  );
  expect(down.body.checks.hep.reason).toMatch(reason);
  // Liveness is not readiness: the process still answers.
  expect((await fetch(`${run.url}/healthz`)).status).toBe(200);

  const back = await waitFor(async () => {
    const r = await readyz(run);
    return r.status === 200 ? r : undefined;
  }, "/readyz ready again after the restart");
  expect(back.body.checks.hep).toEqual({ ok: true, worker: "up" });
  expect(await metric(run, UP)).toBe(1);
  expect(await metric(run, restarts(cause))).toBe(1);
  expect(run.logs.filter((l) => l.msg?.startsWith("HEP worker down")).map((l) => l.cause)).toEqual([
    cause,
  ]);
  expect(run.logs.some((l) => l.msg === "HEP worker restarted")).toBe(true);

  // The restarted worker took B back, on the same UDP port, and pairs its final.
  await waitFor(async () => (await metric(run, OPEN)) === 1, "B back as open");
  await send(run.hepPort, sip("SIP/2.0 603 Decline", "b@t", "1 INVITE", "z9hG4bKb"));
  await waitFor(async () => (await metric(run, cls("6xx"))) === 1, "B's 603 counted");
  // And on the same TCP port, a whole new call.
  await sendTcp(run.tcpPort!, [
    sip("INVITE sip:c@carrier.example SIP/2.0", "c@t", "1 INVITE", "z9hG4bKc"),
    sip("SIP/2.0 486 Busy Here", "c@t", "1 INVITE", "z9hG4bKc"),
  ]);
  await waitFor(async () => (await metric(run, cls("4xx"))) === 1, "C's 486 counted");
  expect(await metric(run, cls("5xx"))).toBe(0); // A died with the first worker
  expect(await metric(run, OPEN)).toBe(0);
  expect(await run.stop()).toBe(0);
}

describe("HEP worker supervision", () => {
  it("restarts a worker that crashed, and /readyz fails hep until it is back", async () => {
    const { run, db } = await start("hep-worker-crash");
    await tripAndRecover(run, db, "error", /^error: SIPCODES_FAULT=hep-worker-crash/);
  }, 60_000);

  it("retries with a doubling delay while the port is taken, then comes back on it", async () => {
    const { run } = await start("hep-worker-crash");
    await send(
      run.hepPort,
      sip("INVITE sip:a@carrier.example SIP/2.0", "a@t", "1 INVITE", "z9hG4bKa"),
    );
    await send(run.hepPort, sip("SIP/2.0 500 Server Error", "a@t", "1 INVITE", "z9hG4bKa"));
    await waitFor(async () => (await readyz(run)).status === 503, "the HEP worker down");
    // Take its TCP port in the 1 s before the first attempt (the dead worker lets go of it first).
    const squatter = net.createServer();
    await waitFor(
      () =>
        new Promise<boolean>((resolve) => {
          squatter.once("error", () => resolve(false));
          squatter.listen(run.tcpPort, "127.0.0.1", () => resolve(true));
        }),
      "the TCP port free to take",
    );
    const failed = await waitFor(async () => {
      const r = await readyz(run);
      return r.body.checks.hep.reason?.startsWith("restart attempt 1 failed") ? r : undefined;
    }, "the first attempt to fail");
    expect(failed.status).toBe(503);
    expect(failed.body.checks.hep.reason).toMatch(/EADDRINUSE/);
    expect(failed.body.checks.hep.attempt).toBe(1);
    expect(failed.body.checks.hep.error).toMatch(
      /after 1 restart attempt\(s\); next attempt in [12] s$/,
    );
    await new Promise<void>((resolve) => squatter.close(() => resolve()));

    await waitFor(async () => (await readyz(run)).status === 200, "ready after attempt 2");
    expect(await metric(run, restarts("error"))).toBe(2);
    expect(run.logs.filter((l) => l.msg === "HEP worker restart failed")).toHaveLength(1);
    await sendTcp(run.tcpPort!, [
      sip("INVITE sip:c@carrier.example SIP/2.0", "c@t", "1 INVITE", "z9hG4bKc"),
      sip("SIP/2.0 603 Decline", "c@t", "1 INVITE", "z9hG4bKc"),
    ]);
    await waitFor(async () => (await metric(run, cls("6xx"))) === 1, "the 603 over TCP counted");
    expect(await run.stop()).toBe(0);
  }, 60_000);

  it("terminates and restarts a worker that stopped reporting", async () => {
    const { run, db } = await start("hep-worker-stall");
    await tripAndRecover(run, db, "stalled", /^stalled: no heartbeat for \d+ s$/);
  }, 60_000);
});
