// The reader thread of a replay (see read-events.ts): reads the CDR file as
// readCdrFile does on one thread, and posts its call events in batches
// (event-batch.ts), never more than `ahead` batches before the replay has
// taken them, then the reader's result. Built to dist/events-worker.cjs.
import { parentPort, workerData } from "node:worker_threads";
import { type CliContext, EXIT } from "../context.ts";
import { describeError } from "../errors.ts";
import { type EventBatch, EventBatchWriter } from "./event-batch.ts";
import { type EventsJob, readEventsHere, type WorkerMessage } from "./read-events.ts";

const job = workerData as EventsJob;
const port = parentPort!;
const control = new Int32Array(job.control);
const post = (message: WorkerMessage, transfer?: ArrayBuffer[]) =>
  port.postMessage(message, transfer);

let sent = 0;
const writer = new EventBatchWriter((batch: EventBatch) => {
  // Waits while the replay is `ahead` batches behind (control[0] counts the batches it took).
  for (;;) {
    if (Atomics.load(control, 1) !== 0) throw new Error("stopped");
    const taken = Atomics.load(control, 0);
    if (sent - taken < job.ahead) break;
    Atomics.wait(control, 0, taken, 1000);
  }
  sent++;
  post({ type: "batch", batch }, [batch.buffer]);
});

const ctx: CliContext = {
  out: () => {},
  err: (text) => post({ type: "err", text }),
  readStdin: async () => "",
  stdinIsTTY: false,
  stdoutIsTTY: false,
  stderrIsTTY: job.stderrIsTTY,
  env: job.env,
  exitCode: 0,
};

async function read(): Promise<void> {
  const result = await readEventsHere(ctx, job.file, writer.take, job.options);
  writer.flush();
  post({ type: "done", result });
}

read().catch((error: unknown) => {
  // Bad input comes back as the same message and exit code as on one thread; anything else
  // as its bare message, which the main thread reports as the internal error it is.
  if (Atomics.load(control, 1) === 0) {
    const { message, exitCode } = describeError(error);
    if (exitCode === EXIT.internal)
      post({ type: "error", message: error instanceof Error ? error.message : String(error) });
    else post({ type: "error", message, exitCode });
  }
});
