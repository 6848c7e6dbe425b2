import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/**
 * Checkpoints a SQLite WAL from a thread of its own, so that the commits on
 * the main thread never wait for one. A checkpoint copies the WAL back into
 * the database file and syncs both (with `synchronous=NORMAL` the only syncs
 * there are); run by the writing connection every 1,000 pages, it was about a
 * third of a busy ingest's commit time. The thread opens its own connection
 * to the same file and runs a PASSIVE checkpoint (never blocking the writer)
 * every `intervalMs`; the writer keeps a far larger automatic checkpoint as a
 * fallback should this thread stop. Durability is unchanged: a commit is in
 * the WAL before the writer returns, checkpointed or not.
 */

/** The thread's code (CommonJS, evaluated): better-sqlite3 is loaded from the path the main thread resolved. */
const CODE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.module);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma("busy_timeout = 1000");
let failures = 0;
const step = () => {
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
    failures = 0;
  } catch (error) {
    if (++failures === 1) parentPort.postMessage({ type: "error", message: String(error) });
  }
};
const timer = setInterval(step, workerData.intervalMs);
parentPort.on("message", (m) => {
  if (m !== "stop") return;
  clearInterval(timer);
  db.close();
  parentPort.postMessage({ type: "stopped" });
  parentPort.close();
});
parentPort.postMessage({ type: "ready" });
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

export function startCheckpointer(
  file: string,
  options: {
    intervalMs?: number | undefined;
    onError?: ((message: string) => void) | undefined;
  } = {},
): Checkpointer {
  const module = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(CODE, {
    eval: true,
    workerData: { file, module, intervalMs: options.intervalMs ?? 100 },
  });
  // Never what keeps the process alive; an error in it leaves the writer's own checkpoints.
  worker.unref();
  let stopped: Promise<void> | undefined;
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  worker.on("message", (m: { type: string; message?: string }) => {
    if (m.type === "error") options.onError?.(m.message ?? "");
  });
  worker.on("error", (error) => options.onError?.(String(error)));
  return {
    stop() {
      stopped ??= (async () => {
        worker.postMessage("stop");
        const timeout = setTimeout(() => void worker.terminate(), 2000);
        await exited;
        clearTimeout(timeout);
      })();
      return stopped;
    },
  };
}
