// A dead letter replayed after its stream moved on must not land after the
// newer message: real SQLite outbox, the real delivery worker, a real HTTP
// receiver on loopback.
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseConfig } from "../src/config.ts";
import { DeliveryWorker } from "../src/io/delivery.ts";
import { createMetrics } from "../src/io/metrics.ts";
import { SqliteStore } from "../src/io/sqlite-store.ts";
import type { NewMessage } from "../src/io/store.ts";
import { e2eConfig, quietLogger, Receiver, tempDir, waitFor } from "./helpers.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe("replaying a dead letter", () => {
  it("supersedes a trigger whose resolve was delivered meanwhile, and sends one whose stream did not move", async () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    const receiver = await Receiver.start();
    cleanups.push(() => receiver.close());
    // The receiver refuses the first trigger for good (400: a dead letter), accepts the rest.
    receiver.behave = (req) => ({
      status: req.body.includes('"trigger-1"') && !replayed ? 400 : 200,
    });
    let replayed = false;
    const config = parseConfig(e2eConfig(receiver.url));
    const store = new SqliteStore(join(tmp.dir, "alerter.db"));
    cleanups.push(() => store.close());
    const metrics = createMetrics({
      alertsByState: () => ({}),
      outboxCounts: () => store.counts(),
    });
    const worker = new DeliveryWorker({
      config,
      outbox: store,
      logger: quietLogger(),
      metrics,
      defaultWebhookSecret: "whsec_dGVzdHRlc3R0ZXN0dGVzdA==",
    });
    worker.start();
    cleanups.push(() => worker.stop(1000));

    const now = Date.now();
    const message = (
      id: string,
      stream: string,
      state: "firing" | "resolved",
      at: number,
    ): NewMessage => ({
      id,
      notificationId: `n-${id}`,
      destination: "hook",
      kind: "webhook",
      stream,
      state,
      body: JSON.stringify({ id }),
      createdAt: at,
      deadline: at + 60_000,
    });
    const state = { snapshot: null, lastSeq: 0, groups: [] };
    await store.commit(
      state,
      [
        message("trigger-1", "hook|incident-1", "firing", now),
        message("resolve-1", "hook|incident-1", "resolved", now + 1),
        message("trigger-2", "hook|incident-2", "firing", now + 2),
      ],
      0,
    );
    worker.kick();
    await waitFor(
      async () => (await store.get("resolve-1"))?.status === "delivered",
      "resolve-1 delivered",
    );
    await waitFor(
      async () => (await store.get("trigger-2"))?.status === "delivered",
      "trigger-2 delivered",
    );
    expect((await store.get("trigger-1"))?.status).toBe("dead");

    // Incident 2 gets a trigger that dies too, with nothing after it in its stream.
    receiver.behave = (req) => ({
      status: req.body.includes('"trigger-3"') && !replayed ? 400 : 200,
    });
    await store.commit(state, [message("trigger-3", "hook|incident-3", "firing", now + 3)], 0);
    worker.kick();
    await waitFor(async () => (await store.get("trigger-3"))?.status === "dead", "trigger-3 dead");

    // The operator replays both dead letters.
    replayed = true;
    const before = receiver.requests.length;
    expect(await store.replay("trigger-1", Date.now(), Date.now() + 60_000)).toBe(true);
    expect(await store.replay("trigger-3", Date.now(), Date.now() + 60_000)).toBe(true);
    worker.kick();
    await waitFor(
      async () => (await store.get("trigger-3"))?.status === "delivered",
      "trigger-3 delivered",
    );
    await waitFor(
      async () => (await store.get("trigger-1"))?.status === "superseded",
      "trigger-1 superseded",
    );
    expect(await store.get("trigger-1")).toMatchObject({
      status: "superseded",
      supersededBy: "resolve-1",
    });
    // What the receiver got after the replay: trigger-3 only, never the stale trigger-1.
    const after = receiver.requests.slice(before).map((r) => JSON.parse(r.body).id);
    expect(after).toEqual(["trigger-3"]);
  });
});
