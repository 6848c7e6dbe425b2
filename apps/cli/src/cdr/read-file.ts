import { closeSync, existsSync, openSync, readSync, statSync } from "node:fs";
import { join } from "node:path";
import { createGunzip, type Gunzip } from "node:zlib";
import type { CliContext } from "../context.ts";
import { CliError, EXIT } from "../context.ts";
import { CdrParser, type CdrRow, type ReaderOptions, type ReaderResult } from "./reader.ts";
import { READ_BYTES, separatorIndex } from "./separators.ts";
import {
  BLOCK_BYTES,
  type BlockCounts,
  mergeBlocks,
  type RangeOptions,
  readBlocks,
  SPLIT_MIN_BYTES,
  type SplitJob,
} from "./split.ts";

/** Adds calls counted by another reader (CallSummarizer.addCounts). */
export type AddCounts = (counts: number[], durationSum: number, timedAnswers: number) => void;

/** The worker thread's bundle, beside the CLI's (none when running from source). */
function workerFile(): string | undefined {
  if (typeof __dirname === "undefined") return undefined;
  const file = join(__dirname, "cdr-worker.cjs");
  return existsSync(file) ? file : undefined;
}

const PROGRESS_MIN_BYTES = 32 * 1024 * 1024;

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

const isGzip = (b: Buffer) => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
const isZstd = (b: Buffer) =>
  b.length >= 4 && b[0] === 0x28 && b[1] === 0xb5 && b[2] === 0x2f && b[3] === 0xfd;

/**
 * Streams a CDR file (or stdin for "-") through the parser. Shows a progress
 * line on stderr when stderr is a terminal, the file is large and the output
 * is for people.
 */
export async function readCdrFile(
  ctx: CliContext,
  file: string,
  onRow: (row: CdrRow) => void,
  options: ReaderOptions & {
    progress?: boolean;
    /**
     * Given with `onCall`, lets a large plain CSV file be read on two
     * threads (see split.ts); the blocks' counts are handed over here.
     */
    onCounts?: AddCounts;
    /**
     * 1: never split. 2: split whenever the file allows. "auto" (default):
     * split only when the machine has a core to spare (the last minute's
     * load average is below the core count less one and a half), since on
     * a busy machine a second thread costs its start-up and gains nothing.
     */
    threads?: 1 | 2 | "auto";
  },
): Promise<ReaderResult> {
  let size = 0;
  let fd = 0;
  if (file !== "-") {
    try {
      const stat = statSync(file);
      if (stat.isDirectory())
        throw new CliError(`${file} is a directory, not a CDR file`, EXIT.usage);
      size = stat.size;
      fd = openSync(file, "r");
    } catch (error) {
      if (error instanceof CliError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      throw new CliError(
        `cannot read ${file}: ${code === "ENOENT" ? "no such file" : (error as Error).message}`,
        EXIT.usage,
      );
    }
  }
  const parser = new CdrParser(onRow, options);
  const showProgress = options.progress !== false && ctx.stderrIsTTY && size >= PROGRESS_MIN_BYTES;
  // Synchronous reads into one reused buffer: a batch command gains nothing
  // from a stream here, and this avoids a fresh allocation per chunk.
  // Where WebAssembly SIMD is there, the buffer lies in the separator
  // index's memory, so a chunk is indexed where it was read, with no copy.
  const buffer = separatorIndex()?.readBuffer() ?? Buffer.allocUnsafe(READ_BYTES);
  let read = 0;
  let last = 0;
  let gunzip: Gunzip | undefined;
  let gunzipError: Error | undefined;
  const queue: Buffer[] = [];
  let drainQueue = () => {};
  try {
    for (;;) {
      let got: number;
      try {
        got = readSync(fd, buffer, 0, buffer.length, null);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "EAGAIN") {
          // A non-blocking stdin pipe with nothing yet: wait for data.
          await new Promise((resolve) => setTimeout(resolve, 5));
          continue;
        }
        if (code === "EOF") break;
        throw error;
      }
      if (got === 0) break;
      const chunk = buffer.subarray(0, got);
      if (read === 0 && isZstd(chunk)) {
        throw new Error(
          "zstd-compressed input is not read directly (Node 20 has no zstd); pipe it: zstd -dc FILE | sipcode stats -",
        );
      }
      if (read === 0 && isGzip(chunk)) {
        // gzip (by its magic bytes, whatever the name): inflate as a stream,
        // so memory stays one chunk whatever the file's size.
        // Parsing is deferred out of zlib's callback, so zlib hands the next
        // block to its thread before this one is parsed: inflating and
        // parsing overlap, as `zcat | awk` does with two processes.
        const z = createGunzip({ chunkSize: 128 * 1024 });
        gunzip = z;
        let scheduled = false;
        const drain = () => {
          scheduled = false;
          for (let data = queue.shift(); data !== undefined; data = queue.shift()) {
            if (gunzipError) continue;
            try {
              parser.pushBytes(data);
            } catch (error) {
              // A parse error (an unknown header, say) stops the read like any other.
              gunzipError = error as Error;
            }
          }
          if (z.isPaused()) z.resume();
        };
        drainQueue = drain;
        z.on("data", (data: Buffer) => {
          queue.push(data);
          if (queue.length >= 32) z.pause();
          if (!scheduled) {
            scheduled = true;
            setImmediate(drain);
          }
        });
        z.on("error", (error) => {
          gunzipError ??= error;
        });
      }
      read += got;
      if (gunzip) {
        // The buffer is reused for the next read: hand zlib a copy, and wait
        // for it to drain so at most a few chunks are in flight.
        const z = gunzip;
        if (!z.write(Buffer.from(chunk))) {
          await new Promise<void>((resolve) => {
            const done = () => {
              z.off("drain", done);
              z.off("error", done);
              resolve();
            };
            z.on("drain", done);
            z.on("error", done);
          });
        }
        if (gunzipError) throw gunzipError;
      } else if (
        read === got &&
        options.onCounts &&
        file !== "-" &&
        wantTwoThreads(options.threads ?? "auto", size)
      ) {
        // The header line first: if the file can be read on two threads,
        // the rest is read in blocks from there.
        const nl = chunk.indexOf(10);
        if (nl === -1) parser.pushBytes(chunk);
        else {
          parser.pushBytes(chunk.subarray(0, nl + 1));
          if (await splitRead(file, nl + 1, size, parser, options, options.onCounts)) {
            parser.result.threads = 2;
            break;
          }
          parser.pushBytes(chunk.subarray(nl + 1));
        }
      } else parser.pushBytes(chunk);
      if (showProgress) {
        const now = Date.now();
        if (now - last > 250) {
          last = now;
          ctx.err(
            `\r\u001b[2Kreading ${mb(read)} of ${mb(size)} (${Math.round((read / size) * 100)}%) · ${parser.result.rows.toLocaleString("en-US")} rows`,
          );
        }
      }
    }
    if (gunzip) {
      const done = new Promise<void>((resolve, reject) => {
        gunzip?.once("end", resolve);
        gunzip?.once("error", reject);
      });
      gunzip.end();
      await done;
      drainQueue();
      if (gunzipError) throw gunzipError;
    }
    return parser.end();
  } catch (error) {
    if (error instanceof CliError) throw error;
    const message = (error as NodeJS.ErrnoException).code?.startsWith("Z_")
      ? `not a readable gzip file (${(error as Error).message})`
      : (error as Error).message;
    throw new CliError(`${file === "-" ? "stdin" : file}: ${message}`, EXIT.usage);
  } finally {
    if (showProgress) ctx.err("\r\u001b[2K");
    if (fd !== 0) closeSync(fd);
  }
}

function wantTwoThreads(threads: 1 | 2 | "auto", size: number): boolean {
  // Asked for two threads, any file with more than one block to share.
  if (threads !== "auto") return threads === 2 && size > 2 * BLOCK_BYTES;
  return size >= SPLIT_MIN_BYTES && hasSpareCore();
}

/** Whether the machine has a core to spare: two or more, the last minute's load average under their count less a half. */
export function hasSpareCore(): boolean {
  // Loaded only here, for a large file (the cold start avoids node:os).
  const os = require("node:os") as typeof import("node:os");
  const cores = os.availableParallelism();
  return cores >= 2 && (os.loadavg()[0] ?? cores) < cores - 0.5;
}

/**
 * Reads the file from `dataStart` on two threads, adding the counts into
 * `parser` and `onCounts`. Returns false, having added nothing, when the file
 * cannot be read this way to the same result as one parser.
 */
async function splitRead(
  file: string,
  dataStart: number,
  size: number,
  parser: CdrParser,
  options: ReaderOptions & { progress?: boolean; onCounts?: AddCounts; threads?: 1 | 2 | "auto" },
  onCounts: AddCounts,
): Promise<boolean> {
  const header = parser.splitHeader;
  const script = workerFile();
  if (header === undefined || !parser.atRecordStart || !script) return false;
  const {
    onCall: _call,
    onEvent: _event,
    pairCalls: _pair,
    progress: _progress,
    onCounts: _counts,
    threads: _threads,
    ...sendable
  } = options;
  const job: SplitJob = {
    file,
    dataStart,
    size,
    blockBytes: BLOCK_BYTES,
    header,
    options: sendable satisfies RangeOptions,
    control: new SharedArrayBuffer(8),
  };
  // Loaded here: a command that never splits never loads it.
  const { Worker } = require("node:worker_threads") as typeof import("node:worker_threads");
  const worker = new Worker(script, { workerData: job });
  const theirs = new Promise<{ ok: true; value: BlockCounts[] } | { ok: false; message: string }>(
    (resolve) => {
      worker.once("message", resolve);
      worker.once("error", (error) => resolve({ ok: false, message: error.message }));
      worker.once("exit", () => resolve({ ok: false, message: "the worker stopped" }));
    },
  );
  let mine: BlockCounts[];
  try {
    mine = readBlocks(job);
  } catch {
    // One thread then meets the same trouble and reports it as it should.
    Atomics.store(new Int32Array(job.control), 1, 1);
    void worker.terminate();
    return false;
  }
  const other = await theirs;
  void worker.terminate();
  // A worker that failed before taking a block leaves them all to this thread.
  return mergeBlocks(job, other.ok ? [...mine, ...other.value] : mine, parser, onCounts);
}
