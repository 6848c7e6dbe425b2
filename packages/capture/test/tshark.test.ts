import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RawFrame } from "../src/files.ts";
import { createCaptureReader, readCapture, type SipMessage } from "../src/index.ts";
import {
  ethernet,
  fragmentIpv4,
  fragmentIpv6,
  framesOf,
  ipOfEthernet,
  nullLink,
  sll,
  udp4,
  udp6,
  withIpv4Options,
  withIpv6DestOptions,
  writePcap,
  writePcapng,
} from "./_build.ts";
import { closeUdp, sipMessage, tcpCall, tcpServer, udpCalls, udpPair } from "./_traffic.ts";
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
      {
        name: "lo + any pcapng (two interfaces)",
        iface: ["lo", "any"],
        pcap: false,
        linkType: undefined,
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
    expect(files).toHaveLength(5);
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

  it("reads a two-interface pcapng (Ethernet and Linux cooked): UDP once per interface as tshark, TCP once", () => {
    const f = files.find((x) => x.name.startsWith("lo + any"));
    if (!f) throw new Error("no two-interface capture");
    const ours = readCapture(new Uint8Array(readFileSync(f.file)));
    expect(ours.warnings).toEqual([]);
    const theirs = tsharkSipFields(f.file, decodeAs);
    // Every datagram is in the file twice (once per interface); both readers
    // report each copy. A TCP segment seen twice is a retransmission to the
    // stream reassembly, so we report each TCP message once; tshark 4.0 does
    // not reassemble these doubled streams at all, so TCP is compared with
    // what was sent instead.
    const udp = (r: { callIds: string[] }) => !r.callIds[0]?.startsWith("tcp-");
    expect(ourFields(ours.messages).filter(udp)).toEqual(theirs.filter(udp));
    const sentUdp = sent.filter((m) => !m.includes("Call-ID: tcp-"));
    const sentTcp = sent.filter((m) => m.includes("Call-ID: tcp-"));
    expect(ours.messages.filter((m) => m.transport === "udp")).toHaveLength(2 * sentUdp.length);
    expect(ours.messages.filter((m) => m.transport === "tcp").map((m) => m.text)).toEqual(sentTcp);
  });

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

/*
 * The frames tshark captured above, re-encoded by test/_build.ts into the
 * link types, byte orders, block types and IP shapes a Linux loopback capture
 * does not produce, and read again by both tshark and our decoder.
 */
describe.skipIf(!run)("re-encoded tshark captures", () => {
  const dir = mkdtempSync(join(tmpdir(), "sipcodes-capture-re-"));
  let frames: RawFrame[] = [];
  let decodeAs: string[] = [];
  let count = 0;

  beforeAll(async () => {
    const u4 = await udpPair("udp4");
    const u6 = await udpPair("udp6");
    const t4 = await tcpServer("127.0.0.1");
    const filter = `udp port ${u4.bPort} or udp port ${u6.bPort} or tcp port ${t4.port}`;
    decodeAs = [
      `udp.port==${u4.bPort},sip`,
      `udp.port==${u6.bPort},sip`,
      `tcp.port==${t4.port},sip`,
    ];
    const file = join(dir, "source.pcap");
    const cap = await startCapture({ iface: "lo", filter, file, pcap: true });
    try {
      count += (await udpCalls(u4, "v4")).length;
      count += (await udpCalls(u6, "v6")).length;
      count += (await tcpCall(t4, "v4")).length;
    } finally {
      await cap.stop();
      closeUdp(u4);
      closeUdp(u6);
      t4.server.close();
    }
    frames = framesOf(new Uint8Array(readFileSync(file)));
  }, 120_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const ips = () => frames.map((f) => ({ time: f.time, ip: ipOfEthernet(f.data) }));
  const v6 = (ip: Uint8Array) => (ip[0] ?? 0) >> 4 === 6;

  function compare(name: string, bytes: Uint8Array, prefs: string[] = []) {
    const file = join(dir, name);
    writeFileSync(file, bytes);
    const ours = readCapture(bytes);
    const theirs = tsharkSipFields(file, decodeAs, prefs);
    expect(ourFields(ours.messages)).toEqual(theirs);
    return { ours, theirs };
  }

  it("reads BSD loopback (NULL, link type 0) as tshark does", () => {
    const { ours } = compare(
      "null.pcap",
      writePcap(
        ips().map((p) => ({ time: p.time, data: nullLink(p.ip) })),
        0,
      ),
    );
    expect(ours.messages).toHaveLength(count);
  });

  it("reads raw IP (101) in a big-endian nanosecond pcap as tshark does", () => {
    const b = writePcap(
      ips().map((p) => ({ time: p.time, data: p.ip })),
      101,
      { le: false, nano: true },
    );
    const { ours } = compare("raw-be-ns.pcap", b);
    expect(ours.messages).toHaveLength(count);
    expect(ours.warnings).toEqual([]);
  });

  it("reads a pcapng with two interfaces (IPv4 228 in ns, IPv6 229 in 2^-20 s) as tshark does", () => {
    const out = ips().map((p) => ({ time: p.time, data: p.ip, iface: v6(p.ip) ? 1 : 0 }));
    const b = writePcapng(
      out,
      [
        { linkType: 228, tsresol: 9 },
        { linkType: 229, tsresol: 0x80 | 20 },
      ],
      { le: false },
    );
    const { ours } = compare("two-ifaces-be.pcapng", b);
    expect(ours.messages).toHaveLength(count);
  });

  it("reads QinQ VLAN-tagged Ethernet in simple packet blocks as tshark does", () => {
    const out = ips().map((p) => ({ time: p.time, data: ethernet(p.ip, [100, 200]) }));
    const { ours } = compare(
      "vlan-spb.pcapng",
      writePcapng(out, [{ linkType: 1 }], { block: "spb" }),
    );
    expect(ours.messages).toHaveLength(count);
  });

  it("reads Linux cooked v1 in obsolete packet blocks as tshark does", () => {
    const out = ips().map((p) => ({ time: p.time, data: sll(p.ip) }));
    const { ours } = compare(
      "sll-pb.pcapng",
      writePcapng(out, [{ linkType: 113 }], { block: "pb" }),
    );
    expect(ours.messages).toHaveLength(count);
  });

  it("skips IPv4 options and IPv6 destination options as tshark does", () => {
    const opts = new Uint8Array([1, 1, 1, 0]); // NOP NOP NOP EOL
    const out = ips().map((p) => ({
      time: p.time,
      data: ethernet(v6(p.ip) ? withIpv6DestOptions(p.ip) : withIpv4Options(p.ip, opts)),
    }));
    const { ours } = compare("ip-options.pcap", writePcap(out, 1));
    expect(ours.messages).toHaveLength(count);
  });

  it("reassembles IPv4 fragments arriving out of order as tshark does", () => {
    const port = Number(decodeAs[0]?.match(/==(\d+)/)?.[1]);
    const big = sipMessage(
      "INVITE sip:bob@example.com SIP/2.0",
      "frag@test",
      "1 INVITE",
      "a=x-pad:".padEnd(3900, "y") + "\r\n",
    );
    const ip = udp4("127.0.0.1", "127.0.0.1", 40000, port, new TextEncoder().encode(big));
    const pieces = fragmentIpv4(ip, 1480, 0x4242);
    expect(pieces).toHaveLength(3);
    const order = [pieces[2], pieces[0], pieces[1]] as Uint8Array[];
    const out = order.map((data, i) => ({ time: 1_700_000_000_000_000 + i, data: ethernet(data) }));
    const { ours, theirs } = compare("fragments.pcap", writePcap(out, 1));
    expect(ours.messages.map((m) => m.text)).toEqual([big]);
    expect(theirs).toHaveLength(1);
  });

  it("reassembles IPv6 fragments arriving out of order as tshark does", () => {
    const port = Number(decodeAs[1]?.match(/==(\d+)/)?.[1]);
    const big = sipMessage(
      "INVITE sip:bob@example.com SIP/2.0",
      "frag6@test",
      "1 INVITE",
      "a=x-pad:".padEnd(3000, "z") + "\r\n",
    );
    const ip = udp6("::1", "2001:db8::7", 40000, port, new TextEncoder().encode(big));
    const pieces = fragmentIpv6(ip, 1232, 0x01020304);
    expect(pieces).toHaveLength(3);
    const order = [pieces[1], pieces[2], pieces[0]] as Uint8Array[];
    const out = order.map((data, i) => ({ time: 1_700_000_000_000_000 + i, data: ethernet(data) }));
    const { ours, theirs } = compare("fragments6.pcap", writePcap(out, 1));
    expect(ours.messages.map((m) => [m.text, m.src.ip, m.dst.ip])).toEqual([
      [big, "::1", "2001:db8::7"],
    ]);
    expect(theirs).toHaveLength(1);
  });

  it("drops TCP retransmissions and reorders out-of-order segments as tshark does", () => {
    // Retransmit every TCP data segment right after itself, then swap the
    // second and third segments of the 200 OK that was written in three parts.
    const payload = (d: Uint8Array) => {
      const ip = ipOfEthernet(d);
      if (v6(ip) || ip[9] !== 6) return new Uint8Array(0);
      const ihl = ((ip[0] ?? 0) & 0x0f) * 4;
      return ip.subarray(ihl + ((ip[ihl + 12] ?? 0) >> 4) * 4);
    };
    const out: { time: number; data: Uint8Array }[] = [];
    for (const f of frames) {
      out.push({ time: f.time, data: f.data });
      if (payload(f.data).length > 0) out.push({ time: f.time + 1, data: f.data });
    }
    const text = (d: Uint8Array) => new TextDecoder().decode(payload(d));
    const first = out.findIndex(
      (f) => text(f.data).startsWith("SIP/2.0 200 OK") && !text(f.data).includes("CSeq"),
    );
    expect(first).toBeGreaterThan(0);
    // Each data segment now appears twice: the parts after `first` are at +2 and +4 (+ACKs between).
    const later = out
      .map((f, i) => ({ f, i }))
      .filter(
        ({ f, i }) => i > first + 1 && payload(f.data).length > 0 && f.data !== out[i - 1]?.data,
      )
      .slice(0, 2)
      .map(({ i }) => i);
    const [j, k] = later as [number, number];
    const tmp = out[j] as { time: number; data: Uint8Array };
    out[j] = out[k] as { time: number; data: Uint8Array };
    out[k] = tmp;
    const b = writePcap(out, 1);
    const { ours } = compare("tcp-retrans.pcap", b, ["tcp.reassemble_out_of_order:TRUE"]);
    expect(ours.messages).toHaveLength(count);
    expect(ours.warnings).toEqual([]);
  });

  it("returns every whole packet and a warning with the offset when the file is cut short", () => {
    const full = writePcap(
      frames.map((f) => ({ time: f.time, data: f.data })),
      1,
    );
    // Cut inside the record of the last frame that carries SIP text.
    const sipAt = frames.findLastIndex((f) => new TextDecoder().decode(f.data).includes("SIP/2.0"));
    const recordAt = 24 + frames.slice(0, sipAt).reduce((n, f) => n + 16 + f.data.length, 0);
    const cut = full.subarray(0, recordAt + 30);
    const { ours, theirs } = compare("cut.pcap", cut);
    expect(ours.messages.length).toBe(theirs.flatMap((r) => r.callIds).length);
    expect(ours.messages.length).toBeLessThan(count);
    expect(ours.warnings.map((w) => w.code)).toContain("truncated_capture");
    const w = ours.warnings.find((x) => x.code === "truncated_capture");
    expect(w?.offset).toBe(recordAt);
  });
});
