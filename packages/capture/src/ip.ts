import { ipv4, ipv6, u16be, u32be } from "./_bytes.ts";

export interface IpPacket {
  version: 4 | 6;
  src: string;
  dst: string;
  /** Upper-layer protocol number (17 UDP, 6 TCP). */
  protocol: number;
  payload: Uint8Array;
}

export type IpResult =
  | { kind: "packet"; packet: IpPacket }
  | { kind: "fragment"; key: string; offset: number; more: boolean; packet: IpPacket }
  | { kind: "malformed"; what: string }
  | { kind: "other"; what: string };

/** IPv6 extension headers whose length is (n + 1) * 8 bytes and that can be skipped. */
const IPV6_SKIPPABLE = new Set([0, 43, 60, 135, 139, 140]);

export function decodeIp(b: Uint8Array): IpResult {
  if (b.length < 1) return { kind: "malformed", what: "empty IP packet" };
  const version = (b[0] ?? 0) >> 4;
  if (version === 4) return decodeIpv4(b);
  if (version === 6) return decodeIpv6(b);
  return { kind: "other", what: `IP version ${version}` };
}

function decodeIpv4(b: Uint8Array): IpResult {
  if (b.length < 20) return { kind: "malformed", what: "IPv4 header cut short" };
  const ihl = ((b[0] ?? 0) & 0x0f) * 4;
  if (ihl < 20 || b.length < ihl) return { kind: "malformed", what: `IPv4 header length ${ihl}` };
  const total = u16be(b, 2);
  // Total length 0 happens with TSO on the capturing host; trust the frame then.
  const end = total >= ihl && total <= b.length ? total : b.length;
  const protocol = b[9] ?? 0;
  const packet: IpPacket = {
    version: 4,
    src: ipv4(b, 12),
    dst: ipv4(b, 16),
    protocol,
    payload: b.subarray(ihl, end),
  };
  const flagsOff = u16be(b, 6);
  const more = (flagsOff & 0x2000) !== 0;
  const offset = (flagsOff & 0x1fff) * 8;
  if (more || offset > 0) {
    const key = `4|${packet.src}|${packet.dst}|${protocol}|${u16be(b, 4)}`;
    return { kind: "fragment", key, offset, more, packet };
  }
  return { kind: "packet", packet };
}

function decodeIpv6(b: Uint8Array): IpResult {
  if (b.length < 40) return { kind: "malformed", what: "IPv6 header cut short" };
  const payloadLength = u16be(b, 4);
  // Payload length 0 means a jumbogram (or TSO); use what was captured.
  const end = payloadLength > 0 && 40 + payloadLength <= b.length ? 40 + payloadLength : b.length;
  const src = ipv6(b, 8);
  const dst = ipv6(b, 24);
  let next = b[6] ?? 0;
  let at = 40;
  let fragment: { id: number; offset: number; more: boolean } | undefined;
  for (let hops = 0; hops < 16; hops++) {
    if (IPV6_SKIPPABLE.has(next)) {
      if (end < at + 8) return { kind: "malformed", what: "IPv6 extension header cut short" };
      const len = ((b[at + 1] ?? 0) + 1) * 8;
      next = b[at] ?? 0;
      at += len;
    } else if (next === 51) {
      if (end < at + 8) return { kind: "malformed", what: "IPv6 AH header cut short" };
      const len = ((b[at + 1] ?? 0) + 2) * 4;
      next = b[at] ?? 0;
      at += len;
    } else if (next === 44) {
      if (end < at + 8) return { kind: "malformed", what: "IPv6 fragment header cut short" };
      const offMore = u16be(b, at + 2);
      fragment = { id: u32be(b, at + 4), offset: offMore & 0xfff8, more: (offMore & 1) !== 0 };
      next = b[at] ?? 0;
      at += 8;
    } else {
      break;
    }
    if (at > end) return { kind: "malformed", what: "IPv6 extension headers run past the packet" };
  }
  const packet: IpPacket = { version: 6, src, dst, protocol: next, payload: b.subarray(at, end) };
  if (fragment && (fragment.more || fragment.offset > 0)) {
    const key = `6|${src}|${dst}|${fragment.id}`;
    return { kind: "fragment", key, offset: fragment.offset, more: fragment.more, packet };
  }
  return { kind: "packet", packet };
}

interface PendingDatagram {
  pieces: { offset: number; data: Uint8Array }[];
  total: number | undefined;
  first: IpPacket | undefined;
}

/**
 * Reassembles IPv4 and IPv6 fragments (RFC 791, RFC 8200 §4.5). Bounded: at
 * most `maxPending` datagrams wait at once; the oldest is dropped beyond that.
 */
export class Defragmenter {
  private readonly pending = new Map<string, PendingDatagram>();
  dropped = 0;
  constructor(private readonly maxPending = 1024) {}

  /** Adds a fragment; returns the whole packet once every piece is in. */
  add(key: string, offset: number, more: boolean, packet: IpPacket): IpPacket | undefined {
    let d = this.pending.get(key);
    if (!d) {
      if (this.pending.size >= this.maxPending) {
        const oldest = this.pending.keys().next().value;
        if (oldest !== undefined) this.pending.delete(oldest);
        this.dropped++;
      }
      d = { pieces: [], total: undefined, first: undefined };
      this.pending.set(key, d);
    }
    d.pieces.push({ offset, data: packet.payload.slice() });
    if (offset === 0) d.first = packet;
    if (!more) d.total = offset + packet.payload.length;
    if (d.total === undefined || d.first === undefined || d.total > 0x1ffff) return undefined;
    d.pieces.sort((a, b) => a.offset - b.offset);
    let covered = 0;
    for (const p of d.pieces) {
      if (p.offset > covered) return undefined;
      covered = Math.max(covered, p.offset + p.data.length);
    }
    if (covered < d.total) return undefined;
    const out = new Uint8Array(d.total);
    for (const p of d.pieces)
      out.set(p.data.subarray(0, Math.max(0, d.total - p.offset)), p.offset);
    this.pending.delete(key);
    return { ...d.first, payload: out };
  }

  /** Datagrams still missing a piece. */
  get incomplete(): number {
    return this.pending.size;
  }
}
