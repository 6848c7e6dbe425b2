import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCdrTime } from "../cdr/time.ts";
import { parseTime, parseTimeBytes } from "./backtest-time.ts";

/** What every CDR reader makes of a time cell: the answer the fast paths must give. */
const before = (raw: string) => parseCdrTime(raw);

const pad = (n: number, width: number) => String(n).padStart(width, "0");

/** parseTimeBytes of `raw` written inside a line, with cells before and after it. */
function fromBytes(raw: string, head = "c1,", tail = ",trunk-1\n"): number | undefined {
  const buf = Buffer.from(head + raw + tail);
  const start = Buffer.byteLength(head);
  return parseTimeBytes(buf, start, start + Buffer.byteLength(raw));
}

describe("parseTime", () => {
  it("reads ISO and SQL times as the CDR reader does, in and out of range", () => {
    const cell = fc
      .record({
        year: fc.integer({ min: 1900, max: 2100 }),
        month: fc.integer({ min: 0, max: 13 }),
        day: fc.integer({ min: 0, max: 32 }),
        hour: fc.integer({ min: 0, max: 25 }),
        minute: fc.integer({ min: 0, max: 61 }),
        second: fc.integer({ min: 0, max: 61 }),
        fraction: fc.constantFrom("", ".000", ".5", ".123", ".999", ".123456", ".12a"),
        sep: fc.constantFrom("T", " ", "t", "_"),
        zone: fc.constantFrom("", "Z", "z", "+01:00", " "),
        space: fc.constantFrom("", " "),
      })
      .map(
        (p) =>
          `${p.space}${pad(p.year, 4)}-${pad(p.month, 2)}-${pad(p.day, 2)}${p.sep}${pad(p.hour, 2)}:${pad(p.minute, 2)}:${pad(p.second, 2)}${p.fraction}${p.zone}`,
      );
    fc.assert(
      fc.property(cell, (raw) => {
        expect(parseTime(raw)).toBe(before(raw));
        expect(fromBytes(raw)).toBe(before(raw));
      }),
      { numRuns: 5000 },
    );
  });

  it("gives the same answer on cells that only look like times", () => {
    const junk = fc.stringMatching(/^[0-9T:. Z-]{15,26}$/);
    fc.assert(
      fc.property(junk, (raw) => {
        expect(parseTime(raw)).toBe(before(raw));
        expect(fromBytes(raw)).toBe(before(raw));
      }),
      { numRuns: 5000 },
    );
  });

  it("reads cells of one minute in a row as the CDR reader does (the minute is kept between cells)", () => {
    const tail = fc.constantFrom(
      ":00",
      ":59",
      ":07.250",
      ":60",
      ":5a",
      ":07.25",
      ":07.250Z",
      ":00Z",
    );
    const minute = fc.constantFrom(
      "2026-11-20T00:00",
      "2026-11-20 00:00",
      "2026-11-20T23:59",
      "2026-11-30T12:00",
      "2026-13-01T00:00",
      "1969-12-31T23:59",
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(minute, tail), { minLength: 1, maxLength: 20 }), (cells) => {
        for (const [m, t] of cells) {
          expect(parseTime(m + t)).toBe(before(m + t));
          expect(fromBytes(m + t)).toBe(before(m + t));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("reads cells from their bytes as from their text, non-ASCII and spaces included", () => {
    const text = fc
      .array(
        fc.constantFrom("2026-11-20", "T", " ", "00:00:00", ".300", "Z", "é", "\u00a0", "1", ":"),
        {
          maxLength: 8,
        },
      )
      .map((parts) => parts.join(""));
    fc.assert(
      fc.property(text, text, (raw, next) => {
        expect(fromBytes(raw)).toBe(before(raw));
        // The minute kept from one cell must not leak into the next.
        expect(fromBytes(next, "x,", "")).toBe(before(next));
      }),
      { numRuns: 5000 },
    );
  });

  it("reads the common forms to the millisecond", () => {
    expect(parseTime("2026-11-20T00:00:00.300Z")).toBe(Date.UTC(2026, 10, 20, 0, 0, 0, 300));
    expect(parseTime("2026-11-20 13:45:07")).toBe(Date.UTC(2026, 10, 20, 13, 45, 7));
    expect(parseTime("2028-02-29T00:00:00Z")).toBe(Date.UTC(2028, 1, 29));
    expect(parseTime("1764633600")).toBe(1764633600000);
    // FreeSWITCH's start_uepoch: microseconds.
    expect(parseTime("1764633600123456")).toBe(1764633600123);
    expect(parseTime("1764633600123")).toBe(1764633600123);
    expect(fromBytes("2026-11-20T00:00:00.300Z")).toBe(Date.UTC(2026, 10, 20, 0, 0, 0, 300));
    expect(fromBytes("2026-11-20 13:45:07")).toBe(Date.UTC(2026, 10, 20, 13, 45, 7));
  });
});
