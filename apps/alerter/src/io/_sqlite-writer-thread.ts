import type { RawBatch } from "./store.ts";

/** Messages between the SQLite store (main thread) and its writer thread (sqlite-writer.ts). */
export type ToWriter =
  | {
      type: "insert";
      id: number;
      receivedAt: number;
      /** How many events the batch holds (a check on a body read again). */
      count: number;
      /** The body the events came from, read again on the thread (an ingest request's)... */
      raw?: RawBatch | undefined;
      /** ...or the events as JSON (one string copies faster than a thousand objects). */
      events?: string | undefined;
    }
  | { type: "close" };

export type WriterReply =
  | { type: "ready" }
  /** `seqs` only when the seqs are not `first`, `first + 1`, ... (an id seen before). */
  | { type: "inserted"; id: number; first: number; seqs?: Float64Array | undefined }
  | { type: "failed"; id: number; message: string; code: string | undefined }
  | { type: "closed" };

/**
 * The writer's entry beside the module at `here`: dist/sqlite-writer.mjs next
 * to the bundled dist/main.mjs, or, when the sources run (tests),
 * src/io/sqlite-writer.ts through a bootstrap that registers tsx.
 */
export function writerEntry(here: string): URL {
  return new URL(here.endsWith(".ts") ? "./_sqlite-writer-tsx.mjs" : "./sqlite-writer.mjs", here);
}
