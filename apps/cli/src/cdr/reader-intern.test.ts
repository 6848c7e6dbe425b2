import { describe, expect, it } from "vitest";
import { CdrParser, type CdrRow } from "./reader.ts";

function read(text: string): CdrRow[] {
  const rows: CdrRow[] = [];
  const parser = new CdrParser((row) => rows.push({ ...row }), { keepBad: 10 });
  parser.pushBytes(Buffer.from(text));
  parser.end();
  return rows;
}

describe("CdrParser's kept cells", () => {
  it("hands back each row's own trunk and customer when more names than slots repeat and collide", () => {
    const names = Array.from({ length: 9000 }, (_, i) => `t${i}`);
    // Same-length names, non-ASCII ones and ones that differ only in their last byte.
    names.push(
      "trunk-ä",
      "trunk-å",
      "trunk-a",
      "trunk-b",
      "kunde-ü",
      "x".repeat(48),
      "x".repeat(49),
    );
    let csv = "call_id,start_time,trunk,customer,direction,sip_code\n";
    const expected: [string, string][] = [];
    for (let i = 0; i < 30_000; i++) {
      const trunk = names[(i * 7919) % names.length]!;
      const customer = names[(i * 104_729 + 3) % names.length]!;
      expected.push([trunk, customer]);
      csv += `c${i},2026-11-20T00:00:00Z,${trunk},${customer},${i % 2 ? "inbound" : "outbound"},200\n`;
    }
    const rows = read(csv);
    expect(rows.map((r) => [r.trunk, r.customer])).toEqual(expected);
    expect(rows.map((r) => r.direction)).toEqual(
      expected.map((_, i) => (i % 2 ? "inbound" : "outbound")),
    );
  });
});
