import type { DetectorSnapshot } from "@sipcodes/detect";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectRedis, readyRedis } from "../../src/io/redis/connection.ts";
import { Lease } from "../../src/io/redis/lease.ts";
import {
  DEDUPE_BUCKETS,
  FencedError,
  RedisStore,
  StoreUnavailableError,
} from "../../src/io/redis/redis-store.ts";
import { quietLogger, waitFor } from "../helpers.ts";
import { storeContract } from "../store-contract.ts";
import { hasRedis, RedisServer } from "./redis-server.ts";

describe.skipIf(!hasRedis)("RedisStore on a real redis-server", () => {
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

  const storeOn = (prefix: string) =>
    new RedisStore({ redis, prefix, dedupeMs: 60_000, replicas: 0, replicaTimeoutMs: 500 });

  /** A fresh prefix per store: an empty deployment without flushing the server. */
  const fresh = async () => {
    const store = storeOn(`t${n++}`);
    const token = await new Lease(redis, store.keys, "test", 60_000).acquire();
    return store.fenced(token!);
  };

  describe("contract", () => {
    // The contract opens stores lazily, after beforeAll has started the server.
    storeContract("RedisStore", () => fresh());
  });

  it("keeps each ingested batch as one stream entry and reads any span of seqs across and inside entries", async () => {
    const store = storeOn(`batch${n++}`);
    const batch = (from: number, size: number) =>
      Array.from({ length: size }, (_, i) => ({ id: `e${from + i}`, time: from + i, code: 200 }));
    await store.insertEvents(batch(1, 5), 1);
    // A repeat inside the batch and one from the batch before take no seq.
    await store.insertEvents([...batch(6, 1), { id: "e3", time: 0, code: 200 }], 2);
    await store.insertEvents(
      [...batch(7, 4), { id: "e8", time: 0, code: 200 }, ...batch(11, 3)],
      3,
    );
    expect(await redis.xlen(store.keys.events)).toBe(3);
    const seqs = async (after: number, limit: number) =>
      (await store.eventsAfter(after, limit)).map((e) => [e.seq, e.id]);
    const all = Array.from({ length: 13 }, (_, i) => [i + 1, `e${i + 1}`]);
    expect(await seqs(0, 100)).toEqual(all);
    expect(await seqs(0, 4)).toEqual(all.slice(0, 4));
    expect(await seqs(4, 100)).toEqual(all.slice(4));
    expect(await seqs(5, 3)).toEqual(all.slice(5, 8));
    expect(await seqs(7, 1)).toEqual(all.slice(7, 8));
    expect(await seqs(13, 10)).toEqual([]);
    // An entry written one event at a time (the layout before batches) is still read.
    await redis.set(store.keys.seq, 14);
    await redis.xadd(
      store.keys.events,
      "14-0",
      "e",
      JSON.stringify({ id: "old", time: 1, code: 486 }),
      "r",
      4,
    );
    expect(await store.eventsAfter(12, 10)).toEqual([
      { id: "e13", time: 13, code: 200, seq: 13 },
      { id: "old", time: 1, code: 486, seq: 14 },
    ]);
  });

  it("refuses the commit of an evaluator whose lease was taken over (fencing)", async () => {
    const base = storeOn(`fence${n++}`);
    const a = new Lease(redis, base.keys, "a", 150);
    const b = new Lease(redis, base.keys, "b", 60_000);
    const ta = await a.acquire();
    expect(ta).not.toBeNull();
    expect(await b.acquire()).toBeNull();
    await new Promise((r) => setTimeout(r, 250)); // a is paused past its lease
    const tb = await b.acquire();
    expect(tb).toBe(ta! + 1);
    const stale = base.fenced(ta!);
    const msg = {
      id: "m",
      notificationId: "n",
      destination: "d",
      kind: "webhook",
      stream: "d|n",
      state: "firing" as const,
      body: "{}",
      createdAt: 1,
      deadline: 2,
    };
    await expect(
      stale.commit({ snapshot: null, lastSeq: 7, groups: [] }, [msg], 0),
    ).rejects.toBeInstanceOf(FencedError);
    expect(await a.renew()).toBe(false);
    expect(await base.get("m")).toBeUndefined();
    expect((await base.loadState()).lastSeq).toBe(0);
    expect(await base.lastEvaluation()).toBeNull();
    await base.fenced(tb!).commit(
      {
        snapshot: { lastEvaluation: 120_000, scopes: [] } as unknown as DetectorSnapshot,
        lastSeq: 3,
        groups: [],
      },
      [msg],
      0,
    );
    expect((await base.loadState()).lastSeq).toBe(3);
    expect(await base.lastEvaluation()).toBe(120_000);
    await expect(
      base.commit({ snapshot: null, lastSeq: 9, groups: [] }, [], 0),
    ).rejects.toBeInstanceOf(FencedError);
    expect(await b.renew()).toBe(true);
  });

  it("dedupes across concurrent batches from several connections: every id once, seqs unique", async () => {
    const prefix = `conc${n++}`;
    const others = [0, 1, 2].map(() => new Redis(server.url));
    try {
      const stores = others.map(
        (r) =>
          new RedisStore({
            redis: r,
            prefix,
            dedupeMs: 60_000,
            replicas: 0,
            replicaTimeoutMs: 1,
          }),
      );
      const batch = (from: number) =>
        Array.from({ length: 400 }, (_, i) => ({ id: `c${(from + i) % 700}`, time: i, code: 200 }));
      const results = await Promise.all(
        stores.flatMap((s, i) => [
          s.insertEvents(batch(i * 150), 1),
          s.insertEvents(batch(i * 250), 1),
        ]),
      );
      const inserted = results.flatMap((r) => r.inserted);
      expect(new Set(inserted.map((e) => e.id)).size).toBe(inserted.length);
      expect(new Set(inserted.map((e) => e.seq)).size).toBe(inserted.length);
      expect(inserted.length + results.reduce((a, r) => a + r.duplicates, 0)).toBe(6 * 400);
      const log = await stores[0]!.eventsAfter(0, 10_000);
      expect(log.map((e) => e.seq)).toEqual([...inserted.map((e) => e.seq)].sort((x, y) => x - y));
      expect(new Set(log.map((e) => e.id)).size).toBe(700);
    } finally {
      for (const r of others) r.disconnect();
    }
  });

  it("forgets an id after the dedupe horizon", async () => {
    // A horizon of a second: the two first inserts must fall within it even on a busy runner
    // (100 ms was a race there); the third comes after the horizon and one bucket.
    const horizon = 1000;
    const store = new RedisStore({
      redis,
      prefix: `h${n++}`,
      dedupeMs: horizon,
      replicas: 0,
      replicaTimeoutMs: 1,
    });
    expect((await store.insertEvents([{ id: "x", time: 1, code: 200 }], 1)).inserted).toHaveLength(
      1,
    );
    expect((await store.insertEvents([{ id: "x", time: 1, code: 200 }], 1)).duplicates).toBe(1);
    await new Promise((r) => setTimeout(r, horizon + horizon / DEDUPE_BUCKETS + 100));
    expect((await store.insertEvents([{ id: "x", time: 1, code: 200 }], 1)).inserted).toHaveLength(
      1,
    );
  });

  it("remembers an id for at least the horizon and at most the horizon plus one bucket", async () => {
    // Horizon 1,200 ms in buckets of 400 ms. Each probe asks about an id
    // of the first batch not asked before (an accepted id is stored afresh),
    // and is judged by its window on the client clock (the server's, here).
    const horizon = 1200;
    const span = horizon / DEDUPE_BUCKETS;
    const store = new RedisStore({
      redis,
      prefix: `bk${n++}`,
      dedupeMs: horizon,
      replicas: 0,
      replicaTimeoutMs: 1,
    });
    const ids = Array.from({ length: 120 }, (_, i) => `x${i}`);
    const before0 = Date.now();
    const first = await store.insertEvents(
      ids.map((id) => ({ id, time: 1, code: 200 })),
      1,
    );
    const after0 = Date.now();
    expect(first.inserted).toHaveLength(ids.length);
    const margin = 5; // ms: both clocks are read to the ms
    let dropped = 0;
    let accepted = 0;
    for (const id of ids) {
      const before = Date.now();
      const r = await store.insertEvents([{ id, time: 2, code: 200 }], 2);
      const after = Date.now();
      if (after - before0 < horizon - margin) {
        expect(r.duplicates, `${id} asked ${after - before0} ms after`).toBe(1);
        dropped++;
      }
      if (before - after0 >= horizon + span + margin) {
        expect(
          r.inserted.map((e) => e.id),
          `${id} asked ${before - after0} ms after`,
        ).toEqual([id]);
        if (++accepted >= 3) break;
      }
      await new Promise((r) => setTimeout(r, 40));
    }
    expect(dropped).toBeGreaterThanOrEqual(3);
    expect(accepted).toBe(3);
  });

  it("keeps the ids in bucket sets under the hash tag and unlinks a bucket once it stops counting", async () => {
    const store = new RedisStore({
      redis,
      prefix: `bu${n++}`,
      dedupeMs: 900,
      replicas: 0,
      replicaTimeoutMs: 1,
    });
    const k = store.keys;
    await store.insertEvents(
      ["a", "b", "a"].map((id) => ({ id, time: 1, code: 200 })),
      1,
    );
    const [bucket, ends] = await redis.zrange(k.dedupeBuckets, "0", "-1", "WITHSCORES");
    const span = 900 / DEDUPE_BUCKETS;
    expect(bucket).toMatch(new RegExp(`^\\{bu\\d+\\}:dedupe:${span}:\\d+$`));
    expect((await redis.smembers(bucket!)).sort()).toEqual(["a", "b"]);
    // Its expiry is only a backstop, one bucket after it stops counting.
    const expiresAt = Number(await redis.pexpiretime(bucket!));
    expect(expiresAt).toBe(Number(ends) + span);
    await new Promise((r) => setTimeout(r, Math.max(0, Number(ends) + 20 - Date.now())));
    await store.insertEvents([{ id: "c", time: 2, code: 200 }], 2);
    expect(await redis.exists(bucket!)).toBe(0);
    const live = await redis.zrange(k.dedupeBuckets, "0", "-1");
    expect(live).toHaveLength(1);
    expect(await redis.smembers(live[0]!)).toEqual(["c"]);
  });

  it("honours the per-id keys of the older layout for one horizon after an upgrade", async () => {
    const upgraded = new RedisStore({
      redis,
      prefix: `up${n++}`,
      dedupeMs: 400,
      replicas: 0,
      replicaTimeoutMs: 1,
    });
    // What the older version left: its seq counter and a per-id key.
    await redis.set(upgraded.keys.seq, 7);
    await redis.set(upgraded.keys.legacyDedupe("old"), "", "PX", 60_000);
    const r = await upgraded.insertEvents(
      ["old", "new"].map((id) => ({ id, time: 1, code: 200 })),
      1,
    );
    expect(r.inserted.map((e) => [e.id, e.seq])).toEqual([["new", 8]]);
    expect(r.duplicates).toBe(1);
    await new Promise((r) => setTimeout(r, 450));
    // One horizon later the old keys are no longer read (they would have expired).
    expect(
      (await upgraded.insertEvents([{ id: "old", time: 1, code: 200 }], 2)).inserted,
    ).toHaveLength(1);
    // A deployment that never ingested before has no older keys to read.
    const fresh = new RedisStore({
      redis,
      prefix: `up${n++}`,
      dedupeMs: 60_000,
      replicas: 0,
      replicaTimeoutMs: 1,
    });
    await redis.set(fresh.keys.legacyDedupe("old"), "", "PX", 60_000);
    expect(
      (await fresh.insertEvents([{ id: "old", time: 1, code: 200 }], 1)).inserted,
    ).toHaveLength(1);
    expect(await redis.get(fresh.keys.dedupeSince)).toBe("0");
  });

  it("forgets a delivered message together with its stream's last-delivered record", async () => {
    const store = await fresh();
    const saved = { snapshot: null, lastSeq: 0, groups: [] };
    const m = {
      id: "m1",
      notificationId: "n",
      destination: "d",
      kind: "webhook",
      stream: "d|s",
      state: "firing" as const,
      body: "{}",
      createdAt: 1,
      deadline: 2,
    };
    await store.commit(saved, [m], 0);
    await store.markDelivered("m1", 10, 200);
    expect(await redis.hget(store.keys.lastDelivered, "d|s")).toMatch(/^\d+ m1$/);
    await store.commit(saved, [], 11);
    expect(await store.get("m1")).toBeUndefined();
    expect(await redis.hget(store.keys.lastDelivered, "d|s")).toBeNull();
  });

  it("fails fast while redis is down, keeps what it acknowledged across a restart (AOF), and works again after", async () => {
    const store = await fresh();
    const ack = await store.insertEvents([{ id: "before", time: 1, code: 200 }], 1);
    expect(ack.inserted).toHaveLength(1);
    await server.stop("SIGKILL");
    const started = Date.now();
    await expect(
      store.insertEvents([{ id: "during", time: 2, code: 200 }], 2),
    ).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(Date.now() - started).toBeLessThan(2000);
    await server.start();
    await readyRedis(redis);
    expect((await store.eventsAfter(0, 10)).map((e) => e.id)).toEqual(["before"]);
    expect(
      (await store.insertEvents([{ id: "after", time: 3, code: 200 }], 3)).inserted,
    ).toHaveLength(1);
    expect((await store.insertEvents([{ id: "before", time: 1, code: 200 }], 4)).duplicates).toBe(
      1,
    );
  });

  it("shares one events-per-second budget between nodes", async () => {
    const prefix = `rate${n++}`;
    const other = new Redis(server.url);
    try {
      const a = storeOn(prefix);
      const b = new RedisStore({
        redis: other,
        prefix,
        dedupeMs: 1,
        replicas: 0,
        replicaTimeoutMs: 1,
      });
      expect(await a.takeRate(100, 80)).toBe(0);
      // The second node sees the first one's spend: 80 more would overdraw the bucket.
      expect(await b.takeRate(100, 80)).toBe(1);
      expect(await b.takeRate(100, 20)).toBe(0);
      await new Promise((r) => setTimeout(r, 500));
      expect(await a.takeRate(100, 40)).toBe(0);
    } finally {
      other.disconnect();
    }
  });

  it("acknowledges only after WAIT saw the replica, and refuses when the replica is gone", async () => {
    const replica = await RedisServer.start(["--replicaof", "127.0.0.1", String(server.port)]);
    try {
      const store = new RedisStore({
        redis,
        prefix: `w${n++}`,
        dedupeMs: 60_000,
        replicas: 1,
        replicaTimeoutMs: 3000, // generous: a busy machine delays the replica's ack
      });
      await waitFor(
        async () => Number(await redis.wait(1, 50)) >= 1,
        "the replica in sync",
        20_000,
      );
      const ok = await store.insertEvents([{ id: "r1", time: 1, code: 200 }], 1);
      expect(ok.inserted).toHaveLength(1);
      const copy = new Redis(replica.url);
      try {
        expect(await copy.xlen(store.keys.events)).toBe(1);
      } finally {
        copy.disconnect();
      }
      await replica.stop("SIGKILL");
      await expect(
        store.insertEvents([{ id: "r2", time: 2, code: 200 }], 2),
      ).rejects.toBeInstanceOf(StoreUnavailableError);
    } finally {
      await replica.destroy();
    }
  });
});
