import type { Direction } from "@sipcodes/core";

/**
 * One CDR row, reduced to what statistics and backtests need. The parser
 * reuses one object for every row: copy what you keep.
 */
export interface CdrRow {
  code: number;
  direction?: Direction;
  trunk?: string;
  customer?: string;
  /** The raw value of the time column, when there is one. */
  time?: string;
  /** 1-based line number in the file (for CSV, the line the row starts on). */
  line: number;
}

export interface BadRow {
  line: number;
  message: string;
}

export interface ReaderOptions {
  format?: "csv" | "ndjson";
  /**
   * Which optional columns the caller reads; the others are never cut out of
   * the line. Default: all of them.
   */
  fields?: { time?: boolean; trunk?: boolean; customer?: boolean; direction?: boolean };
  codeColumn?: string;
  timeColumn?: string;
  /** Keep this many bad rows' details; all are counted. */
  keepBad?: number;
  /**
   * Read every line through the text path, never the byte fast path. The two
   * must agree; tests hold them equal with this.
   */
  textOnly?: boolean;
}

export interface ReaderResult {
  format: "csv" | "ndjson";
  rows: number;
  badCount: number;
  bad: BadRow[];
  columns?: { code: string; time?: string; trunk?: string; customer?: string; direction?: string };
}

/** Column names that commonly hold the final SIP code, compared without case, '_' or '-'. */
export const CODE_COLUMNS = [
  "sip_code",
  "sipcode",
  "sip_status",
  "sip_status_code",
  "sip_response_code",
  "sipresponsecode",
  "hangup_sip_code",
  "sip_hangup_cause",
  "sip_term_status",
  "final_sip_code",
  "finalsipcode",
  "response_code",
  "status_code",
  "status",
  "code",
];
export const TIME_COLUMNS = [
  "time",
  "timestamp",
  "start_time",
  "end_time",
  "start_stamp",
  "end_stamp",
  "started_at",
  "ended_at",
  "starttime",
  "endtime",
  "start",
  "end",
  "calldate",
  "date",
];
const TRUNK_COLUMNS = ["trunk", "trunk_id", "trunk_name", "gateway", "sip_gateway", "carrier"];
const CUSTOMER_COLUMNS = [
  "customer",
  "customer_id",
  "account",
  "account_id",
  "accountcode",
  "tenant",
  "tenant_id",
];
const DIRECTION_COLUMNS = ["direction", "call_direction", "calldirection", "call_type", "calltype"];

const norm = (name: string) =>
  name
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, "");

function findColumn(header: string[], wanted: readonly string[]): number {
  const names = header.map(norm);
  for (const candidate of wanted) {
    const i = names.indexOf(norm(candidate));
    if (i !== -1) return i;
  }
  return -1;
}

export function toDirection(value: string | undefined): Direction | undefined {
  if (!value) return undefined;
  const v = value.trim().toLowerCase();
  if (v === "inbound" || v === "in" || v === "incoming" || v === "byotin" || v === "terminating")
    return "inbound";
  if (v === "outbound" || v === "out" || v === "outgoing" || v === "byotout" || v === "originating")
    return "outbound";
  return undefined;
}

/** Reads a SIP code from a cell: "486", " 486 ", "486 Busy Here", 486. */
function readCode(raw: unknown): number | string {
  if (typeof raw === "number") {
    return Number.isInteger(raw) && raw >= 100 && raw <= 699
      ? raw
      : `${raw} is not a SIP code (100-699)`;
  }
  if (typeof raw !== "string")
    return raw === undefined || raw === null ? "no SIP code" : "the SIP code is not a number";
  const s = raw.trim();
  if (s === "") return "no SIP code";
  const c0 = s.charCodeAt(0) - 48;
  const c1 = s.charCodeAt(1) - 48;
  const c2 = s.charCodeAt(2) - 48;
  if (
    c0 >= 1 &&
    c0 <= 6 &&
    c1 >= 0 &&
    c1 <= 9 &&
    c2 >= 0 &&
    c2 <= 9 &&
    (s.length === 3 || s[3] === " ")
  ) {
    return c0 * 100 + c1 * 10 + c2;
  }
  return `"${s.length > 20 ? `${s.slice(0, 20)}…` : s}" is not a SIP code (100-699)`;
}

/** Splits one CSV record (RFC 4180: quotes, doubled quotes, commas inside quotes). */
export function splitCsv(record: string): string[] {
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
      const comma = record.indexOf(",", i);
      i = comma === -1 ? n + 1 : comma + 1;
    } else {
      const comma = record.indexOf(",", i);
      const end = comma === -1 ? n : comma;
      cells.push(record.slice(i, end));
      i = end + 1;
    }
  }
  return cells;
}

function quotesBalanced(text: string): boolean {
  let count = 0;
  for (let i = text.indexOf('"'); i !== -1; i = text.indexOf('"', i + 1)) count++;
  return count % 2 === 0;
}

/**
 * A push parser for CDR files: feed it byte chunks, it calls `onRow` for every
 * good row and counts bad ones. Memory is one partial line plus the header.
 */
export class CdrParser {
  readonly #onRow: (row: CdrRow) => void;
  readonly #options: ReaderOptions;
  #format: "csv" | "ndjson" | undefined;
  #line = 0;
  #pending = "";
  #pendingLine = 0;
  #header: string[] | undefined;
  #codeIndex = -1;
  #timeIndex = -1;
  #trunkIndex = -1;
  #customerIndex = -1;
  #directionIndex = -1;
  #maxIndex = -1;
  readonly result: ReaderResult;

  constructor(onRow: (row: CdrRow) => void, options: ReaderOptions = {}) {
    this.#onRow = onRow;
    this.#options = options;
    this.#format = options.format;
    this.result = { format: options.format ?? "csv", rows: 0, badCount: 0, bad: [] };
  }

  #bad(line: number, message: string) {
    this.result.badCount++;
    if (this.result.bad.length < (this.#options.keepBad ?? 5))
      this.result.bad.push({ line, message });
  }

  #restBytes: Buffer | undefined;

  /**
   * Feeds raw bytes. Plain CSV lines (no quotes) are read straight from the
   * bytes: one pass finds the line end and the commas, the code is read from
   * its digits, and only the cells asked for are decoded. Everything else
   * (the header, quoted lines, NDJSON) goes through the text path.
   */
  pushBytes(chunk: Buffer): void {
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
    while (i < n) {
      const fast =
        this.#header !== undefined &&
        this.#format === "csv" &&
        this.#pending === "" &&
        this.#options.textOnly !== true;
      const max = this.#maxIndex;
      let col = 0;
      let cellStart = i;
      let quoted = false;
      let j = i;
      if (fast) {
        // Native searches (memchr) for the line end and each comma up to the
        // last wanted cell: much faster than a byte loop in JavaScript.
        j = buf.indexOf(10, i);
        if (j === -1) j = n;
        for (;;) {
          const comma = buf.indexOf(44, cellStart);
          if (comma === -1 || comma > j) break;
          cells[col * 2] = cellStart;
          cells[col * 2 + 1] = comma;
          col++;
          cellStart = comma + 1;
          if (col > max) break;
        }
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
      } else if (col <= max) {
        cells[col * 2] = cellStart;
        cells[col * 2 + 1] = end;
        this.#bytesRow(buf, col + 1, this.#line);
      } else {
        this.#bytesRow(buf, col, this.#line);
      }
      i = j + 1;
    }
    return i;
  }

  #bytesRow(buf: Buffer, found: number, lineNo: number) {
    const cells = this.#cells;
    const ci = this.#codeIndex;
    if (found <= ci) {
      this.#bad(lineNo, `only ${found} columns; the code is in column ${ci + 1}`);
      return;
    }
    let a = cells[ci * 2] as number;
    let b = cells[ci * 2 + 1] as number;
    while (a < b && buf[a] === 32) a++;
    while (b > a && buf[b - 1] === 32) b--;
    let code: number | string = -1;
    if (b - a === 3) {
      // Three digits read in place: the common case, no string made.
      const c0 = (buf[a] as number) - 48;
      const c1 = (buf[a + 1] as number) - 48;
      const c2 = (buf[a + 2] as number) - 48;
      if (c0 >= 1 && c0 <= 6 && c1 >= 0 && c1 <= 9 && c2 >= 0 && c2 <= 9)
        code = c0 * 100 + c1 * 10 + c2;
    }
    if (code === -1) code = readCode(buf.toString("utf8", a, b));
    const cell = (k: number) =>
      k === -1 || k >= found
        ? undefined
        : buf.toString("utf8", cells[k * 2] as number, cells[k * 2 + 1] as number);
    this.#row(code, cell, lineNo);
  }

  /**
   * Counts one row: `code` is the code cell read (a number, or why it is not
   * one); `get` reads the cell at a column index (-1: no such column).
   */
  #row(code: number | string, get: (index: number) => unknown, lineNo: number) {
    if (typeof code === "string") {
      this.#bad(lineNo, code);
      return;
    }
    this.#emit(
      code,
      get(this.#directionIndex),
      get(this.#trunkIndex),
      get(this.#customerIndex),
      get(this.#timeIndex),
      lineNo,
    );
  }

  readonly #cells = new Int32Array(64);

  end(): ReaderResult {
    if (this.#restBytes) {
      // The last line had no line break.
      const rest = this.#restBytes.toString("utf8");
      this.#restBytes = undefined;
      this.#line++;
      this.#record(rest.endsWith("\r") ? rest.slice(0, -1) : rest);
    }
    if (this.#pending !== "") {
      this.#bad(this.#pendingLine, "unterminated quoted field at end of file");
      this.#pending = "";
    }
    if (this.#format === "csv" && !this.#header) {
      throw new Error("the file is empty: expected a CSV header row or NDJSON lines");
    }
    if (!this.#format)
      throw new Error("the file is empty: expected a CSV header row or NDJSON lines");
    return this.result;
  }

  #record(text: string) {
    // A byte order mark (Excel's "CSV UTF-8") belongs to the file, not to the
    // first cell or JSON value.
    const line = this.#line === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    if (this.#format === undefined) {
      const trimmed = line.trim();
      if (trimmed === "") return;
      this.#format = trimmed.startsWith("{") ? "ndjson" : "csv";
      this.result.format = this.#format;
    }
    if (this.#format === "ndjson") this.#json(line);
    else this.#csv(line);
  }

  #json(line: string) {
    if (line.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      this.#bad(this.#line, "not valid JSON");
      return;
    }
    if (!value || typeof value !== "object" || Array.isArray(value)) {
      this.#bad(this.#line, "not a JSON object");
      return;
    }
    const obj = value as Record<string, unknown>;
    if (!this.#header) {
      // The first object's keys play the role of a header.
      this.#header = Object.keys(obj);
      this.#setColumns(this.#header, this.#line);
    }
    const names = this.#header;
    const get = (i: number) => (i === -1 ? undefined : obj[names[i] as string]);
    this.#row(readCode(get(this.#codeIndex)), get, this.#line);
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
          this.#bad(lineNo, "quoted field runs past 1 MB; giving up on this record");
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
      this.#header = splitCsv(record);
      this.#setColumns(this.#header, lineNo);
      return;
    }
    if (record === "") return;
    // Quoted lines and a last line without a line break come here (pushBytes reads
    // plain lines in place): split by RFC 4180.
    const values = splitCsv(record);
    if (values.length <= this.#codeIndex) {
      this.#bad(
        lineNo,
        `only ${values.length} columns; the code is in column ${this.#codeIndex + 1}`,
      );
      return;
    }
    this.#row(readCode(values[this.#codeIndex]), (i) => (i === -1 ? undefined : values[i]), lineNo);
  }

  #emit(
    code: number,
    direction: unknown,
    trunk: unknown,
    customer: unknown,
    time: unknown,
    line: number,
  ) {
    this.result.rows++;
    const row: CdrRow = { code, line };
    const d = typeof direction === "string" ? toDirection(direction) : undefined;
    if (d) row.direction = d;
    if (trunk !== undefined && trunk !== null && trunk !== "") row.trunk = String(trunk);
    if (customer !== undefined && customer !== null && customer !== "")
      row.customer = String(customer);
    if (time !== undefined && time !== null && time !== "") row.time = String(time);
    this.#onRow(row);
  }

  #setColumns(header: string[], lineNo: number) {
    const pick = (explicit: string | undefined, names: readonly string[], what: string) => {
      if (explicit === undefined) return findColumn(header, names);
      const i = findColumn(header, [explicit]);
      if (i === -1) {
        throw new Error(
          `${what} column "${explicit}" is not in the header (line ${lineNo}: ${header.join(", ")})`,
        );
      }
      return i;
    };
    this.#codeIndex = pick(this.#options.codeColumn, CODE_COLUMNS, "code");
    if (this.#codeIndex === -1) {
      throw new Error(
        `no column holds the SIP code: the header (line ${lineNo}) has ${header.slice(0, 12).join(", ")}; name one with --code-column`,
      );
    }
    const want = this.#options.fields ?? {
      time: true,
      trunk: true,
      customer: true,
      direction: true,
    };
    const timeIndex = pick(this.#options.timeColumn, TIME_COLUMNS, "time");
    const trunkIndex = findColumn(header, TRUNK_COLUMNS);
    const customerIndex = findColumn(header, CUSTOMER_COLUMNS);
    const directionIndex = findColumn(header, DIRECTION_COLUMNS);
    this.#timeIndex = want.time ? timeIndex : -1;
    this.#trunkIndex = want.trunk ? trunkIndex : -1;
    this.#customerIndex = want.customer ? customerIndex : -1;
    this.#directionIndex = want.direction ? directionIndex : -1;
    this.#maxIndex = Math.max(
      this.#codeIndex,
      this.#timeIndex,
      this.#trunkIndex,
      this.#customerIndex,
      this.#directionIndex,
    );
    const name = (i: number) => (i === -1 ? undefined : header[i]);
    this.result.columns = {
      code: header[this.#codeIndex] as string,
      ...(name(timeIndex) ? { time: name(timeIndex) as string } : {}),
      ...(name(trunkIndex) ? { trunk: name(trunkIndex) as string } : {}),
      ...(name(customerIndex) ? { customer: name(customerIndex) as string } : {}),
      ...(name(directionIndex) ? { direction: name(directionIndex) as string } : {}),
    };
  }
}
