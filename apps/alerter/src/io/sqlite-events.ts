import type Database from "better-sqlite3";
import type { CallRecord } from "../domain/event.ts";

/**
 * Writes events into the `events` table: one transaction per batch, CHUNK
 * rows per statement. Used on the main thread (an in-memory store) and by the
 * writer thread (sqlite-writer.ts) of a store in a file.
 *
 * Seqs are given here, in order, from one past the highest ever used (the
 * table's or the saved state's, so that a table emptied by `forget` never
 * hands out a seq again). With them known, a chunk goes in with one
 * statement and no RETURNING (reading rows back cost as much as writing
 * them): when it inserts every row, which is the usual case, each event has
 * the seq it was given. When some ids were seen before, the seqs present in
 * the chunk's range say which rows went in; the others leave gaps, which
 * nothing relies on (replay reads in seq order). Only `id` conflicts are
 * ignored: a seq taken by another connection is an error that rolls the
 * transaction back, and the batch is tried once more from the new highest seq.
 */

/** Events per multi-row INSERT. */
export const CHUNK = 50;

/** The seq each event of a batch got, in order; 0 for an id seen before. */
export type InsertedSeqs = Float64Array;

export type EventInserter = (events: readonly CallRecord[], receivedAt: number) => InsertedSeqs;

export function eventInserter(db: Database.Database): EventInserter {
  const maxSeq = db.prepare("SELECT MAX(seq) FROM events").pluck();
  const savedSeq = db.prepare("SELECT value FROM state WHERE key = 'lastSeq'").pluck();
  const highest = () => Math.max(Number(maxSeq.get() ?? 0), Number(savedSeq.get() ?? 0));
  let nextSeq = highest() + 1;
  const COLUMNS = "seq, id, time, code, direction, trunk, customer, received_at, phrase, reason";
  const ROW = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  const insertChunk = db.prepare(
    `INSERT INTO events (${COLUMNS}) VALUES ${Array(CHUNK).fill(ROW).join(", ")} ON CONFLICT (id) DO NOTHING`,
  );
  const insertOne = db.prepare(
    `INSERT INTO events (${COLUMNS}) VALUES ${ROW} ON CONFLICT (id) DO NOTHING`,
  );
  const seqsIn = db.prepare("SELECT seq FROM events WHERE seq BETWEEN ? AND ?").pluck();
  const W = 10; // columns per row
  const args: unknown[] = new Array(CHUNK * W);
  const fill = (o: number, seq: number, e: CallRecord, receivedAt: number, into: unknown[]) => {
    into[o] = seq;
    into[o + 1] = e.id;
    into[o + 2] = e.time;
    into[o + 3] = e.code;
    into[o + 4] = e.direction ?? null;
    into[o + 5] = e.trunk ?? null;
    into[o + 6] = e.customer ?? null;
    into[o + 7] = receivedAt;
    into[o + 8] = e.phrase ?? null;
    into[o + 9] = e.reason ?? null;
  };
  const one: unknown[] = new Array(W);
  const insertMany = db.transaction((events: readonly CallRecord[], receivedAt: number) => {
    const seqs = new Float64Array(events.length);
    let seq = nextSeq;
    let i = 0;
    for (; i + CHUNK <= events.length; i += CHUNK) {
      const first = seq;
      for (let j = 0; j < CHUNK; j++) fill(j * W, seq++, events[i + j]!, receivedAt, args);
      if (insertChunk.run(...args).changes === CHUNK) {
        for (let j = 0; j < CHUNK; j++) seqs[i + j] = first + j;
      } else {
        const present = new Set(seqsIn.all(first, seq - 1) as number[]);
        for (let j = 0; j < CHUNK; j++) if (present.has(first + j)) seqs[i + j] = first + j;
      }
    }
    for (; i < events.length; i++) {
      fill(0, seq, events[i]!, receivedAt, one);
      if (insertOne.run(...one).changes > 0) seqs[i] = seq++;
    }
    // Only once the statements succeeded (a throw rolls back and reuses the seqs).
    nextSeq = seq;
    return seqs;
  });
  return (events, receivedAt) => {
    try {
      return insertMany.immediate(events, receivedAt);
    } catch (error) {
      if ((error as { code?: unknown }).code !== "SQLITE_CONSTRAINT_PRIMARYKEY") throw error;
      nextSeq = highest() + 1;
      return insertMany.immediate(events, receivedAt);
    }
  };
}
