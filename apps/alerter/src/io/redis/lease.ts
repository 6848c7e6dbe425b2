import type { Redis } from "ioredis";
import type { RedisKeys } from "./keys.ts";
import { ACQUIRE, RELEASE, RENEW, runScript } from "./scripts.ts";

/**
 * The evaluator lease: at most one holder at a time, each holding with a
 * fencing token that grows with every acquisition. The store's commit checks
 * the token, so a holder that lost the lease (paused past its expiry,
 * partitioned) cannot commit even if it still believes it leads.
 */
export class Lease {
  private value: string | null = null;
  token: number | null = null;

  constructor(
    private readonly redis: Redis,
    private readonly keys: Pick<RedisKeys, "lease" | "fence">,
    readonly node: string,
    readonly ttlMs: number,
  ) {}

  /** Takes the lease if nobody holds it; the token, or null. */
  async acquire(): Promise<number | null> {
    const token = Number(
      await runScript(
        this.redis,
        ACQUIRE,
        [this.keys.lease, this.keys.fence],
        [this.node, this.ttlMs],
      ),
    );
    if (token === 0) return null;
    this.token = token;
    this.value = `${token} ${this.node}`;
    return token;
  }

  /** Extends the lease; false if it is no longer ours (then this node must stop evaluating). */
  async renew(): Promise<boolean> {
    if (this.value === null) return false;
    const ok = Number(
      await runScript(this.redis, RENEW, [this.keys.lease], [this.value, this.ttlMs]),
    );
    if (ok === 1) return true;
    this.value = null;
    this.token = null;
    return false;
  }

  async release(): Promise<void> {
    if (this.value === null) return;
    const value = this.value;
    this.value = null;
    this.token = null;
    await runScript(this.redis, RELEASE, [this.keys.lease], [value]);
  }

  /** Who holds the lease now: `{ token, node }`, or null. */
  static async holder(
    redis: Redis,
    keys: Pick<RedisKeys, "lease">,
  ): Promise<{ token: number; node: string } | null> {
    const v = await redis.get(keys.lease);
    if (v === null) return null;
    const at = v.indexOf(" ");
    return { token: Number(v.slice(0, at)), node: v.slice(at + 1) };
  }
}
