import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { splitBytes, splitDatagram } from "./sip-framing.ts";

const enc = new TextEncoder();

/** SIP-like datagrams: start lines, headers (Content-Length right, wrong or absent), bodies, line ends, junk. */
const piece = fc.oneof(
  fc.constantFrom(
    "INVITE sip:bob@example.com SIP/2.0",
    "SIP/2.0 603 Decline",
    "SIP/2.0 200",
    "ACK sip:x SIP/2.0",
    "BYE sip:x SIP/2.0\r",
    "SIP/2.0",
    "SIP/2.",
    "OPTIONS",
    "Call-ID: a@b",
    "Content-Length: 0",
    "Content-Length: 5",
    "content-length:12",
    "l: 3",
    "Content-Length: 99999",
    "CSeq: 1 INVITE",
    "\r\n",
    "\n",
    "",
    "body!",
    "é",
    "\u00a0",
    "\ufeff",
  ),
  fc.string({ maxLength: 20 }),
);
const datagram = fc.array(piece, { maxLength: 30 }).chain((parts) =>
  fc
    .array(fc.constantFrom("\r\n", "\n", ""), {
      minLength: parts.length,
      maxLength: parts.length,
    })
    .map((ends) => parts.map((p, i) => p + ends[i]).join("")),
);

describe("splitDatagram", () => {
  it("splits ASCII payloads on the decoded text exactly as byte by byte, and any other payload the same (property)", () => {
    fc.assert(
      fc.property(datagram, (text) => {
        const b = enc.encode(text);
        expect(splitDatagram(b)).toEqual(splitBytes(b));
      }),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        expect(splitDatagram(b)).toEqual(splitBytes(b));
      }),
      { numRuns: 3000 },
    );
  });

  it("agrees with the byte path on start lines around the 4,096-byte limit", () => {
    for (let n = 4080; n <= 4100; n++) {
      const line = `INVITE sip:${"a".repeat(n - 19)} SIP/2.0`;
      for (const end of ["\n", "\r\n", ""]) {
        const b = enc.encode(`${line}${end}Call-ID: x\r\n\r\n`);
        expect(splitDatagram(b)).toEqual(splitBytes(b));
      }
    }
  });

  it("finds two messages in one datagram by Content-Length, and marks a short body incomplete", () => {
    const two = enc.encode(
      "SIP/2.0 200 OK\r\nContent-Length: 2\r\n\r\nhiINVITE sip:a SIP/2.0\r\nContent-Length: 9\r\n\r\nabc",
    );
    expect(splitDatagram(two)).toEqual({
      texts: [
        "SIP/2.0 200 OK\r\nContent-Length: 2\r\n\r\nhi",
        "INVITE sip:a SIP/2.0\r\nContent-Length: 9\r\n\r\nabc",
      ],
      incomplete: true,
    });
  });
});
