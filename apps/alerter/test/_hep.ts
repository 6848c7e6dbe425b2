/**
 * A HEP encoder for tests and benchmarks, after the HEPv3 specification
 * (sipcapture/HEP): "HEP3", a 16-bit total length, then chunks of vendor id,
 * type id, chunk length (header included) and value, network byte order.
 * HEPv2 as Kamailio's siptrace writes it (times in host order).
 */
export interface HepOut {
  src: string;
  dst: string;
  sport: number;
  dport: number;
  /** Microseconds since the epoch. */
  time: number;
  agentId?: number;
  authKey?: string;
  payload: string;
}

const enc = new TextEncoder();
const v4 = (ip: string) => Uint8Array.from(ip.split(".").map(Number));

function chunk(type: number, value: Uint8Array): Uint8Array {
  const out = new Uint8Array(6 + value.length);
  const v = new DataView(out.buffer);
  v.setUint16(0, 0);
  v.setUint16(2, type);
  v.setUint16(4, out.length);
  out.set(value, 6);
  return out;
}
const u8 = (n: number) => Uint8Array.of(n);
const u16 = (n: number) => Uint8Array.of(n >> 8, n & 255);
const u32 = (n: number) => Uint8Array.of(n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255);

export function hep3(f: HepOut): Uint8Array {
  const parts = [
    chunk(1, u8(2)),
    chunk(2, u8(17)),
    chunk(3, v4(f.src)),
    chunk(4, v4(f.dst)),
    chunk(7, u16(f.sport)),
    chunk(8, u16(f.dport)),
    chunk(9, u32(Math.floor(f.time / 1e6))),
    chunk(10, u32(f.time % 1e6)),
    chunk(11, u8(1)),
    chunk(12, u32(f.agentId ?? 0)),
    ...(f.authKey ? [chunk(14, enc.encode(f.authKey))] : []),
    chunk(15, enc.encode(f.payload)),
  ];
  const total = 6 + parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  out.set(enc.encode("HEP3"));
  out.set(u16(total), 4);
  let at = 6;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function hep2(f: HepOut): Uint8Array {
  const payload = enc.encode(f.payload);
  const out = new Uint8Array(16 + 12 + payload.length);
  const v = new DataView(out.buffer);
  out[0] = 2;
  out[1] = 16;
  out[2] = 2;
  out[3] = 17;
  v.setUint16(4, f.sport);
  v.setUint16(6, f.dport);
  out.set(v4(f.src), 8);
  out.set(v4(f.dst), 12);
  v.setUint32(16, Math.floor(f.time / 1e6), true);
  v.setUint32(20, f.time % 1e6, true);
  v.setUint16(24, f.agentId ?? 0, true);
  out.set(payload, 28);
  return out;
}

/** A SIP request or response with the headers the pairing reads. */
export function sip(
  start: string,
  callId: string,
  cseq: string,
  branch: string,
  extra: string[] = [],
): string {
  return [
    start,
    `Via: SIP/2.0/UDP 192.0.2.10:5060;branch=${branch}`,
    "From: <sip:alice@pbx.example>;tag=a1",
    "To: <sip:+15550100@carrier.example>",
    `Call-ID: ${callId}`,
    `CSeq: ${cseq}`,
    ...extra,
    "Content-Length: 0",
    "",
    "",
  ].join("\r\n");
}
