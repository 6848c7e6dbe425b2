import { closeSync, openSync, readSync } from "node:fs";
import { CdrParser, type CdrRow, type ReaderOptions, type ReaderResult } from "./reader.ts";

/**
 * Reading one large CSV file on two threads. After the header, the file is
 * cut into blocks that start at line starts; the main thread and a worker
 * thread each take the next block from a shared counter until none is left
 * (so a worker that starts late, or gets less of a busy machine, simply
 * reads fewer), each block with a parser of its own that starts from the
 * header line. The blocks' counts are added up, in file order, only when the
 * result is the one a single parser gives: every block ended between records
 * (no quoted field open across a cut), every row gave only its code and
 * duration, no row was a 401/407 digest challenge (its retry may be in the
 * next block), and every duration was a whole number (so the summed durations
 * do not depend on the order of the additions). When a block finds
 * otherwise, both threads stop and the caller reads the file on one thread.
 */

/**
 * Below this many bytes, one thread is faster than starting a second: the
 * worker's start-up and the blocks' hand-over cost more than half the read.
 * Measured on 2 cores with the generic bench file (bench/_stats-cdr.mjs),
 * median of 9 runs, one thread / two threads: 61 MB 0.85x, 124 MB 0.88x,
 * 155 MB 0.99x, 186 MB 1.10x, 248 MB 1.25x.
 */
export const SPLIT_MIN_BYTES = 160 * 1024 * 1024;
export const BLOCK_BYTES = 2 * 1024 * 1024;

/** The reader options a worker can be sent (no functions). */
export type RangeOptions = Omit<ReaderOptions, "onCall" | "onEvent" | "pairCalls">;

export interface SplitJob {
  file: string;
  /** Where the first data line starts, and the file's size. */
  dataStart: number;
  size: number;
  blockBytes: number;
  /** The header record, as the first parser read it. */
  header: string;
  options: RangeOptions;
  /** Int32 [next block, stop]: shared by the threads. */
  control: SharedArrayBuffer;
}

export interface BlockCounts {
  index: number;
  result: ReaderResult;
  /** Lines in the block. */
  lines: number;
  /** Calls per code, index code - 100. */
  counts: number[];
  durationSum: number;
  timedAnswers: number;
}

/** Counts calls as CallSummarizer.addCall does, in a flat array. */
export class CallCounts {
  readonly counts = new Float64Array(600);
  durationSum = 0;
  timedAnswers = 0;
  fraction = false;

  readonly add = (code: number, duration: number | undefined): void => {
    this.counts[code - 100] = (this.counts[code - 100] as number) + 1;
    if (duration !== undefined && code >= 200 && code < 300 && duration >= 0) {
      if (!Number.isInteger(duration)) this.fraction = true;
      this.durationSum += duration;
      this.timedAnswers++;
    }
  };
}

/**
 * The offset just past the first line break at or after `from` (the end of
 * the file when there is none), looking at most 1 MB ahead.
 */
export function lineStartFrom(fd: number, from: number, buffer: Buffer): number | undefined {
  for (let at = from; at < from + 1024 * 1024; ) {
    const got = readSync(fd, buffer, 0, Math.min(buffer.length, 64 * 1024), at);
    if (got === 0) return at;
    const nl = buffer.subarray(0, got).indexOf(10);
    if (nl !== -1) return at + nl + 1;
    at += got;
  }
  return undefined;
}

/**
 * Takes blocks until none is left or a thread calls a stop; returns this
 * thread's blocks. Run by both threads (split-worker.ts on the worker).
 */
export function readBlocks(job: SplitJob): BlockCounts[] {
  const control = new Int32Array(job.control);
  const blocks = Math.ceil((job.size - job.dataStart) / job.blockBytes);
  const done: BlockCounts[] = [];
  const fd = openSync(job.file, "r");
  const buffer = Buffer.allocUnsafe(job.blockBytes + 64 * 1024);
  const stop = () => Atomics.store(control, 1, 1);
  const startOf = (i: number) =>
    i === 0
      ? job.dataStart
      : i >= blocks
        ? job.size
        : lineStartFrom(fd, job.dataStart + i * job.blockBytes - 1, buffer);
  // One tally and one pair of callbacks for all of this thread's blocks: a
  // fresh closure per block would make the parser's call sites polymorphic
  // and cost it its optimised code (measured: 2-4x slower). Each block's
  // counts are the difference the block made.
  const tally = new CallCounts();
  const onRow = (row: CdrRow) => tally.add(row.code, row.duration);
  const options: ReaderOptions = { ...job.options, onCall: tally.add };
  try {
    for (;;) {
      if (Atomics.load(control, 1) !== 0) break;
      const index = Atomics.add(control, 0, 1);
      if (index >= blocks) break;
      const start = startOf(index);
      const end = startOf(index + 1);
      // A line over 1 MB long at a cut: not worth splitting.
      if (start === undefined || end === undefined) {
        stop();
        break;
      }
      const before = Array.from(tally.counts);
      const sumBefore = tally.durationSum;
      const timedBefore = tally.timedAnswers;
      const parser = new CdrParser(onRow, options);
      parser.pushBytes(Buffer.from(`${job.header}\n`));
      for (let at = start; at < end; ) {
        const got = readSync(fd, buffer, 0, Math.min(buffer.length, end - at), at);
        if (got === 0) break;
        parser.pushBytes(buffer.subarray(0, got));
        at += got;
      }
      const last = end >= job.size;
      // A challenge's retry may lie past the cut: the file is read on one thread.
      if (tally.fraction || parser.challengesSeen > 0 || (!last && !parser.atRecordStart)) {
        stop();
        break;
      }
      const lines = parser.linesRead - 1;
      done.push({
        index,
        result: parser.end(),
        lines,
        counts: Array.from(tally.counts, (n, i) => n - (before[i] as number)),
        durationSum: tally.durationSum - sumBefore,
        timedAnswers: tally.timedAnswers - timedBefore,
      });
    }
  } finally {
    closeSync(fd);
  }
  return done;
}

/**
 * Adds the blocks of both threads into `parser` and `add`, in file order.
 * Returns false, adding nothing, unless every block is there and no thread
 * called a stop: the caller then reads the file on one thread.
 */
export function mergeBlocks(
  job: SplitJob,
  blocks: BlockCounts[],
  parser: CdrParser,
  add: (counts: number[], durationSum: number, timedAnswers: number) => void,
): boolean {
  if (Atomics.load(new Int32Array(job.control), 1) !== 0) return false;
  const expected = Math.ceil((job.size - job.dataStart) / job.blockBytes);
  const sorted = [...blocks].sort((a, b) => a.index - b.index);
  if (sorted.length !== expected || sorted.some((b, i) => b.index !== i)) return false;
  for (const b of sorted) {
    parser.absorb(b.result, b.lines);
    add(b.counts, b.durationSum, b.timedAnswers);
  }
  return true;
}
