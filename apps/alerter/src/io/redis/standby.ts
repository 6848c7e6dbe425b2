import type { Logger } from "pino";
import type { AlerterConfig } from "../../config.ts";
import { Engine, type EngineOptions } from "../engine.ts";
import type { Metrics } from "../metrics.ts";
import type { FollowState, RedisStore } from "./redis-store.ts";

export interface StandbyOptions {
  config: AlerterConfig;
  /** The unfenced store: every commit through it is refused, so a standby never commits. */
  store: RedisStore;
  logger: Logger;
  metrics: Metrics;
  wallClock?: () => number;
  /** Events counted per step at most (default 20,000). */
  replayPerStep?: number;
}

/** Events a standby counts per step at most: it tries for the lease between steps. */
const REPLAY_PER_STEP = 20_000;

/** How a lease holder got its engine. */
export interface Takeover {
  engine: Engine;
  /** True when it started from the standby's warm detector. */
  warm: boolean;
  /** Events replayed from the stream to open it. */
  replayed: number;
  /** Why the warm detector was not used (a cold takeover). */
  reason?: string;
}

/**
 * A warm standby (split state, wall clock): a node that does not hold the
 * lease keeps a detector loaded from the committed checkpoint and follows
 * the stream to its head, re-running each evaluation the evaluator commits
 * at the seq it was made. It never evaluates itself and commits nothing.
 *
 * Its detector is only as good as the evaluations it has seen, so every
 * step (and the takeover) checks it against the committed state: the
 * checkpoint generation it knows or the next one (whose snapshot moved the
 * evaluations list aside, where the standby reads the ones it had not seen);
 * the evaluations it knows a prefix of those committed; none still to re-run
 * that was made before its position; the stream still holding every event
 * after its position. Anything else and the standby loads the checkpoint
 * again (and a takeover falls back to a full load), so a takeover from warm
 * state opens the same engine a full load would, having replayed only the
 * tail of the stream.
 */
export class Standby {
  private warm: Engine | undefined;
  /** The checkpoint generation the standby has followed to. */
  private generation = 0;
  /** The evaluations committed in that generation that the standby knows of. */
  private segment: [number, number][] = [];
  /** Every evaluation committed since the checkpoint the warm engine was loaded from, in order. */
  private history: [number, number][] = [];
  /** Full loads of the checkpoint (the first one included). */
  reloads = 0;

  constructor(private readonly options: StandbyOptions) {}

  private engineOptions(): EngineOptions {
    const { config, store, logger, metrics, wallClock, replayPerStep } = this.options;
    return {
      config,
      store,
      splitState: true,
      gapless: true,
      replayLimit: replayPerStep ?? REPLAY_PER_STEP,
      // Counted in small batches: the event loop also serves this node's ingest and lease.
      replayBatch: 2000,
      logger: logger.child({ standby: true }),
      metrics,
      ...(wallClock ? { wallClock } : {}),
    };
  }

  /** The last event seq the warm detector counted, or null when it has none. */
  get position(): number | null {
    return this.warm?.position ?? null;
  }

  /**
   * One step: load the checkpoint if the warm state no longer fits it, then
   * follow the stream. Resolves to the events counted (a load counts as
   * some: the stream may be ahead of it).
   */
  async sync(): Promise<number> {
    try {
      const committed = await this.options.store.loadFollowState();
      const pending = this.warm ? this.reconcile(this.warm, committed) : "no warm state";
      if (typeof pending === "string") {
        this.warm = undefined;
        const engine = await Engine.open(this.engineOptions());
        if (engine.generation === undefined)
          throw new Error("the checkpoint was rebuilt from the log");
        this.generation = engine.generation;
        this.history = [...engine.rerun];
        this.segment = [...engine.rerun];
        this.warm = engine;
        this.reloads++;
        this.options.logger.debug({ reason: pending }, "standby loaded the checkpoint");
        return Math.max(1, engine.replayed);
      }
      this.warm!.follow(pending);
      return await this.warm!.catchUp();
    } catch (error) {
      // Half-followed state is never trusted: the next step loads the checkpoint again.
      this.warm = undefined;
      throw error;
    }
  }

  /**
   * The lease is ours (nothing else commits now): an engine over the warm
   * detector if it fits the committed state, else a full load. The warm
   * detector goes to the new engine; the standby starts over afterwards.
   */
  async takeOver(options: EngineOptions): Promise<Takeover> {
    const warm = this.warm;
    this.warm = undefined;
    const committed = await this.options.store.loadFollowState();
    const pending = warm ? this.reconcile(warm, committed) : "no warm state";
    if (typeof pending === "string") {
      const engine = await Engine.open(options);
      return { engine, warm: false, replayed: engine.replayed, reason: pending };
    }
    const engine = await Engine.resume(options, warm!.detector, warm!.position, {
      ...committed.saved,
      evaluations: pending,
    });
    return { engine, warm: true, replayed: engine.replayed };
  }

  /**
   * Brings what the standby knows up to the committed state: the
   * evaluations the warm engine has still to re-run, or why its state does
   * not fit the committed one.
   */
  private reconcile(warm: Engine, committed: FollowState): [number, number][] | string {
    const { saved, previousEvaluations, keptSeq } = committed;
    const list = saved.evaluations ?? [];
    const known = this.segment;
    const generation = saved.generation ?? 0;
    if (generation === this.generation + 1) {
      // A new snapshot: the rest of the old list was moved aside by it.
      if (!startsWith(previousEvaluations, known))
        return "the evaluations before the new checkpoint differ from those seen";
      this.history.push(...previousEvaluations.slice(known.length), ...list);
      this.generation += 1;
    } else if (generation === this.generation) {
      if (!startsWith(list, known)) return "the committed evaluations differ from those seen";
      this.history.push(...list.slice(known.length));
    } else return "more than one checkpoint was written since the standby's";
    this.segment = [...list];
    if (!startsWith(this.history, warm.rerun)) return "the standby re-ran other evaluations";
    const rest = this.history.slice(warm.rerun.length);
    if (rest.some(([seq]) => seq < warm.position))
      return "an evaluation was committed before the standby's position";
    // The stream keeps the events after the previous checkpoint's seq (a trim racing the next replay is caught by it: gapless).
    if (keptSeq > warm.position)
      return "the stream no longer holds the events after the standby's position";
    return rest;
  }
}

/** Whether `list` begins with every entry of `prefix`, in order. */
function startsWith(
  list: readonly [number, number][],
  prefix: readonly [number, number][],
): boolean {
  if (prefix.length > list.length) return false;
  return prefix.every(([seq, time], i) => list[i]![0] === seq && list[i]![1] === time);
}
