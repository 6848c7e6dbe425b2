import type { HepCallsSnapshot } from "../domain/hep-calls.ts";
import type { HepReceiverStats } from "./hep-receiver.ts";

/**
 * Faults for the restart tests (SIPCODES_FAULT), never set in production: at
 * its first completed call the worker throws an uncaught error, or blocks its
 * event loop for good (a stall: no more heartbeats).
 */
export type HepWorkerFault = "crash" | "stall";

/** Messages between hep-listener.ts (main thread) and hep-worker.ts. */
export type ToWorker =
  | { type: "flush"; id: number }
  | { type: "snapshot"; id: number }
  | { type: "close" };

export type FromWorker =
  | { type: "ready"; udpPort: number | undefined; tcpPort: number | undefined }
  | { type: "failed"; message: string }
  /** Completed calls: a JSON array of events (domain/hep-batch.ts), transferred. */
  | { type: "events"; bytes: ArrayBuffer; stats: HepReceiverStats }
  | { type: "stats"; stats: HepReceiverStats }
  | { type: "error"; message: string; error: string }
  | { type: "warning"; message: string; detail: Record<string, unknown> }
  | { type: "flushed"; id: number; stats: HepReceiverStats }
  | { type: "snapshot"; id: number; snapshot: HepCallsSnapshot }
  | { type: "closed"; snapshot: HepCallsSnapshot; stats: HepReceiverStats };

/**
 * The worker's entry beside the module at `here`: dist/hep-worker.mjs next
 * to the bundled dist/main.mjs, or, when the sources run (tests),
 * src/io/hep-worker.ts through a bootstrap that registers tsx.
 */
export function workerEntry(here: string): URL {
  return new URL(here.endsWith(".ts") ? "./_hep-worker-tsx.mjs" : "./hep-worker.mjs", here);
}
