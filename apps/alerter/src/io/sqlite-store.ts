import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { DetectorSnapshot, IncidentBookState } from "@sipcodes/detect";
import Database from "better-sqlite3";
import type { CallRecord } from "../domain/event.ts";
import type { GroupState } from "../domain/grouping.ts";
import type { IncidentNoticeState } from "../domain/incidents.ts";
import type { Silence } from "../domain/silence.ts";
import { type Checkpointer, startCheckpointer } from "./sqlite-checkpointer.ts";
import { type EventInserter, eventInserter } from "./sqlite-events.ts";
import { SqliteWriterThread } from "./sqlite-writer-thread.ts";
import type {
  EventStore,
  InsertResult,
  MessageStatus,
  NewMessage,
  Outbox,
  OutboxMessage,
  RawBatch,
  SavedState,
  SlackThread,
  SlackThreads,
  StoredEvent,
} from "./store.ts";

export interface SqliteStoreOptions {
  /**
   * Insert events from a thread of its own (a file only; default false): the
   * main thread then only sends each batch and waits for its commit.
   */
  writerThread?: boolean | undefined;
  /** The writer thread died: batches fail with store_unavailable from then on (see SqliteWriterThread). */
  onWriterFailure?: ((error: Error) => void) | undefined;
  /** Checkpoint the WAL from a thread of its own (default true for a file). */
  checkpointThread?: boolean | undefined;
  /** A checkpoint on that thread failed (the writer's own checkpoints still run). */
  onCheckpointError?: ((message: string) => void) | undefined;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  time INTEGER NOT NULL,
  code INTEGER NOT NULL,
  direction TEXT,
  trunk TEXT,
  customer TEXT,
  received_at INTEGER NOT NULL,
  phrase TEXT,
  reason TEXT
);
CREATE TABLE IF NOT EXISTS state (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS outbox (
  id TEXT PRIMARY KEY,
  notification_id TEXT NOT NULL,
  destination TEXT NOT NULL,
  kind TEXT NOT NULL,
  stream TEXT NOT NULL,
  state TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  deadline INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending',
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT,
  last_status INTEGER,
  delivered_at INTEGER,
  dead_at INTEGER,
  superseded_by TEXT
);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox (status, next_attempt_at);
CREATE TABLE IF NOT EXISTS slack_threads (
  destination TEXT NOT NULL,
  stream TEXT NOT NULL,
  channel TEXT NOT NULL,
  ts TEXT NOT NULL,
  message_id TEXT NOT NULL,
  step TEXT NOT NULL,
  state TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (destination, stream)
);
CREATE TABLE IF NOT EXISTS silences (
  id TEXT PRIMARY KEY,
  matchers TEXT NOT NULL,
  starts_at INTEGER NOT NULL,
  ends_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  comment TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
`;

interface MessageRow {
  id: string;
  notification_id: string;
  destination: string;
  kind: string;
  stream: string;
  state: "firing" | "resolved";
  body: string;
  created_at: number;
  deadline: number;
  status: MessageStatus;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  last_status: number | null;
  delivered_at: number | null;
  dead_at: number | null;
  superseded_by: string | null;
}

interface EventRow {
  seq: number;
  id: string;
  time: number;
  code: number;
  direction: "inbound" | "outbound" | null;
  trunk: string | null;
  customer: string | null;
  phrase: string | null;
  reason: string | null;
}

interface SilenceRow {
  id: string;
  matchers: string;
  starts_at: number;
  ends_at: number;
  created_by: string;
  comment: string;
  created_at: number;
}

/** An inserted event with its seq, as one literal (a spread per event showed in ingest profiles). */
const stored = (e: CallRecord, seq: number): StoredEvent => ({
  id: e.id,
  time: e.time,
  code: e.code,
  direction: e.direction,
  trunk: e.trunk,
  customer: e.customer,
  phrase: e.phrase,
  reason: e.reason,
  seq,
});

const toMessage = (r: MessageRow): OutboxMessage => ({
  id: r.id,
  notificationId: r.notification_id,
  destination: r.destination,
  kind: r.kind,
  stream: r.stream,
  state: r.state,
  body: r.body,
  createdAt: r.created_at,
  deadline: r.deadline,
  status: r.status,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  lastError: r.last_error,
  lastStatus: r.last_status,
  deliveredAt: r.delivered_at,
  deadAt: r.dead_at,
  supersededBy: r.superseded_by,
});

/**
 * Brings an outbox written before ordered delivery up to date: every old
 * message becomes a stream of its own (they were independent then).
 */
function migrateEvents(db: Database.Database): void {
  const columns = new Set(
    (db.prepare("PRAGMA table_info(events)").all() as { name: string }[]).map((c) => c.name),
  );
  if (!columns.has("phrase")) db.exec("ALTER TABLE events ADD COLUMN phrase TEXT");
  if (!columns.has("reason")) db.exec("ALTER TABLE events ADD COLUMN reason TEXT");
}

function migrateOutbox(db: Database.Database): void {
  const columns = new Set(
    (db.prepare("PRAGMA table_info(outbox)").all() as { name: string }[]).map((c) => c.name),
  );
  if (!columns.has("stream")) {
    db.exec("ALTER TABLE outbox ADD COLUMN stream TEXT NOT NULL DEFAULT ''");
    db.exec("UPDATE outbox SET stream = destination || '|' || id");
  }
  if (!columns.has("state")) {
    db.exec("ALTER TABLE outbox ADD COLUMN state TEXT NOT NULL DEFAULT 'firing'");
  }
  if (!columns.has("superseded_by")) db.exec("ALTER TABLE outbox ADD COLUMN superseded_by TEXT");
  db.exec("CREATE INDEX IF NOT EXISTS outbox_stream ON outbox (stream, status)");
}

const toSilence = (r: SilenceRow): Silence => ({
  id: r.id,
  matchers: JSON.parse(r.matchers),
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  createdBy: r.created_by,
  comment: r.comment,
  createdAt: r.created_at,
});

/**
 * The default store: one SQLite file in WAL mode with synchronous=NORMAL (a
 * commit survives a process crash; an OS crash may lose the last
 * transactions, never corrupt the file). Statements are prepared once.
 */
export class SqliteStore implements EventStore, Outbox, SlackThreads {
  readonly db: Database.Database;
  private readonly stmt;
  /** Event inserts: on the writer thread (a file), or on this one (in memory, or when asked). */
  private readonly writer: SqliteWriterThread | undefined;
  private readonly insertHere: EventInserter | undefined;
  private readonly commitTx: Database.Transaction<
    (state: SavedState, messages: readonly NewMessage[], forgetBefore: number) => void
  >;

  private readonly checkpointer: Checkpointer | undefined;
  /** Batches go in in call order: on this thread at once, or through the writer thread's one queue. */
  readonly insertsInOrder = true;

  constructor(file: string, options: SqliteStoreOptions = {}) {
    if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = NORMAL");
    this.db.pragma("busy_timeout = 5000");
    // 64 MiB of page cache keeps the id index of a busy day hot.
    this.db.pragma("cache_size = -65536");
    this.db.exec(SCHEMA);
    if (file !== ":memory:" && options.checkpointThread !== false) {
      // Checkpoints run on their own thread (sqlite-checkpointer.ts); this connection's own,
      // at 10,000 pages instead of 1,000, only if that thread stops keeping up.
      this.db.pragma("wal_autocheckpoint = 10000");
      this.checkpointer = startCheckpointer(file, { onError: options.onCheckpointError });
    }
    migrateEvents(this.db);
    migrateOutbox(this.db);
    const db = this.db;
    this.stmt = {
      eventsAfter: db.prepare(
        "SELECT seq, id, time, code, direction, trunk, customer, phrase, reason FROM events WHERE seq > ? ORDER BY seq LIMIT ?",
      ),
      forget: db.prepare("DELETE FROM events WHERE seq <= ? AND received_at < ?"),
      forgetDelivered: db.prepare(
        "DELETE FROM outbox WHERE (status = 'delivered' AND delivered_at < ?) OR (status = 'superseded' AND dead_at < ?)",
      ),
      getState: db.prepare("SELECT value FROM state WHERE key = ?").pluck(),
      putState: db.prepare(
        "INSERT INTO state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      ),
      enqueue: db.prepare(
        `INSERT OR IGNORE INTO outbox (id, notification_id, destination, kind, stream, state, body, created_at, deadline, next_attempt_at)
         VALUES (@id, @notificationId, @destination, @kind, @stream, @state, @body, @createdAt, @deadline, @createdAt)`,
      ),
      // Older pending messages of a stream, newest first (the candidates a new message supersedes).
      olderPending: db.prepare(
        "SELECT id, state FROM outbox WHERE stream = ? AND status = 'pending' AND rowid < ? ORDER BY rowid DESC",
      ),
      supersede: db.prepare(
        "UPDATE outbox SET status = 'superseded', dead_at = ?, superseded_by = ? WHERE id = ? AND status = 'pending'",
      ),
      // Only the head of each stream (its oldest pending message) can be due.
      due: db.prepare(
        `SELECT o.* FROM outbox o
         WHERE o.status = 'pending' AND o.next_attempt_at <= @now
           AND o.destination NOT IN (SELECT value FROM json_each(@skipDestinations))
           AND o.stream NOT IN (SELECT value FROM json_each(@skipStreams))
           AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.stream = o.stream AND p.status = 'pending' AND p.rowid < o.rowid)
         ORDER BY o.next_attempt_at, o.rowid LIMIT @limit`,
      ),
      nextDue: db
        .prepare(
          `SELECT MIN(o.next_attempt_at) FROM outbox o WHERE o.status = 'pending'
           AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.stream = o.stream AND p.status = 'pending' AND p.rowid < o.rowid)`,
        )
        .pluck(),
      // A message superseded while its attempt was in flight still records that it arrived.
      delivered: db.prepare(
        "UPDATE outbox SET status = 'delivered', attempts = attempts + 1, delivered_at = ?, last_status = ?, last_error = NULL WHERE id = ? AND status IN ('pending', 'superseded')",
      ),
      retry: db.prepare(
        "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?, last_status = ? WHERE id = ? AND status = 'pending'",
      ),
      dead: db.prepare(
        "UPDATE outbox SET status = 'dead', attempts = attempts + 1, dead_at = ?, last_error = ?, last_status = ? WHERE id = ? AND status = 'pending'",
      ),
      list: db.prepare("SELECT * FROM outbox WHERE status = ? ORDER BY created_at DESC LIMIT ?"),
      get: db.prepare("SELECT * FROM outbox WHERE id = ?"),
      newerDelivered: db
        .prepare(
          `SELECT n.id FROM outbox o JOIN outbox n ON n.stream = o.stream AND n.rowid > o.rowid
           WHERE o.id = ? AND n.status = 'delivered' ORDER BY n.rowid DESC LIMIT 1`,
        )
        .pluck(),
      replay: db.prepare(
        "UPDATE outbox SET status = 'pending', next_attempt_at = ?, deadline = ?, dead_at = NULL WHERE id = ? AND status = 'dead'",
      ),
      counts: db.prepare("SELECT status, COUNT(*) AS n FROM outbox GROUP BY status"),
      addSilence: db.prepare(
        "INSERT INTO silences (id, matchers, starts_at, ends_at, created_by, comment, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      ),
      silences: db.prepare("SELECT * FROM silences WHERE ends_at > ? ORDER BY starts_at"),
      allSilences: db.prepare("SELECT * FROM silences ORDER BY starts_at"),
      expireSilence: db.prepare("UPDATE silences SET ends_at = ? WHERE id = ? AND ends_at > ?"),
      silenceExists: db.prepare("SELECT 1 FROM silences WHERE id = ?").pluck(),
      slackThread: db.prepare(
        "SELECT destination, stream, channel, ts, message_id AS messageId, step, state, updated_at AS updatedAt FROM slack_threads WHERE destination = ? AND stream = ?",
      ),
      saveSlackThread: db.prepare(
        `INSERT INTO slack_threads (destination, stream, channel, ts, message_id, step, state, updated_at)
         VALUES (@destination, @stream, @channel, @ts, @messageId, @step, @state, @updatedAt)
         ON CONFLICT (destination, stream) DO UPDATE SET channel = excluded.channel, ts = excluded.ts,
           message_id = excluded.message_id, step = excluded.step, state = excluded.state, updated_at = excluded.updated_at`,
      ),
      forgetSlackThreads: db.prepare("DELETE FROM slack_threads WHERE updated_at < ?"),
    };
    const s = this.stmt;
    if (file !== ":memory:" && options.writerThread === true)
      this.writer = new SqliteWriterThread(
        file,
        options.onWriterFailure ??
          (() => {
            /* the batches fail with store_unavailable */
          }),
      );
    else this.insertHere = eventInserter(db);
    this.commitTx = db.transaction(
      (state: SavedState, messages: readonly NewMessage[], forgetBefore: number) => {
        if (state.snapshot) s.putState.run("detector", JSON.stringify(state.snapshot));
        s.putState.run("lastSeq", String(state.lastSeq));
        s.putState.run("groups", JSON.stringify(state.groups));
        if (state.incidents) s.putState.run("incidents", JSON.stringify(state.incidents));
        if (state.notices) s.putState.run("notices", JSON.stringify(state.notices));
        for (const m of messages) {
          const info = s.enqueue.run(m);
          if (info.changes === 0) continue; // already queued (a replay after a restart)
          const rowid = Number(info.lastInsertRowid);
          // The newest run of messages announcing the same state collapses into this one.
          for (const older of s.olderPending.all(m.stream, rowid) as {
            id: string;
            state: string;
          }[]) {
            if (older.state !== m.state) break;
            s.supersede.run(m.createdAt, m.id, older.id);
          }
        }
        s.forget.run(state.lastSeq, forgetBefore);
        s.forgetDelivered.run(forgetBefore, forgetBefore);
      },
    );
  }

  async insertEvents(
    events: readonly CallRecord[],
    receivedAt: number,
    raw?: RawBatch,
  ): Promise<InsertResult> {
    const seqs = this.writer
      ? await this.writer.insert(events, receivedAt, raw)
      : this.insertHere!(events, receivedAt);
    const inserted: StoredEvent[] = [];
    let duplicates = 0;
    for (let i = 0; i < events.length; i++) {
      const seq = seqs[i]!;
      if (seq > 0) inserted.push(stored(events[i]!, seq));
      else duplicates++;
    }
    return { inserted, duplicates };
  }

  async eventsAfter(seq: number, limit: number): Promise<StoredEvent[]> {
    return (this.stmt.eventsAfter.all(seq, limit) as EventRow[]).map((r) => ({
      seq: r.seq,
      id: r.id,
      time: r.time,
      code: r.code,
      direction: r.direction ?? undefined,
      trunk: r.trunk ?? undefined,
      customer: r.customer ?? undefined,
      phrase: r.phrase ?? undefined,
      reason: r.reason ?? undefined,
    }));
  }

  /** A value of this node's own outside the event log and the detector state (the HEP listener's open transactions). */
  async readValue(key: string): Promise<string | undefined> {
    return this.stmt.getState.get(`value:${key}`) as string | undefined;
  }

  async writeValue(key: string, value: string): Promise<void> {
    this.stmt.putState.run(`value:${key}`, value);
  }

  async loadState(): Promise<SavedState> {
    const snapshot = this.stmt.getState.get("detector") as string | undefined;
    const lastSeq = this.stmt.getState.get("lastSeq") as string | undefined;
    const groups = this.stmt.getState.get("groups") as string | undefined;
    const incidents = this.stmt.getState.get("incidents") as string | undefined;
    const notices = this.stmt.getState.get("notices") as string | undefined;
    return {
      snapshot: snapshot ? (JSON.parse(snapshot) as DetectorSnapshot) : null,
      lastSeq: lastSeq ? Number(lastSeq) : 0,
      groups: groups ? (JSON.parse(groups) as GroupState[]) : [],
      ...(incidents ? { incidents: JSON.parse(incidents) as IncidentBookState } : {}),
      ...(notices ? { notices: JSON.parse(notices) as IncidentNoticeState } : {}),
    };
  }

  async commit(
    state: SavedState,
    messages: readonly NewMessage[],
    forgetBefore: number,
  ): Promise<void> {
    this.commitTx.immediate(state, messages, forgetBefore);
  }

  async addSilence(x: Silence): Promise<void> {
    this.stmt.addSilence.run(
      x.id,
      JSON.stringify(x.matchers),
      x.startsAt,
      x.endsAt,
      x.createdBy,
      x.comment,
      x.createdAt,
    );
  }

  async listSilences(now: number, includeExpired: boolean): Promise<Silence[]> {
    const rows = (
      includeExpired ? this.stmt.allSilences.all() : this.stmt.silences.all(now)
    ) as SilenceRow[];
    return rows.map(toSilence);
  }

  async expireSilence(id: string, now: number): Promise<boolean> {
    if (!this.stmt.silenceExists.get(id)) return false;
    this.stmt.expireSilence.run(now, id, now);
    return true;
  }

  async due(
    now: number,
    limit: number,
    skip: { destinations?: readonly string[]; streams?: readonly string[] } = {},
  ): Promise<OutboxMessage[]> {
    const rows = this.stmt.due.all({
      now,
      limit,
      skipDestinations: JSON.stringify(skip.destinations ?? []),
      skipStreams: JSON.stringify(skip.streams ?? []),
    }) as MessageRow[];
    return rows.map(toMessage);
  }

  async nextDue(): Promise<number | null> {
    return (this.stmt.nextDue.get() as number | null) ?? null;
  }

  async markDelivered(id: string, now: number, status: number): Promise<void> {
    this.stmt.delivered.run(now, status, id);
  }

  async markRetry(
    id: string,
    nextAttemptAt: number,
    error: string,
    status: number | null,
  ): Promise<void> {
    this.stmt.retry.run(nextAttemptAt, error, status, id);
  }

  async markDead(id: string, now: number, error: string, status: number | null): Promise<void> {
    this.stmt.dead.run(now, error, status, id);
  }

  async list(status: MessageStatus, limit: number): Promise<OutboxMessage[]> {
    return (this.stmt.list.all(status, limit) as MessageRow[]).map(toMessage);
  }

  async get(id: string): Promise<OutboxMessage | undefined> {
    const row = this.stmt.get.get(id) as MessageRow | undefined;
    return row ? toMessage(row) : undefined;
  }

  async newerDelivered(id: string): Promise<string | null> {
    return (this.stmt.newerDelivered.get(id) as string | undefined) ?? null;
  }

  async markSuperseded(id: string, by: string, now: number): Promise<void> {
    this.stmt.supersede.run(now, by, id);
  }

  async replay(id: string, now: number, deadline: number): Promise<boolean> {
    return this.stmt.replay.run(now, deadline, id).changes > 0;
  }

  async counts(): Promise<Record<MessageStatus, number>> {
    const out: Record<MessageStatus, number> = {
      pending: 0,
      delivered: 0,
      dead: 0,
      superseded: 0,
    };
    for (const row of this.stmt.counts.all() as { status: MessageStatus; n: number }[])
      out[row.status] = row.n;
    return out;
  }

  async slackThread(destination: string, stream: string): Promise<SlackThread | undefined> {
    return this.stmt.slackThread.get(destination, stream) as SlackThread | undefined;
  }

  async saveSlackThread(thread: SlackThread, forgetBefore: number): Promise<void> {
    this.stmt.saveSlackThread.run(thread);
    this.stmt.forgetSlackThreads.run(forgetBefore);
  }

  /** Writes one row (the readiness probe): throws when the database cannot take writes. */
  async probeWrite(now: number): Promise<void> {
    this.stmt.putState.run("health", String(now));
  }

  async close(): Promise<void> {
    await this.writer?.close();
    await this.checkpointer?.stop();
    if (this.db.open) this.db.close();
  }
}
