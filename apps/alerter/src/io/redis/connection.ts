import { Redis, type RedisOptions } from "ioredis";
import type { Logger } from "pino";

/** Where Redis is: one URL, or a Sentinel group that names the current master. */
export type RedisTarget =
  | { url: string }
  | { sentinels: readonly { host: string; port: number }[]; name: string; password?: string };

/** The options every connection of Redis mode shares, for a target. */
function targetOptions(target: RedisTarget): RedisOptions {
  if ("url" in target) return {};
  return {
    sentinels: target.sentinels.map((s) => ({ host: s.host, port: s.port })),
    name: target.name,
    ...(target.password ? { password: target.password } : {}),
    // Follow a failover as soon as a sentinel announces it (+switch-master).
    failoverDetector: true,
    // A master demoted to replica answers READONLY: reconnect, and the sentinels name the new one.
    reconnectOnError: (error) => error.message.startsWith("READONLY"),
  };
}

/** A new ioredis client for a target (BullMQ's workers open their own with `maxRetriesPerRequest: null`). */
export function newRedis(target: RedisTarget, options: RedisOptions): Redis {
  const all = { ...targetOptions(target), ...options };
  // ioredis types its options per reply mode; these carry none.
  return "url" in target ? new Redis(target.url, all as never) : new Redis(all as never);
}

/**
 * A Redis connection that fails fast: no offline queue and no silent
 * re-sending, so a command issued while the server is unreachable rejects at
 * once (ingest turns that into 503 + Retry-After) instead of waiting in
 * memory for a server that may never come back.
 */
export function connectRedis(
  target: string | RedisTarget,
  logger: Logger,
  name = "sipcodes-alerter",
): Redis {
  const redis = newRedis(typeof target === "string" ? { url: target } : target, {
    connectionName: name,
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 2000,
    // Reconnect forever, at most every second.
    retryStrategy: (times) => Math.min(times * 100, 1000),
    lazyConnect: true,
  });
  let down = false;
  redis.on("error", (error: Error) => {
    if (!down) logger.error({ err: error.message }, "redis connection failed");
    down = true;
  });
  redis.on("ready", () => {
    if (down) logger.info("redis connection restored");
    down = false;
  });
  return redis;
}

/** Connects and waits until the server answers (startup). */
export async function readyRedis(redis: Redis, timeoutMs = 10_000): Promise<void> {
  if (redis.status === "wait") await redis.connect().catch(() => undefined);
  const end = Date.now() + timeoutMs;
  while (redis.status !== "ready") {
    if (Date.now() > end) throw new Error("redis is not reachable");
    await new Promise((r) => setTimeout(r, 50));
  }
}
