/** Formatting only, for the status page. */

/** A time as `2026-01-01 03:15:00 UTC` (the alerter's clocks are UTC), or a dash. */
export function utc(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  return `${new Date(ms).toISOString().slice(0, 19).replace("T", " ")} UTC`;
}
