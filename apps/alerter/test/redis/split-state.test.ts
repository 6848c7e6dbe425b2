import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.ts";
import { Engine } from "../../src/io/engine.ts";
import { createMetrics } from "../../src/io/metrics.ts";
import { connectRedis, readyRedis } from "../../src/io/redis/connection.ts";
import { Lease } from "../../src/io/redis/lease.ts";
import { RedisStore } from "../../src/io/redis/redis-store.ts";
import { e2eConfig, MINUTE, quietLogger, T0, traffic } from "../helpers.ts";
import { hasRedis, RedisServer } from "./redis-server.ts";

describe.skipIf(!hasRedis)("split state on a real redis-server", () => {
  let server: RedisServer;
  let redis: Redis;
  beforeAll(async () => {
    server = await RedisServer.start();
    redis = connectRedis(server.url, quietLogger());
    await readyRedis(redis);
  });
  afterAll(async () => {
    redis?.disconnect();
    await server?.destroy();
  });

  it("a new evaluator rebuilds exactly the old one's detector, groups and incidents from the last snapshot plus the evaluations committed since", async () => {
    const store = new RedisStore({
      redis,
      prefix: "split",
      dedupeMs: 3600_000,
      replicas: 0,
      replicaTimeoutMs: 500,
    });
    const token = await new Lease(redis, store.keys, "a", 600_000).acquire();
    const fenced = store.fenced(token!);
    const config = parseConfig({
      ...e2eConfig("http://127.0.0.1:9"),
      evaluation: { clock: "wall", intervalSeconds: 60 },
      grouping: { by: "incident" },
    });
    let now = T0;
    const open = () =>
      Engine.open({
        config,
        store: fenced,
        logger: quietLogger(),
        metrics: createMetrics({ alertsByState: () => ({}), outboxCounts: async () => ({}) }),
        splitState: true,
        wallClock: () => now,
      });
    const a = await open();
    const events = [
      ...traffic({ from: 0, to: 180, perMinute: 30, rate: 0.01, prefix: "base" }),
      ...traffic({ from: 180, to: 195, perMinute: 30, rate: 0.5, prefix: "spike" }),
      ...traffic({ from: 195, to: 240, perMinute: 30, rate: 0.01, prefix: "recover" }),
    ];
    const state = (e: Engine) =>
      JSON.stringify({
        detector: e.detector.snapshot(),
        incidents: e.incidents.book.toJSON(),
        notices: e.notices.toJSON(),
        groups: e.book.toJSON(),
      });
    let compared = 0;
    let firingSeen = false;
    for (let m = 0; m < 240; m++) {
      const minute = events.filter(
        (e) => e.time >= T0 + m * MINUTE && e.time < T0 + (m + 1) * MINUTE,
      );
      // Half the minute is counted before the evaluation, half after it.
      await store.insertEvents(minute.slice(0, 15), now);
      await a.catchUp();
      now = T0 + (m + 1) * MINUTE;
      await a.evaluate(now);
      await store.insertEvents(minute.slice(15), now);
      await a.catchUp();
      if (m % 10 === 3) await a.checkpoint();
      firingSeen ||= a.detector.active().some((x) => x.state === "firing");
      if (m % 10 === 8 && m >= 150) {
        const saved = await store.loadState();
        // The snapshot is older than the evaluations committed after it.
        expect(saved.evaluations?.length).toBe(5);
        const b = await open();
        expect(state(b)).toBe(state(a));
        compared++;
      }
    }
    expect(compared).toBe(9);
    expect(firingSeen).toBe(true);
    // The stream keeps what the snapshot does not hold: nothing after it was trimmed.
    const saved = await store.loadState();
    const replay = await store.eventsAfter(saved.lastSeq, 100_000);
    expect(replay[0]?.seq).toBe(saved.lastSeq + 1);
  }, 120_000);
});
