import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.ts";
import { Engine, type EngineOptions } from "../../src/io/engine.ts";
import { createMetrics } from "../../src/io/metrics.ts";
import { connectRedis, readyRedis } from "../../src/io/redis/connection.ts";
import { Lease } from "../../src/io/redis/lease.ts";
import { RedisStore } from "../../src/io/redis/redis-store.ts";
import { Standby, type Takeover } from "../../src/io/redis/standby.ts";
import { MessageStatuses } from "../../src/io/store.ts";
import { e2eConfig, MINUTE, quietLogger, T0, traffic } from "../helpers.ts";
import { hasRedis, RedisServer } from "./redis-server.ts";

const config = parseConfig({
  ...e2eConfig("http://127.0.0.1:9"),
  evaluation: { clock: "wall", intervalSeconds: 60 },
  grouping: { by: "incident" },
});
const events = [
  ...traffic({ from: 0, to: 180, perMinute: 30, rate: 0.01, prefix: "base" }),
  ...traffic({ from: 180, to: 195, perMinute: 30, rate: 0.5, prefix: "spike" }),
  ...traffic({ from: 195, to: 240, perMinute: 30, rate: 0.01, prefix: "recover" }),
];
const metrics = () => createMetrics({ alertsByState: () => ({}), outboxCounts: async () => ({}) });
const state = (e: Engine) =>
  JSON.stringify({
    detector: e.detector.snapshot(),
    incidents: e.incidents.book.toJSON(),
    notices: e.notices.toJSON(),
    groups: e.book.toJSON(),
  });

/** The standby is ahead of the evaluator when it evaluates: its detector no longer fits. */
const AHEAD = new Set([61, 120]);
/**
 * The standby does not follow this minute: the evaluation it misses is
 * moved aside by the minute's checkpoint, where it reads it (no reload).
 */
const MISSED = 43;
/** The evaluator dies after this minute's evaluation, before the standby saw the minute's second half. */
const KILLED = 190;

describe.skipIf(!hasRedis)("warm standby on a real redis-server", () => {
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

  /**
   * Four hours of traffic through one deployment (prefix), an evaluation at
   * every minute and a checkpoint every ten. With `standby`, a second node
   * follows; at `killed` the evaluator dies (its lease expires) and the
   * standby takes over. The message ids and bodies committed are returned.
   */
  async function run(
    prefix: string,
    withStandby: boolean,
    killed = KILLED,
    replayPerStep?: number,
  ) {
    const store = new RedisStore({
      redis,
      prefix,
      dedupeMs: 3600_000,
      replicas: 0,
      replicaTimeoutMs: 500,
    });
    let now = T0;
    const options = (token: number): EngineOptions => ({
      config,
      store: store.fenced(token),
      logger: quietLogger(),
      metrics: metrics(),
      splitState: true,
      wallClock: () => now,
    });
    const first = await new Lease(redis, store.keys, "a", 600_000).acquire();
    let leader = await Engine.open(options(first!));
    const standby = withStandby
      ? new Standby({
          config,
          store,
          logger: quietLogger(),
          metrics: metrics(),
          wallClock: () => now,
          ...(replayPerStep ? { replayPerStep } : {}),
        })
      : undefined;
    let takeover: Takeover | undefined;
    let cold: Engine | undefined;
    let tail = 0;
    let same = false;
    let behind = 0;
    const follow = async () => {
      if (!takeover) await standby?.sync();
    };
    for (let m = 0; m < 240; m++) {
      const minute = events.filter(
        (e) => e.time >= T0 + m * MINUTE && e.time < T0 + (m + 1) * MINUTE,
      );
      await store.insertEvents(minute.slice(0, 15), now);
      await leader.catchUp();
      if (AHEAD.has(m)) await store.insertEvents(minute.slice(15, 20), now);
      if (m !== MISSED) await follow();
      now = T0 + (m + 1) * MINUTE;
      await leader.evaluate(now);
      await store.insertEvents(minute.slice(AHEAD.has(m) ? 20 : 15), now);
      await leader.catchUp();
      if (m % 10 === 3) await leader.checkpoint();
      if (m === killed && standby) {
        tail = minute.length - 15;
        behind = (await store.headSeq()) - (standby.position ?? 0);
        // The evaluator is gone; once its lease has run out another node takes it.
        await redis.del(store.keys.lease);
        const next = await new Lease(redis, store.keys, "b", 600_000).acquire();
        takeover = await standby.takeOver(options(next!));
        cold = await Engine.open(options(next!));
        same = state(takeover.engine) === state(cold);
        leader = takeover.engine;
        continue;
      }
      if (m !== MISSED) await follow();
    }
    await leader.drain();
    const bodies = new Map<string, string>();
    for (const s of MessageStatuses)
      for (const msg of await store.list(s, 10_000)) bodies.set(msg.id, msg.body);
    return { bodies, takeover, cold, same, tail, behind, reloads: standby?.reloads ?? 0 };
  }

  it("takes over from its warm detector replaying only the stream's tail, and commits the same messages as one uninterrupted evaluator", async () => {
    const alone = await run("alone", false);
    const warm = await run("warm", true);

    expect(warm.takeover?.warm).toBe(true);
    expect(warm.takeover?.reason).toBeUndefined();
    // Only the events the standby had not counted: the second half of the last minute.
    expect(warm.tail).toBe(15);
    expect(warm.takeover?.replayed).toBe(warm.tail);
    // A full load at the same point replays everything since the checkpoint of minute 183.
    expect(warm.cold?.replayed).toBeGreaterThan(6 * 30);
    // Its engine is the one a full load opens: detector, incidents, notices and groups.
    expect(warm.same).toBe(true);
    // Loaded once at the start, then once for each time its detector stopped fitting.
    expect(warm.reloads).toBe(1 + AHEAD.size);

    expect(alone.bodies.size).toBeGreaterThanOrEqual(2);
    expect([...warm.bodies.keys()].sort()).toEqual([...alone.bodies.keys()].sort());
    for (const [id, body] of alone.bodies) expect(warm.bodies.get(id)).toBe(body);
  }, 180_000);

  it("falls back to a full load when its detector got ahead of an evaluation the dead evaluator committed, with the same messages", async () => {
    const alone = await run("alone-2", false);
    const killed = [...AHEAD][0]!;
    const cold = await run("ahead", true, killed);

    expect(cold.takeover?.warm).toBe(false);
    expect(cold.takeover?.reason).toBe("an evaluation was committed before the standby's position");
    expect(cold.takeover?.replayed).toBe(cold.cold?.replayed);
    expect(cold.same).toBe(true);
    expect([...cold.bodies.keys()].sort()).toEqual([...alone.bodies.keys()].sort());
    for (const [id, body] of alone.bodies) expect(cold.bodies.get(id)).toBe(body);
  }, 180_000);

  it("follows in bounded steps when it counts fewer events per step than arrive, and still takes over warm", async () => {
    const alone = await run("alone-3", false);
    // 12 events a step, two steps a minute, against 30 a minute: it falls behind in the spike's minutes.
    const slow = await run("slow", true, KILLED, 12);

    expect(slow.takeover?.warm).toBe(true);
    expect(slow.behind).toBeGreaterThan(15);
    expect(slow.takeover?.replayed).toBe(slow.behind);
    expect(slow.same).toBe(true);
    expect([...slow.bodies.keys()].sort()).toEqual([...alone.bodies.keys()].sort());
    for (const [id, body] of alone.bodies) expect(slow.bodies.get(id)).toBe(body);
  }, 180_000);
});
