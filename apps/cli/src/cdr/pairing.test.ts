import { describe, expect, it } from "vitest";
import { CdrParser, type CdrRow, type ReaderOptions } from "./reader.ts";

/** Reads a Kamailio acc file (TAB separated) and returns the rows handed on, copied. */
function read(text: string, options: ReaderOptions) {
  const rows: CdrRow[] = [];
  const parser = new CdrParser((row) => rows.push({ ...row }), {
    format: "kamailio-acc",
    fields: { duration: true },
    ...options,
  });
  parser.pushBytes(Buffer.from(text));
  return { rows, result: parser.end() };
}

const header = "method\tfrom_tag\tto_tag\tcallid\tsip_code\tsip_reason\ttime\n";
const row = (method: string, callid: string, code: number, time: string) =>
  `${method}\tf\tt\t${callid}\t${code}\tx\t${time}\n`;

describe("Kamailio acc: INVITE and BYE rows of one call", () => {
  it("times an answered call from its INVITE row to its BYE row", () => {
    const { rows, result } = read(
      header +
        row("INVITE", "a", 200, "2026-11-26 10:00:00") +
        row("INVITE", "b", 486, "2026-11-26 10:00:01") +
        row("BYE", "a", 200, "2026-11-26 10:01:40"),
      { pairCalls: true },
    );
    expect(rows.map((r) => [r.code, r.duration])).toEqual([
      [486, undefined],
      [200, 100],
    ]);
    expect(result.pairing).toMatchObject({ paired: 1, unpairedAnswers: 0, unpairedByes: 0 });
  });

  it("holds at most maxPending calls, handing the oldest on without a length", () => {
    const { rows, result } = read(
      header +
        row("INVITE", "a", 200, "2026-11-26 10:00:00") +
        row("INVITE", "b", 200, "2026-11-26 10:00:05") +
        row("INVITE", "c", 200, "2026-11-26 10:00:06") +
        row("BYE", "a", 200, "2026-11-26 10:01:00") +
        row("BYE", "c", 200, "2026-11-26 10:00:16"),
      { pairCalls: { maxPending: 2 } },
    );
    // "a" was handed on when "c" arrived, so its BYE finds nothing waiting.
    expect(rows.map((r) => r.duration)).toEqual([undefined, 10, undefined]);
    expect(result.pairing).toEqual({
      paired: 1,
      unpairedAnswers: 2,
      evicted: 1,
      unpairedByes: 1,
      maxPending: 2,
    });
    expect(result.rows).toBe(3);
  });

  it("reads acc's time_mode 1 columns (seconds and microseconds) before the time column", () => {
    const h = "method\tcallid\tsip_code\ttime\ttime_attr\ttime_exten\n";
    const { rows } = read(
      `${h}INVITE\ta\t200\t2026-11-26 10:00:00\t1795687200\t250000\n` +
        "BYE\ta\t200\t2026-11-26 10:00:03\t1795687203\t750000\n",
      { pairCalls: true },
    );
    expect(rows[0]?.duration).toBe(3.5);
  });

  it("counts the same calls with pairing off, in file order, without lengths", () => {
    const text =
      header +
      row("INVITE", "a", 200, "2026-11-26 10:00:00") +
      row("INVITE", "b", 503, "2026-11-26 10:00:01") +
      row("BYE", "a", 200, "2026-11-26 10:00:30");
    const off = read(text, {});
    const on = read(text, { pairCalls: true });
    expect(off.rows.map((r) => r.code)).toEqual([200, 503]);
    expect(off.rows.every((r) => r.duration === undefined)).toBe(true);
    expect(off.result.pairing).toBeUndefined();
    expect(on.rows.map((r) => r.code).sort()).toEqual([200, 503]);
    expect(on.result.rows).toBe(off.result.rows);
  });
});
