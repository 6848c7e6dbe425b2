import type { ActiveAlert, DetectorSnapshot, IncidentBookState } from "@sipcodes/detect";
import type { CallRecord } from "../domain/event.ts";
import type { GroupState } from "../domain/grouping.ts";
import type { IncidentNoticeState } from "../domain/incidents.ts";
import type { Silence } from "../domain/silence.ts";

/**
 * The storage and queue the alerter needs, kept small so that a shared store
 * (Redis, Postgres) can replace SQLite for several instances. Every method is
 * async for that reason, even though SQLite answers synchronously.
 */

export interface StoredEvent extends CallRecord {
  /** Position in the log: replay after a restart goes in this order. */
  seq: number;
}

export interface InsertResult {
  inserted: StoredEvent[];
  duplicates: number;
}

/** Everything needed to resume exactly: the detector, the groups, and how far the event log was read. */
export interface SavedState {
  snapshot: DetectorSnapshot | null;
  /** The last event seq the snapshot includes. */
  lastSeq: number;
  groups: GroupState[];
  /** Open incidents and what was announced about them (absent before incidents existed). */
  incidents?: IncidentBookState;
  notices?: IncidentNoticeState;
  /**
   * Split state (Redis mode, wall clock), on load: the evaluations made after
   * the snapshot, as `[last seq counted before it, evaluation time]`. The
   * engine re-runs them on the detector at those points of its replay, so
   * the snapshot (the counting buffers) need not be rewritten at every
   * evaluation; groups, incidents and notices are those of the last one.
   */
  evaluations?: [number, number][];
  /**
   * Split state, on commit: this commit is one evaluation's small state
   * (`snapshot` is null): keep the stored snapshot and its seq, and record
   * this evaluation as `[lastSeq, evaluation time]`.
   */
  evaluated?: [number, number];
  /** Redis mode, on load: the checkpoint's generation (one more at every snapshot written). */
  generation?: number;
  /**
   * On commit: what the detector shows after this state (its active alerts
   * and size). Redis mode keeps it beside the state, so that a node that
   * does not evaluate answers from what the evaluator last committed.
   */
  summary?: DetectorSummary;
}

/** The detector as the alert routes show it, without the detector. */
export interface DetectorSummary {
  active: ActiveAlert[];
  scopes: number;
  warmingUp: boolean;
}

/** `superseded`: never delivered because a newer message of its stream said the same thing. */
export type MessageStatus = "pending" | "delivered" | "dead" | "superseded";
export const MessageStatuses = [
  "pending",
  "delivered",
  "dead",
  "superseded",
] as const satisfies readonly MessageStatus[];

export interface NewMessage {
  /** Stable across retries and restarts; sent as `webhook-id`. */
  id: string;
  notificationId: string;
  destination: string;
  kind: string;
  /**
   * Ordering key at the destination (for example a PagerDuty dedup key):
   * a stream's messages go out one at a time in the order they were queued.
   */
  stream: string;
  /** What the message announces; a newer message of the stream with the same state supersedes it while undelivered. */
  state: "firing" | "resolved";
  body: string;
  createdAt: number;
  /** Still undelivered after this → dead letter. */
  deadline: number;
}

export interface OutboxMessage extends NewMessage {
  status: MessageStatus;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  lastStatus: number | null;
  deliveredAt: number | null;
  /** When it became a dead letter or was superseded. */
  deadAt: number | null;
  /** The message that superseded it. */
  supersededBy: string | null;
}

/**
 * The request body a batch of events was read from (its bytes, UTF-8), with
 * how it was read (`parseEventBody`). A store that writes on another thread
 * moves the bytes there and reads them again, which costs less than copying
 * the events across; it may detach `bytes`.
 */
export interface RawBatch {
  bytes: ArrayBuffer;
  ndjson: boolean;
}

export interface EventStore {
  /**
   * Stores new events (in one transaction) and reports the ids seen before.
   * `raw`, when given, is the body `events` were parsed from, exactly.
   */
  insertEvents(
    events: readonly CallRecord[],
    receivedAt: number,
    raw?: RawBatch,
  ): Promise<InsertResult>;
  /**
   * True when batches are stored in the order `insertEvents` was called, even
   * with several in flight: the engine then starts a batch's insert as it
   * arrives, while the one before is still being counted.
   */
  readonly insertsInOrder?: boolean;
  eventsAfter(seq: number, limit: number): Promise<StoredEvent[]>;
  loadState(): Promise<SavedState>;
  /**
   * Saves a state change and the messages it produces in one transaction (the
   * transactional outbox), and forgets events the saved state no longer needs
   * for replay that are older than the de-duplication horizon (and delivered
   * messages older than it).
   */
  commit(state: SavedState, messages: readonly NewMessage[], forgetBefore: number): Promise<void>;
  addSilence(silence: Silence): Promise<void>;
  listSilences(now: number, includeExpired: boolean): Promise<Silence[]>;
  /** Ends a silence now; false if there is no such silence. */
  expireSilence(id: string, now: number): Promise<boolean>;
  close(): Promise<void>;
}

export interface Outbox {
  /**
   * Pending messages due at `now` that head their stream (no older pending
   * message in the same stream), oldest first, leaving out the destinations
   * in `skipDestinations` and the streams in `skipStreams` (busy ones).
   */
  due(
    now: number,
    limit: number,
    skip?: { destinations?: readonly string[]; streams?: readonly string[] },
  ): Promise<OutboxMessage[]>;
  /** When the next message heading its stream is due, or null. */
  nextDue(): Promise<number | null>;
  markDelivered(id: string, now: number, status: number): Promise<void>;
  markRetry(id: string, nextAttemptAt: number, error: string, status: number | null): Promise<void>;
  markDead(id: string, now: number, error: string, status: number | null): Promise<void>;
  list(status: MessageStatus, limit: number): Promise<OutboxMessage[]>;
  get(id: string): Promise<OutboxMessage | undefined>;
  /** Puts a dead letter back in the queue with a new deadline; false unless it was dead. */
  replay(id: string, now: number, deadline: number): Promise<boolean>;
  /**
   * The newest message of `id`'s stream queued after it that was already
   * delivered, or null: a replayed dead letter whose stream moved on is
   * stale (a trigger after its resolve would reopen the incident).
   */
  newerDelivered?(id: string): Promise<string | null>;
  /** Marks a pending message superseded by `by` (delivered instead); nothing if not pending. */
  markSuperseded?(id: string, by: string, now: number): Promise<void>;
  counts(): Promise<Record<MessageStatus, number>>;
}

/**
 * Where a Slack Web API destination put a stream's message (one incident at
 * one destination), so later states edit that message and reply in its thread.
 */
export interface SlackThread {
  destination: string;
  stream: string;
  /** The channel id and message `ts` that `chat.postMessage` answered. */
  channel: string;
  ts: string;
  /** The last outbox message applied to it, and how far: edited (`updated`) or edited and replied (`done`). */
  messageId: string;
  step: "updated" | "done";
  /** The state the message shows. */
  state: "firing" | "resolved";
  updatedAt: number;
}

/** The store's record of Slack messages (SQLite and Redis stores). */
export interface SlackThreads {
  slackThread(destination: string, stream: string): Promise<SlackThread | undefined>;
  /** Saves a thread and forgets those not touched since `forgetBefore`. */
  saveSlackThread(thread: SlackThread, forgetBefore: number): Promise<void>;
}

/** What the management API and metrics read of an outbox (Redis mode adds BullMQ's failed sets). */
export type OutboxView = Pick<Outbox, "list" | "get" | "replay" | "counts">;
