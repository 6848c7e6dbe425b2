import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fastEvent, IngestEvent, parseEventBody } from "./event.ts";

const good = (id: string) =>
  JSON.stringify({ id, time: 1_767_225_600_000, code: 603, trunk: "T1" });

describe("parseEventBody", () => {
  it("reads NDJSON, an array, and a single object; RFC 3339 times become ms", () => {
    expect(parseEventBody(`${good("a")}\n${good("b")}\n`, true)?.events.map((e) => e.id)).toEqual([
      "a",
      "b",
    ]);
    expect(parseEventBody(`[${good("a")},${good("b")}]`, false)?.events).toHaveLength(2);
    const one = parseEventBody(
      JSON.stringify({ id: "x", time: "2026-01-01T00:00:00Z", code: 500 }),
      false,
    );
    expect(one?.events[0]).toMatchObject({ id: "x", time: Date.UTC(2026, 0, 1), code: 500 });
    expect(parseEventBody("hello", false)).toBeNull();
  });

  it("names the field of each bad line", () => {
    const r = parseEventBody(
      `${good("a")}\n{"id":"b","time":1,"code":700}\n{"id":"c","time":1,"code":200,"direction":"up"}\n{"id":"d","code":200,"time":1,"extra":1}`,
      true,
    );
    expect(r?.events).toHaveLength(1);
    expect(r?.rejected.map((x) => [x.line, x.message.split(":")[0]])).toEqual([
      [2, "code"],
      [3, "direction"],
      [4, expect.stringMatching(/Unrecognized key/)],
    ]);
  });

  it("never loses a good line to bad ones (property)", () => {
    const line = fc.oneof(
      fc.uuid().map((id) => ({ ok: true, text: good(id) })),
      fc
        .string()
        .filter((s) => !s.includes("\n") && s.trim() !== "")
        .map((text) => ({ ok: false, text })),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), (lines) => {
        const r = parseEventBody(lines.map((l) => l.text).join("\n"), true)!;
        const goods = lines.filter((l) => l.ok).length;
        expect(r.events.length).toBeGreaterThanOrEqual(goods);
        expect(r.events.length + r.rejected.length).toBe(lines.length);
      }),
    );
  });

  it("reads a body in one parse exactly as line by line: same events, same line numbers (property)", () => {
    // CRLF line ends always take the line-by-line reader; LF ones take the one-parse path when they can.
    const line = fc.oneof(
      fc.uuid().map(good),
      fc.constantFrom(
        '{"id":"x","time":1,"code":99}',
        '{"id":"a","time":1,"code":603},{"id":"b","time":1,"code":603}',
        "[1,2]",
        "{",
        "   ",
        '{"id":"y","time":"2026-01-01T00:00:00Z","code":486}',
        '  {"id":"z","time":5,"code":500}  ',
      ),
    );
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 20 }), fc.boolean(), (lines, end) => {
        const tail = end ? "\n" : "";
        const lf = parseEventBody(lines.join("\n") + tail, true);
        const crlf = parseEventBody(lines.join("\r\n") + (end ? "\r\n" : ""), true);
        expect(lf).toEqual(crlf);
      }),
    );
  });
});

describe("fastEvent", () => {
  it("accepts exactly what the schema accepts with a ms time, with the same record (property)", () => {
    const field = fc.oneof(
      fc.constant(undefined),
      fc.string({ maxLength: 3 }),
      fc.string({ minLength: 199, maxLength: 201 }),
      fc.integer(),
      fc.constant(null),
    );
    const input = fc.record(
      {
        id: fc.oneof(
          fc.string({ maxLength: 5 }),
          fc.integer(),
          fc.string({ minLength: 199, maxLength: 201 }),
        ),
        time: fc.oneof(
          fc.integer({ min: -5, max: 2e12 }),
          fc.double(),
          fc.constant("2026-01-01T00:00:00Z"),
          fc.constant(8.64e15 + 1),
        ),
        code: fc.oneof(
          fc.integer({ min: 90, max: 710 }),
          fc.double({ min: 100, max: 699 }),
          fc.constant("603"),
        ),
        direction: fc.oneof(
          fc.constant(undefined),
          fc.constant("inbound"),
          fc.constant("outbound"),
          fc.constant("up"),
        ),
        trunk: field,
        customer: field,
        phrase: field,
        reason: fc.oneof(fc.constant(undefined), fc.string({ maxLength: 3 }), fc.integer()),
        extra: fc.oneof(fc.constant(undefined), fc.integer()),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(input, (raw) => {
        const value = JSON.parse(JSON.stringify(raw)) as Record<string, unknown>;
        const fast = fastEvent(value);
        const slow = IngestEvent.safeParse(value);
        if (fast) {
          expect(slow.success).toBe(true);
          expect(fast).toEqual(slow.data);
        } else if (slow.success) {
          expect(typeof value.time).toBe("string"); // only RFC 3339 times take the slow path
        }
      }),
      { numRuns: 2000 },
    );
  });
});
