import { describe, expect, it } from "vitest";
import { ethernet, fragmentIpv4, tcp4, udp4, writePcap, writePcapng } from "../test/_build.ts";
import { sipMessage } from "../test/_traffic.ts";
import { createCaptureReader, readCapture } from "./index.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const inv = sipMessage("INVITE sip:b@x SIP/2.0", "r@x", "1 INVITE", "v=0\r\n");
const ring = sipMessage("SIP/2.0 180 Ringing", "r@x", "1 INVITE");
const ok = sipMessage("SIP/2.0 200 OK", "r@x", "1 INVITE");
const T = 1_700_000_000_000_000;
const pcapOf = (ips: Uint8Array[]) =>
  writePcap(
    ips.map((ip, i) => ({ time: T + i, data: ethernet(ip) })),
    1,
  );

describe("readCapture on hand-built captures", () => {
  it("splits a datagram that holds two messages by Content-Length", () => {
    const r = readCapture(pcapOf([udp4("10.0.0.1", "10.0.0.2", 5060, 5060, enc(inv + ring))]));
    expect(r.messages.map((m) => m.text)).toEqual([inv, ring]);
    expect(r.messages.map((m) => m.frame)).toEqual([1, 1]);
  });

  it("ignores datagrams that are not SIP (RTP, DNS, keep-alives)", () => {
    const r = readCapture(
      pcapOf([
        udp4("10.0.0.1", "10.0.0.2", 40000, 40002, Uint8Array.of(0x80, 0, 0, 1, 0, 0, 0, 0)),
        udp4("10.0.0.1", "10.0.0.2", 5060, 5060, enc("\r\n\r\n")),
        udp4("10.0.0.1", "10.0.0.2", 5060, 5060, enc("INVITE")),
      ]),
    );
    expect(r.messages).toEqual([]);
    expect(r.warnings).toEqual([]);
  });

  it("warns when a message is cut by the snap length, and still returns it", () => {
    const ip = udp4("10.0.0.1", "10.0.0.2", 5060, 5060, enc(inv));
    const frame = ethernet(ip);
    const b = writePcap(
      [{ time: T, data: frame.subarray(0, frame.length - 3), originalLength: frame.length }],
      1,
    );
    const r = readCapture(b);
    expect(r.messages.map((m) => m.text)).toEqual([inv.slice(0, -3)]);
    expect(r.warnings).toEqual([
      expect.objectContaining({ code: "packet_cut_by_snaplen", frame: 1 }),
    ]);
  });

  it("warns about fragments that never complete", () => {
    const ip = udp4("10.0.0.1", "10.0.0.2", 5060, 5060, enc(inv + "x".repeat(3000)));
    const [first] = fragmentIpv4(ip, 1480, 7);
    const r = readCapture(pcapOf([first as Uint8Array]));
    expect(r.messages).toEqual([]);
    expect(r.warnings.map((w) => w.code)).toEqual(["ip_fragments_incomplete"]);
  });

  it("warns about a TCP gap and still returns the messages after it", () => {
    const s = (seq: number, text: string) =>
      tcp4("10.0.0.2", "10.0.0.1", 5060, 40000, seq, 0x18, enc(text));
    const r = readCapture(pcapOf([s(100, inv), s(100 + inv.length + ring.length, ok)]));
    expect(r.messages.map((m) => m.text)).toEqual([inv, ok]);
    expect(r.warnings.map((w) => w.code)).toEqual(["tcp_gap"]);
    expect(r.messages[1]).toMatchObject({
      transport: "tcp",
      src: { ip: "10.0.0.2", port: 5060 },
      dst: { ip: "10.0.0.1", port: 40000 },
    });
  });

  it("warns when the capture ends inside a TCP message", () => {
    const r = readCapture(
      pcapOf([tcp4("10.0.0.2", "10.0.0.1", 5060, 40000, 1, 0x18, enc(inv.slice(0, 60)))]),
    );
    expect(r.messages).toEqual([]);
    expect(r.warnings.map((w) => w.code)).toEqual(["sip_message_incomplete"]);
  });

  it("reads a pcapng with two sections of different byte order", () => {
    const frame = { time: T, data: ethernet(udp4("10.0.0.1", "10.0.0.2", 5060, 5060, enc(inv))) };
    const le = writePcapng([frame], [{ linkType: 1 }], { le: true });
    const be = writePcapng([{ ...frame, time: T + 5 }], [{ linkType: 1, tsresol: 3 }], {
      le: false,
    });
    const r = readCapture(Uint8Array.from([...le, ...be]));
    expect(r.messages.map((m) => [m.frame, m.time])).toEqual([
      [1, T],
      [2, T + 5 - ((T + 5) % 1000)], // millisecond resolution in the second section
    ]);
  });

  it("caps repeated warnings and counts the rest", () => {
    const junk = Array.from({ length: 30 }, (_, i) => ({
      time: T + i,
      data: Uint8Array.of(1, 2, 3),
    }));
    const r = readCapture(writePcap(junk, 1), { maxWarningsPerCode: 5 });
    expect(r.warnings.filter((w) => w.code === "malformed_packet")).toHaveLength(6);
    expect(r.warnings.at(-1)?.message).toMatch(/^25 more warnings/);
  });

  it("refuses to be used after end()", () => {
    const r = createCaptureReader();
    r.push(pcapOf([]));
    r.end();
    expect(() => r.push(Uint8Array.of(1))).toThrow(
      expect.objectContaining({ code: "reader_finished" }),
    );
  });

  it("throws not_a_capture as soon as the first bytes rule out every format", () => {
    const r = createCaptureReader();
    expect(() => r.push(enc("<html><body>not a capture</body></html>"))).toThrow(
      expect.objectContaining({ code: "not_a_capture" }),
    );
  });
});
