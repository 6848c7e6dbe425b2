/**
 * The benchmarks' capture: a classic pcap of SIP over UDP (Ethernet/IPv4),
 * INVITE/100/180/486/ACK and INVITE/200/ACK/BYE/200 calls, one message per
 * millisecond, written in batches so that generating 100 MB does not itself
 * need 100 MB of heap. Used by this package's bench and by the CLI's
 * whole-call bench, so both measure the same file.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { ethernet, udp4, writePcap } from "../test/_build.ts";
import { sipMessage } from "../test/_traffic.ts";

const enc = new TextEncoder();
// Each call offers its own media port, as real calls do (tshark sets up an RTP
// conversation per SDP; one port reused by every call makes it quadratic).
const sdp = (call: number) =>
  `v=0\r\no=- ${call} 1 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\nm=audio ${20000 + 2 * (call % 20000)} RTP/AVP 0 8\r\n`;
const shapes = [
  ["INVITE sip:+442071234567@trunk.example.net SIP/2.0", "1 INVITE", true],
  ["SIP/2.0 100 Trying", "1 INVITE", false],
  ["SIP/2.0 180 Ringing", "1 INVITE", false],
  ["SIP/2.0 486 Busy Here", "1 INVITE", false],
  ["ACK sip:+442071234567@trunk.example.net SIP/2.0", "1 ACK", false],
  ["INVITE sip:+442071234568@trunk.example.net SIP/2.0", "1 INVITE", true],
  ["SIP/2.0 200 OK", "1 INVITE", true],
  ["ACK sip:+442071234568@trunk.example.net SIP/2.0", "1 ACK", false],
  ["BYE sip:+442071234568@trunk.example.net SIP/2.0", "2 BYE", false],
  ["SIP/2.0 200 OK", "2 BYE", false],
] as const;

/** Writes at least `targetBytes` of capture to `file`; returns its size and message count. */
export function writeSipPcap(
  file: string,
  targetBytes: number,
): { bytes: number; messages: number } {
  const fd = openSync(file, "w");
  writeSync(fd, writePcap([], 1));
  let size = 24;
  let messages = 0;
  const t0 = 1_700_000_000_000_000;
  while (size < targetBytes) {
    const batch = [];
    for (let i = 0; i < 2000; i++, messages++) {
      const [line, cseq, body] = shapes[messages % shapes.length] as (typeof shapes)[number];
      const call = Math.floor(messages / 5);
      const text = sipMessage(line, `call-${call}@bench`, cseq, body ? sdp(call) : "");
      const fromCaller = !line.startsWith("SIP/");
      // Each call from its own source port, as a trunk's calls are spread over
      // many conversations (one giant conversation is a pathological case for tshark).
      const port = 10000 + (call % 50000);
      const ip = fromCaller
        ? udp4("192.0.2.10", "198.51.100.7", port, 5060, enc.encode(text))
        : udp4("198.51.100.7", "192.0.2.10", 5060, port, enc.encode(text));
      batch.push({ time: t0 + messages * 1000, data: ethernet(ip) });
    }
    const chunk = writePcap(batch, 1).subarray(24);
    writeSync(fd, chunk);
    size += chunk.length;
  }
  closeSync(fd);
  return { bytes: size, messages };
}
