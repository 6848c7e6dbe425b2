import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CdrParser, type ReaderOptions } from "./reader.ts";

/**
 * `onEvent` hands plain rows over as cells; every other row still goes to
 * `onRow`. What a replay reads of each row (code, time cell, trunk,
 * customer, direction, line) and the reader's result must be what `onRow`
 * alone gives, whatever the rows hold. The files are larger than the byte
 * path's index threshold (4 KB), so the lean loop runs.
 */

interface Seen {
  code: number;
  time: string | undefined;
  trunk: string | undefined;
  customer: string | undefined;
  direction: string | undefined;
  line: number;
}

const FIELDS = { time: true, trunk: true, customer: true, direction: true, duration: true };

function read(bytes: Buffer, cuts: number[], events: boolean, options: ReaderOptions = {}) {
  const seen: Seen[] = [];
  let viaEvents = 0;
  const parser = new CdrParser(
    (row) =>
      seen.push({
        code: row.code,
        time: row.time,
        trunk: row.trunk,
        customer: row.customer,
        direction: row.direction,
        line: row.line,
      }),
    {
      fields: FIELDS,
      keepBad: 1000,
      ...options,
      ...(events
        ? {
            onEvent: (code, buf, a, b, trunk, customer, direction, line) => {
              viaEvents++;
              seen.push({
                code,
                time: a === b ? undefined : buf.toString("utf8", a, b),
                trunk,
                customer,
                direction,
                line,
              });
            },
          }
        : {}),
    },
  );
  let at = 0;
  for (const cut of [...cuts].sort((x, y) => x - y)) {
    if (cut <= at || cut >= bytes.length) continue;
    parser.pushBytes(bytes.subarray(at, cut));
    at = cut;
  }
  parser.pushBytes(bytes.subarray(at));
  return { seen, result: parser.end(), viaEvents };
}

const COLUMNS = ["call_id", "start_time", "trunk", "customer", "direction", "sip_code", "duration"];

const cell = {
  call_id: fc.constantFrom("c1", "c2", "c3", "", "c 4"),
  start_time: fc.constantFrom(
    "2026-11-20T00:00:00.300Z",
    "2026-11-20 00:01:07",
    "",
    " 2026-11-20T00:00:00Z",
    "1764633600",
    "junk",
  ),
  trunk: fc.constantFrom("trunk-1", "trunk-2", "", " ", "trunk-ä", "x".repeat(49), '"q,t"'),
  customer: fc.constantFrom("cust-1", "cust-2", "", "kunde-ü"),
  direction: fc.constantFrom(
    "inbound",
    "outbound",
    "inbound",
    "outbound",
    "",
    "in",
    "OUT",
    " inbound",
    "sideways",
    "user_in",
  ),
  sip_code: fc.constantFrom("200", "200", "486", "603", "500", " 603", "401", "407", "180", "abc"),
  duration: fc.constantFrom("60", "0", "", "3.5", "x"),
};

/** A file of at least `rows` rows: the shuffled columns, some rows short, some with a CR. */
const file = fc
  .record({
    order: fc
      .shuffledSubarray([0, 1, 2, 3, 4, 6], { minLength: 0 })
      .chain((rest) =>
        fc
          .integer({ min: 0, max: rest.length })
          .map((at) => [...rest.slice(0, at), 5, ...rest.slice(at)]),
      ),
    rows: fc.integer({ min: 150, max: 400 }),
  })
  .chain(({ order, rows }) =>
    fc.record({
      order: fc.constant(order),
      rows: fc.array(
        fc.record({
          cells: fc.tuple(...order.map((c) => cell[COLUMNS[c] as keyof typeof cell])),
          short: fc.constantFrom(false, false, false, false, false, false, false, true),
          crlf: fc.constantFrom(false, false, false, false, false, false, false, true),
        }),
        { minLength: rows, maxLength: rows },
      ),
    }),
  )
  .map(({ order, rows }) => {
    let text = `${order.map((c) => COLUMNS[c]).join(",")}\n`;
    for (const row of rows) {
      const cells = row.short ? row.cells.slice(0, Math.max(1, row.cells.length - 2)) : row.cells;
      text += `${cells.join(",")}${row.crlf ? "\r\n" : "\n"}`;
    }
    return Buffer.from(text);
  });

const cuts = fc.array(fc.integer({ min: 1, max: 20_000 }), { maxLength: 6 });

describe("CdrParser's onEvent", () => {
  it("gives what onRow alone gives, row for row, and the same result", () => {
    fc.assert(
      fc.property(file, cuts, (bytes, at) => {
        const lean = read(bytes, at, true);
        const rows = read(bytes, [], false);
        expect(lean.seen).toEqual(rows.seen);
        expect(lean.result).toEqual(rows.result);
      }),
      { numRuns: 300 },
    );
  });

  it("carries the plain rows of a replay's file itself, the odd ones through onRow", () => {
    let text = "call_id,start_time,trunk,customer,direction,sip_code,duration\n";
    for (let i = 0; i < 1000; i++) {
      const direction = i === 500 ? "in" : i % 3 ? "outbound" : "inbound";
      text += `c${i},2026-11-20T00:00:${String(i % 60).padStart(2, "0")}.300Z,trunk-${i % 20},cust-${i % 50},${direction},${i % 9 ? 200 : 603},60\n`;
    }
    const bytes = Buffer.from(text);
    const lean = read(bytes, [], true);
    expect(lean.seen).toEqual(read(bytes, [], false).seen);
    expect(lean.seen).toHaveLength(1000);
    // The row with "in" went to onRow, the byte path picked up again after it.
    expect(lean.viaEvents).toBeGreaterThan(900);
    expect(lean.viaEvents).toBeLessThan(1000);
  });

  it("is not used when the row asks for more than a replay reads", () => {
    let text = "start_time,trunk,sip_code,sip_reason\n";
    for (let i = 0; i < 500; i++) text += `2026-11-20T00:00:00Z,trunk-1,603,Decline\n`;
    const lean = read(Buffer.from(text), [], true, { fields: { ...FIELDS, reason: true } });
    expect(lean.viaEvents).toBe(0);
    expect(lean.seen).toHaveLength(500);
  });
});
