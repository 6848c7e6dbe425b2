import type { DetectorSnapshot, IncidentBookState } from "@sipcodes/detect";
import type { Redis } from "ioredis";
import type { CallRecord } from "../../domain/event.ts";
import type { GroupState } from "../../domain/grouping.ts";
import type { IncidentNoticeState } from "../../domain/incidents.ts";
import type { Silence } from "../../domain/silence.ts";
import type {
  DetectorSummary,
  EventStore,
  InsertResult,
  MessageStatus,
  NewMessage,
  Outbox,
  OutboxMessage,
  SavedState,
  SlackThread,
  SlackThreads,
  StoredEvent,
} from "../store.ts";
import { MessageStatuses } from "../store.ts";
import { type RedisKeys, redisKeys } from "./keys.ts";
import {
  COMMIT,
  DUE,
  FORGET,
  INGEST,
  MARK,
  RELEASE,
  REPLAY,
  runScript,
  SUPERSEDE,
  TAKE_RATE,
} from "./scripts.ts";

/**
 * Dedupe buckets per horizon: an id is remembered for at least the horizon
 * and at most one bucket (a third of it) longer, and each ingest looks in
 * up to four sets (see INGEST in scripts.ts). Each set looked in costs
 * Redis about 0.5 µs of CPU per event, so more, smaller buckets trade CPU
 * for memory (BENCHMARKS.md).
 */
export const DEDUPE_BUCKETS = 3;

export interface RedisStoreOptions {
  redis: Redis;
  /** The hash tag of every key (one deployment per prefix). */
  prefix: string;
  /** How long an event id is remembered at least, in ms (at most a bucket more: DEDUPE_BUCKETS). */
  dedupeMs: number;
  /** Replicas that must confirm an append before it is acknowledged (`WAIT`); 0: none. */
  replicas: number;
  replicaTimeoutMs: number;
  /** Fault tests: SIGKILL this process around the first commit with messages. */
  fault?: "crash-before-commit" | "crash-after-commit";
}

/** See RedisStore.committedView. */
export interface CommittedView {
  /** Null until an evaluator that writes it has committed. */
  summary: DetectorSummary | null;
  groups: GroupState[];
  incidents: IncidentBookState | undefined;
  lastEvaluation: number | null;
  /** The node holding the evaluator lease (its SIPCODES_NODE_ID), or null when none does. */
  leader: string | null;
}

/** See RedisStore.loadFollowState. */
export interface FollowState {
  saved: SavedState;
  previousEvaluations: [number, number][];
  keptSeq: number;
}

/** Why a store call failed in a way the caller should answer as "try later". */
export class StoreUnavailableError extends Error {
  override readonly name = "StoreUnavailableError";
  readonly code = "store_unavailable";
}

/** A commit whose fencing token is no longer the lease holder's: this node is not the evaluator. */
export class FencedError extends Error {
  override readonly name = "FencedError";
  readonly code = "fenced";
}

const num = (v: string | undefined): number | null =>
  v === undefined || v === "" ? null : Number(v);

function toMessage(h: Record<string, string>): OutboxMessage | undefined {
  if (h.id === undefined) return undefined;
  return {
    id: h.id,
    notificationId: h.notificationId ?? "",
    destination: h.destination ?? "",
    kind: h.kind ?? "",
    stream: h.stream ?? "",
    state: h.state === "resolved" ? "resolved" : "firing",
    body: h.body ?? "",
    createdAt: Number(h.createdAt),
    deadline: Number(h.deadline),
    status: (h.status ?? "pending") as MessageStatus,
    attempts: Number(h.attempts ?? 0),
    nextAttemptAt: Number(h.nextAttemptAt),
    lastError: h.lastError ?? null,
    lastStatus: num(h.lastStatus),
    deliveredAt: num(h.deliveredAt),
    deadAt: num(h.deadAt),
    supersededBy: h.supersededBy ?? null,
  };
}

/** Maps a failure of the connection (not of a script's logic) to StoreUnavailableError. */
function unavailable(error: unknown): never {
  if (error instanceof FencedError || error instanceof StoreUnavailableError) throw error;
  const message = error instanceof Error ? error.message : String(error);
  if (message.startsWith("FENCED")) throw new FencedError(message);
  throw new StoreUnavailableError(`redis: ${message}`, { cause: error });
}

/**
 * The store of Redis mode. Ingest is one script that dedupes and appends a
 * whole batch to a stream; the evaluator's commit is one script that checks
 * its fencing token; outbox messages are hashes indexed by sorted sets.
 * `fenced(token)` gives the view the lease holder commits through; a store
 * without a token refuses every commit.
 */
export class RedisStore implements EventStore, Outbox, SlackThreads {
  readonly keys: RedisKeys;
  readonly redis: Redis;
  /**
   * When the oldest event the last `eventsAfter` returned was appended (the
   * ingest node's wall clock, ms): the evaluator's measure of its lag.
   */
  readReceivedAt: number | undefined;
  /** Events per stream entry in the last read (each entry is one ingested batch). */
  private perEntry = 1000;
  /** The longest the last commit held the event loop turning the state into JSON (ms, one chunk). */
  lastSerialiseMs = 0;

  constructor(
    private readonly options: RedisStoreOptions,
    private readonly token: number | null = null,
  ) {
    this.redis = options.redis;
    this.keys = redisKeys(options.prefix);
  }

  /** The same store, committing with `token` (from the lease). */
  fenced(token: number): RedisStore {
    return new RedisStore(this.options, token);
  }

  async insertEvents(events: readonly CallRecord[], receivedAt: number): Promise<InsertResult> {
    if (events.length === 0) return { inserted: [], duplicates: 0 };
    const k = this.keys;
    const keys = [k.seq, k.events, k.dedupeBuckets, k.dedupeSince];
    const args: (string | number)[] = [k.prefix, this.options.dedupeMs, DEDUPE_BUCKETS, receivedAt];
    for (const e of events) args.push(e.id);
    for (const e of events) args.push(encodeEvent(e));
    let seqs: number[];
    try {
      seqs = (await runScript(this.redis, INGEST, keys, args)) as number[];
      if (this.options.replicas > 0) {
        const acked = await this.redis.wait(this.options.replicas, this.options.replicaTimeoutMs);
        if (acked < this.options.replicas)
          throw new StoreUnavailableError(
            `only ${acked} of ${this.options.replicas} replicas confirmed the append`,
          );
      }
    } catch (error) {
      unavailable(error);
    }
    const inserted: StoredEvent[] = [];
    let duplicates = 0;
    events.forEach((e, i) => {
      const seq = Number(seqs[i]);
      if (seq > 0) inserted.push({ ...e, seq });
      else duplicates++;
    });
    return { inserted, duplicates };
  }

  /**
   * Takes `n` events from the ingest budget every node shares (seconds to
   * wait, or 0). Unreachable Redis: StoreUnavailableError, as for ingest.
   */
  async takeRate(perSecond: number, n: number): Promise<number> {
    try {
      return Number(await runScript(this.redis, TAKE_RATE, [this.keys.rate], [perSecond, n]));
    } catch (error) {
      unavailable(error);
    }
  }

  /**
   * Up to `limit` events with a seq above `seq`, in order. Each stream entry
   * is one ingested batch (its id the batch's last seq), so the first entry
   * read may start at or before `seq`: its events up to `seq` are skipped,
   * and a batch cut by `limit` is read again from where it was cut.
   */
  async eventsAfter(seq: number, limit: number): Promise<StoredEvent[]> {
    const out: StoredEvent[] = [];
    this.readReceivedAt = undefined;
    let from = `(${seq}-0`;
    while (out.length < limit) {
      // Entries per read from the batch size seen so far, so that one reply
      // holds about what is asked (batches of one event or of thousands).
      const want = Math.max(1, Math.min(1000, Math.ceil((limit - out.length) / this.perEntry)));
      const rows = await this.redis.xrange(this.keys.events, from, "+", "COUNT", want);
      let events = 0;
      for (const [id, fields] of rows) {
        const batch = decodeEntry(id, fields);
        events += batch.length;
        if (this.readReceivedAt === undefined && batch.at(-1)!.seq > seq)
          this.readReceivedAt = receivedOf(fields);
        for (const e of batch) {
          if (e.seq <= seq) continue;
          if (out.length >= limit) return out;
          out.push(e);
        }
      }
      if (rows.length > 0) this.perEntry = Math.max(1, events / rows.length);
      if (rows.length < want) break;
      from = `(${rows.at(-1)![0]}`;
    }
    return out;
  }

  /**
   * The committed state: `lastSeq` is the snapshot's seq (replay starts
   * there), and `evaluations` the ones committed since (split state).
   */
  async loadState(): Promise<SavedState> {
    // One MULTI: a standby reads while the evaluator commits, and the parts must agree.
    const [h, evaluations, chunks] = await this.readState(true);
    const seq = snapshotSeq(h, evaluations);
    // A snapshot written as one field (before chunks) is read as it was.
    const snapshot =
      chunks.length > 0
        ? await joinSnapshot(chunks)
        : h.snapshot
          ? (JSON.parse(h.snapshot) as DetectorSnapshot)
          : null;
    return { ...smallState(h, evaluations), snapshot, lastSeq: seq ? Number(seq) : 0 };
  }

  /**
   * What a warm standby follows, without the snapshot: the committed small
   * state (its `lastSeq` is the snapshot's seq, as in loadState, and its
   * `generation` the checkpoint's), the evaluations committed between the
   * previous snapshot and this one, and the seq after which the stream still
   * holds every event.
   */
  async loadFollowState(): Promise<FollowState> {
    const [h, evaluations, , before] = await this.readState(false);
    const seq = snapshotSeq(h, evaluations);
    return {
      saved: { ...smallState(h, evaluations), snapshot: null, lastSeq: seq ? Number(seq) : 0 },
      previousEvaluations: before,
      keptSeq: Number(h.keptSeq ?? seq ?? 0),
    };
  }

  /** The state hash, the evaluations lists and (if `chunks`) the snapshot's chunks, read atomically. */
  private async readState(
    chunks: boolean,
  ): Promise<[Record<string, string>, [number, number][], string[], [number, number][]]> {
    const m = this.redis
      .multi()
      .hgetall(this.keys.state)
      .lrange(this.keys.evaluations, 0, -1)
      .lrange(this.keys.previousEvaluations, 0, -1);
    if (chunks) m.lrange(this.keys.snapshot, 0, -1);
    const res = (await m.exec()) ?? [];
    for (const [error] of res) if (error) throw error;
    const [h, evaluations, before, parts] = res.map((r) => r[1]) as [
      Record<string, string> | undefined,
      string[] | undefined,
      string[] | undefined,
      string[] | undefined,
    ];
    const pairs = (list: string[] | undefined) =>
      (list ?? []).map((v) => v.split(",").map(Number) as [number, number]);
    return [h ?? {}, pairs(evaluations), parts ?? [], pairs(before)];
  }

  /**
   * When the deployment's evaluator last evaluated (from its last commit):
   * what readiness checks on every node, standby or not.
   */
  async lastEvaluation(): Promise<number | null> {
    const v = await this.redis.hget(this.keys.state, "lastEvaluation");
    return v === null ? null : Number(v);
  }

  /**
   * What the evaluator last committed, as the alert routes show it (for a
   * node that does not evaluate), and which node holds the lease now.
   */
  async committedView(): Promise<CommittedView> {
    const m = this.redis
      .multi()
      .hmget(this.keys.state, "summary", "groups", "incidents", "lastEvaluation")
      .get(this.keys.lease);
    const res = (await m.exec().catch(unavailable)) ?? [];
    for (const [error] of res) if (error) unavailable(error);
    const [fields, lease] = res.map((r) => r[1]) as [(string | null)[], string | null];
    const [summary, groups, incidents, lastEvaluation] = fields;
    const holder = lease?.slice(lease.indexOf(" ") + 1);
    return {
      summary: summary ? (JSON.parse(summary) as DetectorSummary) : null,
      groups: groups ? (JSON.parse(groups) as GroupState[]) : [],
      incidents: incidents ? (JSON.parse(incidents) as IncidentBookState) : undefined,
      lastEvaluation: lastEvaluation ? Number(lastEvaluation) : null,
      leader: holder ? holder : null,
    };
  }

  /** The newest seq handed out by ingest (stream lag = this minus the committed lastSeq). */
  async headSeq(): Promise<number> {
    return Number((await this.redis.get(this.keys.seq)) ?? 0);
  }

  async commit(
    state: SavedState,
    messages: readonly NewMessage[],
    forgetBefore: number,
  ): Promise<void> {
    if (this.token === null) throw new FencedError("this node holds no evaluator lease");
    const k = this.keys;
    const keys: string[] = [
      k.lease,
      k.state,
      k.events,
      k.due,
      k.status("pending"),
      k.status("superseded"),
      k.order,
      k.goneAt,
      k.evaluations,
      k.snapshot,
      k.previousEvaluations,
    ];
    const { chunks, longestMs } = state.snapshot
      ? await splitSnapshot(state.snapshot)
      : { chunks: [], longestMs: 0 };
    const started = performance.now();
    const args: (string | number)[] = [
      this.token,
      k.prefix,
      chunks.length,
      state.lastSeq,
      JSON.stringify(state.groups),
      state.incidents ? JSON.stringify(state.incidents) : "",
      state.notices ? JSON.stringify(state.notices) : "",
      state.evaluated ? state.evaluated.join(",") : "",
      state.summary ? JSON.stringify(state.summary) : "",
    ];
    this.lastSerialiseMs = Math.max(longestMs, performance.now() - started);
    for (const m of messages) {
      args.push(
        m.id,
        m.notificationId,
        m.destination,
        m.kind,
        m.stream,
        m.state,
        m.body,
        m.createdAt,
        m.deadline,
      );
    }
    const fault = messages.length > 0 ? this.options.fault : undefined;
    if (fault === "crash-before-commit") process.kill(process.pid, "SIGKILL");
    args.push(state.snapshot?.lastEvaluation ?? state.evaluated?.[1] ?? "");
    args.push(...chunks);
    try {
      await runScript(this.redis, COMMIT, keys, args);
    } catch (error) {
      unavailable(error);
    }
    if (fault === "crash-after-commit") process.kill(process.pid, "SIGKILL");
    await this.forgetDelivered(forgetBefore).catch(() => undefined);
  }

  /** Drops delivered and superseded messages that left the queue before `before` (bounded per call). */
  private async forgetDelivered(before: number): Promise<void> {
    const k = this.keys;
    await runScript(
      this.redis,
      FORGET,
      [k.goneAt, k.status("delivered"), k.status("superseded"), k.lastDelivered],
      [k.prefix, before, 500],
    );
  }

  async slackThread(destination: string, stream: string): Promise<SlackThread | undefined> {
    const raw = await this.redis.get(this.keys.slackThread(destination, stream)).catch(unavailable);
    return raw ? (JSON.parse(raw) as SlackThread) : undefined;
  }

  /** Kept until `forgetBefore` would pass it: the key expires as the SQLite row is forgotten. */
  async saveSlackThread(thread: SlackThread, forgetBefore: number): Promise<void> {
    const ttl = Math.max(1000, thread.updatedAt - forgetBefore);
    await this.redis
      .set(
        this.keys.slackThread(thread.destination, thread.stream),
        JSON.stringify(thread),
        "PX",
        ttl,
      )
      .catch(unavailable);
  }

  async addSilence(silence: Silence): Promise<void> {
    await this.redis.hset(this.keys.silences, silence.id, JSON.stringify(silence));
  }

  async listSilences(now: number, includeExpired: boolean): Promise<Silence[]> {
    const all = Object.values(await this.redis.hgetall(this.keys.silences)).map(
      (v) => JSON.parse(v) as Silence,
    );
    return all
      .filter((s) => includeExpired || s.endsAt > now)
      .sort((a, b) => a.startsAt - b.startsAt);
  }

  async expireSilence(id: string, now: number): Promise<boolean> {
    const raw = await this.redis.hget(this.keys.silences, id);
    if (raw === null) return false;
    const s = JSON.parse(raw) as Silence;
    if (s.endsAt > now)
      await this.redis.hset(this.keys.silences, id, JSON.stringify({ ...s, endsAt: now }));
    return true;
  }

  private async read(ids: readonly string[]): Promise<OutboxMessage[]> {
    if (ids.length === 0) return [];
    const p = this.redis.pipeline();
    for (const id of ids) p.hgetall(this.keys.message(id));
    const out: OutboxMessage[] = [];
    for (const [error, h] of (await p.exec()) ?? []) {
      if (error) throw error;
      const m = toMessage(h as Record<string, string>);
      if (m) out.push(m);
    }
    return out;
  }

  /**
   * Due stream heads, oldest first (a read: attempts are BullMQ jobs, see
   * bull-delivery.ts). `now` Infinity lists every head.
   */
  async due(
    now: number,
    limit: number,
    skip: { destinations?: readonly string[]; streams?: readonly string[] } = {},
  ): Promise<OutboxMessage[]> {
    const ids = (await runScript(
      this.redis,
      DUE,
      [this.keys.due],
      [
        this.keys.prefix,
        Number.isFinite(now) ? now : "+inf",
        limit,
        JSON.stringify(skip.destinations ?? []),
        JSON.stringify(skip.streams ?? []),
      ],
    )) as string[];
    return (await this.read(ids)).filter((m) => m.status === "pending");
  }

  /** The oldest pending message of a stream (the only one that may be attempted), or null. */
  async streamHead(stream: string): Promise<string | null> {
    return (await this.redis.zrange(this.keys.stream(stream), "0", "0"))[0] ?? null;
  }

  /**
   * Holds a stream for one attempt (`SET NX PX`): a message that superseded
   * the head while the head was in flight waits for that attempt to end.
   */
  async lockStream(stream: string, holder: string, ttlMs: number): Promise<boolean> {
    const ok = await this.redis.set(this.keys.busy(stream), holder, "PX", ttlMs, "NX");
    return ok === "OK";
  }

  async unlockStream(stream: string, holder: string): Promise<void> {
    await runScript(this.redis, RELEASE, [this.keys.busy(stream)], [holder]);
  }

  async nextDue(): Promise<number | null> {
    const first = await this.redis.zrange(this.keys.due, "0", "0", "WITHSCORES");
    return first[1] === undefined ? null : Number(first[1]);
  }

  /**
   * Moves a message on after an attempt; resolves to its stream's new head
   * when the message left the head (BullMQ delivery adds that head's job).
   */
  async settle(
    id: string,
    outcome: "delivered" | "retry" | "dead",
    at: number,
    error: string,
    status: number | null,
  ): Promise<string | undefined> {
    const k = this.keys;
    const res = await runScript(
      this.redis,
      MARK,
      [
        k.due,
        k.status("pending"),
        k.status("delivered"),
        k.status("dead"),
        k.status("superseded"),
        k.goneAt,
        k.lastDelivered,
      ],
      [k.prefix, id, outcome, at, error, status ?? ""],
    );
    return typeof res === "string" ? res : undefined;
  }

  async markDelivered(id: string, now: number, status: number): Promise<void> {
    await this.settle(id, "delivered", now, "", status);
  }

  async markRetry(
    id: string,
    nextAttemptAt: number,
    error: string,
    status: number | null,
  ): Promise<void> {
    await this.settle(id, "retry", nextAttemptAt, error, status);
  }

  async markDead(id: string, now: number, error: string, status: number | null): Promise<void> {
    await this.settle(id, "dead", now, error, status);
  }

  /**
   * The message its stream delivered after this one (later in queue order),
   * or null: a replayed dead letter whose stream moved on is stale, as in
   * the SQLite store.
   */
  async newerDelivered(id: string): Promise<string | null> {
    const [stream, ord] = await this.redis.hmget(this.keys.message(id), "stream", "ord");
    if (!stream || !ord) return null;
    const last = await this.redis.hget(this.keys.lastDelivered, stream);
    if (last === null) return null;
    const space = last.indexOf(" ");
    return Number(last.slice(0, space)) > Number(ord) ? last.slice(space + 1) : null;
  }

  async markSuperseded(id: string, by: string, now: number): Promise<void> {
    await this.supersede(id, by, now);
  }

  /**
   * Marks a pending message superseded by `by` (delivered instead); nothing
   * if not pending. Resolves to its stream's new head when it was the head
   * (BullMQ delivery adds that head's job).
   */
  async supersede(id: string, by: string, now: number): Promise<string | undefined> {
    const k = this.keys;
    const res = await runScript(
      this.redis,
      SUPERSEDE,
      [k.due, k.status("pending"), k.status("superseded"), k.goneAt],
      [k.prefix, id, by, now],
    );
    return typeof res === "string" && res !== "" ? res : undefined;
  }

  async list(status: MessageStatus, limit: number): Promise<OutboxMessage[]> {
    const ids = await this.redis.zrevrange(this.keys.status(status), 0, limit - 1);
    return this.read(ids);
  }

  async get(id: string): Promise<OutboxMessage | undefined> {
    return toMessage(await this.redis.hgetall(this.keys.message(id)));
  }

  async replay(id: string, now: number, deadline: number): Promise<boolean> {
    const k = this.keys;
    const done = await runScript(
      this.redis,
      REPLAY,
      [k.due, k.status("pending"), k.status("dead")],
      [k.prefix, id, now, deadline],
    );
    return Number(done) === 1;
  }

  async counts(): Promise<Record<MessageStatus, number>> {
    const p = this.redis.pipeline();
    for (const s of MessageStatuses) p.zcard(this.keys.status(s));
    const res = (await p.exec()) ?? [];
    const out: Record<MessageStatus, number> = { pending: 0, delivered: 0, dead: 0, superseded: 0 };
    MessageStatuses.forEach((s, i) => {
      out[s] = Number(res[i]?.[1] ?? 0);
    });
    return out;
  }

  /** A write the readiness check makes: fails when Redis cannot take writes. */
  async probeWrite(now: number): Promise<void> {
    try {
      await this.redis.set(this.keys.health, String(now));
    } catch (error) {
      unavailable(error);
    }
  }

  /** The connection belongs to whoever made it; closing the store leaves it open. */
  async close(): Promise<void> {}
}

/**
 * The seq the stored detector state has counted to: the snapshot's; with
 * split-state evaluations but no snapshot yet, none (their lastSeq is where
 * they ran, not what a loader may skip); else the committed lastSeq.
 */
function snapshotSeq(
  h: Record<string, string>,
  evaluations: readonly unknown[],
): string | undefined {
  if (h.snapSeq !== undefined) return h.snapSeq;
  return evaluations.length > 0 ? undefined : h.lastSeq;
}

/** The committed state's small parts (everything but the snapshot and its seq). */
function smallState(
  h: Record<string, string>,
  evaluations: [number, number][],
): Omit<SavedState, "snapshot" | "lastSeq"> {
  return {
    ...(evaluations.length > 0 ? { evaluations } : {}),
    groups: h.groups ? (JSON.parse(h.groups) as GroupState[]) : [],
    ...(h.incidents ? { incidents: JSON.parse(h.incidents) as IncidentBookState } : {}),
    ...(h.notices ? { notices: JSON.parse(h.notices) as IncidentNoticeState } : {}),
    ...(h.snapGen !== undefined ? { generation: Number(h.snapGen) } : {}),
  };
}

/** Every field of the event (JSON leaves out the absent ones). */
function encodeEvent(e: CallRecord): string {
  return JSON.stringify(e);
}

/** The `r` field of a stream entry: when its batch was appended (ms). */
function receivedOf(fields: readonly string[]): number | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2)
    if (fields[i] === "r") return Number(fields[i + 1]);
  return undefined;
}

/**
 * The events of one stream entry with their seqs: a batch (`f` its first
 * seq, `b` a JSON array), or one event (`e`, its seq the entry's id: the
 * layout before batches, still read after an upgrade).
 */
function decodeEntry(id: string, fields: readonly string[]): StoredEvent[] {
  let first: number | undefined;
  let batch: string | undefined;
  let single: string | undefined;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const name = fields[i];
    if (name === "f") first = Number(fields[i + 1]);
    else if (name === "b") batch = fields[i + 1];
    else if (name === "e") single = fields[i + 1];
  }
  if (batch !== undefined && first !== undefined) {
    const events = JSON.parse(batch) as StoredEvent[];
    for (let j = 0; j < events.length; j++) events[j]!.seq = first + j;
    return events;
  }
  const event = JSON.parse(single ?? "{}") as StoredEvent;
  event.seq = Number(id.slice(0, id.indexOf("-")));
  return [event];
}

/** Scopes per snapshot chunk: each is turned into JSON (or parsed) in one go, then the loop yields. */
const SCOPES_PER_CHUNK = 250;

const yieldLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The snapshot as JSON chunks: a header (everything but the scopes), then
 * the scopes in slices, yielding to the event loop between slices, so that
 * a large detector (31 MiB at 10,000 scopes) never stops the lease renewal
 * for long. The slices are of the snapshot already taken, so they agree.
 */
async function splitSnapshot(
  snapshot: DetectorSnapshot,
): Promise<{ chunks: string[]; longestMs: number }> {
  const { scopes, ...head } = snapshot;
  let t = performance.now();
  const chunks = [JSON.stringify(head)];
  let longestMs = performance.now() - t;
  for (let i = 0; i < scopes.length; i += SCOPES_PER_CHUNK) {
    await yieldLoop();
    t = performance.now();
    chunks.push(JSON.stringify(scopes.slice(i, i + SCOPES_PER_CHUNK)));
    longestMs = Math.max(longestMs, performance.now() - t);
  }
  return { chunks, longestMs };
}

async function joinSnapshot(chunks: readonly string[]): Promise<DetectorSnapshot> {
  const head = JSON.parse(chunks[0]!) as Omit<DetectorSnapshot, "scopes">;
  const scopes: DetectorSnapshot["scopes"] = [];
  for (const c of chunks.slice(1)) {
    await yieldLoop();
    for (const s of JSON.parse(c) as DetectorSnapshot["scopes"]) scopes.push(s);
  }
  return { ...head, scopes };
}
