import { Redis } from "ioredis";
import type { Logger } from "pino";

/**
 * A Redis connection that fails fast: no offline queue and no silent
 * re-sending, so a command issued while the server is unreachable rejects at
 * once (ingest turns that into 503 + Retry-After) instead of waiting in
 * memory for a server that may never come back.
 */
export function connectRedis(url: string, logger: Logger, name = "sipcodes-alerter"): Redis {
  const redis = new Redis(url, {
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
