import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaptureReader, readCapture, type SipMessage } from "../src/index.ts";
import { closeUdp, tcpCall, tcpServer, udpCalls, udpPair } from "./_traffic.ts";
import {
  ourFields,
  type RunningCapture,
  startCapture,
  tsharkOrSkip,
  tsharkSipFields,
} from "./_tshark.ts";

/*
 * Real traffic on loopback, captured by tshark itself in four files (lo as
 * pcapng and as classic pcap, `any` as Linux cooked v1 and v2), then read by
 * our decoder and by `tshark -r ... -T fields` on the same file: both must see
 * the same SIP messages in the same frames, with the same Call-ID, status
 * code, CSeq method and time.
 */
const run = tsharkOrSkip();

interface Captured {
  name: string;
  file: string;
  linkType: number | undefined;
}

describe.skipIf(!run)("captures written by tshark", () => {
  const dir = mkdtempSync(join(tmpdir(), "sipcodes-capture-"));
  const files: Captured[] = [];
  let sent: string[] = [];
  let decodeAs: string[] = [];

  beforeAll(async () => {
    const u4 = await udpPair("udp4");
    const u6 = await udpPair("udp6");
    const t4 = await tcpServer("127.0.0.1");
    const t6 = await tcpServer("::1");
    const ports = { udp: [u4.bPort, u6.bPort], tcp: [t4.port, t6.port] };
    const filter = [
      ...ports.udp.map((p) => `udp port ${p}`),
      ...ports.tcp.map((p) => `tcp port ${p}`),
    ].join(" or ");
    // Our ports are random, so tell tshark they carry SIP.
    decodeAs = [
      ...ports.udp.map((p) => `udp.port==${p},sip`),
      ...ports.tcp.map((p) => `tcp.port==${p},sip`),
    ];
    const specs = [
      { name: "lo pcapng (Ethernet)", iface: "lo", pcap: false, linkType: 1 },
      { name: "lo pcap (Ethernet)", iface: "lo", pcap: true, linkType: 1 },
      {
        name: "any pcap (Linux cooked v1)",
        iface: "any",
        pcap: true,
        type: "LINUX_SLL",
        linkType: 113,
      },
      {
        name: "any pcapng (Linux cooked v2)",
        iface: "any",
        pcap: false,
        type: "LINUX_SLL2",
        linkType: 276,
      },
    ];
    const running: RunningCapture[] = [];
    try {
      for (const s of specs) {
        const file = join(dir, `${s.name.replace(/\W+/g, "-")}.${s.pcap ? "pcap" : "pcapng"}`);
        running.push(
          await startCapture({
            iface: s.iface,
            filter,
            file,
            pcap: s.pcap,
            ...(s.type ? { linkType: s.type } : {}),
          }),
        );
        files.push({ name: s.name, file, linkType: s.linkType });
      }
      sent = [
        ...(await udpCalls(u4, "v4")),
        ...(await udpCalls(u6, "v6")),
        ...(await tcpCall(t4, "v4")),
        ...(await tcpCall(t6, "v6")),
      ];
    } finally {
      await Promise.all(running.map((r) => r.stop()));
      closeUdp(u4);
      closeUdp(u6);
      t4.server.close();
      t6.server.close();
    }
  }, 120_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("wrote the link types we meant to test", () => {
    for (const f of files) {
      const b = readFileSync(f.file);
      if (f.file.endsWith(".pcap")) expect(b.readUInt32LE(20), f.name).toBe(f.linkType);
    }
    expect(files).toHaveLength(4);
  });

  for (const name of [
    "lo pcapng (Ethernet)",
    "lo pcap (Ethernet)",
    "any pcap (Linux cooked v1)",
    "any pcapng (Linux cooked v2)",
  ]) {
    it(`finds every SIP message tshark finds, frame by frame: ${name}`, () => {
      const f = files.find((x) => x.name === name);
      if (!f) throw new Error(`no capture ${name}`);
      const ours = readCapture(new Uint8Array(readFileSync(f.file)));
      expect(ours.warnings).toEqual([]);
      const theirs = tsharkSipFields(f.file, decodeAs);
      // Every message we sent was seen, once, by both.
      expect(ours.messages).toHaveLength(sent.length);
      expect(theirs.flatMap((r) => r.callIds)).toHaveLength(sent.length);
      expect(ourFields(ours.messages)).toEqual(theirs);
      // The text is the bytes that were sent, UTF-8 included.
      expect(ours.messages.map((m) => m.text).sort()).toEqual([...sent].sort());
    });
  }

  it("gives the same messages when the file is fed in small random chunks", () => {
    const f = files[0];
    if (!f) throw new Error("no capture");
    const bytes = new Uint8Array(readFileSync(f.file));
    const whole = readCapture(bytes).messages;
    const reader = createCaptureReader();
    const streamed: SipMessage[] = [];
    let seed = 7;
    for (let at = 0; at < bytes.length; ) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const n = 1 + (seed % 700);
      streamed.push(...reader.push(bytes.subarray(at, at + n)));
      at += n;
    }
    streamed.push(...reader.end());
    expect(streamed).toEqual(whole);
  });

  it("reports addresses and transports as tshark does", () => {
    const f = files[1];
    if (!f) throw new Error("no capture");
    const ours = readCapture(new Uint8Array(readFileSync(f.file))).messages;
    const byTransport = (t: string, ip: string) =>
      ours.filter((m) => m.transport === t && m.src.ip === ip).length;
    // Counts per (transport, family) follow from what _traffic.ts sends.
    expect(byTransport("udp", "127.0.0.1")).toBe(11);
    expect(byTransport("udp", "::1")).toBe(11);
    expect(byTransport("tcp", "127.0.0.1")).toBe(7);
    expect(byTransport("tcp", "::1")).toBe(7);
  });
});
