import type { Direction, SkipReason } from "@sipcodes/core";
import { finalOutcome, platformCauseTable, SKIP_REASONS } from "@sipcodes/core";
import { type Challenges, ChallengeTracker, isChallenge } from "./challenges.ts";
import {
  type Detection,
  detectFormat,
  FIELDS,
  type Field,
  FORMATS,
  type FormatChoice,
  type FormatSpec,
  findColumn,
  OUTCOME_FIELDS,
  toDirection,
} from "./formats.ts";
import { GraphPageScanner, sniffGraphPage } from "./graph-pages.ts";
import { separatorIndex } from "./separators.ts";
import { parseCdrTime } from "./time.ts";

export { toDirection } from "./formats.ts";

/**
 * One call attempt read from a CDR row, reduced to what statistics and
 * backtests need. The parser reuses one object for every row: copy what you
 * keep.
 */
export interface CdrRow {
  /** The final SIP code (2xx-6xx). */
  code: number;
  direction?: Direction | undefined;
  trunk?: string | undefined;
  customer?: string | undefined;
  /** The raw value of the start-time column, when there is one. */
  time?: string | undefined;
  /** The start time in milliseconds since the epoch, when it could be read. */
  start?: number | undefined;
  /** Seconds an answered call lasted. */
  duration?: number | undefined;
  /** Milliseconds from the start to the first progress. */
  pdd?: number | undefined;
  reason?: string | undefined;
  subcode?: string | undefined;
  /** 1-based line number in the file (for CSV, the line the row starts on). */
  line: number;
}

export interface BadRow {
  line: number;
  message: string;
}

export interface SkipTally {
  count: number;
  /** The first few lines skipped for this reason. */
  lines: number[];
  /** Why the first of them was skipped. */
  example?: string;
}

/**
 * `json`: Microsoft Graph collection pages (`{"@odata.context":…, "value":[…]}`), streamed item by item.
 * `acc-log`: Kamailio acc's log lines (`ACC: transaction answered: timestamp=…;method=INVITE;…`).
 */
export type Syntax = "csv" | "ndjson" | "json" | "acc-log";

/** A line acc writes to the log: the event, then `key=value` pairs separated by ';'. */
const ACC_LINE =
  /\bACC: (?:transaction answered|call missed|request acknowledged|request accounted): /;
/** The first line of a Kamailio log (stderr, `-E`) or of a syslog file with Kamailio in it. */
const KAMAILIO_LOG =
  /^\s*\d+\(\d+\) [A-Z]+: |^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \S+ \S*kamailio\S*: /;
/** The keys of an acc log line without extras, in the order acc writes them. */
const ACC_LOG_KEYS = ["timestamp", "method", "from_tag", "to_tag", "call_id", "code", "reason"];

/**
 * Cells up to this many bytes are kept for reuse (see CdrParser's #interned),
 * in this many sets of two slots.
 */
const INTERN_MAX = 48;
const INTERN_SETS = 8192;

/** Which optional fields the caller reads; the others are never cut out of the line. */
export type WantedFields = Partial<
  Record<
    | "time"
    | "trunk"
    | "customer"
    | "direction"
    | "duration"
    | "pdd"
    | "reason"
    | "subcode"
    | "start",
    boolean
  >
>;

/** See `ReaderOptions.onEvent`. */
export type OnEvent = (
  code: number,
  buf: Buffer,
  timeStart: number,
  timeEnd: number,
  trunk: string | undefined,
  customer: string | undefined,
  direction: Direction | undefined,
  line: number,
) => void;

export interface ReaderOptions {
  /** auto (default), a platform, or csv/ndjson for the generic mapping with that syntax. */
  format?: FormatChoice;
  /** Default: all of them. */
  fields?: WantedFields;
  codeColumn?: string;
  timeColumn?: string;
  trunkColumn?: string;
  customerColumn?: string;
  directionColumn?: string;
  /** Only calls that started at or after this time (ms since the epoch). */
  since?: number;
  /** Only calls that started before this time (ms since the epoch). */
  until?: number;
  /** Keep this many bad rows' details; all are counted. */
  keepBad?: number;
  /**
   * Called instead of `onRow` for a row that carries nothing but its code
   * and duration (the generic mapping's byte path, when no other field is
   * read and no window is set): no row object is filled. Other rows still go
   * to `onRow`.
   */
  onCall?: (code: number, duration: number | undefined) => void;
  /**
   * Called instead of `onRow` for a plain row of the generic mapping's byte
   * path when nothing but the time, trunk, customer and direction is read
   * besides the code (durations aside: they are not given), no window is set
   * and no calls are paired: what a replay needs, with no row object filled
   * and no string made for the time. The time cell is `buf` from `timeStart`
   * to `timeEnd` (equal when the row has none or it is empty); the trunk and
   * customer are what `onRow` would get. Only a direction cell holding
   * exactly "inbound" or "outbound" (or nothing) is read here: a row with any
   * other goes to `onRow`, as do rows the byte path cannot read.
   */
  onEvent?: OnEvent;
  /**
   * For formats with one row per transaction (Kamailio acc): hold each
   * answered INVITE row until the BYE row of the same call id gives its
   * length, at most `maxPending` at a time (default 50,000; the oldest is
   * then handed on without a length). Rows then reach `onRow` out of file
   * order, so a caller that needs time order (a backtest) leaves this off.
   */
  pairCalls?: boolean | { maxPending?: number };
  /**
   * For formats with one row per transaction and a call id (Kamailio acc,
   * generic files with a Call-ID column): a 401/407 INVITE row followed by
   * an INVITE row of the same call is a challenge and its retry, counted as
   * one attempt. At most `maxPending` challenges wait for their retry at
   * once (default 50,000), for `windowMs` (default 10 minutes) by the rows'
   * times. On by default; `false` counts every row.
   */
  retries?: boolean | { maxPending?: number; windowMs?: number };
  /**
   * Read every line through the text path, never the byte fast path. The two
   * must agree; tests hold them equal with this.
   */
  textOnly?: boolean;
}

export interface ReaderResult {
  /** The file's syntax. */
  format: Syntax;
  /** The platform mapping the rows were read with, and why. */
  detected: Detection;
  /** The CSV field separator. */
  delimiter?: string;
  /** False when the file has no header row and the platform's documented order was used. */
  headerRow?: boolean;
  /** Graph pages read (format `json`). */
  pages?: number;
  /** 2 when the file was read in blocks by two threads (see split.ts). */
  threads?: number;
  /** Data rows read (blank lines aside). */
  rowsRead: number;
  /** Call attempts counted. */
  rows: number;
  /** Rows outside --since/--until. */
  outsideWindow: number;
  skipped: Record<SkipReason, SkipTally>;
  /** Every skipped row, whatever the reason. */
  badCount: number;
  bad: BadRow[];
  /** The column each field was read from. */
  columns?: Partial<Record<Field, string>>;
  /** How answered INVITE rows were paired with BYE rows, when they were. */
  pairing?: Pairing;
  /** Digest challenges and their retries, when the rows carry a call id. */
  challenges?: Challenges;
  /** Log lines that are not acc records (format `acc-log`). */
  otherLines?: number;
  warnings: string[];
}

export interface Pairing {
  /** Answered calls whose length came from their BYE row. */
  paired: number;
  /** Answered calls with no usable BYE row (none in the file, no time, or held too long). */
  unpairedAnswers: number;
  /** Of those, the ones handed on early because `maxPending` calls were already waiting. */
  evicted: number;
  /** BYE rows with no answered INVITE waiting for them. */
  unpairedByes: number;
  maxPending: number;
}

const DELIMITERS = [",", ";", "\t", "|"] as const;

/** Splits one CSV record (RFC 4180: quotes, doubled quotes, delimiters inside quotes). */
export function splitCsv(record: string, delimiter = ","): string[] {
  const cells: string[] = [];
  let i = 0;
  const n = record.length;
  while (i <= n) {
    if (record[i] === '"') {
      let value = "";
      i++;
      while (i < n) {
        const q = record.indexOf('"', i);
        if (q === -1) {
          value += record.slice(i);
          i = n;
          break;
        }
        value += record.slice(i, q);
        if (record[q + 1] === '"') {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      cells.push(value);
      const next = record.indexOf(delimiter, i);
      i = next === -1 ? n + 1 : next + 1;
    } else {
      const next = record.indexOf(delimiter, i);
      const end = next === -1 ? n : next;
      cells.push(record.slice(i, end));
      i = end + 1;
    }
  }
  return cells;
}

/** The separator that occurs most often outside quotes in a header line; ',' on a tie or none. */
export function sniffDelimiter(line: string): string {
  const counts = new Map<string, number>();
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (DELIMITERS as readonly string[]).includes(ch))
      counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best = ",";
  let most = counts.get(",") ?? 0;
  for (const d of DELIMITERS) {
    const c = counts.get(d) ?? 0;
    if (c > most) {
      best = d;
      most = c;
    }
  }
  return best;
}

function quotesBalanced(text: string): boolean {
  let count = 0;
  for (let i = text.indexOf('"'); i !== -1; i = text.indexOf('"', i + 1)) count++;
  return count % 2 === 0;
}

const str = (value: unknown): string | undefined => {
  if (value === undefined || value === null) return undefined;
  const s = typeof value === "string" ? value : String(value);
  return s;
};

/** A cell's text, or undefined when the cell is missing or empty. */
const nonEmpty = (value: unknown): string | undefined => {
  const s = str(value);
  return s === undefined || s === "" ? undefined : s;
};

const seconds = (value: unknown): number | undefined => {
  const s = nonEmpty(value);
  if (s === undefined || s.trim() === "") return undefined;
  const n = Number(s);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
};

const NO_INDEX = -1;

/** A cell that holds the number 0. */
function plainZero(value: unknown): boolean {
  return value === 0 || (typeof value === "string" && value.trim() === "0");
}

/** A cell (text or JSON value) that holds exactly a final code, 2xx-6xx, else -1. */
function plainCode(value: unknown): number {
  if (typeof value === "number")
    return Number.isInteger(value) && value >= 200 && value <= 699 ? value : -1;
  if (typeof value !== "string") return -1;
  const s = value.length === 3 ? value : value.trim();
  if (s.length !== 3) return -1;
  const c0 = s.charCodeAt(0) - 48;
  const c1 = s.charCodeAt(1) - 48;
  const c2 = s.charCodeAt(2) - 48;
  return c0 >= 2 && c0 <= 6 && c1 >= 0 && c1 <= 9 && c2 >= 0 && c2 <= 9
    ? c0 * 100 + c1 * 10 + c2
    : -1;
}
const KEEP_LINES = 5;
const NO_POSITIONS = new Int32Array(new ArrayBuffer(0));

/**
 * A duration cell of the byte path: its whole number of seconds, -1 when the
 * cell is missing or empty, -2 when it holds anything else (the general path
 * reads it then).
 */
function wholeCell(buf: Buffer, cells: Int32Array, k: number, found: number): number {
  if (k >= found) return -1;
  const a = cells[k * 2] as number;
  const b = cells[k * 2 + 1] as number;
  if (a === b) return -1;
  if (b - a >= 10) return -2;
  let n = 0;
  for (let p = a; p < b; p++) {
    const c = (buf[p] as number) - 48;
    if (c < 0 || c > 9) return -2;
    n = n * 10 + c;
  }
  return n;
}
/** Whether `kept` is the ASCII text of the bytes `buf[a, b)`. */
function sameText(kept: string | undefined, buf: Buffer, a: number, b: number): boolean {
  if (kept === undefined || kept.length !== b - a) return false;
  for (let p = a, i = 0; p < b; p++, i++) if (kept.charCodeAt(i) !== buf[p]) return false;
  return true;
}

const INBOUND = Buffer.from("inbound");
const OUTBOUND = Buffer.from("outbound");

/** Whether `buf` holds the bytes of `word` from `at`. */
function sameBytes(buf: Buffer, at: number, word: Buffer): boolean {
  for (let i = 0; i < word.length; i++) if (buf[at + i] !== word[i]) return false;
  return true;
}

/** Buffers shorter than this are read byte by byte: indexing them gains nothing. */
const INDEX_MIN_BYTES = 4096;

/**
 * A push parser for CDR files: feed it byte chunks, it calls `onRow` for every
 * call attempt and counts the rows it skips, by reason. Memory is one partial
 * line plus the header.
 */
export class CdrParser {
  readonly #onRow: (row: CdrRow) => void;
  readonly #options: ReaderOptions;
  #syntax: Syntax | undefined;
  #spec: FormatSpec | undefined;
  #delimiter = ",";
  #delimiterByte = 44;
  #line = 0;
  #pending = "";
  #pendingLine = 0;
  #header: string[] | undefined;
  /** Column index per field (FIELDS order); -1 when absent or not wanted. */
  readonly #idx = new Int32Array(FIELDS.length).fill(NO_INDEX);
  #maxIndex = -1;
  /** The generic mapping with only a code column for the outcome: the code is read from its digits. */
  #simple = false;
  /** Set when rows of the byte path go to `onCall` rather than `onRow`. */
  #lean: ((code: number, duration: number | undefined) => void) | undefined;
  /** Set when rows of the byte path go to `onEvent` rather than `onRow`. */
  #events: OnEvent | undefined;
  #window = false;
  readonly #directionUnknown = new Map<string, number>();
  /** Answered INVITE rows waiting for their BYE, by call id, oldest first. */
  readonly #waiting = new Map<string, { row: CdrRow; at: number | undefined }>();
  #pairing: Pairing | undefined;
  #challenges: ChallengeTracker<CdrRow> | undefined;
  /** acc log lines: "call missed" lines, and failed INVITEs among the transaction lines. */
  #missedLines = 0;
  #failedAccLines = 0;
  readonly result: ReaderResult;

  constructor(onRow: (row: CdrRow) => void, options: ReaderOptions = {}) {
    this.#onRow = onRow;
    this.#options = options;
    const f = options.format ?? "auto";
    if (f === "csv" || f === "ndjson") this.#syntax = f;
    this.#sniffing = f !== "csv" && options.textOnly !== true;
    if (f !== "auto" && f !== "csv" && f !== "ndjson") this.#spec = FORMATS[f];
    if (f === "csv" || f === "ndjson") this.#spec = FORMATS.generic;
    this.#window = options.since !== undefined || options.until !== undefined;
    const skipped = {} as Record<SkipReason, SkipTally>;
    for (const r of SKIP_REASONS) skipped[r] = { count: 0, lines: [] };
    this.result = {
      format: this.#syntax ?? "csv",
      detected: {
        format: this.#spec?.id ?? "generic",
        auto: this.#spec === undefined,
        why: this.#spec ? "--format" : "",
      },
      rowsRead: 0,
      rows: 0,
      outsideWindow: 0,
      skipped,
      badCount: 0,
      bad: [],
      warnings: [],
    };
  }

  #skip(reason: SkipReason, line: number, message: string) {
    this.result.badCount++;
    if (this.result.bad.length < (this.#options.keepBad ?? 5))
      this.result.bad.push({ line, message });
    const tally = this.result.skipped[reason];
    tally.count++;
    // The first lines, in order: a challenge is skipped when its retry comes, after later rows.
    if (tally.lines.length < KEEP_LINES || line < (tally.lines[KEEP_LINES - 1] as number)) {
      let at = tally.lines.length;
      while (at > 0 && (tally.lines[at - 1] as number) > line) at--;
      tally.lines.splice(at, 0, line);
      if (tally.lines.length > KEEP_LINES) tally.lines.pop();
      if (at === 0) tally.example = message;
    }
  }

  #restBytes: Buffer | undefined;

  /**
   * Feeds raw bytes. Plain CSV lines (no quotes) are read straight from the
   * bytes: one pass finds the line end and the separators, the code is read
   * from its digits, and only the cells asked for are decoded. Everything
   * else (the header, quoted lines, NDJSON) goes through the text path.
   */
  pushBytes(chunk: Buffer): void {
    if (this.#graph) {
      this.#graph.push(chunk);
      return;
    }
    if (this.#sniffing) {
      // The first bytes decide between a Graph page and line-based input.
      const head = this.#sniffed ? Buffer.concat([this.#sniffed, chunk]) : chunk;
      const verdict = sniffGraphPage(head.toString("utf8", 0, Math.min(head.length, 4096)));
      if (verdict === undefined && head.length < 4096) {
        this.#sniffed = Buffer.from(head);
        return;
      }
      this.#sniffing = false;
      this.#sniffed = undefined;
      if (verdict === true) {
        this.#startGraph();
        (this.#graph as GraphPageScanner | undefined)?.push(head);
        return;
      }
      this.#pushLines(head);
      return;
    }
    this.#pushLines(chunk);
  }

  /** Whether the first bytes are still to be looked at: JSON may come as Graph pages. */
  #sniffing: boolean;
  #sniffed: Buffer | undefined;
  #graph: GraphPageScanner | undefined;

  #startGraph() {
    this.#syntax = "json";
    this.result.format = "json";
    const graph = new GraphPageScanner((text) => {
      if (graph.items === 1 && graph.context?.includes("pstnCallLogRow")) {
        throw new Error(
          "this is a Graph PSTN call log (getPstnCalls): it lists connected calls with no SIP outcome, so no ASR or NER can come from it; Direct Routing logs (getDirectRoutingCalls) carry finalSipCode",
        );
      }
      // An item's place in the value arrays stands for its line.
      this.#line = graph.items;
      this.#json(text);
    });
    this.#graph = graph;
  }

  #pushLines(chunk: Buffer): void {
    let buf = chunk;
    if (this.#restBytes) {
      // Join only the carried-over partial line with the start of this chunk,
      // rather than copying the whole chunk.
      const nl = chunk.indexOf(10);
      if (nl === -1) {
        this.#restBytes = Buffer.concat([this.#restBytes, chunk]);
        this.#checkRest();
        return;
      }
      const joined = Buffer.concat([this.#restBytes, chunk.subarray(0, nl + 1)]);
      this.#restBytes = undefined;
      this.#scan(joined);
      buf = chunk.subarray(nl + 1);
    }
    const used = this.#scan(buf);
    this.#restBytes = used < buf.length ? Buffer.from(buf.subarray(used)) : undefined;
    this.#checkRest();
  }

  #checkRest() {
    if (this.#restBytes && this.#restBytes.length > 16 * 1024 * 1024) {
      throw new Error(`line ${this.#line + 1} is longer than 16 MB without a line break`);
    }
  }

  /** Reads every complete line of `buf`; returns where the unread remainder starts. */
  #scan(buf: Buffer): number {
    const n = buf.length;
    const cells = this.#cells;
    let i = 0;
    // Where the next double quote is: found once per chunk, so quote-free
    // lines need no per-line check.
    let nextQuote = buf.indexOf(34);
    // The positions of the separators and line feeds (separators.ts), made
    // at the first line of this buffer that the byte path reads.
    let indexed = false;
    let positions = NO_POSITIONS;
    let count = 0;
    let base = 0;
    let stop = 0;
    let k = 0;
    let leanPause = 0;
    while (i < n) {
      const fast =
        this.#header !== undefined &&
        this.#syntax === "csv" &&
        this.#pending === "" &&
        this.#options.textOnly !== true;
      const max = this.#maxIndex;
      const sep = this.#delimiterByte;
      const high = Math.max(sep, 10);
      if (fast && !indexed) {
        indexed = true;
        const index = n - i >= INDEX_MIN_BYTES ? separatorIndex() : null;
        if (index) {
          // Read at once: the index is shared, and this buffer is done
          // before the next is indexed.
          index.index(buf, i, sep);
          positions = index.positions;
          count = index.count;
          base = index.base;
          stop = index.stop;
        }
      }
      if (fast && i < stop && this.#leanRun) {
        if (leanPause > 0) leanPause--;
        else {
          const from = i;
          i = this.#leanLines(buf, i, positions, count, base, stop, k, nextQuote);
          k = this.#leanK;
          // A line it left to the path below: try again after a few more.
          if (i === from) leanPause = 32;
          if (i >= n) break;
          continue;
        }
      }
      let col = 0;
      let cellStart = i;
      let quoted = false;
      let j: number;
      if (fast) {
        let p = i;
        j = -1;
        if (i < stop) {
          // From separator to separator; past the index, byte by byte below.
          while (k < count && (positions[k] as number) + base < i) k++;
          for (; k < count; k++) {
            const q = (positions[k] as number) + base;
            if (buf[q] === 10) {
              j = q;
              break;
            }
            if (col <= max) {
              cells[col * 2] = cellStart;
              cells[col * 2 + 1] = q;
              col++;
              cellStart = q + 1;
            }
          }
          if (j === -1) p = stop;
        }
        if (j === -1) {
          // One pass over the bytes up to the last wanted cell, noting each
          // separator, then a native search (memchr) for the rest of the line.
          // A plain byte loop beats a native call per separator here (measured:
          // about 2.5x on the benchmark file).
          if (col <= max) {
            for (; p < n; p++) {
              const c = buf[p] as number;
              // Most bytes are above both the separator and the line feed: one test.
              if (c > high) continue;
              if (c === sep) {
                cells[col * 2] = cellStart;
                cells[col * 2 + 1] = p;
                col++;
                cellStart = p + 1;
                if (col > max) break;
              } else if (c === 10) break;
            }
          }
          j = p < n && buf[p] === 10 ? p : buf.indexOf(10, p);
        }
        if (j === -1) j = n;
        if (nextQuote !== -1 && nextQuote < i) nextQuote = buf.indexOf(34, i);
        quoted = nextQuote !== -1 && nextQuote < j;
      } else {
        j = buf.indexOf(10, i);
        if (j === -1) j = n;
      }
      if (j === n) break; // an incomplete line: wait for the next chunk
      let end = j;
      if (end > i && buf[end - 1] === 13) end--;
      this.#line++;
      if (!fast || quoted || end === i) {
        this.#record(buf.toString("utf8", i, end));
      } else {
        if (col <= max) {
          cells[col * 2] = cellStart;
          cells[col * 2 + 1] = end;
          col++;
        }
        this.result.rowsRead++;
        if (this.#simple) this.#simpleBytesRow(buf, col, this.#line);
        else {
          this.#rowBuf = buf;
          this.#rowFound = col;
          this.#resolve(this.#bufCell, this.#line);
          this.#rowBuf = undefined;
        }
      }
      i = j + 1;
    }
    return i;
  }

  /** Where #leanLines left the position index. */
  #leanK = 0;
  /** Lines of the byte path give only a code and a duration to `onCall`: #leanLines reads them. */
  #leanRun = false;

  /**
   * The byte path's common case, in a loop of its own (small, so V8
   * optimises it early in the file): plain lines within the separator index
   * whose code is three digits and whose duration cells are empty or whole
   * numbers, counted straight into `onCall`. Returns where it stopped: the
   * first line that needs more (a quote, a CR, too few cells, another code,
   * a challenge to pair), which the caller reads the general way. With
   * `onEvent` it hands each line's time cell, trunk, customer and direction
   * there instead (a direction cell other than "inbound" or "outbound" stops it too).
   */
  #leanLines(
    buf: Buffer,
    from: number,
    positions: Int32Array,
    count: number,
    base: number,
    stop: number,
    startK: number,
    nextQuote: number,
  ): number {
    const cells = this.#cells;
    const max = this.#maxIndex;
    const idx = this.#idx;
    const ci = idx[0] as number;
    const bi = idx[15] as number;
    const di = idx[16] as number;
    const onCall = this.#lean as (code: number, duration: number | undefined) => void;
    const onEvent = this.#events;
    const ti = idx[11] as number;
    const ri = idx[8] as number;
    const trunkI = idx[9] as number;
    const customerI = idx[10] as number;
    const tracker = this.#challenges;
    const result = this.result;
    const wantDuration = this.#wantDuration;
    let quote = nextQuote;
    let k = startK;
    let i = from;
    while (i < stop) {
      while (k < count && (positions[k] as number) + base < i) k++;
      const lineK = k;
      let col = 0;
      let cellStart = i;
      let j = -1;
      for (; k < count; k++) {
        const q = (positions[k] as number) + base;
        if (buf[q] === 10) {
          j = q;
          break;
        }
        if (col <= max) {
          cells[col * 2] = cellStart;
          cells[col * 2 + 1] = q;
          col++;
          cellStart = q + 1;
        }
      }
      if (j === -1 || j === i || buf[j - 1] === 13) {
        k = lineK;
        break;
      }
      if (quote !== -1 && quote < j) {
        if (quote < i) quote = buf.indexOf(34, i);
        if (quote !== -1 && quote < j) {
          k = lineK;
          break;
        }
      }
      if (col <= max) {
        cells[col * 2] = cellStart;
        cells[col * 2 + 1] = j;
        col++;
      }
      let code = -1;
      if (col > ci) {
        let a = cells[ci * 2] as number;
        let b = cells[ci * 2 + 1] as number;
        while (a < b && buf[a] === 32) a++;
        while (b > a && buf[b - 1] === 32) b--;
        if (b - a === 3) {
          const c0 = (buf[a] as number) - 48;
          const c1 = (buf[a + 1] as number) - 48;
          const c2 = (buf[a + 2] as number) - 48;
          if (c0 >= 2 && c0 <= 6 && c1 >= 0 && c1 <= 9 && c2 >= 0 && c2 <= 9)
            code = c0 * 100 + c1 * 10 + c2;
        }
      }
      if (code === -1 || (tracker !== undefined && (tracker.active || isChallenge(code)))) {
        k = lineK;
        break;
      }
      if (onEvent !== undefined) {
        let direction: Direction | undefined;
        if (ri !== NO_INDEX && col > ri) {
          const a = cells[ri * 2] as number;
          const b = cells[ri * 2 + 1] as number;
          if (b - a === 7 && sameBytes(buf, a, INBOUND)) direction = "inbound";
          else if (b - a === 8 && sameBytes(buf, a, OUTBOUND)) direction = "outbound";
          else if (b !== a) {
            k = lineK;
            break;
          }
        }
        let timeStart = 0;
        let timeEnd = 0;
        if (ti !== NO_INDEX && col > ti) {
          timeStart = cells[ti * 2] as number;
          timeEnd = cells[ti * 2 + 1] as number;
        }
        let trunk: string | undefined;
        if (trunkI !== NO_INDEX && col > trunkI) {
          const a = cells[trunkI * 2] as number;
          const b = cells[trunkI * 2 + 1] as number;
          if (a !== b) trunk = this.#cellText(buf, a, b);
        }
        let customer: string | undefined;
        if (customerI !== NO_INDEX && col > customerI) {
          const a = cells[customerI * 2] as number;
          const b = cells[customerI * 2 + 1] as number;
          if (a !== b) customer = this.#cellText(buf, a, b);
        }
        this.#line++;
        result.rowsRead++;
        result.rows++;
        onEvent(code, buf, timeStart, timeEnd, trunk, customer, direction, this.#line);
        i = j + 1;
        continue;
      }
      let seconds = -1;
      if (code < 300 && wantDuration) {
        seconds = bi === NO_INDEX ? -1 : wholeCell(buf, cells, bi, col);
        if (seconds === -1 && di !== NO_INDEX) seconds = wholeCell(buf, cells, di, col);
        if (seconds === -2) {
          k = lineK;
          break;
        }
      }
      this.#line++;
      result.rowsRead++;
      result.rows++;
      onCall(code, seconds < 0 ? undefined : seconds);
      i = j + 1;
    }
    this.#leanK = k;
    return i;
  }

  #headerRecord: string | undefined;

  /**
   * The header line, when the rest of the file can be read in pieces by
   * parsers that each start from it, and their results added up: a CSV with
   * a header row read on the byte path, where each row gives only its code
   * and duration to `onCall`. Undefined otherwise.
   */
  get splitHeader(): string | undefined {
    return this.#lean && this.#syntax === "csv" && this.#options.textOnly !== true
      ? this.#headerRecord
      : undefined;
  }

  /** Lines read so far, header and blank lines included. */
  get linesRead(): number {
    return this.#line;
  }

  /** True between records: no partial line kept and no quoted field left open. */
  get atRecordStart(): boolean {
    return this.#restBytes === undefined && this.#pending === "" && this.#sniffed === undefined;
  }

  /**
   * Adds the counts of a parser that read the next `lines` lines of the file
   * from this parser's position on, starting from the header line (its line
   * 2 is this file's line `linesRead + 1`): the same result as reading them
   * here.
   */
  absorb(other: ReaderResult, lines: number): void {
    const shift = this.#line - 1;
    this.#line += lines;
    const r = this.result;
    r.rowsRead += other.rowsRead;
    r.rows += other.rows;
    r.outsideWindow += other.outsideWindow;
    r.badCount += other.badCount;
    const keep = this.#options.keepBad ?? 5;
    for (const b of other.bad) {
      if (r.bad.length >= keep) break;
      r.bad.push({ line: b.line + shift, message: b.message });
    }
    for (const reason of SKIP_REASONS) {
      const mine = r.skipped[reason];
      const theirs = other.skipped[reason];
      mine.count += theirs.count;
      for (const line of theirs.lines) {
        if (mine.lines.length >= KEEP_LINES) break;
        mine.lines.push(line + shift);
      }
      if (theirs.example !== undefined) mine.example ??= theirs.example;
    }
    r.warnings.push(...other.warnings);
  }

  #rowBuf: Buffer | undefined;
  #rowFound = 0;
  readonly #bufCell = (k: number): string | undefined => {
    const buf = this.#rowBuf;
    if (k === NO_INDEX || k >= this.#rowFound || !buf) return undefined;
    const a = this.#cells[k * 2] as number;
    const b = this.#cells[k * 2 + 1] as number;
    // The time and the call id differ on nearly every row: not worth keeping.
    if (b - a > 0 && b - a <= INTERN_MAX && k !== this.#idx[11] && k !== this.#idx[19])
      return this.#interned(buf, a, b);
    return buf.toString("utf8", a, b);
  };

  /** A trunk or customer cell `buf[a, b)` (not empty) as `#bufCell` reads it. */
  #cellText(buf: Buffer, a: number, b: number): string {
    return b - a <= INTERN_MAX ? this.#interned(buf, a, b) : buf.toString("utf8", a, b);
  }

  /**
   * Short cells (trunks, customers, directions) repeat across rows: the string
   * made for a cell is kept and handed out again for the same bytes, so no new
   * string is made for them and their Map lookups find a hash already computed.
   * Only ASCII cells are kept (a string equals its bytes there). Each hash
   * has two slots, the newer string first, so two names whose hashes meet
   * do not push each other out on every row.
   */
  readonly #internKeys: (string | undefined)[] = new Array<string | undefined>(2 * INTERN_SETS);
  #interned(buf: Buffer, a: number, b: number): string {
    let h = 0x811c9dc5;
    for (let p = a; p < b; p++) h = Math.imul(h ^ (buf[p] as number), 0x01000193);
    // FNV-1a's low bits mix poorly for names that differ in a digit or two.
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    const slot = ((h >>> 0) & (INTERN_SETS - 1)) * 2;
    const keys = this.#internKeys;
    if (sameText(keys[slot], buf, a, b)) return keys[slot] as string;
    if (sameText(keys[slot + 1], buf, a, b)) return keys[slot + 1] as string;
    const made = buf.toString("utf8", a, b);
    let ascii = true;
    for (let p = a; p < b; p++) {
      if ((buf[p] as number) >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      keys[slot + 1] = keys[slot];
      keys[slot] = made;
    }
    return made;
  }

  /** The generic mapping's hot path: three digits read in place, no string made for the code. */
  #simpleBytesRow(buf: Buffer, found: number, lineNo: number) {
    const cells = this.#cells;
    const ci = this.#idx[0] as number;
    if (found <= ci) {
      this.#skip("bad-value", lineNo, `only ${found} columns; the code is in column ${ci + 1}`);
      return;
    }
    let a = cells[ci * 2] as number;
    let b = cells[ci * 2 + 1] as number;
    while (a < b && buf[a] === 32) a++;
    while (b > a && buf[b - 1] === 32) b--;
    if (b - a === 3) {
      const c0 = (buf[a] as number) - 48;
      const c1 = (buf[a + 1] as number) - 48;
      const c2 = (buf[a + 2] as number) - 48;
      if (c0 >= 2 && c0 <= 6 && c1 >= 0 && c1 <= 9 && c2 >= 0 && c2 <= 9) {
        this.#rowBuf = buf;
        this.#rowFound = found;
        const code = c0 * 100 + c1 * 10 + c2;
        const onCall = this.#lean;
        const tracker = this.#challenges;
        if (onCall && (tracker === undefined || (!tracker.active && !isChallenge(code)))) {
          this.result.rows++;
          onCall(
            code,
            code < 300 && this.#wantDuration
              ? (this.#seconds(this.#idx[15] as number, this.#bufCell) ??
                  this.#seconds(this.#idx[16] as number, this.#bufCell))
              : undefined,
          );
        } else this.#emit(code, this.#bufCell, lineNo);
        this.#rowBuf = undefined;
        return;
      }
    }
    this.#rowBuf = buf;
    this.#rowFound = found;
    this.#resolve(this.#bufCell, lineNo);
    this.#rowBuf = undefined;
  }

  readonly #cells = new Int32Array(512);

  end(): ReaderResult {
    if (this.#sniffed) {
      const head = this.#sniffed;
      this.#sniffed = undefined;
      this.#sniffing = false;
      if (sniffGraphPage(head.toString("utf8")) === true) {
        this.#startGraph();
        this.#graph?.push(head);
      } else this.#pushLines(head);
    }
    this.#sniffing = false;
    if (this.#graph) {
      this.#graph.end();
      this.result.pages = this.#graph.pages;
      if (!this.#header)
        throw new Error("the Graph pages hold no rows (every value array is empty)");
    }
    if (this.#restBytes) {
      // The last line had no line break.
      const rest = this.#restBytes.toString("utf8");
      this.#restBytes = undefined;
      this.#line++;
      this.#record(rest.endsWith("\r") ? rest.slice(0, -1) : rest);
    }
    if (this.#pending !== "") {
      this.#skip("bad-value", this.#pendingLine, "unterminated quoted field at end of file");
      this.#pending = "";
    }
    if (!this.#syntax || (this.#syntax === "csv" && !this.#header)) {
      throw new Error("the file is empty: expected a CSV header row or NDJSON lines");
    }
    if (this.#challenges) {
      const ch = this.#challenges.end();
      this.result.challenges = ch;
      if (ch.evicted) {
        this.result.warnings.push(
          `${ch.evicted} auth challenges (401/407) were counted as attempts without waiting for a retry, since more than ${ch.maxPending} waited at once; ${ch.lateRetries ? `${ch.lateRetries} of them were retried later, so ${ch.lateRetries} calls are counted twice` : "none of those watched was retried later"}`,
        );
      }
    }
    if (this.#missedLines > 0 && this.#failedAccLines === 0) {
      this.result.warnings.push(
        `${this.#missedLines} "call missed" lines but no failed INVITE among the acc transaction lines: acc logs a failed transaction as one only with failed_transaction_flag set, so failed calls are not counted here`,
      );
    }
    if (this.#pairing) {
      for (const held of this.#waiting.values()) {
        this.#pairing.unpairedAnswers++;
        this.#onRow(held.row);
      }
      this.#waiting.clear();
      this.result.pairing = this.#pairing;
    }
    for (const [value, count] of this.#directionUnknown) {
      this.result.warnings.push(
        `direction "${value}" (${count} row${count === 1 ? "" : "s"}) is neither inbound nor outbound; counted as (none)`,
      );
    }
    this.#directionUnknown.clear();
    return this.result;
  }

  #record(text: string) {
    // A byte order mark (Excel's "CSV UTF-8") belongs to the file, not to the
    // first cell or JSON value.
    const line = this.#line === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    if (this.#syntax === undefined) {
      const trimmed = line.trim();
      if (trimmed === "") return;
      this.#syntax = trimmed.startsWith("{")
        ? "ndjson"
        : ACC_LINE.test(line) || KAMAILIO_LOG.test(line)
          ? "acc-log"
          : "csv";
      this.result.format = this.#syntax;
      if (this.#syntax === "acc-log") this.#startAccLog();
    }
    if (this.#syntax === "ndjson") this.#json(line);
    else if (this.#syntax === "acc-log") this.#accLog(line);
    else this.#csv(line);
  }

  #startAccLog() {
    if (this.#spec && this.#spec.id !== "kamailio-acc") {
      throw new Error(
        `line ${this.#line} is a Kamailio log line, not a ${this.#spec.id} row; read it with --format kamailio-acc`,
      );
    }
    this.result.detected = {
      format: "kamailio-acc",
      auto: this.#spec === undefined,
      why: this.#spec ? "--format" : "Kamailio acc log lines (ACC: …)",
    };
    this.#spec = FORMATS["kamailio-acc"];
  }

  /** One line of a Kamailio log: an acc record is a row, any other line is passed over. */
  #accLog(line: string) {
    const at = line.search(ACC_LINE);
    if (at === -1) {
      if (line.trim() !== "") this.result.otherLines = (this.result.otherLines ?? 0) + 1;
      return;
    }
    const rest = line.slice(at + 5);
    const colon = rest.indexOf(": ");
    const event = rest.slice(0, colon);
    this.result.rowsRead++;
    const values = new Map<string, string>();
    let last: string | undefined;
    for (const part of rest.slice(colon + 2).split(";")) {
      const eq = part.indexOf("=");
      if (eq > 0) {
        last = part.slice(0, eq).trim();
        values.set(last, part.slice(eq + 1));
      } else if (last !== undefined) {
        // A ';' inside a value (a reason phrase): part of the value before it.
        values.set(last, `${values.get(last)};${part}`);
      }
    }
    if (!this.#header) {
      this.#header = [
        ...ACC_LOG_KEYS,
        ...[...values.keys()].filter((k) => !ACC_LOG_KEYS.includes(k)),
      ];
      this.#setColumns(this.#header, this.#line, true);
    }
    const invite = values.get("method")?.trim().toUpperCase() === "INVITE";
    if (event === "call missed") {
      // log_missed_flag: a failed INVITE, also written as "transaction
      // answered" when failed_transaction_flag is set (Kamailio's default
      // configuration sets both). That line is the acc record; this one is
      // the missed_calls table's.
      this.#missedLines++;
      this.#skip(
        "acc-missed",
        this.#line,
        `call missed: ${values.get("code") ?? "?"} ${values.get("call_id")?.slice(0, 40) ?? ""}`,
      );
      return;
    }
    if (invite && Number(values.get("code")) >= 300) this.#failedAccLines++;
    const names = this.#header;
    this.#resolve((i) => (i === NO_INDEX ? undefined : values.get(names[i] as string)), this.#line);
  }

  #json(line: string) {
    if (line.trim() === "") return;
    this.result.rowsRead++;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      this.#skip("bad-value", this.#line, "not valid JSON");
      return;
    }
    if (!value || typeof value !== "object" || Array.isArray(value)) {
      this.#skip("bad-value", this.#line, "not a JSON object");
      return;
    }
    const obj = value as Record<string, unknown>;
    if (!this.#header) {
      // The first object's keys play the role of a header.
      this.#header = Object.keys(obj);
      this.#setColumns(this.#header, this.#line, true);
    }
    const names = this.#header;
    this.#resolve((i) => (i === NO_INDEX ? undefined : obj[names[i] as string]), this.#line);
  }

  #csv(line: string) {
    let record = line;
    let lineNo = this.#line;
    if (this.#pending !== "") {
      record = `${this.#pending}\n${line}`;
      lineNo = this.#pendingLine;
      if (!quotesBalanced(record)) {
        this.#pending = record;
        if (record.length > 1_000_000) {
          this.#skip("bad-value", lineNo, "quoted field runs past 1 MB; giving up on this record");
          this.#pending = "";
        }
        return;
      }
      this.#pending = "";
    } else if (line.includes('"') && !quotesBalanced(line)) {
      this.#pending = line;
      this.#pendingLine = lineNo;
      return;
    }
    if (!this.#header) {
      if (record.trim() === "") return;
      this.#delimiter = sniffDelimiter(record);
      this.#delimiterByte = this.#delimiter.charCodeAt(0);
      this.result.delimiter = this.#delimiter;
      const cells = splitCsv(record, this.#delimiter);
      const headerless = this.#headerless(cells);
      if (headerless) {
        this.#header = [...headerless];
        this.#setColumns(this.#header, lineNo, false);
        // The first line was a data row.
        this.#csvRow(cells, lineNo);
        return;
      }
      this.#header = cells;
      this.#headerRecord = record;
      this.#setColumns(this.#header, lineNo, true);
      return;
    }
    if (record === "") return;
    // Quoted lines and a last line without a line break come here (pushBytes reads
    // plain lines in place): split by RFC 4180.
    this.#csvRow(splitCsv(record, this.#delimiter), lineNo);
  }

  #csvRow(values: string[], lineNo: number) {
    this.result.rowsRead++;
    if (this.#simple) {
      const ci = this.#idx[0] as number;
      if (values.length <= ci) {
        this.#skip(
          "bad-value",
          lineNo,
          `only ${values.length} columns; the code is in column ${ci + 1}`,
        );
        return;
      }
    }
    this.#resolve((i) => (i === NO_INDEX ? undefined : values[i]), lineNo);
  }

  /** The column list of a headerless file, when the first line looks like a platform's row. */
  #headerless(cells: string[]): readonly string[] | undefined {
    if (this.#spec)
      return this.#spec.headerless?.looksLike(cells) ? this.#spec.headerless.columns : undefined;
    for (const spec of Object.values(FORMATS)) {
      if (spec.headerless?.looksLike(cells)) {
        this.#spec = spec;
        this.result.detected = {
          format: spec.id,
          auto: true,
          why: `no header row; the first line has ${cells.length} cells laid out as ${spec.id} writes them`,
        };
        return spec.headerless.columns;
      }
    }
    return undefined;
  }

  /** Reads one row through the format's mapping: method, outcome, then the other fields. */
  #resolve(get: (index: number) => unknown, lineNo: number) {
    const idx = this.#idx;
    const method = idx[7] as number;
    if (method !== NO_INDEX) {
      const m = nonEmpty(get(method));
      const name = m?.trim().toUpperCase();
      if (name !== undefined && name !== "" && name !== "INVITE") {
        if (name === "BYE" && this.#pairing) this.#pairBye(get);
        this.#skip("non-invite", lineNo, `method ${m?.trim().slice(0, 20)}`);
        return;
      }
    }
    // An INVITE whose call id belongs to an answered call still waiting for
    // its BYE is a re-INVITE (a hold, a codec change, a session refresh):
    // part of that call, not a new attempt.
    if (this.#pairing && this.#waiting.size > 0) {
      const callid = nonEmpty(get(idx[19] as number))?.trim();
      if (callid !== undefined && this.#waiting.has(callid)) {
        this.#skip("in-dialog", lineNo, `re-INVITE of answered call ${callid.slice(0, 40)}`);
        return;
      }
    }
    // A final SIP code in the code column decides the row before anything
    // else (finalOutcome's first rule): read it without building the input.
    const ci = idx[0] as number;
    if (ci !== NO_INDEX) {
      const quick = this.#rowBuf ? this.#bytesCode(ci) : plainCode(get(ci));
      if (quick !== -1) {
        this.#emit(quick, get, lineNo);
        return;
      }
    }
    const spec = this.#spec as FormatSpec;
    let answered = false;
    if (spec.answeredFromTimes) {
      const billsec = this.#seconds(idx[15] as number, get);
      answered = (billsec !== undefined && billsec > 0) || this.#hasText(idx[12] as number, get);
    }
    const successful = nonEmpty(get(idx[6] as number))?.trim();
    if (successful !== undefined && /^(true|1|yes)$/i.test(successful)) answered = true;
    const failed = successful !== undefined && /^(false|0|no)$/i.test(successful);
    if (failed && spec.zeroIsAnswered && plainZero(get(idx[0] as number))) {
      // finalSipCode 0 says success, successfulCall says not: no reading of it is safe.
      this.#skip("no-outcome", lineNo, "SIP code 0 (success) on a row marked unsuccessful");
      return;
    }
    const rawCode = get(idx[0] as number);
    const out = finalOutcome({
      sipCode:
        spec.noCode &&
        typeof rawCode === "string" &&
        spec.noCode.includes(rawCode.trim().toLowerCase())
          ? undefined
          : rawCode,
      protoCause: get(idx[1] as number),
      q850: get(idx[2] as number),
      causeName: get(idx[3] as number),
      causeToSip: this.#causeTableFor(spec),
      disposition: get(idx[4] as number),
      status: get(idx[5] as number),
      answered,
      ...(spec.zeroIsAnswered ? { zeroIsAnswered: true } : {}),
    });
    if (!out.ok) {
      this.#skip(out.reason, lineNo, out.detail);
      return;
    }
    this.#emit(out.code, get, lineNo);
  }

  /** The platform's own cause table for rows of `spec` (read once); RFC 3398 applies without one. */
  #causeTableFor(spec: FormatSpec): ((cause: number) => number | undefined) | undefined {
    if (this.#causeTable === undefined || this.#causeTable.spec !== spec) {
      const table = spec.causeTable ? platformCauseTable({ profile: spec.causeTable }) : undefined;
      this.#causeTable = { spec, table };
    }
    return this.#causeTable.table;
  }
  #causeTable:
    | { spec: FormatSpec; table: ((cause: number) => number | undefined) | undefined }
    | undefined;

  #emit(code: number, get: (index: number) => unknown, line: number) {
    const idx = this.#idx;
    // One object for every row, every field reset: no allocation per row, and
    // the consumer's property reads stay monomorphic.
    const row = this.#rowObject;
    row.code = code;
    row.direction = undefined;
    row.trunk = undefined;
    row.customer = undefined;
    row.time = undefined;
    row.start = undefined;
    row.duration = undefined;
    row.pdd = undefined;
    row.reason = undefined;
    row.subcode = undefined;
    row.line = line;
    const ti = idx[11] as number;
    const time = ti === NO_INDEX ? undefined : nonEmpty(get(ti));
    if (time !== undefined) row.time = time;
    const needStart = this.#window || this.#wantStart;
    if (needStart && time !== undefined) {
      const start = parseCdrTime(time);
      if (start !== undefined) row.start = start;
    }
    if (this.#window) {
      if (row.start === undefined) {
        this.#skip("bad-value", line, `no start time to compare with --since/--until`);
        return;
      }
      if (
        (this.#options.since !== undefined && row.start < this.#options.since) ||
        (this.#options.until !== undefined && row.start >= this.#options.until)
      ) {
        this.result.outsideWindow++;
        return;
      }
    }
    const di = idx[8] as number;
    if (di !== NO_INDEX) {
      const raw = nonEmpty(get(di));
      if (raw !== undefined) {
        const d = toDirection(raw);
        if (d) row.direction = d;
        else {
          const key = raw.trim().slice(0, 40);
          if (this.#directionUnknown.has(key) || this.#directionUnknown.size < 10)
            this.#directionUnknown.set(key, (this.#directionUnknown.get(key) ?? 0) + 1);
        }
      }
    }
    if (idx[9] !== NO_INDEX) {
      const trunk = nonEmpty(get(idx[9] as number));
      if (trunk !== undefined)
        row.trunk = this.#spec?.trunkName ? this.#spec.trunkName(trunk) : trunk;
    }
    if (idx[10] !== NO_INDEX) row.customer = nonEmpty(get(idx[10] as number));
    if (idx[17] !== NO_INDEX) {
      const reason = nonEmpty(get(idx[17] as number))?.trim();
      if (reason) row.reason = reason;
    }
    if (idx[18] !== NO_INDEX) {
      const subcode = nonEmpty(get(idx[18] as number))?.trim();
      if (subcode) row.subcode = subcode;
    }
    if (code >= 200 && code < 300 && this.#wantDuration) {
      let d = this.#seconds(idx[15] as number, get) ?? this.#seconds(idx[16] as number, get);
      if (d === undefined && idx[12] !== NO_INDEX && idx[14] !== NO_INDEX) {
        const a = parseCdrTime(str(get(idx[12] as number)));
        const e = parseCdrTime(str(get(idx[14] as number)));
        if (a !== undefined && e !== undefined && e >= a) d = (e - a) / 1000;
      }
      if (d !== undefined) row.duration = d;
    }
    const pi = idx[13] as number;
    if (pi !== NO_INDEX) {
      const p = parseCdrTime(str(get(pi)));
      const s = row.start ?? parseCdrTime(time);
      if (p !== undefined && s !== undefined && p >= s) row.pdd = p - s;
    }
    const tracker = this.#challenges;
    if (tracker && (isChallenge(code) || tracker.active)) {
      const callid = nonEmpty(get(idx[19] as number))?.trim();
      if (callid !== undefined) {
        const tag = nonEmpty(get(idx[22] as number))?.trim();
        const key = tag === undefined ? callid : `${callid}\n${tag}`;
        const at = this.#pairTime(get);
        const retried = tracker.next(key, at);
        if (retried) {
          this.#skip(
            "auth-retried",
            retried.line,
            `${retried.code} challenge of call ${callid.slice(0, 40)}, retried at line ${line}`,
          );
        }
        if (isChallenge(code)) {
          tracker.hold(key, { value: { ...row }, line, code, at });
          return;
        }
      }
    }
    this.result.rows++;
    if (this.#pairing && code >= 200 && code < 300 && row.duration === undefined) {
      const callid = nonEmpty(get(idx[19] as number))?.trim();
      if (callid !== undefined) {
        this.#hold(callid, row, this.#pairTime(get));
        return;
      }
    }
    this.#onRow(row);
  }

  /** Challenge rows seen with a call id: a read in blocks cannot pair them across a cut. */
  get challengesSeen(): number {
    return this.#challenges?.seen ?? 0;
  }

  /** The time of a Kamailio acc row in ms: time_attr (+ time_exten µs) when set, else the time column. */
  #pairTime(get: (index: number) => unknown): number | undefined {
    const idx = this.#idx;
    const attr = nonEmpty(get(idx[20] as number))?.trim();
    if (attr !== undefined && /^\d+(\.\d+)?$/.test(attr)) {
      const micros = nonEmpty(get(idx[21] as number))?.trim();
      const extra = micros !== undefined && /^\d{1,6}$/.test(micros) ? Number(micros) / 1000 : 0;
      return Number(attr) * 1000 + extra;
    }
    return parseCdrTime(str(get(idx[11] as number)));
  }

  #hold(callid: string, row: CdrRow, at: number | undefined) {
    const pairing = this.#pairing as Pairing;
    this.#waiting.set(callid, { row: { ...row }, at });
    if (this.#waiting.size > pairing.maxPending) {
      const [oldest, held] = this.#waiting.entries().next().value as [
        string,
        { row: CdrRow; at: number | undefined },
      ];
      this.#waiting.delete(oldest);
      pairing.unpairedAnswers++;
      pairing.evicted++;
      this.#onRow(held.row);
    }
  }

  #pairBye(get: (index: number) => unknown) {
    const pairing = this.#pairing as Pairing;
    const callid = nonEmpty(get(this.#idx[19] as number))?.trim();
    const held = callid === undefined ? undefined : this.#waiting.get(callid);
    if (!held || callid === undefined) {
      pairing.unpairedByes++;
      return;
    }
    this.#waiting.delete(callid);
    const at = this.#pairTime(get);
    if (at !== undefined && held.at !== undefined && at >= held.at) {
      held.row.duration = (at - held.at) / 1000;
      pairing.paired++;
    } else pairing.unpairedAnswers++;
    this.#onRow(held.row);
  }

  /** A code cell of the byte path that holds exactly a final code (2xx-6xx, spaces aside), else -1. */
  #bytesCode(k: number): number {
    const buf = this.#rowBuf as Buffer;
    if (k >= this.#rowFound) return -1;
    let a = this.#cells[k * 2] as number;
    let b = this.#cells[k * 2 + 1] as number;
    while (a < b && buf[a] === 32) a++;
    while (b > a && buf[b - 1] === 32) b--;
    if (b - a !== 3) return -1;
    const c0 = (buf[a] as number) - 48;
    const c1 = (buf[a + 1] as number) - 48;
    const c2 = (buf[a + 2] as number) - 48;
    return c0 >= 2 && c0 <= 6 && c1 >= 0 && c1 <= 9 && c2 >= 0 && c2 <= 9
      ? c0 * 100 + c1 * 10 + c2
      : -1;
  }

  /** Whether a cell holds more than spaces, read in place on the byte path. */
  #hasText(k: number, get: (index: number) => unknown): boolean {
    if (k === NO_INDEX) return false;
    const buf = this.#rowBuf;
    if (buf) {
      if (k >= this.#rowFound) return false;
      const b = this.#cells[k * 2 + 1] as number;
      for (let a = this.#cells[k * 2] as number; a < b; a++) {
        const c = buf[a] as number;
        if (c !== 32 && c !== 9) return true;
      }
      return false;
    }
    const v = nonEmpty(get(k));
    return v !== undefined && v.trim() !== "";
  }

  /** A seconds cell: whole numbers are read from the bytes in place on the fast path. */
  #seconds(k: number, get: (index: number) => unknown): number | undefined {
    if (k === NO_INDEX) return undefined;
    const buf = this.#rowBuf;
    if (buf && k < this.#rowFound) {
      const a = this.#cells[k * 2] as number;
      const b = this.#cells[k * 2 + 1] as number;
      if (b > a && b - a < 10) {
        let n = 0;
        let p = a;
        for (; p < b; p++) {
          const c = (buf[p] as number) - 48;
          if (c < 0 || c > 9) break;
          n = n * 10 + c;
        }
        if (p === b) return n;
      }
    }
    return seconds(get(k));
  }

  readonly #rowObject: CdrRow = {
    code: 0,
    direction: undefined,
    trunk: undefined,
    customer: undefined,
    time: undefined,
    start: undefined,
    duration: undefined,
    pdd: undefined,
    reason: undefined,
    subcode: undefined,
    line: 0,
  };

  #wantStart = false;
  #wantDuration = false;

  /** Whether a field's cell is read at all: cells nobody asked for are never decoded. */
  #uses(field: Field, want: WantedFields, spec: FormatSpec): boolean {
    switch (field) {
      case "direction":
      case "trunk":
      case "customer":
      case "reason":
      case "subcode":
        return want[field] === true;
      case "time":
        return want.time === true || want.start === true || want.pdd === true || this.#window;
      case "billsec":
        return want.duration === true || spec.answeredFromTimes === true;
      case "answer":
        return want.duration === true || spec.answeredFromTimes === true;
      case "duration":
      case "end":
        return want.duration === true;
      case "progress":
        return want.pdd === true;
      case "callid":
      case "timeAttr":
      case "timeExten":
        return this.#pairs(spec) || this.#retries(spec);
      case "fromTag":
        return this.#retries(spec);
      default:
        return true;
    }
  }

  /** Whether this read pairs digest challenges with their retries: the format's way, unless turned off. */
  #retries(spec: FormatSpec): boolean {
    return spec.retriesChallenges === true && this.#options.retries !== false;
  }

  /** Whether this read pairs INVITE and BYE rows: asked for, the format's way, and durations wanted. */
  #pairs(spec: FormatSpec): boolean {
    return (
      this.#options.pairCalls !== undefined &&
      this.#options.pairCalls !== false &&
      spec.pairsByeRows === true &&
      this.#options.fields?.duration !== false
    );
  }

  #setColumns(header: string[], lineNo: number, hasHeaderRow: boolean) {
    this.result.headerRow = hasHeaderRow;
    if (!this.#spec) {
      const found = detectFormat(header);
      if ("ambiguous" in found) {
        throw new Error(
          `the header (line ${lineNo}) fits ${found.ambiguous.join(" and ")} equally well; name the format with --format`,
        );
      }
      this.#spec = FORMATS[found.format];
      this.result.detected = found;
    }
    const spec = this.#spec;
    this.result.detected.format = spec.id;
    const want: WantedFields = this.#options.fields ?? {
      time: true,
      trunk: true,
      customer: true,
      direction: true,
      duration: true,
      pdd: true,
      reason: true,
      subcode: true,
      start: true,
    };
    const explicit: Partial<Record<Field, string | undefined>> = {
      code: this.#options.codeColumn,
      time: this.#options.timeColumn,
      trunk: this.#options.trunkColumn,
      customer: this.#options.customerColumn,
      direction: this.#options.directionColumn,
    };
    const columns: Partial<Record<Field, string>> = {};
    FIELDS.forEach((field, k) => {
      const named = explicit[field];
      let i: number;
      if (named !== undefined) {
        i = findColumn(header, [named]);
        if (i === -1) {
          throw new Error(
            `${field} column "${named}" is not in the ${hasHeaderRow ? `header (line ${lineNo})` : `${spec.id} column list`}: ${header.slice(0, 24).join(", ")}`,
          );
        }
      } else i = findColumn(header, spec.columns[field] ?? []);
      if (i !== -1) columns[field] = header[i] as string;
      this.#idx[k] = this.#uses(field, want, spec) ? i : NO_INDEX;
    });
    if (this.#idx[13] === NO_INDEX && want.time !== true && want.start !== true && !this.#window)
      this.#idx[11] = NO_INDEX;
    // Times are parsed only when something uses them: a window, hours, or a
    // post-dial delay the file can give.
    this.#wantStart = want.start === true || (want.pdd === true && this.#idx[13] !== NO_INDEX);
    this.#wantDuration = want.duration === true;
    if (this.#pairs(spec) && this.#wantDuration && this.#idx[19] !== NO_INDEX) {
      // The pairing time falls back to the time column: read it.
      if (this.#idx[11] === NO_INDEX) this.#idx[11] = findColumn(header, spec.columns.time ?? []);
      const opt = this.#options.pairCalls;
      this.#pairing = {
        paired: 0,
        unpairedAnswers: 0,
        evicted: 0,
        unpairedByes: 0,
        maxPending: (typeof opt === "object" ? opt.maxPending : undefined) ?? 50_000,
      };
    }
    if (this.#retries(spec) && this.#idx[19] !== NO_INDEX) {
      const opt = this.#options.retries;
      this.#challenges = new ChallengeTracker<CdrRow>(
        (held) => {
          this.result.rows++;
          this.#onRow(held.value);
        },
        typeof opt === "object" ? opt : {},
      );
    }
    const outcomeColumns = OUTCOME_FIELDS.filter((f) => columns[f] !== undefined);
    if (outcomeColumns.length === 0) {
      throw new Error(
        `no column holds the SIP code: the header (line ${lineNo}) has ${header.slice(0, 12).join(", ")}; name one with --code-column`,
      );
    }
    this.#maxIndex = Math.max(...this.#idx);
    if (this.#maxIndex >= this.#cells.length / 2) {
      throw new Error(`a wanted column is beyond column ${this.#cells.length / 2}`);
    }
    this.#simple =
      spec.id === "generic" &&
      outcomeColumns.length === 1 &&
      outcomeColumns[0] === "code" &&
      this.#idx[7] === NO_INDEX;
    const only = (fields: number[]) => fields.every((k) => this.#idx[k] === NO_INDEX);
    this.#lean =
      this.#simple && !this.#window && only([8, 9, 10, 11, 12, 13, 14, 17, 18])
        ? this.#options.onCall
        : undefined;
    this.#events =
      this.#lean === undefined &&
      this.#simple &&
      !this.#window &&
      this.#pairing === undefined &&
      spec.trunkName === undefined &&
      only([12, 13, 14, 17, 18])
        ? this.#options.onEvent
        : undefined;
    this.#leanRun =
      (this.#lean !== undefined || this.#events !== undefined) && this.#options.textOnly !== true;
    this.result.columns = columns;
    if (spec.id === "generic" && this.result.detected.auto && columns.code) {
      this.result.detected.why = `no platform's signature columns; generic mapping, SIP code from "${columns.code}"`;
    }
  }
}
