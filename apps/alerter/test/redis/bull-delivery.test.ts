import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.ts";
import { createMetrics } from "../../src/io/metrics.ts";
import { BullDelivery } from "../../src/io/redis/bull-delivery.ts";
import { connectRedis, readyRedis } from "../../src/io/redis/connection.ts";
import { Lease } from "../../src/io/redis/lease.ts";
import { RedisStore } from "../../src/io/redis/redis-store.ts";
import type { NewMessage } from "../../src/io/store.ts";
import { e2eConfig, quietLogger, Receiver, WEBHOOK_SECRET, waitFor } from "../helpers.ts";
import { hasRedis, RedisServer } from "./redis-server.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe.skipIf(!hasRedis)("delivery on BullMQ, real redis-server", () => {
  let server: RedisServer;
  let redis: Redis;
  let n = 0;
  beforeAll(async () => {
    server = await RedisServer.start();
    redis = connectRedis(server.url, quietLogger());
    await readyRedis(redis);
  });
  afterAll(async () => {
    redis?.disconnect();
    await server?.destroy();
  });

  /** A fresh deployment (prefix) and a committing view of its store. */
  async function deployment() {
    const store = new RedisStore({
      redis,
      prefix: `bull${n++}`,
      dedupeMs: 60_000,
      replicas: 0,
      replicaTimeoutMs: 500,
    });
    const token = await new Lease(redis, store.keys, "test", 60_000).acquire();
    return { store, committer: store.fenced(token!) };
  }

  /** One "node": its own delivery on the shared store. */
  function node(
    store: RedisStore,
    receiverUrl: string,
    over: { perDestination?: number; lockMs?: number } = {},
  ) {
    const config = parseConfig({
      ...e2eConfig(receiverUrl),
      ingest: { secret: WEBHOOK_SECRET, tokens: ["ingest-token-0123456789abcdef"] },
      api: { token: "api-token-0123456789abcdef" },
      delivery: {
        backoffBaseMs: 50,
        backoffMaxMs: 100,
        timeoutMs: 2000,
        deadLetterAfterSeconds: 120,
        perDestinationConcurrency: over.perDestination ?? 2,
      },
      store: { redis: { url: server.url, lockMs: over.lockMs ?? 1000 } },
    });
    const delivery = new BullDelivery({
      config,
      store,
      target: { url: server.url },
      logger: quietLogger(),
      metrics: createMetrics({
        alertsByState: () => ({}),
        outboxCounts: async () => ({}),
      }),
      defaultWebhookSecret: WEBHOOK_SECRET,
    });
    cleanups.push(() => delivery.stop(500));
    return delivery;
  }

  const msg = (
    id: string,
    stream: string,
    state: "firing" | "resolved",
    at: number,
  ): NewMessage => ({
    id,
    notificationId: `n-${id}`,
    destination: "hook",
    kind: "webhook",
    stream: `hook|${stream}`,
    state,
    body: JSON.stringify({ id, state }),
    createdAt: at,
    deadline: Date.now() + 120_000,
  });
  const saved = { snapshot: null, lastSeq: 0, groups: [] };

  async function receiver() {
    const r = await Receiver.start();
    cleanups.push(() => r.close());
    return r;
  }

  it("sends a resolve only after its trigger, waiting out the trigger's Retry-After", async () => {
    const r = await receiver();
    const { store, committer } = await deployment();
    r.behave = (_req, i) =>
      i === 0 ? { status: 503, headers: { "retry-after": "1" } } : { status: 200 };
    await committer.commit(saved, [msg("f", "k", "firing", 1)], 0);
    await committer.commit(saved, [msg("r", "k", "resolved", 2)], 0);
    node(store, r.url).start();
    await waitFor(() => r.deliveredById().has("r"), "the resolve", 20_000);
    const seq = r.requests.map((q) => [q.headers["webhook-id"], q.status]);
    expect(seq).toEqual([
      ["f", 503],
      ["f", 200],
      ["r", 200],
    ]);
    // Retry-After: 1 is a floor for the backoff (50–100 ms here).
    expect(r.requests[1]!.at - r.requests[0]!.at).toBeGreaterThanOrEqual(950);
    expect(await store.get("f")).toMatchObject({ status: "delivered", attempts: 2 });
  });

  it("keeps a dead letter in the queue's failed set, lists it, and sends it again on replay", async () => {
    const r = await receiver();
    const { store, committer } = await deployment();
    let refuse = true;
    r.behave = () => (refuse ? { status: 410 } : { status: 200 });
    await committer.commit(saved, [msg("d", "k", "firing", 1)], 0);
    const delivery = node(store, r.url);
    delivery.start();
    const view = delivery.view();
    const dead = await waitFor(async () => {
      const list = await view.list("dead", 10);
      return list.length > 0 ? list : undefined;
    }, "the dead letter");
    expect(dead.map((m) => [m.id, m.lastStatus])).toEqual([["d", 410]]);
    expect((await view.counts()).dead).toBe(1);
    refuse = false;
    expect(await view.replay("nope", Date.now(), Date.now() + 60_000)).toBe(false);
    expect(await view.replay("d", Date.now(), Date.now() + 60_000)).toBe(true);
    await waitFor(() => r.deliveredById().has("d"), "the replayed message");
    const bodies = new Set(r.requests.map((q) => q.body));
    expect(bodies.size).toBe(1); // the same body as the first attempt
    await waitFor(async () => (await view.counts()).dead === 0, "the failed set emptied");
    expect(await view.list("dead", 10)).toEqual([]);
  });

  it("supersedes a replayed dead letter whose stream delivered a newer message, and sends one whose stream did not move", async () => {
    const r = await receiver();
    const { store, committer } = await deployment();
    let replayed = false;
    // The receiver refuses both triggers for good (400: dead letters) until the replay.
    r.behave = (req) => ({ status: !replayed && /"t[13]"/.test(req.body) ? 400 : 200 });
    await committer.commit(saved, [msg("t1", "i1", "firing", 1), msg("t3", "i3", "firing", 1)], 0);
    await committer.commit(saved, [msg("r1", "i1", "resolved", 2)], 0);
    const delivery = node(store, r.url);
    delivery.start();
    const view = delivery.view();
    await waitFor(
      async () =>
        (await store.get("r1"))?.status === "delivered" &&
        (await store.get("t3"))?.status === "dead",
      "r1 delivered and t3 dead",
      20_000,
    );
    expect((await store.get("t1"))?.status).toBe("dead");
    expect((await view.list("dead", 10)).map((m) => m.id).sort()).toEqual(["t1", "t3"]);

    replayed = true;
    const before = r.requests.length;
    expect(await view.replay("t1", Date.now(), Date.now() + 60_000)).toBe(true);
    expect(await view.replay("t3", Date.now(), Date.now() + 60_000)).toBe(true);
    await waitFor(async () => (await store.get("t3"))?.status === "delivered", "t3", 20_000);
    await waitFor(async () => (await store.get("t1"))?.status === "superseded", "t1", 20_000);
    expect(await store.get("t1")).toMatchObject({ status: "superseded", supersededBy: "r1" });
    // What the receiver got after the replay: t3 only, never the stale trigger t1.
    expect(r.requests.slice(before).map((q) => q.headers["webhook-id"])).toEqual(["t3"]);
    await waitFor(async () => (await view.counts()).dead === 0, "the failed sets emptied");
    expect(await view.list("dead", 10)).toEqual([]);
  });

  it("holds a destination to its concurrency across two nodes", async () => {
    // A receiver that answers after 150 ms and counts the requests open at once.
    let open = 0;
    let most = 0;
    const ids: string[] = [];
    const slow = createServer((req, res) => {
      open++;
      most = Math.max(most, open);
      ids.push(String(req.headers["webhook-id"]));
      req.resume();
      setTimeout(() => {
        open--;
        res.end("ok");
      }, 150);
    });
    await new Promise<void>((resolve) => slow.listen(0, "127.0.0.1", resolve));
    cleanups.push(() => new Promise<void>((resolve) => slow.close(() => resolve())));
    const url = `http://127.0.0.1:${(slow.address() as AddressInfo).port}`;
    const { store, committer } = await deployment();
    await committer.commit(
      saved,
      Array.from({ length: 6 }, (_, i) => msg(`c${i}`, `s${i}`, "firing", i)),
      0,
    );
    // A lock far longer than a POST: on a loaded machine a 1 s lock can lapse
    // before its renewal, and the stalled check then (rightly) hands the open
    // job to the other node, which is crash recovery, not a breach of the cap.
    const lockMs = 15_000;
    node(store, url, { perDestination: 1, lockMs }).start();
    node(store, url, { perDestination: 1, lockMs }).start();
    await waitFor(() => new Set(ids).size === 6, "all six", 20_000);
    expect(most).toBe(1);
    // The last of the six is still open for its 150 ms: let it finish, or it
    // counts against the next deployment's cap.
    await waitFor(() => open === 0, "the six answered", 5_000);
    // Two nodes at 2 each may keep 2 open, never more: the cap is the queue's, not a node's.
    const { store: s2, committer: c2 } = await deployment();
    await c2.commit(
      saved,
      Array.from({ length: 8 }, (_, i) => msg(`e${i}`, `t${i}`, "firing", i)),
      0,
    );
    most = 0;
    node(s2, url, { lockMs }).start();
    node(s2, url, { lockMs }).start();
    await waitFor(() => ids.filter((x) => x.startsWith("e")).length >= 8, "all eight", 20_000);
    expect(most).toBe(2);
  });
});
