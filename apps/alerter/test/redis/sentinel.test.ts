import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.ts";
import { createMetrics } from "../../src/io/metrics.ts";
import { BullDelivery } from "../../src/io/redis/bull-delivery.ts";
import { connectRedis, type RedisTarget, readyRedis } from "../../src/io/redis/connection.ts";
import { Lease } from "../../src/io/redis/lease.ts";
import { RedisStore, StoreUnavailableError } from "../../src/io/redis/redis-store.ts";
import { e2eConfig, quietLogger, Receiver, WEBHOOK_SECRET, waitFor } from "../helpers.ts";
import { freePort, hasRedis, RedisServer } from "./redis-server.ts";

/** One redis-server in sentinel mode, monitoring `mymaster` with a quorum of 1. */
async function startSentinel(masterPort: number) {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "alerter-sentinel-"));
  const conf = join(dir, "sentinel.conf");
  writeFileSync(
    conf,
    [
      `port ${port}`,
      "bind 127.0.0.1",
      `dir ${dir}`,
      `sentinel monitor mymaster 127.0.0.1 ${masterPort} 1`,
      "sentinel down-after-milliseconds mymaster 1000",
      "sentinel failover-timeout mymaster 10000",
      "",
    ].join("\n"),
  );
  const child: ChildProcess = spawn("redis-server", [conf, "--sentinel"], { stdio: "ignore" });
  const admin = new Redis({ port, host: "127.0.0.1", lazyConnect: true, maxRetriesPerRequest: 0 });
  admin.on("error", () => undefined);
  await waitFor(
    async () => {
      try {
        if (admin.status !== "ready") await admin.connect();
        const replicas = (await admin.call("SENTINEL", "REPLICAS", "mymaster")) as unknown[];
        return replicas.length > 0 ? true : undefined;
      } catch {
        return undefined;
      }
    },
    "the sentinel to see the replica",
    20_000,
  );
  return {
    port,
    admin,
    async stop() {
      admin.disconnect();
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGKILL");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe.skipIf(!hasRedis)(
  "Redis mode through Sentinel (real sentinel, master and replica)",
  () => {
    let master: RedisServer;
    let replica: RedisServer;
    let sentinel: Awaited<ReturnType<typeof startSentinel>>;
    beforeAll(async () => {
      master = await RedisServer.start();
      replica = await RedisServer.start(["--replicaof", "127.0.0.1", String(master.port)]);
      sentinel = await startSentinel(master.port);
    }, 60_000);
    afterAll(async () => {
      await sentinel?.stop();
      await replica?.destroy();
      await master?.destroy();
    });

    it("follows a SENTINEL FAILOVER: what was acknowledged before is there, ingest and BullMQ delivery go on against the new master", async () => {
      const config = parseConfig({
        ...e2eConfig("http://127.0.0.1:9"),
        ingest: { secret: WEBHOOK_SECRET, tokens: ["ingest-token-0123456789abcdef"] },
        api: { token: "api-token-0123456789abcdef" },
        store: {
          redis: { sentinels: [{ host: "127.0.0.1", port: sentinel.port }], name: "mymaster" },
        },
      });
      const r = config.store.redis!;
      const target: RedisTarget = { sentinels: r.sentinels!, name: r.name };
      const redis = connectRedis(target, quietLogger());
      await readyRedis(redis);
      try {
        const store = new RedisStore({
          redis,
          prefix: "sentinel",
          dedupeMs: 60_000,
          replicas: 1,
          replicaTimeoutMs: 2000,
        });
        expect(Number(((await redis.config("GET", "port")) as string[])[1])).toBe(master.port);
        await waitFor(
          async () => ((await redis.wait(1, 100)) >= 1 ? true : undefined),
          "the replica in sync",
          20_000,
        );
        const before = await store.insertEvents([{ id: "before", time: 1, code: 200 }], 1);
        expect(before.inserted).toHaveLength(1); // WAIT saw the replica

        await sentinel.admin.call("SENTINEL", "FAILOVER", "mymaster");
        await waitFor(
          async () => {
            const at = (await sentinel.admin.call(
              "SENTINEL",
              "GET-MASTER-ADDR-BY-NAME",
              "mymaster",
            )) as string[];
            return Number(at[1]) === replica.port ? true : undefined;
          },
          "the sentinel to promote the replica",
          30_000,
        );
        // The client moves to the promoted replica (ingest answers 503 meanwhile, never a lost ack).
        await waitFor(
          async () => {
            try {
              const port = Number(((await redis.config("GET", "port")) as string[])[1]);
              return port === replica.port ? true : undefined;
            } catch {
              return undefined;
            }
          },
          "the connection on the new master",
          30_000,
        );
        const after = await waitFor(
          async () => {
            try {
              return await store.insertEvents([{ id: "after", time: 2, code: 200 }], 2);
            } catch (error) {
              if (error instanceof StoreUnavailableError) return undefined;
              throw error;
            }
          },
          "an ingest confirmed by the demoted master, now a replica",
          30_000,
        );
        // An attempt whose WAIT failed may have stored it: the retry then counts it as a duplicate.
        expect(after.inserted.length + after.duplicates).toBe(1);
        expect((await store.eventsAfter(0, 10)).map((e) => e.id)).toEqual(["before", "after"]);

        // BullMQ's own connections follow the sentinels too.
        const receiver = await Receiver.start();
        try {
          const token = await new Lease(redis, store.keys, "t", 60_000).acquire();
          const delivery = new BullDelivery({
            config: parseConfig({
              ...e2eConfig(receiver.url),
              ingest: { secret: WEBHOOK_SECRET, tokens: ["ingest-token-0123456789abcdef"] },
              api: { token: "api-token-0123456789abcdef" },
            }),
            store,
            target,
            logger: quietLogger(),
            metrics: createMetrics({ alertsByState: () => ({}), outboxCounts: async () => ({}) }),
            defaultWebhookSecret: WEBHOOK_SECRET,
          });
          await store.fenced(token!).commit(
            { snapshot: null, lastSeq: 2, groups: [] },
            [
              {
                id: "m1",
                notificationId: "n",
                destination: "hook",
                kind: "webhook",
                stream: "hook|x",
                state: "firing",
                body: "{}",
                createdAt: 1,
                deadline: Date.now() + 60_000,
              },
            ],
            0,
          );
          delivery.start();
          await waitFor(() => receiver.deliveredById().has("m1"), "the delivery after failover");
          await delivery.stop(500);
        } finally {
          await receiver.close();
        }
      } finally {
        redis.disconnect();
      }
    }, 90_000);
  },
);
