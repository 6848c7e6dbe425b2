import { createHash } from "node:crypto";
import {
  createDetector,
  type Detector,
  describeIncidentChange,
  type IncidentTracker,
  isDetectError,
  type ObserveResult,
  type ReplayClock,
  replayClock,
  type Transition,
  trackIncidents,
} from "@sipcodes/detect";
import type { Logger } from "pino";
import type { AlerterConfig, Destination } from "../config.ts";
import { alertmanagerBatch } from "../domain/alertmanager.ts";
import type { CallRecord } from "../domain/event.ts";
import { GroupBook, type PlannedNotification } from "../domain/grouping.ts";
import { IncidentNotices } from "../domain/incidents.ts";
import { buildPayload, Explainer } from "../domain/notification.ts";
import {
  type RenderedMessage,
  renderPagerDuty,
  renderSlack,
  renderSlackApi,
  renderTeams,
  renderWebhook,
} from "../domain/render.ts";
import { alignedNow } from "../domain/schedule.ts";
import type { AlertLabels } from "../domain/silence.ts";
import { findSilence, type Silence } from "../domain/silence.ts";
import type { Metrics } from "./metrics.ts";
import type { EventStore, NewMessage, RawBatch, SavedState, StoredEvent } from "./store.ts";

export interface IngestOutcome {
  accepted: number;
  duplicate: number;
  /** Stored but not counted by the detector: 1xx, too late for any window, too far in the future. */
  ignored: number;
  /** The detector's verdict on each new event (only `accepted` ones count). */
  results: Record<ObserveResult, number>;
}

export interface EngineOptions {
  config: AlerterConfig;
  store: EventStore;
  logger: Logger;
  metrics: Metrics;
  /** Wall clock, for receipt times, outbox deadlines and `wall` evaluations. */
  wallClock?: () => number;
  /** Told the detector's verdict on every event (per-scope response metrics). */
  onObserved?: (event: CallRecord, result: ObserveResult) => void;
  /** Called after messages were committed to the outbox. */
  onEnqueued?: () => void;
  /**
   * Redis mode, wall clock: commit a small state at every evaluation and the
   * detector snapshot only at `checkpoint()` (see SavedState.evaluations).
   */
  splitState?: boolean;
  /**
   * Redis warm standby: the log's seqs have no holes (each append takes the
   * next one), so a replay that does not start right after the engine's seq
   * means events were trimmed before it counted them, and it throws.
   */
  gapless?: boolean;
  /**
   * Redis warm standby: replay at most this many events per call (opening
   * and each catch-up); the rest on the next call, so that a standby behind
   * the stream still tries for the lease every poll.
   */
  replayLimit?: number;
  /**
   * Redis mode: events read and counted per step of a replay (default
   * 10,000). Counting a batch holds the event loop, so a node that also
   * serves ingest and its lease takes smaller ones.
   */
  replayBatch?: number;
  /** Redis mode: told each batch of events counted by a catch-up, right after it was counted. */
  onCounted?: (batch: readonly StoredEvent[]) => void;
  /**
   * Redis mode, a new evaluator: opening replays the events up to this seq
   * (the stream head when it took the lease, past every evaluation
   * committed before), not to whatever head it finds by the end: under
   * steady load it would chase the head for as long as it counts slower
   * than events arrive. The rest is counted by the following catch-ups.
   */
  replayTo?: number;
  /** Redis mode: checked between replay batches; false stops the replay (the lease was lost). */
  keepGoing?: () => boolean;
}

const REPLAY_BATCH = 10_000;

/**
 * The alerter's core loop: events go to the store, then to the detector;
 * evaluations turn transitions into notifications, and the new state and its
 * outbox messages are committed together. Every step runs in one queue, so
 * the detector sees events in log order and a snapshot always matches the
 * seq it is saved with; after a crash, replaying the log past that seq
 * rebuilds the same state (and, with the event clock, the same messages,
 * whose ids are stable, so nothing is sent twice).
 */
export class Engine {
  readonly detector: Detector;
  readonly book: GroupBook;
  readonly explainer: Explainer;
  readonly incidents: IncidentTracker;
  readonly notices: IncidentNotices;
  private lastSeq: number;
  /** Event clock: when evaluations are due (the same clock as the CLI's backtest). */
  private readonly clock: ReplayClock;
  private silences: Silence[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private readonly wall: () => number;
  /** Split state: evaluations to re-run on the detector while replaying (from the saved state). */
  private readonly pendingEvaluations: [number, number][];
  /** Split state: the saved evaluations re-run so far, in order (what a warm standby checks). */
  readonly rerun: [number, number][] = [];
  private readonly split: boolean;

  private constructor(
    private readonly options: EngineOptions,
    detector: Detector,
    book: GroupBook,
    lastSeq: number,
    saved: SavedState,
  ) {
    this.detector = detector;
    this.book = book;
    this.incidents = trackIncidents(detector, saved.incidents);
    this.notices = new IncidentNotices(
      {
        groupWaitMs: options.config.grouping.groupWaitSeconds * 1000,
        repeatIntervalMs: options.config.grouping.repeatIntervalSeconds * 1000,
        inhibitRules: options.config.inhibitRules,
      },
      saved.notices,
    );
    this.lastSeq = lastSeq;
    this.explainer = new Explainer(options.config.profile);
    this.wall = options.wallClock ?? Date.now;
    this.clock = replayClock(detector, options.config.evaluation.intervalSeconds);
    this.split = options.splitState === true && options.config.evaluation.clock === "wall";
    this.pendingEvaluations = this.split ? [...(saved.evaluations ?? [])] : [];
    this.generation = saved.generation;
  }

  /** Redis mode: the generation of the checkpoint the engine was opened from (absent if rebuilt). */
  readonly generation: number | undefined;

  /** Split state: re-runs, on the detector alone, the saved evaluations made after `seq` was counted. */
  private rerunEvaluations(before: number): void {
    while (this.pendingEvaluations.length > 0 && this.pendingEvaluations[0]![0] < before) {
      const e = this.pendingEvaluations.shift()!;
      this.detector.evaluate(e[1]);
      this.rerun.push(e);
    }
  }

  /** The last event seq counted. */
  get position(): number {
    return this.lastSeq;
  }

  /**
   * Split state, warm standby: the committed evaluations not re-run yet
   * (each at or after `position`), re-run now if made at `position`, else as
   * the following catch-ups pass their seq. Replaces what was queued before.
   */
  follow(evaluations: readonly [number, number][]): void {
    this.pendingEvaluations.splice(0, this.pendingEvaluations.length, ...evaluations);
    // Those made right after the last event counted can run now.
    this.rerunEvaluations(this.lastSeq + 1);
  }

  /** Loads the saved state and replays the events logged after it. */
  static async open(options: EngineOptions): Promise<Engine> {
    const { config, store, logger } = options;
    const saved = await store.loadState();
    let detector: Detector;
    let lastSeq = saved.lastSeq;
    try {
      detector = createDetector(config.detector, saved.snapshot ?? undefined);
    } catch (error) {
      if (!isDetectError(error) || saved.snapshot === null) throw error;
      // Rules changed since the snapshot (or it is damaged): start over from the stored events.
      logger.warn(
        { err: error.toJSON() },
        "saved detector state does not fit the config; rebuilding it from the event log",
      );
      detector = createDetector(config.detector);
      lastSeq = 0;
    }
    const book = groupBook(config, saved.groups);
    // A rebuilt detector starts its incidents over too (replaying the log rebuilds them).
    const kept: SavedState =
      lastSeq === saved.lastSeq
        ? { ...saved, generation: saved.generation ?? 0 }
        : { snapshot: null, lastSeq, groups: saved.groups };
    return Engine.start(new Engine(options, detector, book, lastSeq, kept));
  }

  /**
   * Split state, warm standby taking over: an engine over `detector`, which
   * has counted the events up to `lastSeq` and re-run the saved evaluations
   * before it (checked by the caller against the committed state), with the
   * committed small state `saved` (its `evaluations`: those not re-run yet).
   * Replays only the events after `lastSeq`.
   */
  static async resume(
    options: EngineOptions,
    detector: Detector,
    lastSeq: number,
    saved: SavedState,
  ): Promise<Engine> {
    const book = groupBook(options.config, saved.groups);
    return Engine.start(new Engine(options, detector, book, lastSeq, saved));
  }

  /** Loads the silences, replays the events logged after the engine's seq, re-runs what is left. */
  private static async start(engine: Engine): Promise<Engine> {
    const { store, logger } = engine.options;
    engine.silences = await store.listSilences(0, false);
    const replayed = await engine.replay(engine.options.replayTo);
    // A replay cut short leaves the evaluations after its last event for the next one.
    engine.rerunEvaluations(
      engine.options.replayLimit === undefined ? Number.POSITIVE_INFINITY : engine.lastSeq + 1,
    );
    engine.replayed = replayed;
    logger.info(
      {
        lastSeq: engine.lastSeq,
        replayed,
        lastEvaluation: engine.detector.stats().lastEvaluation,
        groups: engine.book.groups.size,
      },
      "state loaded",
    );
    return engine;
  }

  /** How many events the engine replayed when it was opened. */
  replayed = 0;

  /** Runs `task` after every task queued before it. */
  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Counts the stored events after the engine's seq: at most `replayLimit`, and none after `upTo`. */
  private async replay(upTo = Number.POSITIVE_INFINITY): Promise<number> {
    let total = 0;
    const limit = this.options.replayLimit ?? Number.POSITIVE_INFINITY;
    const size = this.options.replayBatch ?? REPLAY_BATCH;
    while (total < limit && this.lastSeq < upTo) {
      const batch = await this.options.store.eventsAfter(
        this.lastSeq,
        Math.min(size, limit - total, upTo - this.lastSeq),
      );
      if (batch.length === 0) break;
      if (this.options.keepGoing && !this.options.keepGoing())
        throw new Error("replay stopped: this node no longer holds the lease");
      if (this.options.gapless && batch[0]!.seq !== this.lastSeq + 1)
        throw new Error(
          `events ${this.lastSeq + 1}..${batch[0]!.seq - 1} left the stream before they were counted`,
        );
      const messages: NewMessage[] = [];
      const evaluated = this.process(batch, messages, undefined);
      this.options.onCounted?.(batch);
      if (evaluated) await this.persist(messages);
      total += batch.length;
    }
    return total;
  }

  /** The engine's notion of now: the wall clock, or with the event clock the last evaluation time. */
  now(): number {
    if (this.options.config.evaluation.clock === "wall") return this.wall();
    return this.detector.stats().lastEvaluation ?? this.wall();
  }

  /**
   * Stores a batch (one transaction), then counts its new events; resolves after the commit.
   * `raw` is the request body `events` were parsed from, when there is one (see RawBatch).
   */
  ingest(events: readonly CallRecord[], raw?: RawBatch): Promise<IngestOutcome> {
    const { store } = this.options;
    // A store that keeps call order takes the batch now, beside the counting of the one before.
    const early = store.insertsInOrder ? store.insertEvents(events, this.wall(), raw) : undefined;
    early?.catch(() => undefined); // awaited (and its error thrown) in turn below
    return this.serial(async () => {
      const { inserted, duplicates } = await (early ??
        store.insertEvents(events, this.wall(), raw));
      const counts: Record<ObserveResult, number> = {
        accepted: 0,
        ignored: 0,
        late: 0,
        future: 0,
        invalid: 0,
      };
      const messages: NewMessage[] = [];
      const evaluated = this.process(inserted, messages, counts);
      if (evaluated) await this.persist(messages);
      return {
        accepted: inserted.length,
        duplicate: duplicates,
        ignored: counts.ignored + counts.late + counts.future + counts.invalid,
        results: counts,
      };
    });
  }

  /** Observes events in order; with the event clock, evaluates at each interval they cross. */
  private process(
    events: readonly (CallRecord & { seq: number })[],
    messages: NewMessage[],
    counts: Record<ObserveResult, number> | undefined,
  ): boolean {
    const eventClock = this.options.config.evaluation.clock === "event";
    let evaluated = false;
    for (const e of events) {
      this.rerunEvaluations(e.seq);
      if (eventClock) {
        const due = this.clock.due(e.time);
        for (const now of due) this.evaluateAt(now, messages);
        if (due.length > 0) evaluated = true;
      }
      const result = this.detector.observe(e);
      if (counts) counts[result]++;
      this.options.onObserved?.(e, result);
      this.lastSeq = e.seq;
    }
    return evaluated;
  }

  /**
   * Wall clock: one evaluation at `now` (default the latest whole interval, so
   * ids never carry an arbitrary millisecond). Event clock: evaluations up to
   * `now` (the admin hook).
   */
  evaluate(
    now: number = alignedNow(this.wall(), this.options.config.evaluation.intervalSeconds),
  ): Promise<Transition[]> {
    return this.serial(async () => {
      const messages: NewMessage[] = [];
      const transitions: Transition[] = [];
      if (this.options.config.evaluation.clock === "event") {
        const due = this.clock.due(now);
        if (due.length === 0) return [];
        for (const at of due) this.evaluateAt(at, messages, transitions);
        await this.persist(messages);
      } else {
        this.evaluateAt(now, messages, transitions);
        // Split state: every evaluation is recorded (a new evaluator re-runs it), and it is small.
        if (this.split) {
          await this.persist(messages, false);
          return transitions;
        }
        const quiet = transitions.length === 0 && messages.length === 0;
        const due =
          this.wall() - this.lastPersist >= this.options.config.evaluation.snapshotSeconds * 1000;
        if (!quiet || due) await this.persist(messages);
      }
      return transitions;
    });
  }

  private evaluateAt(now: number, messages: NewMessage[], sink?: Transition[]): void {
    const { metrics, logger } = this.options;
    const stop = metrics.evaluation.startTimer();
    const transitions = this.detector.evaluate(now);
    for (const t of transitions) {
      metrics.transitions.inc({ state: t.to });
      logger.info(
        {
          rule: t.rule,
          scope: t.scope.key,
          from: t.from,
          to: t.to,
          incidentId: t.incidentId,
          time: new Date(t.time).toISOString(),
          calls: t.calls,
          count: t.count,
          rate: t.rate,
          wilsonLower: t.wilsonLower,
          threshold: t.threshold,
        },
        "alert transition",
      );
    }
    sink?.push(...transitions);
    const silences = this.silences;
    const isSilenced = (labels: AlertLabels) => findSilence(labels, silences, now) !== undefined;
    const changes = this.incidents.update(now, transitions);
    for (const c of changes) logger.info(describeIncidentChange(c), "incident change");
    let planned: PlannedNotification[];
    if (this.options.config.grouping.by === "incident") {
      planned = this.notices.flush(now, this.incidents.book.incidents(), changes, isSilenced);
    } else {
      this.book.apply(transitions);
      this.book.refresh(this.detector.active());
      planned = this.book.flush(now, isSilenced);
    }
    for (const n of planned) {
      metrics.notifications.inc({ reason: n.reason });
      messages.push(...this.messagesFor(n));
    }
    messages.push(...this.alertmanagerMessages(now, transitions));
    stop();
  }

  /** Evaluation time of the last batch queued per Alertmanager destination. */
  private readonly alertmanagerSent = new Map<string, number>();

  /** Alertmanager destinations: every firing alert at each change, and re-sent while active. */
  private alertmanagerMessages(now: number, transitions: readonly Transition[]): NewMessage[] {
    const { config } = this.options;
    const out: NewMessage[] = [];
    const createdAt = this.wall();
    for (const dest of config.destinations) {
      if (dest.type !== "alertmanager") continue;
      const alerts = alertmanagerBatch({
        now,
        wallNow: createdAt,
        lastSent: this.alertmanagerSent.get(dest.name),
        active: this.detector.active(),
        transitions,
        ctx: {
          rules: this.detector.config.rules,
          explainer: this.explainer,
          ruleFilter: dest.rules,
          alerterUrl: dest.alerterUrl,
          resendMs: dest.resendSeconds * 1000,
        },
      });
      if (alerts.length === 0) continue;
      this.alertmanagerSent.set(dest.name, now);
      const id = `alertmanager@${new Date(now).toISOString()}`;
      out.push({
        id: messageId(id, dest.name, "alerts"),
        notificationId: id,
        destination: dest.name,
        kind: dest.type,
        // One stream per destination, in order; a newer batch of the same state supersedes an
        // undelivered one (it carries every alert still firing). A superseded resolve is not
        // lost for long: the alert is no longer re-sent and expires at its endsAt.
        stream: `${dest.name}|alertmanager`,
        state: alerts.some((a) => Date.parse(a.endsAt) <= now) ? "resolved" : "firing",
        body: JSON.stringify(alerts),
        createdAt,
        // A batch is only worth sending until the next one supersedes it.
        deadline:
          createdAt +
          Math.min(config.delivery.deadLetterAfterSeconds, dest.resendSeconds * 4) * 1000,
      });
    }
    return out;
  }

  private messagesFor(n: PlannedNotification): NewMessage[] {
    const { config } = this.options;
    const createdAt = this.wall();
    const deadline = createdAt + config.delivery.deadLetterAfterSeconds * 1000;
    const out: NewMessage[] = [];
    for (const dest of config.destinations) {
      if (dest.type === "alertmanager") continue; // fed by alertmanagerMessages
      const alerts = n.alerts.filter(
        (a) =>
          (!dest.rules || dest.rules.includes(a.rule)) &&
          (dest.sendResolved || a.status === "firing"),
      );
      if (alerts.length === 0) continue;
      const status = alerts.some((a) => a.status === "firing") ? "firing" : "resolved";
      const payload = buildPayload(
        { ...n, alerts, status },
        this.detector.config.rules,
        this.explainer,
      );
      for (const m of render(dest, payload)) {
        out.push({
          id: messageId(n.id, dest.name, m.part),
          notificationId: n.id,
          destination: dest.name,
          kind: dest.type,
          stream: `${dest.name}|${m.stream}`,
          state: m.state,
          body: JSON.stringify(m.body),
          createdAt,
          deadline,
        });
      }
    }
    if (out.length > 0) {
      this.options.logger.info(
        {
          notification: n.id,
          status: n.status,
          reason: n.reason,
          alerts: n.alerts.length,
          messages: out.length,
        },
        "notification queued",
      );
    }
    return out;
  }

  /** Wall time of the last commit of the state. */
  private lastPersist = 0;

  /** How long the last full commit held the event loop building the detector snapshot (ms). */
  lastSnapshotMs = 0;

  /** `full` false (split state): the small state of an evaluation, without the snapshot. */
  private async persist(messages: NewMessage[], full = true): Promise<void> {
    const { store, config } = this.options;
    this.lastPersist = this.wall();
    const forgetBefore = this.wall() - config.ingest.dedupeHours * 3600_000;
    const started = performance.now();
    const snapshot = full ? this.detector.snapshot() : null;
    if (full) this.lastSnapshotMs = performance.now() - started;
    const stats = this.detector.stats();
    const evaluated = stats.lastEvaluation;
    await store.commit(
      {
        snapshot,
        summary: {
          active: this.detector.active(),
          scopes: stats.scopes.total,
          warmingUp: stats.warmingUp,
        },
        ...(!full && evaluated !== null
          ? { evaluated: [this.lastSeq, evaluated] as [number, number] }
          : {}),
        lastSeq: this.lastSeq,
        groups: this.book.toJSON(),
        incidents: this.incidents.book.toJSON(),
        notices: this.notices.toJSON(),
      },
      messages,
      forgetBefore,
    );
    if (messages.length > 0) this.options.onEnqueued?.();
  }

  async addSilence(silence: Silence): Promise<void> {
    await this.options.store.addSilence(silence);
    this.silences = await this.options.store.listSilences(0, false);
  }

  listSilences(now: number, includeExpired: boolean): Promise<Silence[]> {
    return this.options.store.listSilences(now, includeExpired);
  }

  async expireSilence(id: string): Promise<boolean> {
    const ok = await this.options.store.expireSilence(id, this.now());
    this.silences = await this.options.store.listSilences(0, false);
    return ok;
  }

  /**
   * Re-reads the silences and processes the events logged since the last one
   * counted: in Redis mode other nodes append them, and this is how the
   * evaluator follows the stream (up to `upTo`, the head it read, so that
   * a step ends under steady load). Resolves after any commit it made.
   */
  catchUp(upTo?: number): Promise<number> {
    return this.serial(async () => {
      this.silences = await this.options.store.listSilences(0, false);
      return this.replay(upTo);
    });
  }

  /** Commits the state as it is now (Redis mode's periodic checkpoint: a new evaluator replays less). */
  checkpoint(): Promise<void> {
    return this.serial(() => this.persist([]));
  }

  /** Waits for queued work (used at shutdown). */
  async drain(): Promise<void> {
    await this.serial(async () => undefined);
  }
}

function groupBook(config: AlerterConfig, groups: SavedState["groups"]): GroupBook {
  return new GroupBook(
    {
      groupBy: config.grouping.groupBy,
      groupWaitMs: config.grouping.groupWaitSeconds * 1000,
      groupIntervalMs: config.grouping.groupIntervalSeconds * 1000,
      repeatIntervalMs: config.grouping.repeatIntervalSeconds * 1000,
    },
    groups,
  );
}

/** A `webhook-id` that is the same on every retry and after any restart. */
export function messageId(notificationId: string, destination: string, part: string): string {
  const hash = createHash("sha256")
    .update(`${notificationId}\u0000${destination}\u0000${part}`)
    .digest("base64url");
  return `msg_${hash.slice(0, 32)}`;
}

function render(dest: Destination, payload: ReturnType<typeof buildPayload>): RenderedMessage[] {
  switch (dest.type) {
    case "webhook":
      return renderWebhook(payload);
    case "slack":
      return renderSlack(payload);
    case "slack-api":
      return renderSlackApi(payload);
    case "teams":
      return renderTeams(payload);
    case "pagerduty":
      return renderPagerDuty(payload, dest.routingKey);
    case "alertmanager":
      return [];
  }
}
