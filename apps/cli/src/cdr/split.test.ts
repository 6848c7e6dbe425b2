import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CallSummarizer } from "@sipcodes/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CdrParser, type ReaderOptions } from "./reader.ts";
import { mergeBlocks, readBlocks, type SplitJob } from "./split.ts";

/**
 * A file read in blocks (by however many threads) must give what one parser
 * gives, or refuse so that one parser reads it. These properties hold that on
 * random files, with blocks small enough that every kind of line meets a cut.
 */

const dir = mkdtempSync(join(tmpdir(), "sipcode-split-"));
const OPTIONS: ReaderOptions = { fields: { duration: true, pdd: true } };

const code = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom("200", "486", "503", "404", "487") },
  fc.constantFrom("180", "abc", "", " 200 ", "486 Busy Here", "99"),
);
const duration = fc.oneof(
  { weight: 6, arbitrary: fc.nat(3600).map(String) },
  fc.constantFrom("", "12.5", "x"),
);
const note = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom("a", "b c", "") },
  fc.constantFrom('"quoted, comma"', '"two\nlines"', '"a ""q"""'),
);
const line = fc.oneof(
  {
    weight: 10,
    arbitrary: fc
      .tuple(fc.nat(99), code, duration, note)
      .map(([i, c, d, n]) => `c${i},${c},${d},${n}`),
  },
  fc.constantFrom("", "only-one-cell", "\r"),
);

/** What one parser gives: the reader's result and the summary. */
function single(text: string) {
  const summarizer = new CallSummarizer();
  const parser = new CdrParser((row) => summarizer.add(row), {
    ...OPTIONS,
    onCall: (c, d) => summarizer.addCall(c, d),
  });
  parser.pushBytes(Buffer.from(text));
  return { result: parser.end(), summary: summarizer.result() };
}

function split(text: string, blockBytes: number) {
  const file = join(dir, "f.csv");
  writeFileSync(file, text);
  const summarizer = new CallSummarizer();
  const parser = new CdrParser((row) => summarizer.add(row), {
    ...OPTIONS,
    onCall: (c, d) => summarizer.addCall(c, d),
  });
  const headerEnd = text.indexOf("\n") + 1;
  parser.pushBytes(Buffer.from(text.slice(0, headerEnd)));
  const header = parser.splitHeader;
  if (header === undefined) return undefined;
  const job: SplitJob = {
    file,
    dataStart: Buffer.byteLength(text.slice(0, headerEnd)),
    size: Buffer.byteLength(text),
    blockBytes,
    header,
    options: OPTIONS,
    control: new SharedArrayBuffer(8),
  };
  // Two "threads" taking turns: the first takes blocks until a stop, the
  // second would find none left; the merge does not care who read what.
  const blocks = [...readBlocks(job), ...readBlocks(job)];
  if (!mergeBlocks(job, blocks, parser, (c, s, t) => summarizer.addCounts(c, s, t)))
    return "refused" as const;
  return { result: parser.end(), summary: summarizer.result() };
}

describe("reading a CSV in blocks", () => {
  it("gives what one parser gives, or refuses", () => {
    fc.assert(
      fc.property(
        fc.array(line, { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 8, max: 400 }),
        (lines, blockBytes) => {
          const text = `call_id,sip_code,duration,note\n${lines.join("\n")}\n`;
          const got = split(text, blockBytes);
          if (got === "refused") return;
          expect(got).toEqual(single(text));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("does not refuse a file with no quotes and whole-second durations", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(99), fc.constantFrom("200", "486", "abc", "180"), fc.nat(600)), {
          minLength: 1,
          maxLength: 80,
        }),
        fc.integer({ min: 8, max: 300 }),
        (rows, blockBytes) => {
          const text = `call_id,sip_code,duration\n${rows.map(([i, c, d]) => `c${i},${c},${d}`).join("\n")}`;
          const got = split(text, blockBytes);
          expect(got).not.toBe("refused");
          expect(got).toEqual(single(text));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("refuses when a quoted line break is open at a cut", () => {
    const text = 'call_id,sip_code,duration,note\nc1,200,5,"one\ntwo"\nc2,486,0,x\n';
    expect(split(text, 12)).toBe("refused");
  });
});
