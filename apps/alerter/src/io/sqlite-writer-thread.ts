import { Worker } from "node:worker_threads";
import type { CallRecord } from "../domain/event.ts";
import { type ToWriter, type WriterReply, writerEntry } from "./_sqlite-writer-thread.ts";
import type { InsertedSeqs } from "./sqlite-events.ts";
import type { RawBatch } from "./store.ts";

/**
 * The main thread's side of the SQLite writer thread: event batches go to
 * it as the request body they were read from (read again there) or as one
 * JSON string, and come back as the seq each event got, after
 * its transaction committed. Inserting and committing were most of the main
 * thread's time under ingest load; there they run beside the parsing of the
 * next request and the counting of the last one. Batches are taken in the
 * order sent.
 *
 * If the thread dies, every batch in flight and every later one fails with
 * `store_unavailable` (nothing of those was acknowledged, so senders retry),
 * and `onFailure` is told: a batch can have committed without its answer
 * arriving, so the process should restart and count it in its replay rather
 * than go on without it (the alerter exits).
 */
export class SqliteWriterThread {
  private readonly worker: Worker;
  private readonly pending = new Map<
    number,
    { count: number; resolve(seqs: InsertedSeqs): void; reject(error: Error): void }
  >();
  private nextId = 1;
  private failed: Error | undefined;
  private closing: Promise<void> | undefined;
  private readonly ready: Promise<void>;

  constructor(
    file: string,
    private readonly onFailure: (error: Error) => void,
  ) {
    this.worker = new Worker(writerEntry(import.meta.url), { workerData: { file } });
    let ready!: () => void;
    this.ready = new Promise<void>((r) => {
      ready = r;
    });
    this.worker.on("message", (m: WriterReply) => {
      if (m.type === "ready") ready();
      else if (m.type === "inserted") {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        p?.resolve(m.seqs ?? consecutive(m.first, p.count));
      } else if (m.type === "failed") {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        p?.reject(Object.assign(new Error(m.message), { code: m.code }));
      }
    });
    this.worker.on("error", (error) => this.fail(error));
    this.worker.on("exit", (code) => {
      if (!this.closing) this.fail(new Error(`the SQLite writer thread exited with ${code}`));
      ready();
    });
  }

  private fail(error: Error): void {
    if (this.failed) return;
    this.failed = Object.assign(new Error(`SQLite writer thread: ${error.message}`), {
      code: "store_unavailable",
    });
    for (const p of this.pending.values()) p.reject(this.failed);
    this.pending.clear();
    this.onFailure(this.failed);
  }

  async insert(
    events: readonly CallRecord[],
    receivedAt: number,
    raw?: RawBatch,
  ): Promise<InsertedSeqs> {
    await this.ready;
    if (this.failed) throw this.failed;
    if (this.closing)
      throw Object.assign(new Error("the store is closed"), { code: "store_unavailable" });
    const id = this.nextId++;
    const message: ToWriter = raw
      ? { type: "insert", id, receivedAt, count: events.length, raw }
      : { type: "insert", id, receivedAt, count: events.length, events: JSON.stringify(events) };
    return new Promise<InsertedSeqs>((resolve, reject) => {
      this.pending.set(id, { count: events.length, resolve, reject });
      // The body's bytes move to the thread (no copy); this thread keeps only its text.
      this.worker.postMessage(message, raw ? [raw.bytes] : []);
    });
  }

  /** Finishes the batches sent so far, then stops the thread. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.ready;
      if (this.failed) return;
      const exited = new Promise<void>((r) => this.worker.once("exit", () => r()));
      this.worker.postMessage({ type: "close" } satisfies ToWriter);
      const timeout = setTimeout(() => void this.worker.terminate(), 5000);
      await exited;
      clearTimeout(timeout);
    })();
    return this.closing;
  }
}

function consecutive(first: number, count: number): InsertedSeqs {
  const seqs = new Float64Array(count);
  for (let i = 0; i < count; i++) seqs[i] = first + i;
  return seqs;
}
