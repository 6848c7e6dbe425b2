import { CallSummarizer } from "@sipcodes/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CdrParser, type CdrRow, type ReaderOptions, type ReaderResult } from "./reader.ts";

/**
 * The CDR parser has two ways through a CSV line: plain lines are read
 * straight from the bytes, the rest (the header, quoted cells, records that
 * span lines) as text. These properties hold the two equal to each other, to
 * any way of cutting the input into chunks, and to what was written.
 */

const COLUMNS = [
  "sip_code",
  "start_time",
  "trunk",
  "customer",
  "direction",
  "note",
  "caller",
  "method",
];
const DELIMITERS = [",", ";", "\t", "|"] as const;

/** Cell text: commas, quotes, line breaks, spaces, tabs and multi-byte UTF-8 included. */
const cellText = fc
  .array(
    fc.constantFrom(
      "a",
      "Z",
      "7",
      " ",
      "\t",
      ",",
      '"',
      "\n",
      "\r\n",
      "é",
      "日本",
      "🙂",
      "ß",
      "-",
      ":",
    ),
    { maxLength: 8 },
  )
  .map((parts) => parts.join(""));

/** A code cell as exports write it, good and bad. */
const codeText = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 100, max: 699 }).map(String) },
  fc.integer({ min: 100, max: 699 }).map((c) => ` ${c} `),
  fc.integer({ min: 100, max: 699 }).map((c) => `${c} Busy Here`),
  fc.constantFrom("", "abc", "4860", "99", "700", "0", "-486", "486é"),
);

const directionText = fc.constantFrom("inbound", "outbound", "in", "OUT", "", "sideways");
/** A method cell: only INVITE rows (or rows with no method) are call attempts. */
const methodText = fc.constantFrom("INVITE", "invite", " INVITE ", "BYE", "CANCEL", "");

interface Sheet {
  order: number[];
  rows: string[][];
  bom: boolean;
  crlf: boolean[];
  quoteAll: boolean[];
  trailingNewline: boolean;
  delimiter: string;
}

const sheet: fc.Arbitrary<Sheet> = fc
  .record({
    // Which columns, in which order; the code column is always there.
    order: fc
      .shuffledSubarray([1, 2, 3, 4, 5, 6, 7], { minLength: 0 })
      .chain((rest) =>
        fc
          .integer({ min: 0, max: rest.length })
          .map((at) => [...rest.slice(0, at), 0, ...rest.slice(at)]),
      ),
    rowCount: fc.integer({ min: 0, max: 25 }),
    bom: fc.boolean(),
    trailingNewline: fc.boolean(),
    delimiter: fc.constantFrom(...DELIMITERS),
  })
  .chain(({ order, rowCount, bom, trailingNewline, delimiter }) =>
    fc.record({
      order: fc.constant(order),
      rows: fc.array(
        fc.tuple(
          ...order.map((c) =>
            c === 0 ? codeText : c === 4 ? directionText : c === 7 ? methodText : cellText,
          ),
        ),
        { minLength: rowCount, maxLength: rowCount },
      ),
      bom: fc.constant(bom),
      crlf: fc.array(fc.boolean(), { minLength: rowCount + 1, maxLength: rowCount + 1 }),
      quoteAll: fc.array(fc.boolean(), { minLength: rowCount + 1, maxLength: rowCount + 1 }),
      trailingNewline: fc.constant(trailingNewline),
      delimiter: fc.constant(delimiter),
    }),
  );

function quote(cell: string, always: boolean, delimiter: string): string {
  return always || /["\r\n]/.test(cell) || cell.includes(delimiter)
    ? `"${cell.replaceAll('"', '""')}"`
    : cell;
}

function write(s: Sheet): string {
  const lines = [s.order.map((c) => COLUMNS[c] as string), ...s.rows].map((cells, i) =>
    cells.map((cell) => quote(cell, s.quoteAll[i] === true, s.delimiter)).join(s.delimiter),
  );
  let text = s.bom ? "\uFEFF" : "";
  lines.forEach((line, i) => {
    text += line;
    if (i < lines.length - 1 || s.trailingNewline) text += s.crlf[i] ? "\r\n" : "\n";
  });
  return text;
}

function parse(
  bytes: Buffer,
  cuts: number[],
  options: ReaderOptions = {},
): { rows: CdrRow[]; result: ReaderResult } {
  const rows: CdrRow[] = [];
  const parser = new CdrParser((row) => rows.push({ ...row }), { keepBad: 1000, ...options });
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    if (cut <= at || cut >= bytes.length) continue;
    parser.pushBytes(bytes.subarray(at, cut));
    at = cut;
  }
  parser.pushBytes(bytes.subarray(at));
  return { rows, result: parser.end() };
}

const cuts = fc.array(fc.integer({ min: 1, max: 4000 }), { maxLength: 12 });

describe("CdrParser", () => {
  it("reads the same rows through the byte path and the text path", () => {
    fc.assert(
      fc.property(sheet, cuts, (s, at) => {
        const bytes = Buffer.from(write(s), "utf8");
        const fast = parse(bytes, at);
        const text = parse(bytes, [], { textOnly: true });
        expect(fast.rows).toEqual(text.rows);
        expect(fast.result).toEqual(text.result);
      }),
      { numRuns: 400 },
    );
  });

  it("reads the same rows however the bytes are cut into chunks, even inside a UTF-8 character", () => {
    fc.assert(
      fc.property(sheet, cuts, (s, at) => {
        const bytes = Buffer.from(write(s), "utf8");
        expect(parse(bytes, at)).toEqual(parse(bytes, []));
      }),
      { numRuns: 400 },
    );
  });

  it("gives back each written row's code, trunk, customer and time, and counts every other row as bad", () => {
    fc.assert(
      fc.property(sheet, cuts, (s, at) => {
        const bytes = Buffer.from(write(s), "utf8");
        const { rows, result } = parse(bytes, at);
        const column = (c: number) => s.order.indexOf(c);
        // A written line that is empty is a blank line, not a row.
        const written = s.rows.filter(
          (cells, i) => cells.length > 1 || cells[0] !== "" || s.quoteAll[i + 1],
        );
        // A line break inside a quoted cell is read as "\n", whichever was written.
        const read = (cell: string | undefined) => cell?.replaceAll("\r\n", "\n");
        const expected = written.flatMap((cells) => {
          const method = column(7) === -1 ? "" : (cells[column(7)] as string).trim();
          if (method !== "" && method.toUpperCase() !== "INVITE") return [];
          const raw = (cells[column(0)] as string).trim();
          // Provisional codes (1xx) are skipped: they are not a call's outcome.
          const m = /^([2-6]\d\d)(?: |$)/.exec(raw);
          if (!m) return [];
          const cell = (c: number) =>
            column(c) === -1 || cells[column(c)] === "" ? undefined : read(cells[column(c)]);
          return [
            {
              code: Number(m[1]),
              ...(cell(3) !== undefined ? { customer: cell(3) } : {}),
              ...(cell(2) !== undefined ? { trunk: cell(2) } : {}),
              ...(cell(1) !== undefined ? { time: cell(1) } : {}),
            },
          ];
        });
        expect(
          rows.map(({ code, trunk, customer, time }) => ({
            code,
            ...(customer !== undefined ? { customer } : {}),
            ...(trunk !== undefined ? { trunk } : {}),
            ...(time !== undefined ? { time } : {}),
          })),
        ).toEqual(expected);
        expect(result.rows).toBe(expected.length);
        expect(result.badCount).toBe(written.length - expected.length);
        expect(result.columns?.code).toBe("sip_code");
        // A one-column file has no separator to find; the default is ','.
        expect(result.delimiter).toBe(s.order.length > 1 ? s.delimiter : ",");
      }),
      { numRuns: 400 },
    );
  });

  it("gives the same summary when plain rows come through onCall instead of onRow", () => {
    fc.assert(
      fc.property(sheet, cuts, (s, at) => {
        const bytes = Buffer.from(write(s), "utf8");
        const read = (lean: boolean) => {
          const summary = new CallSummarizer();
          const parser = new CdrParser((row) => summary.add(row), {
            fields: { duration: true },
            ...(lean ? { onCall: (code, duration) => summary.addCall(code, duration) } : {}),
          });
          let from = 0;
          for (const cut of [...at].sort((a, b) => a - b)) {
            if (cut <= from || cut >= bytes.length) continue;
            parser.pushBytes(bytes.subarray(from, cut));
            from = cut;
          }
          parser.pushBytes(bytes.subarray(from));
          return { result: parser.end(), summary: summary.result() };
        };
        expect(read(true)).toEqual(read(false));
      }),
      { numRuns: 200 },
    );
  });

  it("reads a FreeSWITCH file the same through both paths, whatever its cells hold", () => {
    const fsColumns = [
      "sip_term_status",
      "hangup_cause",
      "billsec",
      "answer_stamp",
      "sip_gateway_name",
      "start_stamp",
      "progress_stamp",
      "proto_specific_hangup_cause",
    ];
    const values = [
      codeText,
      fc.constantFrom(
        "NORMAL_CLEARING",
        "USER_BUSY",
        "ORIGINATOR_CANCEL",
        "no_answer",
        "",
        "BOGUS",
      ),
      fc.constantFrom("0", "12", " 7 ", "", "x", "3.5"),
      fc.constantFrom("", " ", "2026-11-26 10:00:03"),
      cellText,
      fc.constantFrom("2026-11-26 10:00:00", "", "junk"),
      fc.constantFrom("2026-11-26 10:00:02", "", "2026-11-26 09:00:00"),
      fc.constantFrom("sip:486", "sip:200", "q850:34", "", "sip:18"),
    ];
    const fsSheet = fc
      .record({
        order: fc
          .shuffledSubarray([1, 2, 3, 4, 5, 6, 7], { minLength: 0 })
          .chain((rest) =>
            fc
              .integer({ min: 0, max: rest.length })
              .map((at) => [...rest.slice(0, at), 0, ...rest.slice(at)]),
          ),
        rowCount: fc.integer({ min: 0, max: 20 }),
        delimiter: fc.constantFrom(...DELIMITERS),
      })
      .chain(({ order, rowCount, delimiter }) =>
        fc.record({
          order: fc.constant(order),
          rows: fc.array(fc.tuple(...order.map((c) => values[c] as fc.Arbitrary<string>)), {
            minLength: rowCount,
            maxLength: rowCount,
          }),
          bom: fc.constant(false),
          crlf: fc.array(fc.boolean(), { minLength: rowCount + 1, maxLength: rowCount + 1 }),
          quoteAll: fc.array(fc.boolean(), { minLength: rowCount + 1, maxLength: rowCount + 1 }),
          trailingNewline: fc.boolean(),
          delimiter: fc.constant(delimiter),
        }),
      );
    const writeFs = (sh: Sheet) =>
      write(sh).replace(
        /^[^\r\n]*/,
        sh.order.map((c) => fsColumns[c] as string).join(sh.delimiter),
      );
    fc.assert(
      fc.property(fsSheet, cuts, (sh, at) => {
        const bytes = Buffer.from(writeFs(sh), "utf8");
        const options: ReaderOptions = {
          format: "freeswitch",
          fields: { duration: true, pdd: true, trunk: true, reason: true },
        };
        const fast = parse(bytes, at, options);
        const text = parse(bytes, [], { ...options, textOnly: true });
        expect(fast.rows).toEqual(text.rows);
        expect(fast.result).toEqual(text.result);
      }),
      { numRuns: 300 },
    );
  });
});
