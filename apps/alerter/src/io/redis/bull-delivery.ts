import { DelayedError, type Job, Queue, UnrecoverableError, Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { AlerterConfig, Destination } from "../../config.ts";
import { judgeAttempt, type Verdict } from "../../domain/backoff.ts";
import { slackVerdict } from "../../domain/slack-api.ts";
import type { DeliveryOptions } from "../delivery.ts";
import { postJson } from "../http-client.ts";
import { deliverSlackApi } from "../slack-api.ts";
import { AllowList } from "../ssrf.ts";
import type { MessageStatus, OutboxMessage, OutboxView } from "../store.ts";
import { WebhookSigner } from "../webhook-signer.ts";
import { newRedis, type RedisTarget } from "./connection.ts";
import type { RedisStore } from "./redis-store.ts";

export interface BullDeliveryOptions extends Omit<DeliveryOptions, "outbox"> {
  store: RedisStore;
  /** Where Redis is: each worker opens its own connections (BullMQ blocks on one). */
  target: RedisTarget;
}

/** A job's data: the message id (also its job id, so adding it twice is a no-op). */
interface JobData {
  id: string;
}

/** A retry verdict carried to BullMQ's backoff, which then waits exactly this long. */
class RetryLater extends Error {
  constructor(
    message: string,
    readonly delayMs: number,
  ) {
    super(message);
  }
}

/** How often every node looks for stream heads without a job (a crash between two steps). */
const SWEEP_MS = 2000;
/** A job that must wait (not its stream's head yet, or its stream busy) looks again after this. */
const NOT_YET_MS = 500;

const queueName = (destination: string) => `deliver.${destination}`;

/**
 * Delivery of Redis mode on BullMQ: one queue per destination, whose global
 * concurrency (`perDestinationConcurrency`) holds across every node, and
 * one job per message whose job id is its `webhook-id`.
 *
 * Order per stream (BullMQ's own groups are a Pro feature): only the head
 * of a stream (its oldest pending message, kept by the commit and mark
 * scripts) ever gets a job. When the head is delivered or becomes a dead
 * letter, the mark script names the new head and its job is added then;
 * every node also sweeps the heads every 2 s, so a head whose job was lost
 * to a crash between those two steps gets one. A job re-checks at start
 * that its message is still the head and holds a per-stream lock for its
 * attempt, so a message that superseded an in-flight head waits for it:
 * a resolve never overtakes its trigger. A head whose stream has delivered
 * a newer message since (a dead letter replayed after its resolve) is
 * superseded by it instead of sent, as in the single-node delivery.
 *
 * The processor is the single-node decision (`judgeAttempt`): retry throws
 * with the verdict's delay (Retry-After as its floor), which the backoff
 * strategy returns as is; a dead letter throws UnrecoverableError, so the
 * failed set of each queue is the dead-letter list. A worker that dies
 * mid-POST loses its job lock, and BullMQ's stalled check hands the job to
 * another worker: the same id and body are posted again.
 */
export class BullDelivery {
  private readonly queues = new Map<string, Queue<JobData>>();
  private readonly workers = new Map<string, { worker: Worker<JobData>; redis: Redis }>();
  private started = false;
  private readonly destinations: Map<string, Destination>;
  private readonly allow: AllowList;
  private readonly signer: WebhookSigner;
  private readonly random: () => number;
  private readonly now: () => number;
  private sweeping: NodeJS.Timeout | undefined;
  private relaying: Promise<void> | undefined;
  private again = false;

  constructor(private readonly options: BullDeliveryOptions) {
    const { config } = options;
    this.destinations = new Map(config.destinations.map((d) => [d.name, d]));
    this.allow = new AllowList(config.security.allowPrivateDestinations);
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.signer = new WebhookSigner(options.defaultWebhookSecret);
    for (const d of config.destinations) this.queueOf(d.name);
  }

  private get config(): AlerterConfig {
    return this.options.config;
  }

  private queueOf(destination: string): Queue<JobData> {
    let q = this.queues.get(destination);
    if (!q) {
      q = new Queue<JobData>(queueName(destination), {
        connection: this.options.store.redis,
        prefix: this.options.store.keys.bull,
        defaultJobOptions: {
          attempts: 1e9, // the verdict decides when to stop (judgeAttempt's deadline)
          backoff: { type: "verdict" },
          removeOnComplete: { age: 3600 },
          removeOnFail: false, // the dead letters
        },
      });
      q.on("error", () => undefined); // the connection's own listener logs it
      this.queues.set(destination, q);
    }
    return q;
  }

  start(): void {
    this.started = true;
    for (const d of this.config.destinations) this.ensureWorker(d.name);
    this.sweeping = setInterval(() => this.kick(), SWEEP_MS);
    this.kick();
  }

  /**
   * A worker for a destination's queue on this node (also for one gone from
   * the config: its messages become dead letters, in its failed set).
   */
  private ensureWorker(destination: string): void {
    if (!this.started || this.workers.has(destination)) return;
    const { config, logger } = this;
    const lockMs = config.store.redis?.lockMs ?? 10_000;
    this.queueOf(destination)
      .setGlobalConcurrency(config.delivery.perDestinationConcurrency)
      .catch((error) => logger.warn({ err: error }, "could not set a queue's concurrency"));
    const redis = newRedis(this.options.target, {
      connectionName: "sipcodes-alerter-delivery",
      maxRetriesPerRequest: null,
      retryStrategy: (times) => Math.min(times * 100, 1000),
    });
    redis.on("error", () => undefined); // the store's connection reports outages
    const worker = new Worker<JobData>(
      queueName(destination),
      (job, token) => this.process(job, token),
      {
        connection: redis,
        prefix: this.options.store.keys.bull,
        concurrency: Math.min(
          config.delivery.perDestinationConcurrency,
          config.delivery.concurrency,
        ),
        lockDuration: lockMs,
        stalledInterval: Math.max(1000, Math.floor(lockMs / 2)),
        // Stalls are the crash recovery, never a reason to give up on a message.
        maxStalledCount: 1e9,
        settings: {
          backoffStrategy: (_attempts: number, _type?: string, error?: Error) =>
            error instanceof RetryLater ? error.delayMs : config.delivery.backoffBaseMs,
        },
      },
    );
    worker.on("error", (error) => logger.warn({ err: error.message }, "delivery worker error"));
    this.workers.set(destination, { worker, redis });
  }

  private get logger(): Logger {
    return this.options.logger;
  }

  /** Adds a job for every stream head that has none (after a commit, a replay, and every 2 s). */
  kick(): void {
    if (this.relaying) {
      this.again = true;
      return;
    }
    this.relaying = this.relayHeads()
      .catch((error) => this.logger.warn({ err: error }, "could not queue the stream heads"))
      .finally(() => {
        this.relaying = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  private async relayHeads(): Promise<void> {
    const heads = await this.options.store.due(Number.POSITIVE_INFINITY, 10_000);
    const byDestination = new Map<string, OutboxMessage[]>();
    for (const m of heads) {
      const list = byDestination.get(m.destination) ?? [];
      list.push(m);
      byDestination.set(m.destination, list);
    }
    const now = this.now();
    for (const [destination, list] of byDestination) {
      this.ensureWorker(destination);
      await this.queueOf(destination).addBulk(
        list.map((m) => ({
          name: "deliver",
          data: { id: m.id },
          opts: { jobId: m.id, delay: Math.max(0, m.nextAttemptAt - now) },
        })),
      );
    }
  }

  private async relay(id: string | undefined): Promise<void> {
    if (id === undefined) return;
    const m = await this.options.store.get(id);
    if (m?.status !== "pending") return;
    this.ensureWorker(m.destination);
    await this.queueOf(m.destination).add(
      "deliver",
      { id },
      { jobId: id, delay: Math.max(0, m.nextAttemptAt - this.now()) },
    );
  }

  /** Waits at most `graceMs` for attempts in flight, then closes (a cut attempt's job stalls and is retried). */
  async stop(graceMs = 5000): Promise<void> {
    if (this.sweeping) clearInterval(this.sweeping);
    await this.relaying;
    this.started = false;
    await Promise.all(
      [...this.workers.values()].map(async ({ worker, redis }) => {
        const closing = worker.close();
        const timer = setTimeout(() => void worker.close(true), graceMs);
        await closing.catch(() => undefined);
        clearTimeout(timer);
        redis.disconnect();
      }),
    );
    this.workers.clear();
    await Promise.all([...this.queues.values()].map((q) => q.close().catch(() => undefined)));
  }

  /** Puts the job back for a moment (it is not its stream's turn). */
  private async later(job: Job<JobData>, token: string | undefined): Promise<never> {
    await job.moveToDelayed(this.now() + NOT_YET_MS, token);
    throw new DelayedError();
  }

  private async process(job: Job<JobData>, token: string | undefined): Promise<string> {
    const { store, metrics } = this.options;
    const m = await store.get(job.data.id);
    // Forgotten, delivered, or superseded: nothing to send (a stalled job's second run lands here).
    if (!m || m.status === "delivered" || m.status === "superseded") return m?.status ?? "gone";
    if (m.status === "dead") throw new UnrecoverableError(m.lastError ?? "dead letter");
    if ((await store.streamHead(m.stream)) !== m.id) return this.later(job, token);
    const holder = `${m.id} ${token ?? ""}`;
    // A Slack API attempt makes up to two calls (an edit, then the thread reply).
    const calls = m.kind === "slack-api" ? 2 : 1;
    if (!(await store.lockStream(m.stream, holder, this.config.delivery.timeoutMs * calls + 5000)))
      return this.later(job, token);
    try {
      const dest = this.destinations.get(m.destination);
      if (!dest) {
        const reason = `destination "${m.destination}" is no longer configured`;
        await this.relay(await store.settle(m.id, "dead", this.now(), reason, null));
        throw new UnrecoverableError(reason);
      }
      // A replayed dead letter whose stream delivered a newer message since is stale: sending it
      // now would put an old state after a newer one (a trigger after its resolve).
      const newer = await store.newerDelivered(m.id);
      if (newer) {
        await this.relay(await store.supersede(m.id, newer, this.now()));
        this.logger.info(
          { message: m.id, destination: dest.name, supersededBy: newer },
          "stale message superseded by a newer one already delivered",
        );
        return "superseded";
      }
      let verdict: Verdict;
      let status: number | null;
      let now: number;
      const context = () => ({
        attempt: m.attempts + 1,
        now,
        deadline: m.deadline,
        random: this.random,
      });
      if (dest.type === "slack-api") {
        const outcome = await deliverSlackApi(dest, m, {
          threads: store,
          allow: this.allow,
          timeoutMs: this.config.delivery.timeoutMs,
          signal: new AbortController().signal, // BullMQ's lock, not an abort, bounds the attempt
          now: this.now,
        });
        now = this.now();
        verdict =
          outcome.kind === "delivered"
            ? { outcome: "delivered" }
            : slackVerdict(
                outcome.kind === "aborted" ? { kind: "retry", reason: "aborted" } : outcome,
                context(),
                this.config.delivery,
              );
        status = outcome.kind === "delivered" ? 200 : null;
      } else {
        const result = await postJson(dest.url, m.body, {
          timeoutMs: this.config.delivery.timeoutMs,
          allow: this.allow,
          headers: this.signer.headers(dest, m, this.now()),
        });
        now = this.now();
        verdict = judgeAttempt(result, context(), this.config.delivery);
        status = result.kind === "response" ? result.status : null;
      }
      const log = { message: m.id, destination: dest.name, attempt: m.attempts + 1, status };
      metrics.deliveries.inc({ destination: dest.name, outcome: verdict.outcome });
      this.options.onOutcome?.(
        dest.name,
        verdict.outcome,
        now,
        "reason" in verdict ? verdict.reason : undefined,
      );
      switch (verdict.outcome) {
        case "delivered":
          await this.relay(await store.settle(m.id, "delivered", now, "", status ?? 0));
          this.logger.info(log, "alert delivered");
          return "delivered";
        case "retry":
          await store.settle(m.id, "retry", now + verdict.delayMs, verdict.reason, status);
          this.logger.warn(
            { ...log, reason: verdict.reason, retryInMs: verdict.delayMs },
            "delivery failed; will retry",
          );
          throw new RetryLater(verdict.reason, verdict.delayMs);
        case "dead":
          await this.relay(await store.settle(m.id, "dead", now, verdict.reason, status));
          this.logger.error({ ...log, reason: verdict.reason }, "delivery given up: dead letter");
          throw new UnrecoverableError(verdict.reason);
      }
    } finally {
      await store.unlockStream(m.stream, holder).catch(() => undefined);
    }
  }

  /**
   * The dead letters: the failed sets of the destinations' queues, newest
   * first, as the stored messages they are.
   */
  async deadLetters(limit: number): Promise<OutboxMessage[]> {
    const ids: string[] = [];
    for (const q of this.queues.values()) {
      for (const job of await q.getFailed(0, limit - 1)) if (job?.id) ids.push(job.id);
    }
    const out: OutboxMessage[] = [];
    for (const id of ids) {
      const m = await this.options.store.get(id);
      if (m?.status === "dead") out.push(m);
    }
    return out.sort((a, b) => b.createdAt - a.createdAt).slice(0, limit);
  }

  async deadCount(): Promise<number> {
    let n = 0;
    for (const q of this.queues.values()) n += await q.getFailedCount();
    return n;
  }

  /**
   * A dead letter back in its stream (the store's replay) and its failed
   * job retried; false unless it was dead.
   */
  async replay(id: string, now: number, deadline: number): Promise<boolean> {
    const m = await this.options.store.get(id);
    if (!(await this.options.store.replay(id, now, deadline)) || !m) return false;
    const job = await this.queueOf(m.destination).getJob(id);
    if (job && (await job.isFailed())) await job.retry("failed", { resetAttemptsMade: true });
    else this.kick();
    return true;
  }

  /** The outbox as the management API and metrics see it in Redis mode. */
  view(): OutboxView {
    const store = this.options.store;
    return {
      list: (status: MessageStatus, limit: number) =>
        status === "dead" ? this.deadLetters(limit) : store.list(status, limit),
      get: (id: string) => store.get(id),
      replay: (id: string, now: number, deadline: number) => this.replay(id, now, deadline),
      counts: async () => ({ ...(await store.counts()), dead: await this.deadCount() }),
    };
  }
}
