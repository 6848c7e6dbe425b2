import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";

/** Whether `redis-server` can run here; under CI a missing binary is a failure, not a skip. */
export const hasRedis = (() => {
  const found = spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0;
  if (!found && process.env.CI)
    throw new Error("redis-server is not installed (.ci/run installs it from DEBIAN_PEERS)");
  if (!found) console.warn("skipping Redis tests: redis-server is not installed");
  return found;
})();

export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/**
 * A real redis-server on a free loopback port with AOF on, in its own
 * directory; `stop()` kills it (SIGKILL when asked: a crash), `start()`
 * brings it back on the same port and data.
 */
export class RedisServer {
  private child: ChildProcess | undefined;
  private constructor(
    readonly port: number,
    readonly dir: string,
    private readonly extra: readonly string[],
  ) {}

  /** `extra`: more redis-server arguments (`["--replicaof", "127.0.0.1", "6379"]`). */
  static async start(extra: readonly string[] = []): Promise<RedisServer> {
    const s = new RedisServer(
      await freePort(),
      mkdtempSync(join(tmpdir(), "alerter-redis-")),
      extra,
    );
    await s.start();
    return s;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn(
      "redis-server",
      [
        "--port",
        String(this.port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "yes",
        "--appendfsync",
        "always",
        "--dir",
        this.dir,
        "--daemonize",
        "no",
        ...this.extra,
      ],
      { stdio: "ignore" },
    );
    this.child = child;
    const probe = new Redis(this.url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    probe.on("error", () => undefined);
    const end = Date.now() + 10_000;
    try {
      for (;;) {
        if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
        try {
          if (probe.status !== "ready") await probe.connect();
          if ((await probe.ping()) === "PONG") break;
        } catch {
          if (Date.now() > end) throw new Error("redis-server did not start");
          probe.disconnect();
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    } finally {
      probe.disconnect();
    }
  }

  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill(signal);
    await exited;
  }

  async destroy(): Promise<void> {
    await this.stop("SIGKILL");
    rmSync(this.dir, { recursive: true, force: true });
  }
}
