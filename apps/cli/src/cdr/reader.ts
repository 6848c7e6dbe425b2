import type { Direction } from "@sipcodes/core";

/** One CDR row, reduced to what statistics and backtests need. */
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
  codeColumn?: string;
  timeColumn?: string;
  /** Keep this many bad rows' details; all are counted. */
  keepBad?: number;
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
 * A push parser for CDR files: feed it text chunks, it calls `onRow` for every
 * good row and counts bad ones. Memory is one partial line plus the header.
 */
export class CdrParser {
  readonly #onRow: (row: CdrRow) => void;
  readonly #options: ReaderOptions;
  #format: "csv" | "ndjson" | undefined;
  #rest = "";
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

  push(chunk: string): void {
    let text = this.#rest + chunk;
    let start = 0;
    for (;;) {
      const nl = text.indexOf("\n", start);
      if (nl === -1) break;
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      this.#line++;
      this.#record(text.slice(start, end));
      start = nl + 1;
    }
    text = text.slice(start);
    this.#rest = text;
  }

  end(): ReaderResult {
    if (this.#rest !== "") {
      this.#line++;
      this.#record(this.#rest.endsWith("\r") ? this.#rest.slice(0, -1) : this.#rest);
      this.#rest = "";
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

  #record(line: string) {
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
    const code = readCode(get(this.#codeIndex));
    if (typeof code === "string") {
      this.#bad(this.#line, code);
      return;
    }
    this.#emit(
      code,
      get(this.#directionIndex),
      get(this.#trunkIndex),
      get(this.#customerIndex),
      get(this.#timeIndex),
      this.#line,
    );
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
      this.#header = splitCsv(record).map((h) => h.replace(/^\uFEFF/, ""));
      this.#setColumns(this.#header, lineNo);
      return;
    }
    if (record === "") return;
    if (!record.includes('"')) {
      // Fast path: no quotes, so the cells are what lies between commas.
      this.#fromCells(null, record, lineNo);
      return;
    }
    this.#fromCells(splitCsv(record), record, lineNo);
  }

  #fromCells(cells: string[] | null, record: string, lineNo: number) {
    let values: (string | undefined)[];
    if (cells) {
      values = cells;
    } else {
      values = [];
      let from = 0;
      for (let i = 0; i <= this.#maxIndex; i++) {
        const comma = record.indexOf(",", from);
        if (comma === -1) {
          values.push(record.slice(from));
          break;
        }
        values.push(record.slice(from, comma));
        from = comma + 1;
      }
    }
    if (values.length <= this.#codeIndex) {
      this.#bad(
        lineNo,
        `only ${values.length} columns; the code is in column ${this.#codeIndex + 1}`,
      );
      return;
    }
    const code = readCode(values[this.#codeIndex]);
    if (typeof code === "string") {
      this.#bad(lineNo, code);
      return;
    }
    const at = (i: number) => (i === -1 ? undefined : values[i]);
    this.#emit(
      code,
      at(this.#directionIndex),
      at(this.#trunkIndex),
      at(this.#customerIndex),
      at(this.#timeIndex),
      lineNo,
    );
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
    this.#timeIndex = pick(this.#options.timeColumn, TIME_COLUMNS, "time");
    this.#trunkIndex = findColumn(header, TRUNK_COLUMNS);
    this.#customerIndex = findColumn(header, CUSTOMER_COLUMNS);
    this.#directionIndex = findColumn(header, DIRECTION_COLUMNS);
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
      ...(name(this.#timeIndex) ? { time: name(this.#timeIndex) as string } : {}),
      ...(name(this.#trunkIndex) ? { trunk: name(this.#trunkIndex) as string } : {}),
      ...(name(this.#customerIndex) ? { customer: name(this.#customerIndex) as string } : {}),
      ...(name(this.#directionIndex) ? { direction: name(this.#directionIndex) as string } : {}),
    };
  }
}
