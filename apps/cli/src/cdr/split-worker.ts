// The worker thread of a split read (see split.ts): takes blocks of the file
// until none is left and posts their counts back. Built to dist/cdr-worker.cjs.
import { parentPort, workerData } from "node:worker_threads";
import { readBlocks, type SplitJob } from "./split.ts";

try {
  parentPort?.postMessage({ ok: true, value: readBlocks(workerData as SplitJob) });
} catch (error) {
  Atomics.store(new Int32Array((workerData as SplitJob).control), 1, 1);
  parentPort?.postMessage({ ok: false, message: (error as Error).message });
}
