import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GraphPageScanner, sniffGraphPage } from "./graph-pages.ts";
import { CdrParser, type CdrRow } from "./reader.ts";

/** Rows with awkward strings: quotes, backslashes, brackets, braces and multi-byte text. */
const text = fc
  .array(fc.constantFrom("a", '"', "\\", "{", "}", "[", "]", ",", ":", "é", "🙂", " ", "\n"), {
    maxLength: 6,
  })
  .map((parts) => parts.join(""));
const row = fc.record({
  id: text,
  finalSipCode: fc.constantFrom(0, 200, 486, 503, 603),
  successfulCall: fc.boolean(),
  callEndSubReason: fc.integer({ min: 0, max: 570000 }),
  duration: fc.nat(3600),
  nested: fc.option(fc.record({ a: fc.array(text, { maxLength: 2 }) }), { nil: undefined }),
});
const pagesOf = fc.array(fc.array(row, { maxLength: 5 }), { minLength: 1, maxLength: 3 });

function render(pages: unknown[][], pretty: boolean): string {
  return pages
    .map((value, i) =>
      JSON.stringify(
        {
          "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#Collection(x)",
          "@odata.count": value.length,
          value,
          ...(i < pages.length - 1
            ? { "@odata.nextLink": "https://example.invalid/?$skip=1" }
            : {}),
        },
        null,
        pretty ? 2 : undefined,
      ),
    )
    .join(pretty ? "\n" : "");
}

/** Cuts bytes at the given points (any byte, inside a UTF-8 sequence too). */
function chunks(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let at = 0;
  for (const p of [...points, bytes.length]) {
    out.push(bytes.subarray(at, p));
    at = p;
  }
  return out;
}

describe("GraphPageScanner", () => {
  it("hands on every item of every page's value array, whatever the chunking", () => {
    fc.assert(
      fc.property(
        pagesOf,
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 12 }),
        (pages, pretty, cuts) => {
          const items: unknown[] = [];
          const scanner = new GraphPageScanner((json) => items.push(JSON.parse(json)));
          for (const c of chunks(Buffer.from(render(pages, pretty)), cuts))
            scanner.push(Buffer.from(c));
          scanner.end();
          expect(items).toEqual(JSON.parse(JSON.stringify(pages.flat())));
          expect(scanner.pages).toBe(pages.length);
          expect(scanner.context).toMatch(/\$metadata#Collection/);
        },
      ),
    );
  });

  it("gives the reader the same calls as the NDJSON form of the same rows", () => {
    fc.assert(
      fc.property(pagesOf, fc.array(fc.nat(), { maxLength: 6 }), (pages, cuts) => {
        const rows = pages.flat();
        fc.pre(rows.length > 0);
        const read = (bytes: Buffer[]) => {
          const got: [number, number | undefined][] = [];
          const parser = new CdrParser((r: CdrRow) => got.push([r.code, r.duration]), {
            format: "teams",
          });
          for (const b of bytes) parser.pushBytes(b);
          const result = parser.end();
          return { got, rows: result.rows, skipped: result.badCount };
        };
        const ndjson = Buffer.from(rows.map((r) => JSON.stringify(r)).join("\n"));
        expect(read(chunks(Buffer.from(render(pages, true)), cuts))).toEqual(read([ndjson]));
      }),
    );
  });

  it("tells a Graph page from an NDJSON row by its first key", () => {
    expect(sniffGraphPage('\uFEFF {"@odata.context":"x","value":[]}')).toBe(true);
    expect(sniffGraphPage('{\n  "value": [')).toBe(true);
    expect(sniffGraphPage('{"value": 200, "sip_code": 486}')).toBe(false);
    expect(sniffGraphPage('{"value"')).toBeUndefined();
    expect(sniffGraphPage('{"id":"1","finalSipCode":0}')).toBe(false);
    expect(sniffGraphPage("sip_code,trunk")).toBe(false);
    expect(sniffGraphPage("{ ")).toBeUndefined();
    expect(sniffGraphPage('{\n  "@oda')).toBeUndefined();
    expect(sniffGraphPage('{"a\\')).toBeUndefined();
    expect(sniffGraphPage("")).toBeUndefined();
  });

  it("refuses what is not a page", () => {
    const scan = (s: string) => {
      const g = new GraphPageScanner(() => {});
      g.push(Buffer.from(s));
      g.end();
    };
    expect(() => scan('{"value":[1]}')).toThrow(/a number or literal in value at byte 11/);
    expect(() => scan('{"value":[{"a":1}')).toThrow(/ends inside page 1, after 1 item of value/);
    expect(() => scan("[]")).toThrow(/not a Graph page: an array at byte 1/);
  });
});
