import { describe, expect, it } from "vitest";
import { writePcap, writePcapng } from "../test/_build.ts";
import { encodeHep2, encodeHep3 } from "../test/_hep.ts";
import {
  CaptureError,
  detectCapture,
  isCaptureError,
  readCapture,
  safeReadCapture,
} from "./index.ts";

const bytes = (...b: number[]) => Uint8Array.from(b);

describe("detectCapture", () => {
  it.each([
    ["pcap, little-endian microseconds", writePcap([], 1, { le: true }), "pcap"],
    ["pcap, big-endian microseconds", writePcap([], 1, { le: false }), "pcap"],
    ["pcap, little-endian nanoseconds", writePcap([], 1, { le: true, nano: true }), "pcap"],
    ["pcap, big-endian nanoseconds", writePcap([], 1, { le: false, nano: true }), "pcap"],
    ["pcapng, little-endian", writePcapng([], [{ linkType: 1 }], { le: true }), "pcapng"],
    ["pcapng, big-endian", writePcapng([], [{ linkType: 1 }], { le: false }), "pcapng"],
    [
      "HEPv3",
      encodeHep3({
        src: "10.0.0.1",
        dst: "10.0.0.2",
        sport: 1,
        dport: 2,
        sec: 0,
        usec: 0,
        payload: "x",
      }),
      "hep",
    ],
    [
      "HEPv2",
      encodeHep2({
        src: "10.0.0.1",
        dst: "10.0.0.2",
        sport: 1,
        dport: 2,
        sec: 0,
        usec: 0,
        payload: "x",
      }),
      "hep",
    ],
  ] as const)("recognises %s", (_name, b, format) => {
    expect(detectCapture(b)).toBe(format);
  });

  it.each([
    ["empty", bytes()],
    ["text", new TextEncoder().encode("SIP/2.0 486 Busy Here\r\n")],
    ["gzip", bytes(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2)],
    [
      "pcapng magic with a bad byte-order magic",
      bytes(0x0a, 0x0d, 0x0d, 0x0a, 0, 0, 0, 28, 1, 2, 3, 4),
    ],
    ["version byte 2 with an unknown family", bytes(2, 16, 99, 17, 0, 0, 0, 0, 0, 0, 0, 0)],
  ])("returns undefined for %s", (_name, b) => {
    expect(detectCapture(b)).toBeUndefined();
  });
});

describe("readCapture refusals", () => {
  const refusal = (b: Uint8Array) => {
    const r = safeReadCapture(b);
    if (r.success) throw new Error("expected a refusal");
    return r.error;
  };

  it("names gzip by name", () => {
    const e = refusal(bytes(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3, 4));
    expect(e.code).toBe("not_a_capture");
    expect(e.message).toMatch(/gzip-compressed data.*gunzip/);
  });

  it("quotes the first line of text", () => {
    const e = refusal(new TextEncoder().encode("SIP/2.0 486 Busy Here\r\nVia: x\r\n"));
    expect(e.code).toBe("not_a_capture");
    expect(e.message).toContain('"SIP/2.0 486 Busy Here"');
  });

  it("shows the first bytes in hex for unknown binary", () => {
    const e = refusal(bytes(0xde, 0xad, 0xbe, 0xef, 0, 1, 2, 3, 4, 5, 6, 7, 8));
    expect(e.message).toContain("first bytes: de ad be ef 00 01 02 03");
  });

  it("says the input is empty", () => {
    expect(refusal(bytes()).message).toBe("the input is empty");
  });

  it("calls a pcap header cut short a truncated capture", () => {
    const e = refusal(writePcap([], 1).subarray(0, 20));
    expect(e.code).toBe("truncated_capture");
  });

  it("throws a CaptureError that serialises to code and message", () => {
    try {
      readCapture(bytes(0x50, 0x4b, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0));
      throw new Error("no error");
    } catch (e) {
      expect(e).toBeInstanceOf(CaptureError);
      expect(isCaptureError(e)).toBe(true);
      expect(JSON.parse(JSON.stringify(e))).toEqual({
        code: "not_a_capture",
        message:
          "the input is a zip archive, not a pcap, pcapng or HEP capture; extract the capture first",
        offset: 0,
      });
    }
  });
});

describe("readCapture warnings", () => {
  it("reports an unsupported link type once and reads on", () => {
    const r = readCapture(
      writePcap(
        [
          { time: 1, data: bytes(1, 2, 3) },
          { time: 2, data: bytes(4) },
        ],
        147,
      ),
    );
    expect(r.frames).toBe(2);
    expect(r.warnings).toEqual([
      expect.objectContaining({ code: "unsupported_link_type", frame: 1 }),
    ]);
  });

  it("accepts an empty pcap with no packets", () => {
    expect(readCapture(writePcap([], 1))).toEqual({
      format: "pcap",
      messages: [],
      warnings: [],
      frames: 0,
    });
  });
});
