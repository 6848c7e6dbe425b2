import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";
import { type CallRecord, parseEventBody } from "../domain/event.ts";
import type { ToWriter, WriterReply } from "./_sqlite-writer-thread.ts";
import { eventInserter } from "./sqlite-events.ts";

/**
 * Entry of the SQLite writer thread: inserts the event batches the main
 * thread sends (sqlite-writer-thread.ts) through a connection of its own,
 * one transaction each, and answers with the seq each event got once the
 * transaction committed. dist/sqlite-writer.mjs in the build.
 */

const port = parentPort;
if (!port)
  throw new Error("sqlite-writer.ts runs as a worker thread (started by the SQLite store)");
const { file } = workerData as { file: string };
const db = new Database(file, { fileMustExist: true });
db.pragma("synchronous = NORMAL");
db.pragma("busy_timeout = 5000");
db.pragma("cache_size = -65536");
// The checkpoints run on their own thread; this connection's only if that one stops.
db.pragma("wal_autocheckpoint = 10000");
const insert = eventInserter(db);
const utf8 = new TextDecoder();

port.on("message", (m: ToWriter) => {
  if (m.type === "close") {
    db.close();
    port.postMessage({ type: "closed" } satisfies WriterReply);
    port.close();
    return;
  }
  let reply: WriterReply;
  try {
    const events = m.raw
      ? (parseEventBody(utf8.decode(m.raw.bytes), m.raw.ndjson)?.events ?? [])
      : (JSON.parse(m.events ?? "[]") as CallRecord[]);
    // The same code read the same body on the main thread: a different count is a bug, never stored.
    if (events.length !== m.count)
      throw new Error(`the writer read ${events.length} events where the batch had ${m.count}`);
    const seqs = insert(events, m.receivedAt);
    const first = seqs[0] ?? 0;
    let consecutive = true;
    for (let i = 1; i < seqs.length && consecutive; i++) consecutive = seqs[i] === first + i;
    if (consecutive) port.postMessage({ type: "inserted", id: m.id, first } satisfies WriterReply);
    else {
      reply = { type: "inserted", id: m.id, first, seqs };
      port.postMessage(reply, [seqs.buffer as ArrayBuffer]);
    }
  } catch (error) {
    const e = error as { message?: string; code?: string };
    reply = { type: "failed", id: m.id, message: String(e.message ?? error), code: e.code };
    port.postMessage(reply);
  }
});
port.postMessage({ type: "ready" } satisfies WriterReply);
