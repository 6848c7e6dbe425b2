import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ethernet, sll, tcp4, udp4, writePcap, writePcapng } from "../test/_build.ts";
import { encodeHep2, encodeHep3 } from "../test/_hep.ts";
import { sipMessage } from "../test/_traffic.ts";
import {
  CaptureError,
  createCaptureReader,
  decodeHep,
  readCapture,
  type SipMessage,
} from "./index.ts";

/*
 * Whatever the bytes, the decoders either return (maybe with warnings) or
 * throw a CaptureError: never a RangeError, TypeError or anything untyped.
 */

const enc = (s: string) => new TextEncoder().encode(s);
const m1 = enc(sipMessage("INVITE sip:b@x SIP/2.0", "f@x", "1 INVITE", "v=0\r\n"));
const m2 = enc(sipMessage("SIP/2.0 180 Ringing", "f@x", "1 INVITE"));
const m3 = enc(sipMessage("SIP/2.0 200 OK", "f@x", "1 INVITE"));

const ips = [
  udp4("10.0.0.1", "10.0.0.2", 5060, 5060, m1),
  tcp4("10.0.0.2", "10.0.0.1", 5060, 40000, 100, 0x02, new Uint8Array(0)),
  tcp4("10.0.0.2", "10.0.0.1", 5060, 40000, 101, 0x18, m2.subarray(0, 40)),
  tcp4("10.0.0.2", "10.0.0.1", 5060, 40000, 141, 0x18, new Uint8Array([...m2.subarray(40), ...m3])),
];
const frames = ips.map((ip, i) => ({
  time: 1_700_000_000_000_000 + i,
  data: ethernet(ip, i % 2 ? [7] : []),
}));
const samples: Record<string, Uint8Array> = {
  pcap: writePcap(frames, 1),
  pcapBe: writePcap(
    ips.map((ip, i) => ({ time: i, data: sll(ip) })),
    113,
    { le: false, nano: true },
  ),
  pcapng: writePcapng(frames, [{ linkType: 1, tsresol: 9 }]),
  pcapngBe: writePcapng(
    ips.map((ip, i) => ({ time: i, data: ip, iface: i % 2 })),
    [{ linkType: 228 }, { linkType: 101, tsresol: 0x80 | 10 }],
    { le: false },
  ),
  hep3: encodeHep3({
    src: "::1",
    dst: "::2",
    sport: 1,
    dport: 2,
    sec: 3,
    usec: 4,
    correlationId: "c",
    payload: m1,
  }),
  hep2: encodeHep2({
    src: "10.0.0.1",
    dst: "10.0.0.2",
    sport: 1,
    dport: 2,
    sec: 3,
    usec: 4,
    payload: m2,
  }),
};

function onlyTyped(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof CaptureError)) throw e;
  }
}

const mutation = fc.oneof(
  fc.record({
    kind: fc.constant("flip" as const),
    at: fc.nat(),
    value: fc.integer({ min: 0, max: 255 }),
  }),
  fc.record({ kind: fc.constant("cut" as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant("insert" as const),
    at: fc.nat(),
    value: fc.uint8Array({ maxLength: 16 }),
  }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(b: Uint8Array, ms: Mutation[]): Uint8Array {
  let out = b.slice();
  for (const m of ms) {
    if (out.length === 0) break;
    const at = m.at % out.length;
    if (m.kind === "flip") out[at] = m.value;
    else if (m.kind === "cut") out = out.slice(0, at);
    else out = Uint8Array.from([...out.subarray(0, at), ...m.value, ...out.subarray(at)]);
  }
  return out;
}

describe("decoders under random input", () => {
  it("the samples themselves decode without warnings", () => {
    for (const [name, b] of Object.entries(samples)) {
      const r = readCapture(b);
      expect(r.warnings, name).toEqual([]);
      expect(r.messages.length, name).toBeGreaterThan(0);
    }
    expect(readCapture(samples.pcap as Uint8Array).messages).toHaveLength(3);
  });

  it("random bytes only ever raise a CaptureError", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (b) => {
        onlyTyped(() => readCapture(b));
        onlyTyped(() => decodeHep(b));
      }),
      { numRuns: 3000 },
    );
  });

  it("random bytes behind a valid header only ever raise a CaptureError", () => {
    const headers = Object.values(samples).map((s) => s.subarray(0, 28));
    fc.assert(
      fc.property(fc.constantFrom(...headers), fc.uint8Array({ maxLength: 2048 }), (h, b) => {
        onlyTyped(() => readCapture(Uint8Array.from([...h, ...b])));
      }),
      { numRuns: 3000 },
    );
  });

  it("mutated valid captures and HEP packets only ever raise a CaptureError", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.keys(samples)),
        fc.array(mutation, { minLength: 1, maxLength: 8 }),
        (k, ms) => {
          const b = mutate(samples[k] as Uint8Array, ms);
          onlyTyped(() => readCapture(b));
          onlyTyped(() => decodeHep(b));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it("any chunking of a capture gives the same messages as reading it whole", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.keys(samples)),
        fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 50 }),
        (k, sizes) => {
          const b = samples[k] as Uint8Array;
          const whole = readCapture(b).messages;
          const r = createCaptureReader();
          const got: SipMessage[] = [];
          let at = 0;
          for (let i = 0; at < b.length; i++) {
            const n = sizes[i % sizes.length] ?? 1;
            got.push(...r.push(b.subarray(at, at + n)));
            at += n;
          }
          got.push(...r.end());
          expect(got).toEqual(whole);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
