import { u16be, u32be, u32le } from "./_bytes.ts";

/** Link-layer header types this package reads (tcpdump.org LINKTYPE_ values). */
export const LinkTypes = {
  NULL: 0,
  ETHERNET: 1,
  RAW: 101,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

export const SUPPORTED_LINK_TYPES: readonly number[] = Object.values(LinkTypes);

export type LinkResult =
  | { kind: "ip"; ip: Uint8Array }
  | { kind: "other"; what: string }
  | { kind: "unsupported"; linkType: number }
  | { kind: "malformed"; what: string };

const ETH_IPV4 = 0x0800;
const ETH_IPV6 = 0x86dd;
const VLAN_TAGS = new Set([0x8100, 0x88a8, 0x9100]);

function byEtherType(type: number, data: Uint8Array, at: number): LinkResult {
  if (type === ETH_IPV4 || type === ETH_IPV6) return { kind: "ip", ip: data.subarray(at) };
  return { kind: "other", what: `ethertype 0x${type.toString(16).padStart(4, "0")}` };
}

/** Strips the link-layer header of one frame, leaving the IP packet when there is one. */
export function decodeLink(linkType: number, data: Uint8Array): LinkResult {
  switch (linkType) {
    case LinkTypes.ETHERNET: {
      if (data.length < 14) return { kind: "malformed", what: "Ethernet header cut short" };
      let at = 12;
      let type = u16be(data, at);
      // 802.1Q / 802.1ad tags, possibly stacked (QinQ): 4 bytes each.
      while (VLAN_TAGS.has(type)) {
        at += 4;
        if (data.length < at + 2) return { kind: "malformed", what: "VLAN tag cut short" };
        type = u16be(data, at);
      }
      return byEtherType(type, data, at + 2);
    }
    case LinkTypes.LINUX_SLL: {
      if (data.length < 16) return { kind: "malformed", what: "Linux cooked header cut short" };
      return byEtherType(u16be(data, 14), data, 16);
    }
    case LinkTypes.LINUX_SLL2: {
      if (data.length < 20) return { kind: "malformed", what: "Linux cooked v2 header cut short" };
      return byEtherType(u16be(data, 0), data, 20);
    }
    case LinkTypes.NULL: {
      if (data.length < 4) return { kind: "malformed", what: "loopback header cut short" };
      // The address family is in the byte order of the machine that captured.
      let family = u32le(data, 0);
      if (family > 0xffff) family = u32be(data, 0);
      if (family === 2) return { kind: "ip", ip: data.subarray(4) };
      // AF_INET6 differs per OS: 10 Linux, 24 NetBSD/OpenBSD, 28 FreeBSD, 30 macOS.
      if (family === 10 || family === 24 || family === 28 || family === 30) {
        return { kind: "ip", ip: data.subarray(4) };
      }
      return { kind: "other", what: `loopback address family ${family}` };
    }
    case LinkTypes.RAW:
    case LinkTypes.IPV4:
    case LinkTypes.IPV6:
      return { kind: "ip", ip: data };
    default:
      return { kind: "unsupported", linkType };
  }
}
