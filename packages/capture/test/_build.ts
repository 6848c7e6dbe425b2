/**
 * Test-only writers for pcap, pcapng and the headers inside them, so tests
 * can re-encode frames tshark captured into other link types, byte orders,
 * timestamp resolutions and block types, and hand the result back to tshark.
 */
import { PcapngParser, PcapParser, type RawFrame } from "../src/files.ts";

export function framesOf(bytes: Uint8Array): RawFrame[] {
  const frames: RawFrame[] = [];
  const magic = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0);
  const p = magic === 0x0a0d0d0a ? new PcapngParser() : new PcapParser();
  const r = p.step(bytes, 0, (f) => frames.push({ ...f, data: f.data.slice() }));
  if (r.kind !== "ok") throw new Error(r.warning.message);
  return frames;
}

class Writer {
  private parts: number[] = [];
  constructor(private readonly le: boolean) {}
  u8(v: number) {
    this.parts.push(v & 0xff);
    return this;
  }
  u16(v: number) {
    const b = [(v >> 8) & 0xff, v & 0xff];
    this.parts.push(...(this.le ? b.reverse() : b));
    return this;
  }
  u32(v: number) {
    const b = [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
    this.parts.push(...(this.le ? b.reverse() : b));
    return this;
  }
  bytes(b: Uint8Array) {
    for (const x of b) this.parts.push(x);
    return this;
  }
  pad4() {
    while (this.parts.length % 4) this.parts.push(0);
    return this;
  }
  get length() {
    return this.parts.length;
  }
  done(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

export interface OutFrame {
  time: number; // microseconds
  data: Uint8Array;
  iface?: number;
  originalLength?: number;
}

export function writePcap(
  frames: OutFrame[],
  linkType: number,
  opts: { le?: boolean; nano?: boolean; snaplen?: number } = {},
): Uint8Array {
  const le = opts.le ?? true;
  const w = new Writer(le);
  w.u32(opts.nano ? 0xa1b23c4d : 0xa1b2c3d4)
    .u16(2)
    .u16(4)
    .u32(0)
    .u32(0)
    .u32(opts.snaplen ?? 262144)
    .u32(linkType);
  for (const f of frames) {
    const sec = Math.floor(f.time / 1e6);
    const us = f.time - sec * 1e6;
    w.u32(sec)
      .u32(opts.nano ? us * 1000 : us)
      .u32(f.data.length)
      .u32(f.originalLength ?? f.data.length)
      .bytes(f.data);
  }
  return w.done();
}

export interface OutInterface {
  linkType: number;
  /** if_tsresol byte (6 = µs, 9 = ns, 0x80 | n = 2^-n); omitted = default µs. */
  tsresol?: number;
  snaplen?: number;
}

function block(le: boolean, type: number, body: Uint8Array): Uint8Array {
  const w = new Writer(le);
  const len = 12 + Math.ceil(body.length / 4) * 4;
  w.u32(type).u32(len).bytes(body).pad4().u32(len);
  return w.done();
}

function units(time: number, tsresol: number | undefined): bigint {
  const r = tsresol ?? 6;
  const us = BigInt(time);
  if (r & 0x80) return (us << BigInt(r & 0x7f)) / 1_000_000n;
  return r >= 6 ? us * 10n ** BigInt(r - 6) : us / 10n ** BigInt(6 - r);
}

export function writePcapng(
  frames: OutFrame[],
  ifaces: OutInterface[],
  opts: { le?: boolean; block?: "epb" | "spb" | "pb" } = {},
): Uint8Array {
  const le = opts.le ?? true;
  const out: Uint8Array[] = [];
  const shb = new Writer(le)
    .u32(0x1a2b3c4d)
    .u16(1)
    .u16(0)
    .u32(0xffffffff)
    .u32(0xffffffff)
    .u16(0)
    .u16(0)
    .done();
  out.push(block(le, 0x0a0d0d0a, shb));
  for (const i of ifaces) {
    const w = new Writer(le)
      .u16(i.linkType)
      .u16(0)
      .u32(i.snaplen ?? 0);
    if (i.tsresol !== undefined) w.u16(9).u16(1).u8(i.tsresol).pad4();
    w.u16(0).u16(0);
    out.push(block(le, 1, w.done()));
  }
  for (const f of frames) {
    const kind = opts.block ?? "epb";
    if (kind === "spb") {
      out.push(
        block(
          le,
          3,
          new Writer(le)
            .u32(f.originalLength ?? f.data.length)
            .bytes(f.data)
            .done(),
        ),
      );
      continue;
    }
    const iface = f.iface ?? 0;
    const t = units(f.time, ifaces[iface]?.tsresol);
    const hi = Number(t >> 32n);
    const lo = Number(t & 0xffffffffn);
    const w = new Writer(le);
    if (kind === "pb") w.u16(iface).u16(0);
    else w.u32(iface);
    w.u32(hi)
      .u32(lo)
      .u32(f.data.length)
      .u32(f.originalLength ?? f.data.length)
      .bytes(f.data);
    out.push(block(le, kind === "pb" ? 2 : 6, w.done()));
  }
  const total = out.reduce((n, b) => n + b.length, 0);
  const all = new Uint8Array(total);
  let at = 0;
  for (const b of out) {
    all.set(b, at);
    at += b.length;
  }
  return all;
}

const cat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

/** The IP packet inside an Ethernet frame (no VLAN). */
export function ipOfEthernet(frame: Uint8Array): Uint8Array {
  return frame.subarray(14);
}

export function ethernet(ip: Uint8Array, vlans: number[] = []): Uint8Array {
  const type = (ip[0] ?? 0) >> 4 === 6 ? 0x86dd : 0x0800;
  const w = new Writer(false).bytes(new Uint8Array([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1]));
  for (const v of vlans) w.u16(0x8100).u16(v);
  return cat(w.u16(type).done(), ip);
}

export function nullLink(ip: Uint8Array, le = true): Uint8Array {
  const family = (ip[0] ?? 0) >> 4 === 6 ? 30 : 2;
  return cat(new Writer(le).u32(family).done(), ip);
}

export function sll(ip: Uint8Array): Uint8Array {
  const type = (ip[0] ?? 0) >> 4 === 6 ? 0x86dd : 0x0800;
  return cat(
    new Writer(false).u16(0).u16(772).u16(6).bytes(new Uint8Array(8)).u16(type).done(),
    ip,
  );
}

function checksum(b: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < b.length; i += 2) s += ((b[i] ?? 0) << 8) | (b[i + 1] ?? 0);
  while (s >> 16) s = (s & 0xffff) + (s >> 16);
  return ~s & 0xffff;
}

/** Rebuilds an IPv4 packet with header options (record-route style NOPs + EOL). */
export function withIpv4Options(ip: Uint8Array, options: Uint8Array): Uint8Array {
  const ihl = ((ip[0] ?? 0) & 0x0f) * 4;
  const opts = cat(options, new Uint8Array((4 - (options.length % 4)) % 4));
  const hdr = cat(ip.subarray(0, ihl), opts);
  hdr[0] = 0x40 | (hdr.length / 4);
  const total = hdr.length + ip.length - ihl;
  hdr[2] = total >> 8;
  hdr[3] = total & 0xff;
  hdr[10] = 0;
  hdr[11] = 0;
  const c = checksum(hdr);
  hdr[10] = c >> 8;
  hdr[11] = c & 0xff;
  return cat(hdr, ip.subarray(ihl));
}

/** Splits an IPv4 packet into fragments of at most `size` payload bytes (multiple of 8). */
export function fragmentIpv4(ip: Uint8Array, size: number, id: number): Uint8Array[] {
  const ihl = ((ip[0] ?? 0) & 0x0f) * 4;
  const payload = ip.subarray(ihl);
  const out: Uint8Array[] = [];
  for (let off = 0; off < payload.length; off += size) {
    const piece = payload.subarray(off, off + size);
    const hdr = ip.slice(0, ihl);
    const more = off + size < payload.length;
    const total = ihl + piece.length;
    hdr[2] = total >> 8;
    hdr[3] = total & 0xff;
    hdr[4] = id >> 8;
    hdr[5] = id & 0xff;
    const fo = (off / 8) | (more ? 0x2000 : 0);
    hdr[6] = fo >> 8;
    hdr[7] = fo & 0xff;
    hdr[10] = 0;
    hdr[11] = 0;
    const c = checksum(hdr);
    hdr[10] = c >> 8;
    hdr[11] = c & 0xff;
    out.push(cat(hdr, piece));
  }
  return out;
}

/** Inserts a Destination Options extension header (PadN) after the IPv6 header. */
export function withIpv6DestOptions(ip: Uint8Array): Uint8Array {
  const next = ip[6] ?? 0;
  const ext = new Uint8Array([next, 0, 1, 4, 0, 0, 0, 0]);
  const out = cat(ip.subarray(0, 40), ext, ip.subarray(40));
  out[6] = 60;
  const plen = (((ip[4] ?? 0) << 8) | (ip[5] ?? 0)) + 8;
  out[4] = plen >> 8;
  out[5] = plen & 0xff;
  return out;
}

/** An IPv4 + UDP packet (UDP checksum 0 = not computed, legal for IPv4). */
export function udp4(
  src: string,
  dst: string,
  sport: number,
  dport: number,
  payload: Uint8Array,
): Uint8Array {
  const ulen = 8 + payload.length;
  const u = new Writer(false).u16(sport).u16(dport).u16(ulen).u16(0).bytes(payload).done();
  const total = 20 + u.length;
  const a = src.split(".").map(Number);
  const b = dst.split(".").map(Number);
  const hdr = new Writer(false).u8(0x45).u8(0).u16(total).u16(1).u16(0).u8(64).u8(17).u16(0);
  for (const x of [...a, ...b]) hdr.u8(x);
  const h = hdr.done();
  const c = checksum(h);
  h[10] = c >> 8;
  h[11] = c & 0xff;
  return cat(h, u);
}

/** An IPv4 + TCP segment (checksums not computed; decoders here do not check them). */
export function tcp4(
  src: string,
  dst: string,
  sport: number,
  dport: number,
  seq: number,
  flags: number,
  payload: Uint8Array,
): Uint8Array {
  const t = new Writer(false)
    .u16(sport)
    .u16(dport)
    .u32(seq)
    .u32(0)
    .u8(0x50)
    .u8(flags)
    .u16(65535)
    .u16(0)
    .u16(0);
  const seg = cat(t.done(), payload);
  const hdr = new Writer(false)
    .u8(0x45)
    .u8(0)
    .u16(20 + seg.length)
    .u16(1)
    .u16(0x4000)
    .u8(64)
    .u8(6)
    .u16(0);
  for (const x of [...src.split("."), ...dst.split(".")].map(Number)) hdr.u8(x);
  return cat(hdr.done(), seg);
}

function ip6Bytes(ip: string): number[] {
  const [head = "", tail = ""] = ip.split("::");
  const h = head ? head.split(":") : [];
  const t = tail ? tail.split(":") : [];
  const groups = ip.includes("::") ? [...h, ...Array(8 - h.length - t.length).fill("0"), ...t] : h;
  return groups.flatMap((g) => {
    const v = Number.parseInt(g, 16);
    return [v >> 8, v & 0xff];
  });
}

/** An IPv6 + UDP packet (checksum left 0: tshark does not verify it by default). */
export function udp6(
  src: string,
  dst: string,
  sport: number,
  dport: number,
  payload: Uint8Array,
): Uint8Array {
  const u = new Writer(false)
    .u16(sport)
    .u16(dport)
    .u16(8 + payload.length)
    .u16(0)
    .bytes(payload)
    .done();
  const h = new Writer(false).u32(0x60000000).u16(u.length).u8(17).u8(64);
  for (const x of [...ip6Bytes(src), ...ip6Bytes(dst)]) h.u8(x);
  return cat(h.done(), u);
}

/** Splits an IPv6 packet (no extension headers) into fragments with a Fragment header (RFC 8200 §4.5). */
export function fragmentIpv6(ip: Uint8Array, size: number, id: number): Uint8Array[] {
  const next = ip[6] ?? 0;
  const payload = ip.subarray(40);
  const out: Uint8Array[] = [];
  for (let off = 0; off < payload.length; off += size) {
    const piece = payload.subarray(off, off + size);
    const more = off + size < payload.length;
    const hdr = ip.slice(0, 40);
    hdr[6] = 44;
    const plen = 8 + piece.length;
    hdr[4] = plen >> 8;
    hdr[5] = plen & 0xff;
    const frag = new Writer(false)
      .u8(next)
      .u8(0)
      .u16(off | (more ? 1 : 0))
      .u32(id)
      .done();
    out.push(cat(hdr, frag, piece));
  }
  return out;
}
