import { describe, expect, it } from "vitest";
import { encodeHep2, encodeHep3 } from "../test/_hep.ts";
import { sipMessage } from "../test/_traffic.ts";
import {
  createCaptureReader,
  decodeHep,
  detectCapture,
  hepMessages,
  readCapture,
  safeDecodeHep,
} from "./index.ts";

const invite = sipMessage("INVITE sip:bob@example.com SIP/2.0", "hep-1@test", "1 INVITE");
const base = {
  src: "192.0.2.10",
  dst: "198.51.100.20",
  sport: 5060,
  dport: 5080,
  sec: 1_700_000_123,
  usec: 456_789,
  agentId: 2001,
  payload: invite,
};

describe("decodeHep", () => {
  it("reads every generic HEPv3 chunk our spec-based encoder writes", () => {
    const p = decodeHep(encodeHep3({ ...base, correlationId: "hep-1@test", authKey: "s3cret" }));
    expect(p).toMatchObject({
      version: 3,
      ipProtocol: 17,
      transport: "udp",
      src: { ip: "192.0.2.10", port: 5060 },
      dst: { ip: "198.51.100.20", port: 5080 },
      time: 1_700_000_123_456_789,
      protocolType: 1,
      agentId: 2001,
      correlationId: "hep-1@test",
      authKey: "s3cret",
      compressed: false,
    });
    expect(new TextDecoder().decode(p.payload)).toBe(invite);
  });

  it("reads IPv6 addresses and TCP from HEPv3", () => {
    const p = decodeHep(
      encodeHep3({ ...base, src: "2001:db8::1", dst: "2001:db8:0:0:1::2", ipProtocol: 6 }),
    );
    expect(p.src.ip).toBe("2001:db8::1");
    // RFC 5952 §4.2.3: of two equal runs of zeros, the first is shortened.
    expect(p.dst.ip).toBe("2001:db8::1:0:0:2");
    expect(p.transport).toBe("tcp");
  });

  it("skips chunks of other vendors and unknown generic chunk types", () => {
    const extra = [
      { vendor: 0x0003, type: 1, value: Uint8Array.of(9, 9, 9) },
      { vendor: 0, type: 99, value: Uint8Array.of(1) },
    ];
    const p = decodeHep(encodeHep3({ ...base, extra }));
    expect(p.src.ip).toBe("192.0.2.10");
    expect(new TextDecoder().decode(p.payload)).toBe(invite);
  });

  it("reads HEPv2 with the time header in little-endian order", () => {
    const b = encodeHep2(base);
    expect(detectCapture(b)).toBe("hep");
    const p = decodeHep(b);
    expect(p).toMatchObject({
      version: 2,
      src: { ip: "192.0.2.10", port: 5060 },
      dst: { ip: "198.51.100.20", port: 5080 },
      time: 1_700_000_123_456_789,
      agentId: 2001,
    });
    expect(new TextDecoder().decode(p.payload)).toBe(invite);
    const six = decodeHep(encodeHep2({ ...base, src: "::1", dst: "2001:db8::5" }));
    expect([six.src.ip, six.dst.ip]).toEqual(["::1", "2001:db8::5"]);
  });

  it("refuses a chunk whose length runs past the packet, as data", () => {
    const b = encodeHep3(base);
    b[6 + 4] = 0xff; // first chunk's length high byte
    const r = safeDecodeHep(b);
    expect(r.success).toBe(false);
    if (!r.success) {
      expect(r.error.code).toBe("invalid_hep");
      expect(r.error.offset).toBe(6);
    }
  });

  it("refuses bytes that are not HEP", () => {
    expect(() => decodeHep(new TextEncoder().encode("INVITE sip:x SIP/2.0\r\n"))).toThrow(
      expect.objectContaining({ code: "invalid_hep" }),
    );
  });
});

describe("hepMessages", () => {
  it("returns the SIP message with agent and correlation ids", () => {
    const p = decodeHep(encodeHep3({ ...base, correlationId: "corr-9" }));
    const { messages, warnings } = hepMessages(p, 4);
    expect(warnings).toEqual([]);
    expect(messages).toEqual([
      {
        frame: 4,
        time: 1_700_000_123_456_789,
        src: { ip: "192.0.2.10", port: 5060 },
        dst: { ip: "198.51.100.20", port: 5080 },
        transport: "udp",
        text: invite,
        agentId: 2001,
        correlationId: "corr-9",
      },
    ]);
  });

  it("returns nothing for RTCP and a warning for a compressed payload", () => {
    expect(
      hepMessages(decodeHep(encodeHep3({ ...base, protocolType: 5, payload: "\x80\xc8" })))
        .messages,
    ).toEqual([]);
    const z = hepMessages(
      decodeHep(encodeHep3({ ...base, compressed: true, payload: Uint8Array.of(0x1f, 0x8b) })),
    );
    expect(z.messages).toEqual([]);
    expect(z.warnings.map((w) => w.code)).toEqual(["hep_compressed_payload"]);
  });
});

describe("readCapture on a HEP stream", () => {
  it("reads HEPv3 packets back to back, in any chunking, as one capture", () => {
    const calls = ["a@x", "b@x", "c@x"].map((c, i) =>
      encodeHep3({ ...base, usec: i, payload: sipMessage("SIP/2.0 180 Ringing", c, "1 INVITE") }),
    );
    const all = new Uint8Array(calls.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of calls) {
      all.set(c, at);
      at += c.length;
    }
    const r = readCapture(all);
    expect(r.format).toBe("hep");
    expect(r.frames).toBe(3);
    expect(r.messages.map((m) => [m.frame, /Call-ID: (\S+)/.exec(m.text)?.[1]])).toEqual([
      [1, "a@x"],
      [2, "b@x"],
      [3, "c@x"],
    ]);
    expect(r.warnings).toEqual([]);
  });

  it("warns with the absolute offset of a damaged packet in a stream read in chunks", () => {
    const one = encodeHep3(base);
    const bad = encodeHep3(base);
    bad[6 + 4] = 0xff; // first chunk's length runs past the packet
    const all = Uint8Array.from([...one, ...one, ...bad, ...one]);
    const r = createCaptureReader();
    const got = [];
    for (let at = 0; at < all.length; at += 100) got.push(...r.push(all.subarray(at, at + 100)));
    got.push(...r.end());
    expect(got.map((m) => m.frame)).toEqual([1, 2, 4]);
    expect(r.warnings).toEqual([
      expect.objectContaining({ code: "invalid_block", offset: 2 * one.length }),
    ]);
  });

  it("warns and keeps earlier packets when garbage follows", () => {
    const one = encodeHep3(base);
    const junk = new Uint8Array([...one, 0xde, 0xad, 0xbe, 0xef, 0, 0, 0, 0]);
    const r = readCapture(junk);
    expect(r.messages).toHaveLength(1);
    expect(r.warnings).toEqual([
      expect.objectContaining({ code: "invalid_block", offset: one.length }),
    ]);
  });
});
