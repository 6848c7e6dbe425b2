// The call events of a CDR file, for a replay: read on a thread of their own
// while the replay runs on this one (a pipeline of two cores), or on this
// thread when that cannot gain anything. Either way each row reaches `take`
// once, in file order, with the same fields: the batches (event-batch.ts)
// carry what the replay reads and nothing else.
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseTime, parseTimeBytes } from "../commands/backtest-time.ts";
import { type CliContext, CliError } from "../context.ts";
import type { CliEnv } from "../env.ts";
import { type EventBatch, EventBatchReader, type TakeEvent } from "./event-batch.ts";
import { hasSpareCore, readCdrFile } from "./read-file.ts";
import type { ReaderOptions, ReaderResult } from "./reader.ts";

/** The options of a replay's read that can cross to another thread (no callbacks). */
export type EventsReadOptions = Pick<
  ReaderOptions,
  "fields" | "codeColumn" | "timeColumn" | "format"
> & { progress?: boolean };

/** What the reader thread is started with (workerData). */
export interface EventsJob {
  file: string;
  options: EventsReadOptions;
  /** Batches the reader may post before the replay has taken them. */
  ahead: number;
  /** [0]: batches the replay took; [1]: non-zero once the replay stopped. */
  control: SharedArrayBuffer;
  stderrIsTTY: boolean;
  env: CliEnv;
}

export type WorkerMessage =
  | { type: "batch"; batch: EventBatch }
  | { type: "err"; text: string }
  | { type: "done"; result: ReaderResult }
  | { type: "error"; message: string; exitCode?: number };

/** Smaller files are read on this thread: a second one costs its start-up (about 50 ms). */
export const PIPELINE_MIN_BYTES = 16 * 1024 * 1024;
/** 8 batches of 8,192 rows: about 1.8 MB in flight at most. */
const AHEAD = 8;

/** The reader thread's bundle, beside the CLI's (none when running from source). */
function workerFile(): string | undefined {
  if (typeof __dirname === "undefined") return undefined;
  const file = join(__dirname, "events-worker.cjs");
  return existsSync(file) ? file : undefined;
}

/**
 * 1: one thread. 2: a reader thread whenever the file is a file and the
 * bundle is there. "auto": a reader thread for a file of PIPELINE_MIN_BYTES
 * or more when the machine has a core to spare (the last minute's load
 * average under the core count less a half).
 */
function wantReaderThread(file: string, threads: 1 | 2 | "auto"): boolean {
  if (threads === 1 || file === "-") return false;
  let size: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) return false;
    size = stat.size;
  } catch {
    return false; // readCdrFile names the trouble
  }
  return threads === 2 || (size >= PIPELINE_MIN_BYTES && hasSpareCore());
}

/**
 * Reads `file` and hands each row's replayed fields to `take`. The result
 * says `threads: 2` when a reader thread did the reading.
 */
export async function readCdrEvents(
  ctx: CliContext,
  file: string,
  take: TakeEvent,
  options: EventsReadOptions & { threads?: 1 | 2 | "auto" },
): Promise<ReaderResult> {
  const { threads = "auto", ...readOptions } = options;
  const script = workerFile();
  if (script && wantReaderThread(file, threads))
    return readOnThread(ctx, script, file, take, readOptions);
  return readEventsHere(ctx, file, take, readOptions);
}

/** Reads `file` on this thread, handing each row's replayed fields to `take` (the reader thread runs this too). */
export function readEventsHere(
  ctx: CliContext,
  file: string,
  take: TakeEvent,
  options: EventsReadOptions,
): Promise<ReaderResult> {
  return readCdrFile(
    ctx,
    file,
    (row) =>
      take(
        row.time === undefined ? undefined : parseTime(row.time),
        row.code,
        row.trunk,
        row.customer,
        row.direction,
        row.line,
      ),
    {
      ...options,
      // Plain rows come as cells, their time read from its bytes; the others as rows.
      onEvent: (code, buf, timeStart, timeEnd, trunk, customer, direction, line) =>
        take(
          timeStart === timeEnd ? undefined : parseTimeBytes(buf, timeStart, timeEnd),
          code,
          trunk,
          customer,
          direction,
          line,
        ),
    },
  );
}

function readOnThread(
  ctx: CliContext,
  script: string,
  file: string,
  take: TakeEvent,
  options: EventsReadOptions,
): Promise<ReaderResult> {
  const job: EventsJob = {
    file,
    options,
    ahead: AHEAD,
    control: new SharedArrayBuffer(8),
    stderrIsTTY: ctx.stderrIsTTY,
    env: ctx.env,
  };
  const control = new Int32Array(job.control);
  const { Worker } = require("node:worker_threads") as typeof import("node:worker_threads");
  const worker = new Worker(script, { workerData: job });
  const reader = new EventBatchReader(take);
  return new Promise<ReaderResult>((resolve, reject) => {
    let settled = false;
    const finish = (error: Error | undefined, result?: ReaderResult) => {
      if (settled) return;
      settled = true;
      // The reader thread may be waiting for room: it stops at its next look.
      Atomics.store(control, 1, 1);
      Atomics.notify(control, 0);
      void worker.terminate();
      if (error) reject(error);
      else resolve({ ...result!, threads: 2 });
    };
    worker.on("message", (message: WorkerMessage) => {
      if (settled) return;
      try {
        switch (message.type) {
          case "batch":
            reader.read(message.batch);
            Atomics.add(control, 0, 1);
            Atomics.notify(control, 0);
            break;
          case "err":
            ctx.err(message.text);
            break;
          case "done":
            finish(undefined, message.result);
            break;
          case "error":
            finish(
              message.exitCode === undefined
                ? new Error(message.message)
                : new CliError(message.message, message.exitCode),
            );
            break;
        }
      } catch (error) {
        // The replay's own trouble (take threw): the same error as on one thread.
        finish(error as Error);
      }
    });
    worker.once("error", (error) => finish(error));
    worker.once("exit", (code) =>
      finish(new Error(`the CDR reader thread stopped (exit ${code})`)),
    );
  });
}
