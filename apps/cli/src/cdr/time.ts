/**
 * The one reading of a CDR time cell, for `stats`, the backtest and every
 * other reader of CDR files (the backtest's fast path, commands/backtest-time.ts,
 * gives the same answers for the forms it reads itself and hands it the rest):
 *
 * - ISO 8601 date and time, `T` or a space between them, seconds and a
 *   fraction optional, with a zone (`Z`, `+01:00`, `+0100`) or without one,
 *   read as UTC (CDR exports write UTC or say otherwise with a zone);
 * - epoch seconds (FreeSWITCH `start_epoch`), milliseconds, or microseconds
 *   (FreeSWITCH `start_uepoch`), told apart by size, a fraction allowed.
 *
 * Anything else is not a time here (nor a day its month does not have): no guessing at "Mon Dec 01 2025" or
 * "01/12/2025" (day or month first?), which JavaScript's Date.parse would
 * read in the machine's own time zone. A time before 1970 or beyond
 * JavaScript's dates is refused too. Returns ms since the epoch, or undefined.
 */
export function parseCdrTime(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const s = raw.trim();
  if (s === "") return undefined;
  let t: number;
  if (/^\d{9,16}(\.\d+)?$/.test(s)) {
    const n = Number(s);
    t = n < 1e11 ? Math.round(n * 1000) : n < 1e14 ? Math.round(n) : Math.round(n / 1000);
  } else {
    const m = /^(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d(?::\d\d(?:\.\d+)?)?)(Z|[+-]\d\d:?\d\d)?$/i.exec(s);
    if (!m) return undefined;
    // Date.parse takes 2026-02-30 for 2 March: a day the month does not have is no time.
    const date = m[1]!;
    const year = Number(date.slice(0, 4));
    const month = Number(date.slice(5, 7));
    const day = Number(date.slice(8, 10));
    if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate())
      return undefined;
    const zone =
      m[3] === undefined ? "Z" : m[3].length === 5 ? `${m[3].slice(0, 3)}:${m[3].slice(3)}` : m[3];
    t = Date.parse(`${date}T${m[2]}${zone}`);
  }
  return t >= 0 && t <= 8.64e15 ? t : undefined;
}
