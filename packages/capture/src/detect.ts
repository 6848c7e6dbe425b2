import { hex, u32be } from "./_bytes.ts";

export type CaptureFormat = "pcap" | "pcapng" | "hep";

const PCAP_MAGICS = new Set([0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1]);
const PCAPNG_SHB = 0x0a0d0d0a;

/** True when `b` starts like a HEPv1/v2 packet: version, header length, address family, protocol. */
export function looksLikeHepV2(b: Uint8Array): boolean {
  if (b.length < 8) return false;
  const version = b[0];
  const family = b[2];
  const proto = b[3];
  if (version !== 1 && version !== 2) return false;
  if (family !== 2 && family !== 10) return false;
  if (proto !== 17 && proto !== 6 && proto !== 132) return false;
  const len = b[1] ?? 0;
  // Kamailio and captagent put 16 (IPv4) or 40 (IPv6) here; some senders put 8.
  return len === 8 || len === 16 || len === 40 || len === 28 || len === 52;
}

/**
 * Which capture format `bytes` hold, by content alone (file names lie), or
 * undefined. Needs at least the first 4 bytes (12 for pcapng, 8 for HEPv2).
 */
export function detectCapture(bytes: Uint8Array): CaptureFormat | undefined {
  if (bytes.length < 4) return undefined;
  const m = u32be(bytes, 0);
  if (PCAP_MAGICS.has(m)) return "pcap";
  if (m === PCAPNG_SHB && bytes.length >= 12) {
    const bom = u32be(bytes, 8);
    if (bom === 0x1a2b3c4d || bom === 0x4d3c2b1a) return "pcapng";
    return undefined;
  }
  if (bytes[0] === 0x48 && bytes[1] === 0x45 && bytes[2] === 0x50 && bytes[3] === 0x33)
    return "hep";
  if (looksLikeHepV2(bytes)) return "hep";
  return undefined;
}

const KNOWN: { name: string; magic: number[]; hint?: string }[] = [
  { name: "gzip-compressed data", magic: [0x1f, 0x8b], hint: "decompress it first (gunzip)" },
  { name: "a zip archive", magic: [0x50, 0x4b, 0x03, 0x04], hint: "extract the capture first" },
  { name: "bzip2-compressed data", magic: [0x42, 0x5a, 0x68], hint: "decompress it first" },
  {
    name: "xz-compressed data",
    magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00],
    hint: "decompress it first",
  },
  { name: "zstd-compressed data", magic: [0x28, 0xb5, 0x2f, 0xfd], hint: "decompress it first" },
  { name: "a PDF document", magic: [0x25, 0x50, 0x44, 0x46] },
  { name: "a PNG image", magic: [0x89, 0x50, 0x4e, 0x47] },
  { name: "an ELF executable", magic: [0x7f, 0x45, 0x4c, 0x46] },
  {
    name: "a Snoop capture",
    magic: [0x73, 0x6e, 0x6f, 0x6f, 0x70],
    hint: "convert it with editcap -F pcapng",
  },
  {
    name: "a Microsoft Network Monitor capture",
    magic: [0x47, 0x4d, 0x42, 0x55],
    hint: "convert it with editcap -F pcapng",
  },
];

function startsWith(b: Uint8Array, magic: number[]): boolean {
  return magic.every((v, i) => b[i] === v);
}

function looksLikeText(b: Uint8Array): boolean {
  const n = Math.min(b.length, 256);
  if (n === 0) return false;
  for (let i = 0; i < n; i++) {
    const c = b[i] ?? 0;
    if (c < 0x09 || (c > 0x0d && c < 0x20) || c === 0x7f) return false;
  }
  return true;
}

/**
 * One line naming what `bytes` look like when they are not a capture: a
 * known file type by name, text, or else the first bytes in hex.
 */
export function describeNonCapture(bytes: Uint8Array): string {
  if (bytes.length === 0) return "the input is empty";
  for (const k of KNOWN) {
    if (startsWith(bytes, k.magic))
      return `the input is ${k.name}, not a pcap, pcapng or HEP capture${k.hint ? `; ${k.hint}` : ""}`;
  }
  if (looksLikeText(bytes)) {
    const first = new TextDecoder("utf-8", { fatal: false })
      .decode(bytes.subarray(0, 40))
      .split(/\r?\n/)[0];
    return `the input is text ("${first}"), not a pcap, pcapng or HEP capture; paste SIP text to the text explainer instead`;
  }
  return `the input is not a pcap, pcapng or HEP capture (first bytes: ${hex(bytes, 16)})`;
}
