import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sipMessage } from "../test/_traffic.ts";
import { TcpReassembler } from "./tcp.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const a = sipMessage("INVITE sip:b@x SIP/2.0", "a@x", "1 INVITE", "v=0\r\ns=é\r\n");
const b = sipMessage("SIP/2.0 180 Ringing", "a@x", "1 INVITE");
const c = sipMessage("SIP/2.0 200 OK", "a@x", "1 INVITE");

/** Feeds (seq offset, text) segments after a SYN with ISN `isn`; returns the texts framed. */
function run(isn: number, segs: [number, string][], syn = true): string[] {
  const r = new TcpReassembler();
  const out: string[] = [];
  if (syn)
    out.push(
      ...r.push("k", { seq: isn, syn: true, fin: false, rst: false, data: new Uint8Array(0) }),
    );
  for (const [off, text] of segs) {
    out.push(
      ...r.push("k", {
        seq: (isn + 1 + off) >>> 0,
        syn: false,
        fin: false,
        rst: false,
        data: enc(text),
      }),
    );
  }
  out.push(...r.finish().late.flatMap((l) => l.texts));
  return out;
}

const len = (s: string) => enc(s).length;

describe("TcpReassembler", () => {
  it.each([
    [
      "one message per segment",
      [
        [0, a],
        [len(a), b],
      ],
      [a, b],
    ],
    ["two messages in one segment", [[0, a + b]], [a, b]],
    [
      "a message split inside a header line",
      [
        [0, a.slice(0, 10)],
        [10, a.slice(10)],
      ],
      [a],
    ],
    [
      "a retransmitted segment",
      [
        [0, a],
        [0, a],
        [len(a), b],
      ],
      [a, b],
    ],
    [
      "segments out of order",
      [
        [len(a), b],
        [0, a],
      ],
      [a, b],
    ],
    [
      "an overlapping retransmission",
      [
        [0, a.slice(0, 30)],
        [0, a.slice(0, 60)],
        [60, a.slice(60) + b],
      ],
      [a, b],
    ],
    [
      "CRLF keep-alives between messages (RFC 5626)",
      [
        [0, "\r\n\r\n"],
        [4, a + "\r\n\r\n" + b],
      ],
      [a, b],
    ],
  ] as [string, [number, string][], string[]][])("frames %s", (_name, segs, expected) => {
    // Offsets are bytes; the slices cut inside the ASCII headers, before a's "é".
    expect(run(1000, segs)).toEqual(expected);
  });

  it("treats a SYN seen again after data as the same connection", () => {
    const r = new TcpReassembler();
    const seg = (seq: number, text: string, syn = false) =>
      r.push("k", { seq, syn, fin: false, rst: false, data: enc(text) });
    expect(seg(10, "", true)).toEqual([]);
    expect(seg(11, a)).toEqual([a]);
    expect(seg(10, "", true)).toEqual([]);
    expect(seg(11, a)).toEqual([]);
    expect(seg(11 + len(a), b)).toEqual([b]);
    // A SYN with a new ISN is a new connection.
    expect(seg(5000, "", true)).toEqual([]);
    expect(seg(5001, c)).toEqual([c]);
  });

  it("ignores copies of segments that come after a RST", () => {
    const r = new TcpReassembler();
    const seg = (seq: number, text: string, rst = false) =>
      r.push("k", { seq, syn: false, fin: false, rst, data: enc(text) });
    expect(seg(1, a)).toEqual([a]);
    expect(seg(1 + len(a), "", true)).toEqual([]);
    expect(seg(1, a)).toEqual([]);
  });

  it("forgets the least recently used stream beyond its limit, and says which", () => {
    const evicted: string[] = [];
    const r = new TcpReassembler(2, (k) => evicted.push(k));
    const seg = (key: string, seq: number, text: string) =>
      r.push(key, { seq, syn: false, fin: false, rst: false, data: enc(text) });
    expect(seg("a", 1, a)).toEqual([a]);
    expect(seg("b", 1, b.slice(0, 20))).toEqual([]);
    expect(seg("a", 1 + len(a), b)).toEqual([b]); // a is now the most recent
    expect(seg("c", 1, c)).toEqual([c]);
    expect(evicted).toEqual(["b"]);
    expect(r.droppedWithData).toBe(1);
  });

  it("handles sequence numbers wrapping past 2^32", () => {
    expect(
      run(0xffffffff - 20, [
        [0, a],
        [len(a), b],
      ]),
    ).toEqual([a, b]);
  });

  it("starts mid-stream without a SYN and resynchronises at the next start line", () => {
    const tail = a.slice(a.length - 25);
    expect(
      run(
        5,
        [
          [0, tail + b],
          [len(tail + b), c],
        ],
        false,
      ),
    ).toEqual([b, c]);
  });

  it("reads past a gap the capture lost, at the end", () => {
    const r = new TcpReassembler();
    r.push("k", { seq: 1, syn: true, fin: false, rst: false, data: new Uint8Array(0) });
    expect(r.push("k", { seq: 2, syn: false, fin: false, rst: false, data: enc(a) })).toEqual([a]);
    // b is lost; c arrives after the gap.
    expect(
      r.push("k", { seq: 2 + len(a) + len(b), syn: false, fin: false, rst: false, data: enc(c) }),
    ).toEqual([]);
    const { reports, late } = r.finish();
    expect(late).toEqual([{ key: "k", texts: [c] }]);
    expect(reports).toEqual([expect.objectContaining({ key: "k", gaps: 1 })]);
  });

  it("frames a compact Content-Length (l:) and one without a body", () => {
    const compact = "SIP/2.0 200 OK\r\nCall-ID: z\r\nl: 4\r\n\r\nabcd";
    const none = "OPTIONS sip:x SIP/2.0\r\nCall-ID: y\r\n\r\n";
    expect(run(1, [[0, compact + none + compact]])).toEqual([compact, none, compact]);
  });

  it("reports a message the capture ends inside of", () => {
    const r = new TcpReassembler();
    r.push("k", { seq: 0, syn: false, fin: false, rst: false, data: enc(a.slice(0, 50)) });
    expect(r.finish().reports).toEqual([expect.objectContaining({ partialBytes: 50 })]);
  });

  it("ignores a stream that is not SIP without keeping its bytes", () => {
    const r = new TcpReassembler();
    const junk = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".repeat(1000);
    expect(r.push("k", { seq: 0, syn: false, fin: false, rst: false, data: enc(junk) })).toEqual(
      [],
    );
    expect(r.finish().reports).toEqual([]);
  });
});

describe("TcpReassembler under random segmentation", () => {
  const message = fc
    .record({
      kind: fc.constantFrom(
        "SIP/2.0 180 Ringing",
        "SIP/2.0 486 Busy Here",
        "INVITE sip:b@x SIP/2.0",
        "BYE sip:a@y SIP/2.0",
      ),
      id: fc.stringMatching(/^[a-z0-9]{1,12}$/),
      body: fc.string({ unit: "grapheme", maxLength: 80 }),
    })
    .map(({ kind, id, body }) => sipMessage(kind, `${id}@x`, "1 INVITE", body.replace(/\r/g, "")));

  it("returns exactly the messages sent, whatever the cuts, order and duplicates", () => {
    fc.assert(
      fc.property(
        fc.array(message, { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 10 }),
        fc.array(fc.nat(), { maxLength: 5 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        (msgs, cutSeeds, swaps, dups, isn) => {
          const stream = enc(msgs.join(""));
          const cuts = [...new Set(cutSeeds.map((c) => c % stream.length))].sort((x, y) => x - y);
          const bounds = [0, ...cuts.filter((c) => c > 0), stream.length];
          const segs: { off: number; data: Uint8Array }[] = [];
          for (let i = 0; i + 1 < bounds.length; i++) {
            const from = bounds[i] as number;
            const to = bounds[i + 1] as number;
            if (to > from) segs.push({ off: from, data: stream.subarray(from, to) });
          }
          for (const [x, y] of swaps) {
            const i = x % segs.length;
            const j = y % segs.length;
            [segs[i], segs[j]] = [
              segs[j] as (typeof segs)[number],
              segs[i] as (typeof segs)[number],
            ];
          }
          for (const d of dups)
            segs.splice(d % (segs.length + 1), 0, segs[d % segs.length] as (typeof segs)[number]);
          const r = new TcpReassembler();
          const out = r.push("k", {
            seq: isn,
            syn: true,
            fin: false,
            rst: false,
            data: new Uint8Array(0),
          });
          for (const s of segs) {
            out.push(
              ...r.push("k", {
                seq: (isn + 1 + s.off) >>> 0,
                syn: false,
                fin: false,
                rst: false,
                data: s.data,
              }),
            );
          }
          const end = r.finish();
          expect(end.late).toEqual([]);
          expect(end.reports).toEqual([]);
          expect(out).toEqual(msgs);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
