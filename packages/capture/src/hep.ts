import { ipv4, ipv6, u16be, u32be, u32le } from "./_bytes.ts";
import { looksLikeHepV2 } from "./detect.ts";
import { CaptureError } from "./errors.ts";
import type { Endpoint, Transport } from "./message.ts";

/** HEPv3 generic chunk types (vendor 0) that this decoder reads. */
export const HepChunk = {
  IP_FAMILY: 1,
  IP_PROTOCOL: 2,
  IPV4_SRC: 3,
  IPV4_DST: 4,
  IPV6_SRC: 5,
  IPV6_DST: 6,
  SRC_PORT: 7,
  DST_PORT: 8,
  TIME_SEC: 9,
  TIME_USEC: 10,
  PROTOCOL_TYPE: 11,
  CAPTURE_AGENT_ID: 12,
  KEEPALIVE_TIMER: 13,
  AUTH_KEY: 14,
  PAYLOAD: 15,
  COMPRESSED_PAYLOAD: 16,
  CORRELATION_ID: 17,
  VLAN_ID: 18,
  GROUP_ID: 19,
} as const;

/** HEP protocol types (chunk 11) worth naming; 1 is SIP. */
export const HepProtocolType = {
  SIP: 1,
  XMPP: 2,
  SDP: 3,
  RTP: 4,
  RTCP: 5,
  MGCP: 6,
  MEGACO: 7,
  M2UA: 8,
  M3UA: 9,
  IAX: 10,
  H322: 11,
  H321: 12,
  LOG: 100,
} as const;

export interface HepPacket {
  version: 1 | 2 | 3;
  /** Bytes this packet took in the input. */
  length: number;
  /** IP protocol number of the captured packet (17 UDP, 6 TCP, 132 SCTP). */
  ipProtocol: number;
  transport: Transport;
  src: Endpoint;
  dst: Endpoint;
  /** Microseconds since the Unix epoch; 0 when the sender gave none. */
  time: number;
  /** Chunk 11; undefined for HEPv1/v2, which carry SIP only. */
  protocolType: number | undefined;
  agentId: number | undefined;
  correlationId: string | undefined;
  authKey: string | undefined;
  groupId: string | undefined;
  /** True when the payload came in chunk 16 (compressed); it is left as is. */
  compressed: boolean;
  payload: Uint8Array;
}

const utf8 = new TextDecoder("utf-8");
const EMPTY = new Uint8Array(0);

function invalid(message: string, offset: number): CaptureError {
  return new CaptureError("invalid_hep", message, offset);
}

/**
 * Decodes one HEP packet starting at `offset` (one UDP datagram from
 * Kamailio's siptrace or heplify, or one frame of a HEP-over-TCP stream).
 * Throws `CaptureError` with code `invalid_hep` when the bytes are not HEP.
 */
export function decodeHep(bytes: Uint8Array, offset = 0): HepPacket {
  const b = offset === 0 ? bytes : bytes.subarray(offset);
  if (b.length >= 4 && b[0] === 0x48 && b[1] === 0x45 && b[2] === 0x50 && b[3] === 0x33) {
    return decodeV3(b, offset);
  }
  if (looksLikeHepV2(b)) return decodeV2(b, offset);
  throw invalid(
    `no HEP packet at byte ${offset}: it starts neither with "HEP3" nor with a HEPv1/v2 header`,
    offset,
  );
}

export type SafeHep = { success: true; data: HepPacket } | { success: false; error: CaptureError };

/** Like `decodeHep`, but returns the error instead of throwing. */
export function safeDecodeHep(bytes: Uint8Array, offset = 0): SafeHep {
  try {
    return { success: true, data: decodeHep(bytes, offset) };
  } catch (e) {
    if (e instanceof CaptureError) return { success: false, error: e };
    throw e;
  }
}

function transportOf(p: number): Transport {
  return p === 6 ? "tcp" : p === 132 ? "sctp" : "udp";
}

/** Throws when chunk `type` (at byte `at`) is `n` bytes but needs `want`. */
function need(type: number, n: number, want: number, at: number): void {
  if (n < want) throw invalid(`HEP3 chunk ${type} is ${n} bytes, needs ${want}`, at);
}

function decodeV3(b: Uint8Array, offset: number): HepPacket {
  if (b.length < 6) throw invalid("HEP3 header cut short", offset);
  const total = u16be(b, 4);
  if (total < 6) throw invalid(`HEP3 packet length ${total} is shorter than its header`, offset);
  if (total > b.length)
    throw invalid(`HEP3 packet claims ${total} bytes but ${b.length} are there`, offset);
  let family = 0;
  let ipProtocol = 17;
  let src4: string | undefined;
  let dst4: string | undefined;
  let src6: string | undefined;
  let dst6: string | undefined;
  let sport = 0;
  let dport = 0;
  let sec = 0;
  let usec = 0;
  let protocolType: number | undefined;
  let agentId: number | undefined;
  let correlationId: string | undefined;
  let authKey: string | undefined;
  let groupId: string | undefined;
  let compressed = false;
  let payload: Uint8Array = EMPTY;
  // Chunk values are read in place (no view or closure per chunk): this runs once per packet of a live feed.
  for (let at = 6; at < total; ) {
    if (total - at < 6)
      throw invalid(`HEP3 chunk header cut short at byte ${offset + at}`, offset + at);
    const vendor = u16be(b, at);
    const type = u16be(b, at + 2);
    const len = u16be(b, at + 4);
    if (len < 6 || at + len > total) {
      throw invalid(
        `HEP3 chunk ${type} at byte ${offset + at} has length ${len}, outside the packet`,
        offset + at,
      );
    }
    const v = at + 6;
    const n = len - 6;
    const chunkAt = at;
    at += len;
    if (vendor !== 0) continue;
    switch (type) {
      case HepChunk.IP_FAMILY:
        need(type, n, 1, offset + chunkAt);
        family = b[v] ?? 0;
        break;
      case HepChunk.IP_PROTOCOL:
        need(type, n, 1, offset + chunkAt);
        ipProtocol = b[v] ?? 0;
        break;
      case HepChunk.IPV4_SRC:
        need(type, n, 4, offset + chunkAt);
        src4 = ipv4(b, v);
        break;
      case HepChunk.IPV4_DST:
        need(type, n, 4, offset + chunkAt);
        dst4 = ipv4(b, v);
        break;
      case HepChunk.IPV6_SRC:
        need(type, n, 16, offset + chunkAt);
        src6 = ipv6(b, v);
        break;
      case HepChunk.IPV6_DST:
        need(type, n, 16, offset + chunkAt);
        dst6 = ipv6(b, v);
        break;
      case HepChunk.SRC_PORT:
        need(type, n, 2, offset + chunkAt);
        sport = u16be(b, v);
        break;
      case HepChunk.DST_PORT:
        need(type, n, 2, offset + chunkAt);
        dport = u16be(b, v);
        break;
      case HepChunk.TIME_SEC:
        need(type, n, 4, offset + chunkAt);
        sec = u32be(b, v);
        break;
      case HepChunk.TIME_USEC:
        need(type, n, 4, offset + chunkAt);
        usec = u32be(b, v);
        break;
      case HepChunk.PROTOCOL_TYPE:
        need(type, n, 1, offset + chunkAt);
        protocolType = b[v] ?? 0;
        break;
      case HepChunk.CAPTURE_AGENT_ID:
        // uint32 in the spec; some agents send 16 bits.
        need(type, n, 2, offset + chunkAt);
        agentId = n >= 4 ? u32be(b, v) : u16be(b, v);
        break;
      case HepChunk.AUTH_KEY:
        authKey = utf8.decode(b.subarray(v, v + n));
        break;
      case HepChunk.PAYLOAD:
        payload = b.subarray(v, v + n);
        break;
      case HepChunk.COMPRESSED_PAYLOAD:
        payload = b.subarray(v, v + n);
        compressed = true;
        break;
      case HepChunk.CORRELATION_ID:
        correlationId = utf8.decode(b.subarray(v, v + n));
        break;
      case HepChunk.GROUP_ID:
        groupId = utf8.decode(b.subarray(v, v + n));
        break;
    }
  }
  const v6 = family === 10 || (family !== 2 && src6 !== undefined);
  const src = (v6 ? src6 : src4) ?? (v6 ? "::" : "0.0.0.0");
  const dst = (v6 ? dst6 : dst4) ?? (v6 ? "::" : "0.0.0.0");
  // One literal with every field (a spread here cost microseconds a packet).
  return {
    version: 3,
    length: total,
    ipProtocol,
    transport: transportOf(ipProtocol),
    src: { ip: src, port: sport },
    dst: { ip: dst, port: dport },
    time: sec * 1_000_000 + usec,
    protocolType,
    agentId,
    correlationId,
    authKey,
    groupId,
    compressed,
    payload,
  };
}

/**
 * HEPv1/v2: an 8-byte header (version, length, family, protocol, ports in
 * network order), the two addresses, and in v2 a time header (seconds,
 * microseconds, 16-bit capture id, padded to 12 bytes) that senders write in
 * their host byte order, little-endian on the x86 and ARM machines they run on.
 */
function decodeV2(b: Uint8Array, offset: number): HepPacket {
  const version = b[0] === 1 ? 1 : 2;
  const six = b[2] === 10;
  const addr = six ? 32 : 8;
  const timeLen = version === 2 ? 12 : 0;
  const start = 8 + addr + timeLen;
  if (b.length < start)
    throw invalid(`HEPv${version} header cut short (${b.length} of ${start} bytes)`, offset);
  const ipProtocol = b[3] ?? 17;
  const src = six ? ipv6(b, 8) : ipv4(b, 8);
  const dst = six ? ipv6(b, 24) : ipv4(b, 12);
  const t = 8 + addr;
  return {
    version,
    length: b.length,
    ipProtocol,
    transport: transportOf(ipProtocol),
    src: { ip: src, port: u16be(b, 4) },
    dst: { ip: dst, port: u16be(b, 6) },
    time: version === 2 ? u32le(b, t) * 1_000_000 + u32le(b, t + 4) : 0,
    protocolType: undefined,
    agentId: version === 2 ? (b[t + 8] ?? 0) | ((b[t + 9] ?? 0) << 8) : undefined,
    correlationId: undefined,
    authKey: undefined,
    groupId: undefined,
    compressed: false,
    payload: b.subarray(start),
  };
}
