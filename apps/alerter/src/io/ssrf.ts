import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { BlockList, isIP } from "node:net";

/**
 * Where alerts must not go unless allow-listed: loopback, private, shared
 * (CGNAT), link-local (cloud metadata at 169.254.169.254), multicast,
 * reserved and unspecified addresses, in IPv4 and IPv6 (IPv4-mapped and
 * NAT64 IPv6 addresses are judged by the IPv4 address they carry).
 */
const blocked = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  blocked.addSubnet(net, prefix, "ipv4");
}
for (const [net, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["fec0::", 10],
  ["ff00::", 8],
  ["2001:db8::", 32],
  ["100::", 64],
] as const) {
  blocked.addSubnet(net, prefix, "ipv6");
}

/** The eight 16-bit groups of an IPv6 address (a dotted IPv4 tail included), or undefined. */
function ipv6Groups(ip: string): number[] | undefined {
  let text = ip.toLowerCase().replace(/%.*$/, "");
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0;
  if (fill < 0 || (halves.length === 1 && head.length !== 8)) return undefined;
  const groups = [...head, ...Array<string>(fill).fill("0"), ...tail].map((g) =>
    Number.parseInt(g, 16),
  );
  return groups.length === 8 && groups.every((g) => g >= 0 && g <= 0xffff) ? groups : undefined;
}

/**
 * The IPv4 address an IPv6 address carries: IPv4-compatible (::a.b.c.d),
 * IPv4-mapped (::ffff:a.b.c.d), IPv4-translated (::ffff:0:a.b.c.d), NAT64
 * (64:ff9b::/96 and 64:ff9b:1::/48) and 6to4 (2002:AABB:CCDD::/48), in any
 * spelling (dotted or hex, zeros compressed or not).
 */
function embeddedIpv4(ip: string): string | undefined {
  const g = ipv6Groups(ip);
  if (!g) return undefined;
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  const zero = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (g[0] === 0x2002) return v4(g[1]!, g[2]!);
  if (g[0] === 0x64 && g[1] === 0xff9b && (zero(2, 6) || g[2] === 1)) return v4(g[6]!, g[7]!);
  if (!zero(0, 4)) return undefined;
  if (g[4] === 0 && g[5] === 0xffff) return v4(g[6]!, g[7]!);
  if (g[4] === 0xffff && g[5] === 0) return v4(g[6]!, g[7]!);
  // IPv4-compatible ::a.b.c.d (deprecated): not :: and ::1, which the IPv6 list judges.
  if (g[4] === 0 && g[5] === 0 && (g[6] !== 0 || g[7]! > 1)) return v4(g[6]!, g[7]!);
  return undefined;
}

/** True when `ip` (v4 or v6) is in a range alerts must not reach. */
export function isPrivateAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 4) return blocked.check(ip, "ipv4");
  if (family === 6) {
    const v4 = embeddedIpv4(ip);
    if (v4) return blocked.check(v4, "ipv4");
    return blocked.check(ip, "ipv6");
  }
  return true;
}

/** The allow-list: exact host names, and IPs or CIDR ranges. */
export class AllowList {
  private readonly hosts = new Set<string>();
  private readonly nets = new BlockList();

  constructor(entries: readonly string[]) {
    for (const raw of entries) {
      const entry = raw
        .trim()
        .toLowerCase()
        .replace(/^\[|\]$/g, "");
      const [addr, bits] = entry.split("/") as [string, string | undefined];
      const family = isIP(addr);
      if (family === 0) {
        this.hosts.add(entry);
        continue;
      }
      const type = family === 4 ? "ipv4" : "ipv6";
      if (bits === undefined) this.nets.addAddress(addr, type);
      else this.nets.addSubnet(addr, Number(bits), type);
    }
  }

  host(hostname: string): boolean {
    return this.hosts.has(hostname.toLowerCase());
  }

  address(ip: string): boolean {
    const family = isIP(ip);
    if (family === 0) return false;
    if (this.nets.check(ip, family === 4 ? "ipv4" : "ipv6")) return true;
    const v4 = family === 6 ? embeddedIpv4(ip) : undefined;
    return v4 !== undefined && this.nets.check(v4, "ipv4");
  }
}

export class BlockedDestinationError extends Error {
  override readonly name = "BlockedDestinationError";
  readonly code = "blocked_destination";
}

/** A URL's host without IPv6 brackets. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, "");
}

/**
 * Checks a destination before connecting: a literal IP must be public or
 * allow-listed. Names are checked after resolution by `guardedLookup`.
 */
export function checkLiteral(url: URL, allow: AllowList): void {
  const host = hostOf(url);
  if (isIP(host) && isPrivateAddress(host) && !allow.address(host)) {
    throw new BlockedDestinationError(
      `${host} is a private, loopback or link-local address and is not in security.allowPrivateDestinations`,
    );
  }
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for http.request that resolves the name and refuses it when any
 * address is private and not allow-listed. Checking the addresses the socket
 * actually connects to closes the DNS-rebinding gap of check-then-connect.
 */
export function guardedLookup(allow: AllowList) {
  return (
    hostname: string,
    options: { all?: boolean; family?: number },
    callback: LookupCallback,
  ): void => {
    dnsLookup(hostname, { all: true, family: options.family ?? 0 }, (err, addresses) => {
      if (err) return callback(err, []);
      const list = addresses as LookupAddress[];
      if (!allow.host(hostname)) {
        const bad = list.find((a) => isPrivateAddress(a.address) && !allow.address(a.address));
        if (bad) {
          return callback(
            new BlockedDestinationError(
              `${hostname} resolves to ${bad.address}, a private, loopback or link-local address that is not in security.allowPrivateDestinations`,
            ),
            [],
          );
        }
      }
      if (list.length === 0)
        return callback(
          Object.assign(new Error(`${hostname} has no address`), { code: "ENOTFOUND" }),
          [],
        );
      if (options.all) return callback(null, list);
      const first = list[0]!;
      callback(null, first.address, first.family);
    });
  };
}

/** Resolves and checks a destination the way delivery will (for config checks and tests). */
export async function checkDestination(rawUrl: string, allow: AllowList): Promise<void> {
  const url = new URL(rawUrl);
  const host = hostOf(url);
  if (isIP(host)) return checkLiteral(url, allow);
  if (allow.host(host)) return;
  await new Promise<void>((resolve, reject) => {
    guardedLookup(allow)(host, { all: true }, (err) => (err ? reject(err) : resolve()));
  });
}
