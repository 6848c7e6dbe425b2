import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import dgram from "node:dgram";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeHep, type HepPacket, hepMessages, readCapture } from "../src/index.ts";
import { sipMessage } from "./_traffic.ts";
import { sleep } from "./_tshark.ts";

/*
 * A real Kamailio (siptrace, HEPv3, trace_mode=1) answers an INVITE with 486
 * and mirrors every SIP message it receives and sends to a UDP port this test
 * listens on. We decode those HEP packets and compare their SIP text and
 * addresses with what went over the wire between our client and Kamailio.
 * Kamailio is optional here: without it on PATH the test skips with a note.
 */
function hasKamailio(): boolean {
  try {
    execFileSync("kamailio", ["-v"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
const run = hasKamailio();
if (!run)
  console.warn(
    "kamailio not on PATH: skipping the real HEP test (apt-get install kamailio kamailio-extra-modules)",
  );

const bind = (s: dgram.Socket) =>
  new Promise<number>((r) => s.bind(0, "127.0.0.1", () => r(s.address().port)));

describe.skipIf(!run)("HEPv3 from a real Kamailio siptrace", () => {
  const dir = mkdtempSync(join(tmpdir(), "sipcodes-kamailio-"));
  const hep = dgram.createSocket("udp4");
  const client = dgram.createSocket("udp4");
  const datagrams: Uint8Array[] = [];
  const replies: string[] = [];
  let kamailio: ChildProcess | undefined;
  let log = "";
  let kPort = 0;
  let kTcpPort = 0;
  let tcpLocal = 0;
  let tcpInvite = "";
  let tcpReply = "";
  let cPort = 0;
  let hPort = 0;
  const sent: string[] = [];
  let t0 = 0;
  let t1 = 0;
  // Kamailio answers to the address in the top Via, so it must be our socket's.
  const viaUs = (m: string) => m.replace("127.0.0.1:5060", `127.0.0.1:${cPort}`);

  beforeAll(async () => {
    hPort = await bind(hep);
    cPort = await bind(client);
    hep.on("message", (m) => datagrams.push(new Uint8Array(m)));
    client.on("message", (m) => replies.push(m.toString("utf8")));
    const probe = dgram.createSocket("udp4");
    kPort = await bind(probe);
    await new Promise<void>((r) => probe.close(() => r()));
    const tcpProbe = net.createServer();
    kTcpPort = await new Promise<number>((r) =>
      tcpProbe.listen(0, "127.0.0.1", () => r((tcpProbe.address() as net.AddressInfo).port)),
    );
    await new Promise<void>((r) => tcpProbe.close(() => r()));
    const cfg = [
      "#!KAMAILIO",
      "debug=2",
      "log_stderror=yes",
      "children=1",
      "auto_aliases=no",
      `listen=udp:127.0.0.1:${kPort}`,
      `listen=tcp:127.0.0.1:${kTcpPort}`,
      'loadmodule "sl.so"',
      'loadmodule "siptrace.so"',
      `modparam("siptrace", "duplicate_uri", "sip:127.0.0.1:${hPort}")`,
      'modparam("siptrace", "hep_mode_on", 1)',
      'modparam("siptrace", "hep_version", 3)',
      'modparam("siptrace", "hep_capture_id", 4242)',
      'modparam("siptrace", "trace_to_database", 0)',
      'modparam("siptrace", "trace_on", 1)',
      'modparam("siptrace", "trace_mode", 1)',
      "request_route {",
      '  if (method=="ACK") { exit; }',
      '  sl_send_reply("486", "Busy Here");',
      "  exit;",
      "}",
      "",
    ].join("\n");
    writeFileSync(join(dir, "kamailio.cfg"), cfg);
    kamailio = spawn(
      "kamailio",
      ["-f", join(dir, "kamailio.cfg"), "-DD", "-E", "-Y", dir, "-m", "32", "-M", "8"],
      {
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    kamailio.stderr?.on("data", (d: Buffer) => {
      log += d.toString();
    });
    // Ready when it answers: probe with OPTIONS (answered 486 by this script).
    const deadline = Date.now() + 20_000;
    for (let i = 0; replies.length === 0; i++) {
      if (Date.now() > deadline || kamailio.exitCode !== null)
        throw new Error(`kamailio did not answer:\n${log}`);
      const probeMsg = sipMessage(
        `OPTIONS sip:ping@127.0.0.1:${kPort} SIP/2.0`,
        `probe-${i}@test`,
        `${i + 1} OPTIONS`,
      );
      client.send(viaUs(probeMsg), kPort, "127.0.0.1");
      await sleep(200);
    }
    t0 = Date.now() * 1000 - 1_000_000;
    const invite = sipMessage(
      `INVITE sip:bob@127.0.0.1:${kPort} SIP/2.0`,
      "kam-1@test",
      "1 INVITE",
      "v=0\r\ns=Zoë\r\n",
      ["Max-Forwards: 70"],
    );
    sent.push(viaUs(invite));
    replies.length = 0;
    client.send(viaUs(invite), kPort, "127.0.0.1");
    for (let i = 0; i < 50 && !replies.some((r) => r.includes("kam-1@test")); i++) await sleep(50);
    const ack = viaUs(
      sipMessage(`ACK sip:bob@127.0.0.1:${kPort} SIP/2.0`, "kam-1@test", "1 ACK", "", [
        "Max-Forwards: 70",
      ]),
    );
    sent.push(ack);
    client.send(ack, kPort, "127.0.0.1");
    // The same over TCP: Kamailio answers on the connection the INVITE came in on.
    const sock = net.connect(kTcpPort, "127.0.0.1");
    await new Promise<void>((r) => sock.once("connect", () => r()));
    tcpLocal = sock.localPort ?? 0;
    sock.on("data", (d: Buffer) => {
      tcpReply += d.toString("utf8");
    });
    tcpInvite = sipMessage(
      `INVITE sip:bob@127.0.0.1:${kTcpPort};transport=tcp SIP/2.0`,
      "kam-tcp@test",
      "1 INVITE",
      "",
      ["Max-Forwards: 70"],
    ).replace("SIP/2.0/UDP 127.0.0.1:5060", `SIP/2.0/TCP 127.0.0.1:${tcpLocal}`);
    sock.write(tcpInvite);
    for (let i = 0; i < 50 && !tcpReply.includes("Content-Length: 0\r\n\r\n"); i++) await sleep(50);
    sock.destroy();
    await sleep(500);
    t1 = Date.now() * 1000 + 1_000_000;
  }, 60_000);

  afterAll(async () => {
    if (kamailio && kamailio.exitCode === null) {
      const exited = new Promise((r) => kamailio?.once("exit", r));
      kamailio.kill("SIGTERM");
      const killer = setTimeout(() => kamailio?.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(killer);
    }
    hep.close();
    client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const ours = () =>
    datagrams
      .map((d) => decodeHep(d))
      .filter((p: HepPacket) => new TextDecoder().decode(p.payload).includes("kam-1@test"));

  it("mirrors the INVITE, the 486 and the ACK, and we decode each as Kamailio saw it", () => {
    const packets = ours();
    const reply = replies.find((r) => r.includes("kam-1@test"));
    expect(reply).toMatch(/^SIP\/2\.0 486 Busy Here/);
    const messages = packets.flatMap((p, i) => hepMessages(p, i + 1).messages);
    expect(messages.map((m) => m.text)).toEqual([sent[0], reply, sent[1]]);
    const kamailioEnd = { ip: "127.0.0.1", port: kPort };
    const clientEnd = { ip: "127.0.0.1", port: cPort };
    expect(messages.map((m) => [m.src, m.dst])).toEqual([
      [clientEnd, kamailioEnd],
      [kamailioEnd, clientEnd],
      [clientEnd, kamailioEnd],
    ]);
    for (const m of messages) {
      expect(m.transport).toBe("udp");
      expect(m.agentId).toBe(4242);
      expect(m.time).toBeGreaterThan(t0);
      expect(m.time).toBeLessThan(t1);
    }
    for (const p of packets) {
      expect(p.version).toBe(3);
      expect(p.protocolType).toBe(1);
    }
  });

  it("marks SIP that Kamailio received and sent over TCP as tcp, with the connection's ports", () => {
    const packets = datagrams
      .map((d) => decodeHep(d))
      .filter((p) => new TextDecoder().decode(p.payload).includes("kam-tcp@test"));
    const messages = packets.flatMap((p, i) => hepMessages(p, i + 1).messages);
    expect(tcpReply).toMatch(/^SIP\/2\.0 486 Busy Here/);
    expect(messages.map((m) => m.text)).toEqual([tcpInvite, tcpReply]);
    expect(packets.map((p) => p.ipProtocol)).toEqual([6, 6]);
    const k = { ip: "127.0.0.1", port: kTcpPort };
    const c = { ip: "127.0.0.1", port: tcpLocal };
    expect(messages.map((m) => [m.transport, m.src, m.dst])).toEqual([
      ["tcp", c, k],
      ["tcp", k, c],
    ]);
  });

  it("reads the same packets as one HEP stream with readCapture", () => {
    const packets = datagrams.filter((d) =>
      new TextDecoder().decode(d).includes("Call-ID: kam-1@test"),
    );
    const all = new Uint8Array(packets.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of packets) {
      all.set(p, at);
      at += p.length;
    }
    const r = readCapture(all);
    expect(r.format).toBe("hep");
    expect(r.warnings).toEqual([]);
    expect(r.messages.map((m) => /^(\S+ \S+)/.exec(m.text)?.[1])).toEqual([
      `INVITE sip:bob@127.0.0.1:${kPort}`,
      "SIP/2.0 486",
      `ACK sip:bob@127.0.0.1:${kPort}`,
    ]);
  });
});
