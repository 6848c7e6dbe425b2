import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { splitMessages } from "./split.ts";

const trace = [
  "INVITE sip:+441234567890@trunk.example.net SIP/2.0",
  "Via: SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK-1",
  "CSeq: 1 INVITE",
  "",
  "SIP/2.0 100 Trying",
  "CSeq: 1 INVITE",
  "",
  "SIP/2.0 603 MaxPeak Cost Exceeded",
  "Reason: Q.850;cause=21",
  "CSeq: 1 INVITE",
].join("\r\n");

describe("splitMessages", () => {
  it("returns every response of a trace, headers included, and skips requests", () => {
    const messages = splitMessages(trace);
    expect(messages.map((m) => m.split("\n")[0])).toEqual([
      "SIP/2.0 100 Trying",
      "SIP/2.0 603 MaxPeak Cost Exceeded",
    ]);
    expect(messages[1]).toContain("Reason: Q.850;cause=21");
    expect(messages[0]).not.toContain("603");
  });

  it("ends a response where the next request starts", () => {
    const text =
      "SIP/2.0 486 Busy Here\nCSeq: 1 INVITE\nACK sip:bob@example.com SIP/2.0\nCSeq: 1 ACK";
    expect(splitMessages(text)).toEqual(["SIP/2.0 486 Busy Here\nCSeq: 1 INVITE"]);
  });

  it("takes one input per line when the text holds no SIP message, without blanks or comments", () => {
    expect(splitMessages("486\n\n  603  \n# a note\nQ.850;cause=17\n")).toEqual([
      "486",
      "603",
      "Q.850;cause=17",
    ]);
    expect(splitMessages("")).toEqual([]);
  });

  it("returns only trimmed, non-empty inputs or whole responses, for any text", () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom(
            "S",
            "I",
            "P",
            "/",
            "2",
            ".",
            "0",
            " ",
            "4",
            "8",
            "6",
            "\n",
            "#",
            "a",
            "A",
          ),
        }),
        (text) => {
          for (const item of splitMessages(text)) {
            expect(item.length).toBeGreaterThan(0);
            if (!/^SIP\/2\.0/i.test(item)) {
              expect(item).toBe(item.trim());
              expect(item.startsWith("#")).toBe(false);
              expect(item).not.toContain("\n");
            }
          }
        },
      ),
    );
  });
});
