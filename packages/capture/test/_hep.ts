/**
 * A HEP encoder written from the HEPv3 specification (sipcapture/HEP,
 * "HEP3 Network Protocol Specification"): "HEP3", a 16-bit total length,
 * then chunks of (vendor id, type id, length including the 6-byte chunk
 * header, value), all in network byte order. HEPv2 follows Kamailio's
 * siptrace: hep_hdr, addresses, hep_timehdr in host (little-endian) order.
 */
import { isIPv4 } from "node:net";

export interface HepFields {
  src: string;
  dst: string;
  sport: number;
  dport: number;
  ipProtocol?: number;
  sec: number;
  usec: number;
  protocolType?: number;
  agentId?: number;
  authKey?: string;
  correlationId?: string;
  payload: Uint8Array | string;
  compressed?: boolean;
  /** Extra chunks, e.g. a vendor-specific one, appended as given. */
  extra?: { vendor: number; type: number; value: Uint8Array }[];
}

function ipBytes(ip: string): Uint8Array {
  if (isIPv4(ip)) return Uint8Array.from(ip.split(".").map(Number));
  const [head = "", tail = ""] = ip.split("::");
  const h = head ? head.split(":") : [];
  const t = tail ? tail.split(":") : [];
  const groups = ip.includes("::") ? [...h, ...Array(8 - h.length - t.length).fill("0"), ...t] : h;
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    const v = Number.parseInt(g, 16);
    out[i * 2] = v >> 8;
    out[i * 2 + 1] = v & 0xff;
  });
  return out;
}

function chunk(vendor: number, type: number, value: Uint8Array): Uint8Array {
  const out = new Uint8Array(6 + value.length);
  const v = new DataView(out.buffer);
  v.setUint16(0, vendor);
  v.setUint16(2, type);
  v.setUint16(4, out.length);
  out.set(value, 6);
  return out;
}

const u8 = (n: number) => Uint8Array.of(n);
const u16 = (n: number) => Uint8Array.of(n >> 8, n & 0xff);
const u32 = (n: number) => Uint8Array.of(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
const text = (s: string) => new TextEncoder().encode(s);

export function encodeHep3(f: HepFields): Uint8Array {
  const four = isIPv4(f.src);
  const chunks = [
    chunk(0, 1, u8(four ? 2 : 10)),
    chunk(0, 2, u8(f.ipProtocol ?? 17)),
    chunk(0, four ? 3 : 5, ipBytes(f.src)),
    chunk(0, four ? 4 : 6, ipBytes(f.dst)),
    chunk(0, 7, u16(f.sport)),
    chunk(0, 8, u16(f.dport)),
    chunk(0, 9, u32(f.sec)),
    chunk(0, 10, u32(f.usec)),
    chunk(0, 11, u8(f.protocolType ?? 1)),
    chunk(0, 12, u32(f.agentId ?? 0)),
    ...(f.authKey ? [chunk(0, 14, text(f.authKey))] : []),
    ...(f.correlationId ? [chunk(0, 17, text(f.correlationId))] : []),
    ...(f.extra ?? []).map((c) => chunk(c.vendor, c.type, c.value)),
    chunk(0, f.compressed ? 16 : 15, typeof f.payload === "string" ? text(f.payload) : f.payload),
  ];
  const total = 6 + chunks.reduce((n, c) => n + c.length, 0);
  const out = new Uint8Array(total);
  out.set(text("HEP3"), 0);
  out.set(u16(total), 4);
  let at = 6;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

export function encodeHep2(f: HepFields): Uint8Array {
  const four = isIPv4(f.src);
  const payload = typeof f.payload === "string" ? text(f.payload) : f.payload;
  const addr = four ? 8 : 32;
  const out = new Uint8Array(8 + addr + 12 + payload.length);
  const v = new DataView(out.buffer);
  out[0] = 2;
  out[1] = 8 + addr;
  out[2] = four ? 2 : 10;
  out[3] = f.ipProtocol ?? 17;
  v.setUint16(4, f.sport);
  v.setUint16(6, f.dport);
  out.set(ipBytes(f.src), 8);
  out.set(ipBytes(f.dst), 8 + addr / 2);
  v.setUint32(8 + addr, f.sec, true);
  v.setUint32(12 + addr, f.usec, true);
  v.setUint16(16 + addr, f.agentId ?? 0, true);
  out.set(payload, 8 + addr + 12);
  return out;
}
