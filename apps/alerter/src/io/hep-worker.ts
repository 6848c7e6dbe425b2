import { parentPort, workerData } from "node:worker_threads";
import type { HepConfig } from "../config-hep.ts";
import { encodeHepBatch } from "../domain/hep-batch.ts";
import type { HepCallsSnapshot } from "../domain/hep-calls.ts";
import type { FromWorker, HepWorkerFault, ToWorker } from "./_hep-thread.ts";
import { startHepReceiver } from "./hep-receiver.ts";

/**
 * Entry of the HEP worker thread: receives, decodes and pairs HEP on its own
 * core and posts completed calls to the main thread in batches. Started by
 * hep-listener.ts; dist/hep-worker.mjs in the build.
 */

const port = parentPort;
if (!port) throw new Error("hep-worker.ts runs as a worker thread (started by hep-listener.ts)");
const data = workerData as {
  config: HepConfig;
  restore?: HepCallsSnapshot;
  fault?: HepWorkerFault;
};
const post = (message: FromWorker) => port.postMessage(message);

/** SIPCODES_FAULT (restart tests only): the first completed call crashes or stalls this worker. */
function injectFault(fault: HepWorkerFault): void {
  if (fault === "crash")
    setImmediate(() => {
      throw new Error("SIPCODES_FAULT=hep-worker-crash: the HEP worker crashes on purpose");
    });
  else for (;;);
}

try {
  const receiver = await startHepReceiver({
    config: data.config,
    restore: data.restore,
    onEvents: (events) => {
      if (data.fault) return injectFault(data.fault);
      // The batch's bytes move to the main thread (no copy); see hep-batch.ts.
      const bytes = encodeHepBatch(events);
      port.postMessage({ type: "events", bytes, stats: receiver.stats() } satisfies FromWorker, [
        bytes,
      ]);
    },
    onError: (message, error) => post({ type: "error", message, error: String(error) }),
    onWarning: (message, detail) => post({ type: "warning", message, detail }),
  });
  const stats = setInterval(() => post({ type: "stats", stats: receiver.stats() }), 1000);
  port.on("message", async (m: ToWorker) => {
    if (m.type === "flush") {
      receiver.flush();
      post({ type: "flushed", id: m.id, stats: receiver.stats() });
    } else if (m.type === "snapshot") {
      post({ type: "snapshot", id: m.id, snapshot: receiver.calls.snapshot() });
    } else if (m.type === "close") {
      clearInterval(stats);
      await receiver.close();
      post({ type: "closed", snapshot: receiver.calls.snapshot(), stats: receiver.stats() });
      port.close();
    }
  });
  post({ type: "ready", udpPort: receiver.udpPort, tcpPort: receiver.tcpPort });
} catch (error) {
  post({ type: "failed", message: (error as Error).message });
  port.close();
}
