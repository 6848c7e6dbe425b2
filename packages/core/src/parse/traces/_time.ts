/**
 * "2026/12/01 22:59:03.124454", "2026-12-01T22:59:03.124Z", "22:59:03.124454"
 * → milliseconds since the epoch (read as UTC; a time of day alone is put on
 * 1970-01-01, which keeps the offsets between messages right).
 */
export function readClock(text: string): number | undefined {
  const m = /^(?:(\d{4})[/-](\d{2})[/-](\d{2})[ T])?(\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?/.exec(
    text,
  );
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac] = m;
  const base = Date.UTC(
    y ? Number(y) : 1970,
    mo ? Number(mo) - 1 : 0,
    d ? Number(d) : 1,
    Number(h),
    Number(mi),
    Number(s),
  );
  return base + (frac ? Number(`0.${frac}`) * 1000 : 0);
}

/**
 * An RFC 3339 time with its offset, as Go writes a time.Time in JSON
 * ("2026-12-02T10:01:09.216625Z", "2026-12-02T11:01:09.2+01:00") →
 * milliseconds since the epoch, the fraction kept below a millisecond.
 */
export function readRfc3339(text: string): number | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/i.exec(
    text,
  );
  if (!m) return undefined;
  const base = Date.parse(`${m[1]}${m[3]?.toUpperCase()}`);
  if (Number.isNaN(base)) return undefined;
  return base + (m[2] ? Number(`0.${m[2]}`) * 1000 : 0);
}

/** Epoch seconds with a fraction ("1796165943.525669000") → milliseconds. */
export function readEpoch(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d+(?:\.\d+)?$/.test(text)) return undefined;
  const [whole, frac = ""] = text.split(".");
  return Number(whole) * 1000 + Number(`0.${frac || "0"}`) * 1000;
}

/** "ip:port", with brackets around an IPv6 address. */
export function endpoint(
  ip: string | undefined,
  port: string | number | undefined,
): string | undefined {
  if (ip === undefined) return undefined;
  const host = ip.includes(":") && !ip.startsWith("[") ? `[${ip}]` : ip;
  return port === undefined ? host : `${host}:${port}`;
}
