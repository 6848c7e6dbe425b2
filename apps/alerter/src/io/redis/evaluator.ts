import type { Logger } from "pino";
import type { AlerterConfig } from "../../config.ts";
import { graceMs } from "../../domain/schedule.ts";
import { Engine, type EngineOptions } from "../engine.ts";
import type { Metrics } from "../metrics.ts";
import type { StoredEvent } from "../store.ts";
import type { Lease } from "./lease.ts";
import type { RedisStore } from "./redis-store.ts";
import type { Standby, Takeover } from "./standby.ts";

/**
 * Events the evaluator reads and counts at a time while following the
 * stream: counting holds the event loop (about 2 µs an event, more on a
 * busy host, so 2,000 take a few ms), and the same process serves ingest,
 * health and the lease.
 */
const FOLLOW_BATCH = 2000;

export interface EvaluatorOptions {
  config: AlerterConfig;
  store: RedisStore;
  lease: Lease;
  logger: Logger;
  metrics: Metrics;
  onEnqueued?: () => void;
  onObserved?: EngineOptions["onObserved"];
  wallClock?: () => number;
  /** Split state: keeps a warm detector while this node does not hold the lease. */
  standby?: Standby;
}

/**
 * The one evaluator of a Redis deployment. Every node runs one; the node
 * holding the lease opens an Engine over the committed state (replaying the
 * stream since it), follows the stream, and evaluates at aligned boundaries
 * (the event clock evaluates as events cross them, as in one process). It
 * commits through the store fenced with its lease token, so once it has lost
 * the lease nothing it does lands. Any store failure steps it down: its
 * engine is dropped and the next holder starts again from the committed
 * state.
 */
export class Evaluator {
  private current: Engine | undefined;
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private renewing: NodeJS.Timeout | undefined;
  private busy: Promise<void> = Promise.resolve();
  private stepping = false;
  private readonly wall: () => number;
  /** Last wall-clock boundary evaluated by this holder. */
  private lastBoundary = 0;
  /** Wall time of this holder's last checkpoint. */
  private lastCheckpoint = 0;
  /** When the previous step read the stream head. */
  private headReadAt = 0;
  /**
   * While leading: the stream head seq counted by the last step, and an upper
   * bound on how long an appended event waited before the evaluator counted
   * it (from the previous step's read of the head to the end of this step's
   * catch-up: poll interval, evaluation, checkpoint and catch-up).
   */
  stream:
    | { counted: number; lagMs: number; eventLagMs: number; checkpointPauseMs: number }
    | undefined;
  /** The longest an event counted by the last step waited since its append (ms). */
  private eventLagMs = 0;
  /** The longest checkpoint pause of this holder: snapshot built and turned into JSON (ms). */
  private pauseMs = 0;
  private fencedStore: RedisStore | undefined;
  /** When this holder took the lease, until its first commit (0 after). */
  private tookLeaseAt = 0;
  /** When this holder took the lease, until its first evaluation (0 after). */
  private firstEvaluationAt = 0;
  /** How this holder got its engine: from the warm standby or a full load, and what it replayed. */
  takeover: (Omit<Takeover, "engine"> & { tookMs: number }) | undefined;

  constructor(private readonly options: EvaluatorOptions) {
    this.wall = options.wallClock ?? Date.now;
  }

  get engine(): Engine | undefined {
    return this.current;
  }

  get leading(): boolean {
    return this.current !== undefined;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const { leaseMs, pollMs } = this.redisConfig();
    this.renewing = setInterval(() => this.renew(), Math.floor(leaseMs / 3));
    this.timer = setInterval(() => this.tick(), pollMs);
    this.tick();
  }

  private redisConfig() {
    const r = this.options.config.store.redis;
    return {
      leaseMs: r?.leaseMs ?? 3000,
      pollMs: r?.pollMs ?? 250,
      checkpointMs: (r?.checkpointSeconds ?? 5) * 1000,
    };
  }

  /** One step at a time: take the lease, or follow the stream and evaluate. */
  private tick(): void {
    if (this.stepping) return; // a slow step (a long catch-up) is not queued behind itself
    this.stepping = true;
    this.again = false;
    this.busy = this.step()
      .catch((error) => this.stepDown(error))
      .finally(() => {
        this.stepping = false;
        if (this.again && this.running) setImmediate(() => this.tick());
      });
  }

  /** Set by a step that counted events: another may be waiting. */
  private again = false;

  /** The lag of each batch the evaluator counts: its oldest event's wait since its append. */
  private counted(batch: readonly StoredEvent[]): void {
    const received = this.fencedStore?.readReceivedAt;
    if (batch.length === 0 || !received) return;
    const lag = Math.max(0, this.wall() - received);
    this.eventLagMs = Math.max(this.eventLagMs, lag);
    this.options.metrics.streamLag.observe(lag / 1000);
  }

  private async step(): Promise<void> {
    if (!this.running) return;
    if (!this.current) {
      const token = await this.options.lease.acquire();
      if (token === null) {
        await this.follow();
        return;
      }
      // From here the lease is renewed (renew() looks at the lease, not at
      // the engine), so a catch-up longer than the lease does not lose it.
      const started = this.wall();
      const { config, logger, metrics, standby } = this.options;
      const store = this.options.store.fenced(token);
      // Every evaluation the old holder committed was made at or before this head.
      const replayTo = await this.options.store.headSeq();
      const options: EngineOptions = {
        config,
        store,
        // A small state at every evaluation; the detector snapshot only at checkpoints.
        splitState: true,
        replayBatch: FOLLOW_BATCH,
        replayTo,
        keepGoing: () => this.options.lease.token === token,
        onCounted: (batch) => this.counted(batch),
        logger,
        metrics,
        ...(this.options.onEnqueued ? { onEnqueued: this.options.onEnqueued } : {}),
        ...(this.options.onObserved ? { onObserved: this.options.onObserved } : {}),
        ...(this.options.wallClock ? { wallClock: this.options.wallClock } : {}),
      };
      const { engine, ...how }: Takeover = standby
        ? await standby.takeOver(options)
        : await Engine.open(options).then((e) => ({
            engine: e,
            warm: false,
            replayed: e.replayed,
          }));
      if (this.options.lease.token !== token) throw new Error("the lease was lost during catch-up");
      this.current = engine;
      this.fencedStore = store;
      this.pauseMs = 0;
      this.headReadAt = 0;
      // A new holder commits at once what it replayed, so the next takeover replays little.
      this.lastCheckpoint = 0;
      this.tookLeaseAt = started;
      this.firstEvaluationAt = started;
      this.lastBoundary = engine.detector.stats().lastEvaluation ?? 0;
      this.takeover = { ...how, tookMs: this.wall() - started };
      logger.info(
        { node: this.options.lease.node, token, ...this.takeover },
        "became the evaluator",
      );
    }
    const engine = this.current;
    // An event appended just after the previous step read the head is counted
    // by the end of this step: that span bounds how long any event waited.
    const t0 = this.wall();
    const head = await this.options.store.headSeq();
    // Up to the head read now: under steady load the step ends, and evaluates and checkpoints on time.
    this.eventLagMs = 0;
    const counted = await engine.catchUp(head);
    if (this.headReadAt > 0)
      this.stream = {
        counted: head,
        lagMs: this.wall() - this.headReadAt,
        eventLagMs: this.eventLagMs,
        checkpointPauseMs: Math.round(this.pauseMs),
      };
    this.headReadAt = t0;
    // Behind the stream: the next step starts at once instead of a poll later.
    this.again = counted > 0;
    const { config } = this.options;
    if (config.evaluation.clock === "wall") {
      // Aligned boundaries; a new holder whose tick is overdue evaluates at once.
      const step = config.evaluation.intervalSeconds * 1000;
      const { intervalSeconds, graceSeconds } = config.evaluation;
      const boundary =
        Math.floor((this.wall() - graceMs(intervalSeconds, graceSeconds)) / step) * step;
      if (boundary > this.lastBoundary) {
        // Commits the evaluation's small state (the snapshot waits for the next checkpoint).
        await engine.evaluate(boundary);
        this.lastBoundary = boundary;
        if (this.firstEvaluationAt > 0) {
          const due = boundary + graceMs(intervalSeconds, graceSeconds);
          this.options.logger.info(
            {
              node: this.options.lease.node,
              evaluation: new Date(boundary).toISOString(),
              tookMs: this.wall() - this.firstEvaluationAt,
              lateMs: Math.max(0, this.wall() - due),
            },
            "first evaluation as the evaluator",
          );
          this.firstEvaluationAt = 0;
        }
      }
    }
    // The counting buffers, so that a new evaluator replays little.
    if (this.wall() - this.lastCheckpoint >= this.redisConfig().checkpointMs) {
      await engine.checkpoint();
      this.lastCheckpoint = this.wall();
      const pause = engine.lastSnapshotMs + (this.fencedStore?.lastSerialiseMs ?? 0);
      this.pauseMs = Math.max(this.pauseMs, pause);
      if (this.tookLeaseAt > 0) {
        this.options.logger.info(
          { node: this.options.lease.node, tookMs: this.wall() - this.tookLeaseAt, pauseMs: pause },
          "first commit as the evaluator",
        );
        this.tookLeaseAt = 0;
      }
    }
  }

  /** Not the holder: keep the standby's detector near the committed state and the stream head. */
  private async follow(): Promise<void> {
    try {
      // Behind the stream: the next step (a lease attempt, then more counting) at once.
      this.again = ((await this.options.standby?.sync()) ?? 0) > 0;
    } catch (error) {
      this.options.logger.warn({ err: error }, "standby: could not follow the committed state");
    }
  }

  private renew(): void {
    if (this.options.lease.token === null) return;
    this.options.lease.renew().then(
      (ok) => {
        if (!ok) this.stepDown(new Error("the lease was lost"));
      },
      (error) => this.stepDown(error),
    );
  }

  private stepDown(error: unknown): void {
    if (!this.current && this.options.lease.token === null) {
      this.options.logger.warn({ err: error }, "evaluator: could not take the lease");
      return;
    }
    this.current = undefined;
    this.fencedStore = undefined;
    this.stream = undefined;
    this.takeover = undefined;
    this.options.logger.warn(
      { err: error, node: this.options.lease.node },
      "stepped down as the evaluator",
    );
    this.options.lease.release().catch(() => undefined);
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearInterval(this.timer);
    if (this.renewing) clearInterval(this.renewing);
    await this.busy;
    const engine = this.current;
    this.current = undefined;
    await engine?.drain();
    await this.options.lease.release().catch(() => undefined);
  }
}
