import type { AddressInfo } from "node:net";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { type ServerType, serve } from "@hono/node-server";
import type { Logger } from "pino";
import type { AlerterConfig } from "./config.ts";
import { DestinationHealth, readiness } from "./domain/readiness.ts";
import { nextTick } from "./domain/schedule.ts";
import { lastAlertsOf } from "./io/alerts-view.ts";
import type { EngineView } from "./io/app.ts";
import { createApp } from "./io/app.ts";
import { telnyxKey } from "./io/auth.ts";
import { createDashboardMetrics } from "./io/dashboard-metrics.ts";
import { DeliveryWorker } from "./io/delivery.ts";
import { Engine } from "./io/engine.ts";
import {
  createHepMetrics,
  type HepListener,
  hepKeep,
  startHepListener,
} from "./io/hep-listener.ts";
import { createMetrics } from "./io/metrics.ts";
import { BullDelivery } from "./io/redis/bull-delivery.ts";
import type { RedisTarget } from "./io/redis/connection.ts";
import { RedisNode } from "./io/redis/node.ts";
import type { RedisStore } from "./io/redis/redis-store.ts";
import { countOutcome } from "./io/routes/_intake.ts";
import { historySource } from "./io/routes/ui.ts";
import { loadSecrets } from "./io/secrets.ts";
import { SqliteStore } from "./io/sqlite-store.ts";
import { AllowList, checkDestination } from "./io/ssrf.ts";
import { HISTORY_SAMPLE_MS, ScopeHistory } from "./ui/scope-history.ts";

declare const __VERSION__: string | undefined;
export const version = typeof __VERSION__ === "string" ? __VERSION__ : "0.0.0-dev";

export interface AlerterOptions {
  config: AlerterConfig;
  dataDir: string;
  logger: Logger;
  port?: number;
  host?: string | undefined;
  /** Wall clock (tests). */
  now?: () => number;
  random?: () => number;
  /** Redis mode (SIPCODES_REDIS_URL); takes precedence over store.redis.url. */
  redisUrl?: string | undefined;
  /** Redis mode: this node's name in the lease (SIPCODES_NODE_ID). */
  nodeId?: string | undefined;
  /**
   * Something the alerter cannot go on after (the SQLite writer thread died:
   * a batch may have committed unanswered): main.ts exits, and the replay at
   * the next start counts what was stored.
   */
  onFatal?: ((error: Error) => void) | undefined;
  /** SIPCODES_FAULT (fault tests only): Redis mode's commit crashes, or the HEP worker's. */
  fault?:
    | "crash-before-commit"
    | "crash-after-commit"
    | "hep-worker-crash"
    | "hep-worker-stall"
    | undefined;
}

export interface Alerter {
  url: string;
  port: number;
  engine: EngineView;
  /** The SQLite store, or in Redis mode the Redis one. */
  store: SqliteStore | RedisStore;
  /** Redis mode only. */
  redis?: RedisNode;
  /** SQLite mode polls its outbox; Redis mode delivers through BullMQ. */
  delivery: DeliveryWorker | BullDelivery;
  /** The HEP listeners, when `hep.enabled`. */
  hep: HepListener | undefined;
  close(): Promise<void>;
}

/** Redis mode's server: SIPCODES_REDIS_URL, else `store.redis.url`, else its sentinels; none: SQLite. */
function redisTarget(config: AlerterConfig, envUrl: string | undefined): RedisTarget | undefined {
  const r = config.store.redis;
  const url = envUrl ?? r?.url;
  if (url) return { url };
  if (r?.sentinels)
    return {
      sentinels: r.sentinels,
      name: r.name,
      ...(r.password ? { password: r.password } : {}),
    };
  return undefined;
}

/** Wires the store, engine, delivery worker and HTTP server, and starts them. */
export async function startAlerter(options: AlerterOptions): Promise<Alerter> {
  const { config, dataDir, logger } = options;
  const startedAt = Date.now();
  const target = redisTarget(config, options.redisUrl);
  const redis = target
    ? await RedisNode.open({
        config,
        target,
        node: options.nodeId,
        fault:
          options.fault === "crash-before-commit" || options.fault === "crash-after-commit"
            ? options.fault
            : undefined,
        logger,
        ...(options.now ? { wallClock: options.now } : {}),
      })
    : undefined;
  const { secrets, file, created } = redis
    ? { secrets: redis.secrets, file: "", created: false }
    : loadSecrets(dataDir);
  const store =
    redis?.store ??
    new SqliteStore(join(dataDir, "alerter.db"), {
      writerThread:
        config.store.writerThread === "auto"
          ? availableParallelism() > 1
          : config.store.writerThread,
      onCheckpointError: (message) =>
        logger.warn({ err: message }, "SQLite checkpoint thread failed; the writer checkpoints"),
      onWriterFailure: (error) => {
        logger.fatal(
          { err: error },
          "SQLite writer thread died: events are refused (503) until the alerter restarts",
        );
        options.onFatal?.(error);
      },
    });
  const metricsRef: { engine?: EngineView; watched?: ReadonlySet<number> } = {};
  const metrics = createMetrics({
    alertsByState() {
      const out: Record<string, number> = { pending: 0, firing: 0 };
      for (const a of metricsRef.engine ? lastAlertsOf(metricsRef.engine).active : [])
        out[a.state] = (out[a.state] ?? 0) + 1;
      return out;
    },
    outboxCounts: () => outbox.counts(),
  });
  const destinationHealth = new DestinationHealth(config.destinations.map((d) => d.name));
  const deliveryOptions = {
    config,
    onOutcome: (
      name: string,
      outcome: "delivered" | "retry" | "dead",
      at: number,
      error?: string,
    ) => destinationHealth.record(name, outcome, at, error),
    logger,
    metrics,
    defaultWebhookSecret: secrets.webhookSecret,
    ...(options.now ? { now: options.now } : {}),
    ...(options.random ? { random: options.random } : {}),
  };
  const delivery = redis
    ? new BullDelivery({ ...deliveryOptions, store: redis.store, target: redis.target })
    : new DeliveryWorker({
        ...deliveryOptions,
        outbox: store,
        ...(store instanceof SqliteStore ? { slackThreads: store } : {}),
      });
  // What the management API and metrics read: in Redis mode the dead letters are BullMQ's failed sets.
  const outbox = delivery instanceof BullDelivery ? delivery.view() : store;
  const dashboard = createDashboardMetrics(
    metrics.registry,
    {
      // Redis mode, not the evaluator: what the evaluator last committed.
      active: () => (metricsRef.engine ? lastAlertsOf(metricsRef.engine).active : []),
      lastEvaluation: () =>
        metricsRef.engine ? lastAlertsOf(metricsRef.engine).lastEvaluation : null,
      destinations: () => destinationHealth.states,
      watchedCodes: () => {
        const rules = metricsRef.engine?.detector.config.rules;
        if (!rules) return new Set();
        metricsRef.watched ??= new Set(rules.flatMap((r) => [...r.codes]));
        return metricsRef.watched;
      },
      now: options.now ?? Date.now,
    },
    { maxTrunks: 200, maxCustomers: 20, customerMinCalls: 100 },
  );
  const engine: EngineView = redis
    ? await redis.start(
        metrics,
        () => delivery.kick(),
        (e, result) => dashboard.observe(e, result),
      )
    : await Engine.open({
        config,
        onObserved: (e, result) => dashboard.observe(e, result),
        store,
        logger,
        metrics,
        onEnqueued: () => delivery.kick(),
        ...(options.now ? { wallClock: options.now } : {}),
      });
  metricsRef.engine = engine;

  const hepRef: { hep?: HepListener } = {};
  const hepMetrics = createHepMetrics(
    metrics.registry,
    () => hepRef.hep?.stats(),
    config.hep.enabled,
  );
  if (config.hep.enabled) {
    hepRef.hep = await startHepListener({
      config: config.hep,
      logger,
      metrics: hepMetrics,
      ingest: async (events, raw) => {
        const outcome = await engine.ingest(events, raw);
        countOutcome(metrics, "hep", outcome);
      },
      // Redis mode keeps none: each node's open transactions are its own feed's, lost at restart.
      ...(store instanceof SqliteStore ? { keep: hepKeep(store) } : {}),
      ...(options.now ? { now: options.now } : {}),
      fault:
        options.fault === "hep-worker-crash"
          ? "crash"
          : options.fault === "hep-worker-stall"
            ? "stall"
            : undefined,
    });
  }

  // Say early which destinations delivery will refuse (it refuses them again at each attempt).
  const allow = new AllowList(config.security.allowPrivateDestinations);
  for (const d of config.destinations) {
    checkDestination(d.url, allow).catch((error: Error) => {
      destinationHealth.record(d.name, "retry", Date.now(), error.message);
      logger.error(
        { destination: d.name, reason: error.message },
        "destination refused: alerts to it will be dead letters",
      );
    });
  }

  // The status page's sparklines: sampled on a timer (and on each page view).
  const history = new ScopeHistory(historySource(engine));
  const historyTimer = setInterval(() => history.sample(), HISTORY_SAMPLE_MS);
  historyTimer.unref();

  const app = createApp({
    history,
    config,
    secrets,
    engine,
    outbox,
    metrics,
    logger,
    telnyxKey: config.adapters.telnyx ? telnyxKey(config.adapters.telnyx.publicKey) : undefined,
    version,
    startedAt,
    onReplay: () => delivery.kick(),
    ...(redis
      ? {
          eventRate: {
            take: (n: number) => redis.store.takeRate(config.ingest.maxEventsPerSecond, n),
          },
        }
      : {}),
    readiness: async () => {
      const now = (options.now ?? Date.now)();
      let storeError: string | undefined;
      try {
        await store.probeWrite(now);
      } catch (error) {
        storeError = (error as Error).message;
      }
      return readiness(
        {
          now,
          clock: config.evaluation.clock,
          startedAt,
          // Redis mode: the deployment's evaluator, whichever node it is on.
          lastEvaluation: redis
            ? await redis.store.lastEvaluation().catch(() => null)
            : engine.detector.stats().lastEvaluation,
          storeError,
          deadLetters: (await outbox.counts()).dead,
          destinations: destinationHealth.states,
          hep: hepRef.hep?.health(),
        },
        {
          maxEvaluationAgeMs:
            (config.health.maxEvaluationAgeSeconds ?? 3 * config.evaluation.intervalSeconds) * 1000,
          maxDestinationFailingMs: config.health.maxDestinationFailingSeconds * 1000,
          maxDeadLetters: config.health.maxDeadLetters,
        },
      );
    },
  });

  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve(
      {
        fetch: app.fetch,
        port: options.port ?? 8788,
        ...(options.host ? { hostname: options.host } : {}),
      },
      () => resolve(s),
    );
    s.once("error", reject);
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${options.host && options.host !== "0.0.0.0" ? options.host : "127.0.0.1"}:${port}`;
  delivery.start();
  if (created) {
    logger.warn(
      {
        file,
        events:
          "POST /v1/events with Authorization: Bearer <ingestToken>, or signed with Standard Webhooks using <ingestSecret>",
        api: "management API (/v1/alerts, /v1/silences, /v1/dead-letters) with Authorization: Bearer <apiToken>",
        example: `curl -H "Authorization: Bearer $(node -p 'require("${file}").ingestToken')" -H 'content-type: application/x-ndjson' --data-binary @events.ndjson ${url}/v1/events`,
      },
      "first start: generated secrets in the data directory (config values take precedence); use them as shown",
    );
  }

  // Wall clock: evaluate at each whole interval (plus the grace), never at boot-relative times.
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const wall = options.now ?? Date.now;
  const schedule = (after: number | null) => {
    if (stopped) return;
    const { intervalSeconds, graceSeconds } = config.evaluation;
    const tick = nextTick(wall(), intervalSeconds, graceSeconds, after);
    timer = setTimeout(
      () => {
        engine
          .evaluate(tick.at)
          .catch((error) => logger.error({ err: error }, "evaluation failed"))
          .finally(() => schedule(tick.at));
      },
      Math.max(0, tick.runAt - wall()),
    );
  };
  // Redis mode: the leased evaluator ticks instead, on the node that holds the lease.
  if (config.evaluation.clock === "wall" && !redis) schedule(null);
  logger.info(
    {
      port,
      url,
      dataDir,
      clock: config.evaluation.clock,
      store: redis ? `redis (node ${redis.lease.node})` : "sqlite",
      destinations: config.destinations.map((d) => d.name),
      version,
    },
    "alerter listening",
  );

  let closed: Promise<void> | undefined;
  return {
    url,
    port,
    engine,
    store,
    delivery,
    ...(redis ? { redis } : {}),
    hep: hepRef.hep,
    close() {
      closed ??= (async () => {
        stopped = true;
        if (timer) clearTimeout(timer);
        clearInterval(historyTimer);
        await hepRef.hep?.close();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        if (engine instanceof Engine) await engine.drain();
        await redis?.close();
        await delivery.stop();
        await store.close();
        logger.info("alerter stopped");
      })();
      return closed;
    },
  };
}
