import { hostname } from "node:os";
import { IncidentBook } from "@sipcodes/detect";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { type AlerterConfig, ConfigError } from "../../config.ts";
import type { CallRecord } from "../../domain/event.ts";
import type { Silence } from "../../domain/silence.ts";
import { type AlertsView, engineAlerts } from "../alerts-view.ts";
import type { EngineView } from "../app.ts";
import { Engine, type EngineOptions, type IngestOutcome } from "../engine.ts";
import type { Metrics } from "../metrics.ts";
import type { Secrets } from "../secrets.ts";
import { SqliteStore } from "../sqlite-store.ts";
import { connectRedis, type RedisTarget, readyRedis } from "./connection.ts";
import { Evaluator } from "./evaluator.ts";
import { Lease } from "./lease.ts";
import { RedisStore } from "./redis-store.ts";
import { Standby } from "./standby.ts";

/**
 * Redis mode needs the same secrets on every node, so they come from the
 * config; a node never generates its own. Throws a ConfigError naming each
 * missing one.
 */
export function sharedSecrets(config: AlerterConfig): Secrets {
  const missing: { path: string; message: string }[] = [];
  const need = (path: string, ok: boolean) => {
    if (!ok) missing.push({ path, message: "required in Redis mode (every node must share it)" });
  };
  need("ingest.secret", config.ingest.secret !== undefined);
  need("ingest.tokens", (config.ingest.tokens?.length ?? 0) > 0);
  need("api.token", config.api.token !== undefined);
  config.destinations.forEach((d, i) => {
    if (d.type === "webhook") need(`destinations[${i}].secret`, d.secret !== undefined);
  });
  if (missing.length > 0) {
    const lines = missing.map((m) => `  ${m.path}: ${m.message}`).join("\n");
    throw new ConfigError(`invalid config for Redis mode:\n${lines}`, missing);
  }
  const webhook = config.destinations.find((d) => d.type === "webhook");
  return {
    ingestSecret: config.ingest.secret!,
    ingestToken: config.ingest.tokens![0]!,
    apiToken: config.api.token!,
    // Only a webhook destination signs, and each has its own secret here.
    webhookSecret: webhook?.type === "webhook" ? webhook.secret! : "whsec_unused",
  };
}

/**
 * Whether a node keeps a warm standby while it does not hold the lease:
 * `store.redis.standby`, by default on with the wall clock. The config
 * refuses it with the event clock.
 */
export function standbyEnabled(config: AlerterConfig): boolean {
  return config.evaluation.clock === "wall" && (config.store.redis?.standby ?? true);
}

export interface RedisModeOptions {
  config: AlerterConfig;
  target: RedisTarget;
  node?: string | undefined;
  fault?: "crash-before-commit" | "crash-after-commit" | undefined;
  logger: Logger;
  wallClock?: () => number;
}

/**
 * One node of a Redis deployment: a stateless ingest (each batch one script
 * on Redis), the shared outbox (delivered by BullMQ workers, bull-delivery.ts),
 * and an evaluator that runs only while this
 * node holds the lease.
 */
export class RedisNode {
  readonly store: RedisStore;
  readonly lease: Lease;
  readonly secrets: Secrets;
  private evaluator: Evaluator | undefined;

  private constructor(
    readonly redis: Redis,
    /**
     * The lease's own connection: a renewal never waits behind a checkpoint's
     * 31 MiB write or a 10,000-event read on the shared one.
     */
    private readonly leaseRedis: Redis,
    /** Where Redis is (BullMQ's workers open their own connections). */
    readonly target: RedisTarget,
    private readonly options: RedisModeOptions,
  ) {
    const { config } = options;
    const r = config.store.redis;
    this.secrets = sharedSecrets(config);
    this.store = new RedisStore({
      redis,
      prefix: r?.keyPrefix ?? "sipcodes",
      dedupeMs: (r?.dedupeMinutes ?? 30) * 60_000,
      replicas: r?.replicas ?? 0,
      replicaTimeoutMs: r?.replicaTimeoutMs ?? 1000,
      ...(options.fault ? { fault: options.fault } : {}),
    });
    this.lease = new Lease(
      this.leaseRedis,
      this.store.keys,
      options.node ?? `${hostname()}:${process.pid}`,
      r?.leaseMs ?? 3000,
    );
  }

  static async open(options: RedisModeOptions): Promise<RedisNode> {
    sharedSecrets(options.config); // refuse before connecting
    const redis = connectRedis(options.target, options.logger);
    const leaseRedis = connectRedis(options.target, options.logger, "sipcodes-alerter-lease");
    try {
      await Promise.all([readyRedis(redis), readyRedis(leaseRedis)]);
    } catch (error) {
      redis.disconnect();
      leaseRedis.disconnect();
      throw error;
    }
    return new RedisNode(redis, leaseRedis, options.target, options);
  }

  /** Starts the evaluator loop; the view is what the HTTP routes use. */
  async start(
    metrics: Metrics,
    onEnqueued: () => void,
    onObserved?: EngineOptions["onObserved"],
  ): Promise<EngineView> {
    const { config, logger } = this.options;
    this.evaluator = new Evaluator({
      config,
      store: this.store,
      lease: this.lease,
      logger,
      metrics,
      onEnqueued,
      ...(onObserved ? { onObserved } : {}),
      ...(this.options.wallClock ? { wallClock: this.options.wallClock } : {}),
      // Split state (wall clock) only: a warm detector for a short takeover, unless turned off.
      ...(standbyEnabled(config)
        ? {
            standby: new Standby({
              config,
              store: this.store,
              logger,
              metrics,
              ...(this.options.wallClock ? { wallClock: this.options.wallClock } : {}),
            }),
          }
        : {}),
    });
    // A node that is not the evaluator shows an empty detector (its /healthz says which role it has).
    const idle = await Engine.open({
      config,
      store: new SqliteStore(":memory:"),
      logger: logger.child({ idle: true }),
      metrics,
    });
    this.evaluator.start();
    const slot = new EngineSlot(
      this.evaluator,
      idle,
      this.store,
      this.lease.node,
      this.options.wallClock ?? Date.now,
    );
    slot.lastAlerts(); // a first read of the committed view, for the metrics
    return slot;
  }

  get leading(): boolean {
    return this.evaluator?.leading ?? false;
  }

  async close(): Promise<void> {
    await this.evaluator?.stop();
    this.redis.disconnect();
    this.leaseRedis.disconnect();
  }
}

/**
 * The engine as the routes see it: the evaluator's while this node leads,
 * ingest always straight to Redis. The alerts (`alerts()`) are the
 * evaluator's engine on the evaluator node and, on every other node, what
 * the evaluator last committed to Redis, never this node's idle detector.
 */
class EngineSlot implements EngineView {
  /** The committed view last read on this node while it did not lead (the metrics show it). */
  private committed: AlertsView | undefined;
  private committedAt = 0;
  private reading: Promise<unknown> | undefined;

  constructor(
    private readonly evaluator: Evaluator,
    private readonly idle: Engine,
    private readonly store: RedisStore,
    private readonly node: string,
    private readonly wall: () => number,
  ) {}

  async alerts(): Promise<AlertsView> {
    const engine = this.evaluator.engine;
    if (engine) return { ...engineAlerts(engine), source: "engine", leader: this.node };
    const c = await this.store.committedView();
    const view: AlertsView = {
      active: c.summary?.active ?? [],
      groups: c.groups,
      incidents: c.incidents
        ? new IncidentBook(this.idle.detector.config.rules, c.incidents).incidents()
        : [],
      lastEvaluation: c.lastEvaluation,
      scopes: c.summary?.scopes ?? 0,
      warmingUp: c.summary?.warmingUp ?? c.lastEvaluation === null,
      source: "committed",
      leader: c.leader,
      // Nothing committed at all is a true "no alerts yet"; an evaluation without a summary is not.
      summary: c.summary !== null || c.lastEvaluation === null,
    };
    this.committed = view;
    this.committedAt = Date.now();
    return view;
  }

  /** Not leading: the view last read, read again in the background when older than a second. */
  lastAlerts(): AlertsView | undefined {
    if (this.evaluator.leading) return undefined;
    if (Date.now() - this.committedAt > 1000 && !this.reading)
      this.reading = this.alerts()
        .catch(() => undefined)
        .finally(() => {
          this.reading = undefined;
        });
    return this.committed;
  }

  private get engine(): Engine {
    return this.evaluator.engine ?? this.idle;
  }

  get detector() {
    return this.engine.detector;
  }

  get book() {
    return this.engine.book;
  }

  get incidents() {
    return this.engine.incidents;
  }

  get role(): "evaluator" | "standby" {
    return this.evaluator.leading ? "evaluator" : "standby";
  }

  get stream() {
    return this.evaluator.stream;
  }

  get takeover() {
    return this.evaluator.takeover;
  }

  now(): number {
    return this.engine.now();
  }

  /** Stored once the script has run (and replicas confirmed); counted by the evaluator later. */
  async ingest(events: readonly CallRecord[]): Promise<IngestOutcome> {
    const { inserted, duplicates } = await this.store.insertEvents(events, this.wall());
    // The detector's verdict comes later, on the evaluator: here every stored event is "accepted".
    return {
      accepted: inserted.length,
      duplicate: duplicates,
      ignored: 0,
      results: { accepted: inserted.length, ignored: 0, late: 0, future: 0, invalid: 0 },
    };
  }

  evaluate(now?: number) {
    const engine = this.evaluator.engine;
    return engine ? engine.evaluate(now) : Promise.resolve([]);
  }

  addSilence(silence: Silence): Promise<void> {
    return this.store.addSilence(silence);
  }

  listSilences(now: number, includeExpired: boolean): Promise<Silence[]> {
    return this.store.listSilences(now, includeExpired);
  }

  expireSilence(id: string): Promise<boolean> {
    return this.store.expireSilence(id, this.now());
  }
}
