/**
 * A CDR CSV (time, trunk, direction, sip_code) at 60 calls a minute over
 * three trunks: 603 on 1 % of calls, and on a quarter of them from minute
 * `from` to minute `to` (on every trunk, or only on `trunk`).
 */
export function spikeCsv({
  minutes = 180,
  from = 150,
  to = 170,
  trunks = ["trunk-0", "trunk-1", "trunk-2"],
  trunk,
}: {
  minutes?: number;
  from?: number;
  to?: number;
  trunks?: string[];
  trunk?: string;
} = {}): string {
  const start = Date.parse("2026-11-26T08:00:00Z");
  const lines = ["time,trunk,direction,sip_code"];
  for (let m = 0; m < minutes; m++) {
    for (let k = 0; k < 60; k++) {
      const i = m * 60 + k;
      const name = trunks[k % trunks.length]!;
      const spike = m >= from && m < to && (trunk === undefined || name === trunk);
      const code = spike
        ? k % 4 === 0
          ? 603
          : 200
        : i % 100 === 0
          ? 603
          : i % 7 === 0
            ? 486
            : 200;
      const cell = /[",]/.test(name) ? `"${name.replace(/"/g, '""')}"` : name;
      lines.push(
        `${new Date(start + m * 60_000 + k * 1000).toISOString()},${cell},outbound,${code}`,
      );
    }
  }
  return `${lines.join("\n")}\n`;
}
