import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import type { NotificationPayload } from "../src/domain/notification.ts";
import { loadSecrets } from "../src/io/secrets.ts";
import {
  e2eConfig,
  Receiver,
  scenario,
  sendEvents,
  startTestAlerter,
  tempDir,
  verifyWebhook,
  waitFor,
} from "./helpers.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const statusOf = (r: { body: string }) => (JSON.parse(r.body) as NotificationPayload).status;

describe("delivery faults", () => {
  it("retries a receiver answering 500 (and Retry-After) until it recovers, once per webhook-id", async () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    const receiver = await Receiver.start();
    cleanups.push(() => receiver.close());
    // The first three attempts at each message fail: two plain 500s, then a 503 asking for a 1 s pause.
    const tries = new Map<string, number>();
    receiver.behave = (r) => {
      const id = String(r.headers["webhook-id"]);
      const i = tries.get(id) ?? 0;
      tries.set(id, i + 1);
      return i < 2
        ? { status: 500 }
        : i === 2
          ? { status: 503, headers: { "retry-after": "1" } }
          : { status: 204 };
    };
    const { alerter, secrets } = await startTestAlerter(tmp.dir, e2eConfig(receiver.url));
    cleanups.push(() => alerter.close());

    await sendEvents(alerter.url, secrets.ingestSecret, [
      ...scenario.baseline(),
      ...scenario.spike(),
      ...scenario.recovery(),
    ]);
    await waitFor(() => receiver.deliveredById().size === 2, "both notices delivered");
    const ids = new Set(receiver.requests.map((r) => String(r.headers["webhook-id"])));
    expect(ids.size).toBe(2); // every retry reused its message's id
    for (const list of receiver.deliveredById().values()) expect(list).toHaveLength(1);
    const firingAttempts = receiver.requests.filter((r) => statusOf(r) === "firing");
    expect(firingAttempts.length).toBe(4);
    // Retry-After: 1 was honoured.
    expect(firingAttempts[3]!.at - firingAttempts[2]!.at).toBeGreaterThanOrEqual(950);
    for (const r of receiver.requests) verifyWebhook(r); // a fresh, valid signature on every attempt
    // The receiver has answered; the outbox records it a moment later.
    const delivered = await waitFor(async () => {
      const list = await alerter.store.list("delivered", 10);
      return list.length === 2 ? list : undefined;
    }, "both deliveries recorded in the outbox");
    expect(delivered.map((m) => m.attempts)).toEqual([4, 4]);
  });

  it("retries a receiver that times out, and the receiver can dedupe by webhook-id", async () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    const receiver = await Receiver.start();
    cleanups.push(() => receiver.close());
    receiver.behave = (_r, i) => (i < 2 ? "hold" : { status: 200 });
    const config = e2eConfig(receiver.url, {
      delivery: {
        backoffBaseMs: 50,
        backoffMaxMs: 200,
        timeoutMs: 300,
        deadLetterAfterSeconds: 120,
      },
    });
    const { alerter, secrets } = await startTestAlerter(tmp.dir, config);
    cleanups.push(() => alerter.close());

    await sendEvents(alerter.url, secrets.ingestSecret, [
      ...scenario.baseline(),
      ...scenario.spike(),
    ]);
    await waitFor(
      () => receiver.deliveredById().size === 1,
      "the firing notice after two timeouts",
    );
    expect(receiver.requests).toHaveLength(3);
    expect(new Set(receiver.requests.map((r) => r.headers["webhook-id"])).size).toBe(1);
    // The receiver has answered; the outbox records it a moment later.
    const m = await waitFor(
      async () => (await alerter.store.list("delivered", 10))[0],
      "the delivery recorded in the outbox",
    );
    expect(m.attempts).toBe(3);
  });

  it("dead-letters a message refused with 4xx, lists it, and replays it over the API", async () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    const receiver = await Receiver.start();
    cleanups.push(() => receiver.close());
    let broken = true;
    receiver.behave = () => (broken ? { status: 400 } : { status: 200 });
    const { alerter, secrets } = await startTestAlerter(tmp.dir, e2eConfig(receiver.url));
    cleanups.push(() => alerter.close());
    await sendEvents(alerter.url, secrets.ingestSecret, [
      ...scenario.baseline(),
      ...scenario.spike(),
    ]);

    const auth = { authorization: `Bearer ${secrets.apiToken}` };
    const dead = await waitFor(async () => {
      const res = await fetch(`${alerter.url}/v1/dead-letters`, { headers: auth });
      const json = (await res.json()) as {
        deadLetters: { id: string; lastStatus: number; lastError: string }[];
      };
      return json.deadLetters[0];
    }, "a dead letter");
    expect(dead.lastStatus).toBe(400);
    expect(receiver.requests).toHaveLength(1); // a 400 is not retried

    broken = false;
    const replay = await fetch(`${alerter.url}/v1/dead-letters/${dead.id}/replay`, {
      method: "POST",
      headers: auth,
    });
    expect(replay.status).toBe(202);
    await waitFor(() => receiver.deliveredById().get(dead.id), "the replayed message");
    await waitFor(
      async () => (await alerter.store.get(dead.id))?.status === "delivered",
      "the replay recorded as delivered",
    );
    const again = await fetch(`${alerter.url}/v1/dead-letters/${dead.id}/replay`, {
      method: "POST",
      headers: auth,
    });
    expect(again.status).toBe(404);
  });

  it("dead-letters a message past its deadline, and never follows a redirect", async () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    const target = await Receiver.start();
    cleanups.push(() => target.close());
    const receiver = await Receiver.start();
    cleanups.push(() => receiver.close());
    receiver.behave = () => ({ status: 307, headers: { location: `${target.url}/stolen` } });
    const { alerter, secrets } = await startTestAlerter(tmp.dir, e2eConfig(receiver.url));
    cleanups.push(() => alerter.close());
    await sendEvents(alerter.url, secrets.ingestSecret, [
      ...scenario.baseline(),
      ...scenario.spike(),
    ]);
    const [dead] = await waitFor(async () => {
      const list = await alerter.store.list("dead", 10);
      return list.length ? list : undefined;
    }, "a dead letter");
    expect(dead?.lastError).toMatch(/redirect/);
    expect(target.requests).toHaveLength(0);
  });
});

// ------------------------------------------------------------ child process

const DIST = join(import.meta.dirname, "..", "dist", "main.mjs");

beforeAll(() => {
  if (existsSync(DIST)) return;
  const built = spawnSync(process.execPath, ["scripts/build.mjs"], {
    cwd: join(import.meta.dirname, ".."),
    stdio: "inherit",
  });
  if (built.status !== 0) throw new Error("build failed");
}, 120_000);

interface Child {
  process: ChildProcess;
  url: Promise<string>;
  exited: Promise<number | null>;
}

function spawnAlerter(dataDir: string, configFile: string): Child {
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
      try {
        const log = JSON.parse(line) as { msg?: string; url?: string };
        if (log.msg === "alerter listening" && log.url) resolve(log.url);
      } catch {
        // not a log line
      }
    });
    exited.then((code) => reject(new Error(`alerter exited with ${code}: ${stderr}`)));
  });
  return { process: child, url, exited };
}

describe("crash safety", () => {
  it("delivers an alert after SIGKILL mid-delivery and a restart, with the state intact", async () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    const receiver = await Receiver.start();
    cleanups.push(() => receiver.close());
    receiver.behave = (_r, i) => (i === 0 ? "hold" : { status: 200 }); // the first attempt never completes
    const configFile = join(tmp.dir, "alerter.yaml");
    writeFileSync(
      configFile,
      stringify(
        e2eConfig(receiver.url, {
          delivery: { timeoutMs: 60_000, backoffBaseMs: 50, backoffMaxMs: 200 },
        }),
      ),
    );
    const dataDir = join(tmp.dir, "data");

    const first = spawnAlerter(dataDir, configFile);
    cleanups.push(() => {
      first.process.kill("SIGKILL");
    });
    const url1 = await first.url;
    const secrets = loadSecrets(dataDir).secrets;
    const events = [...scenario.baseline(), ...scenario.spike()];
    await sendEvents(url1, secrets.ingestSecret, events);
    await waitFor(() => receiver.requests.length === 1, "the first delivery attempt in flight");
    const held = receiver.requests[0]!;
    const firing = verifyWebhook(held) as NotificationPayload;
    expect(firing.status).toBe("firing");

    first.process.kill("SIGKILL");
    expect(await first.exited).toBe(null);

    const second = spawnAlerter(dataDir, configFile);
    cleanups.push(async () => {
      second.process.kill("SIGTERM");
      await second.exited;
    });
    const url2 = await second.url;
    // The message left pending by the crash is sent again, with the same webhook-id.
    const redelivered = await waitFor(
      () => receiver.deliveredById().get(String(held.headers["webhook-id"])),
      "redelivery",
    );
    expect(redelivered).toHaveLength(1);
    expect(redelivered[0]!.body).toBe(held.body);

    // State intact: the alert is still firing under the same incident, and every event is remembered.
    const alerts = (await (
      await fetch(`${url2}/v1/alerts`, { headers: { authorization: `Bearer ${secrets.apiToken}` } })
    ).json()) as { active: { incidentId: string; state: string }[] };
    expect(alerts.active).toEqual([
      expect.objectContaining({ incidentId: firing.alerts[0]!.incidentId, state: "firing" }),
    ]);
    const again = await sendEvents(url2, secrets.ingestSecret, events.slice(-500));
    expect(again).toEqual({ accepted: 0, duplicate: 500 });

    // Recovery after the restart resolves the same incident.
    await sendEvents(url2, secrets.ingestSecret, scenario.recovery());
    const resolved = await waitFor(
      () => receiver.requests.find((r) => r.status === 200 && statusOf(r) === "resolved"),
      "the resolved notice",
    );
    expect((verifyWebhook(resolved) as NotificationPayload).alerts[0]!.incidentId).toBe(
      firing.alerts[0]!.incidentId,
    );
    expect(receiver.deliveredById().size).toBe(2);
  });
});
