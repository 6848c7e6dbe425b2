/** Messages between the SQLite store (main thread) and its writer thread (sqlite-writer.ts). */
export type ToWriter =
  /** `events`: the batch as JSON (one string copies faster than a thousand objects). */
  { type: "insert"; id: number; events: string; receivedAt: number } | { type: "close" };

export type WriterReply =
  | { type: "ready" }
  | { type: "inserted"; id: number; seqs: Float64Array }
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
