// The time cells a backtest replays, read as every CDR reader reads them
// (cdr/time.ts: parseCdrTime). The common forms are read here from their
// digits, from the string or straight from the file's bytes, once a row and
// without a RegExp; both give what parseCdrTime gives, which reads the rest.
import { parseCdrTime } from "../cdr/time.ts";

/** A CDR time cell as ms since the epoch (parseCdrTime's answer), or undefined. */
export function parseTime(raw: string): number | undefined {
  const s = raw.trim();
  const fast = utcDigits(s);
  return fast >= 0 ? fast : parseCdrTime(s);
}

/**
 * `parseTime` of the cell `buf[start, end)` (UTF-8), without making a
 * string for the common form: its bytes are all ASCII, so they are the
 * string's characters, and with a digit first and a digit or "Z" last,
 * trimming leaves them as they are.
 */
export function parseTimeBytes(buf: Buffer, start: number, end: number): number | undefined {
  const fast = utcBytes(buf, start, end);
  return fast >= 0 ? fast : parseTime(buf.toString("utf8", start, end));
}

/** The two-digit number at `i` of `s`, or -1 when either is not a digit. */
function two(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** The "YYYY-MM-DD?HH:MM" of the last time utcDigits read in full, and its ms. */
let minutePrefix = "";
let minuteMs = 0;

/** Ms since the epoch of a minute read from its fields, or -1 when one is out of range. */
function minuteOf(
  century: number,
  years: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
): number {
  if (
    century < 19 ||
    years < 0 ||
    (century === 19 && years < 70) ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > 28 ||
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59
  )
    return -1;
  return Date.UTC(century * 100 + years, month - 1, day, hour, minute);
}

/**
 * The common case read without a RegExp or Date.parse, called once a row:
 * "YYYY-MM-DD[T ]HH:MM:SS[.mmm]" with an optional "Z" after a "T" form, every
 * field in range and the day at most 28 (so no month can reject it). -1 for
 * anything else, which parseCdrTime reads.
 */
function utcDigits(s: string): number {
  const n = s.length;
  const zone = s.charCodeAt(n - 1) === 90; // Z
  const body = zone ? n - 1 : n;
  if (body !== 19 && body !== 23) return -1;
  const sep = s.charCodeAt(10);
  if (sep !== 84 && !(sep === 32 && !zone)) return -1; // T, or a space without a zone
  if (
    s.charCodeAt(4) !== 45 ||
    s.charCodeAt(7) !== 45 ||
    s.charCodeAt(13) !== 58 ||
    s.charCodeAt(16) !== 58 ||
    (body === 23 && s.charCodeAt(19) !== 46)
  )
    return -1;
  const second = two(s, 17);
  const tens = body === 23 ? two(s, 20) : 0;
  const last = body === 23 ? two(s, 21) : 0;
  if (second < 0 || second > 59 || tens < 0 || last < 0) return -1;
  const ms = body === 23 ? tens * 10 + (last % 10) : 0;
  // Rows come in time order, so most share the minute before them: its date and time are read once.
  if (minutePrefix !== "" && s.startsWith(minutePrefix)) return minuteMs + second * 1000 + ms;
  const at = minuteOf(two(s, 0), two(s, 2), two(s, 5), two(s, 8), two(s, 11), two(s, 14));
  if (at < 0) return -1;
  minutePrefix = s.slice(0, 16);
  minuteMs = at;
  return minuteMs + second * 1000 + ms;
}

/** The two-digit number at `i` of `buf`, or -1 when either is not a digit. */
function twoBytes(buf: Buffer, i: number): number {
  const a = (buf[i] as number) - 48;
  const b = (buf[i + 1] as number) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** The "YYYY-MM-DD?HH:MM" bytes of the last cell utcBytes read in full, and its ms. */
const bytesPrefix = Buffer.alloc(16);
let bytesPrefixSet = false;
let bytesMinuteMs = 0;

/**
 * utcDigits over the bytes `buf[a, b)`: the same checks, the same answer. A
 * cell whose first 16 bytes are those of the last one read in full has
 * passed the checks of those bytes already; only the separator's rule
 * depends on the rest (a space form has no zone).
 */
function utcBytes(buf: Buffer, a: number, b: number): number {
  const n = b - a;
  if (n < 19) return -1;
  const zone = buf[b - 1] === 90; // Z
  const body = zone ? n - 1 : n;
  if (body !== 19 && body !== 23) return -1;
  if (buf[a + 16] !== 58 || (body === 23 && buf[a + 19] !== 46)) return -1;
  const second = twoBytes(buf, a + 17);
  const tens = body === 23 ? twoBytes(buf, a + 20) : 0;
  const last = body === 23 ? twoBytes(buf, a + 21) : 0;
  if (second < 0 || second > 59 || tens < 0 || last < 0) return -1;
  const ms = body === 23 ? tens * 10 + (last % 10) : 0;
  if (bytesPrefixSet) {
    let same = true;
    for (let i = 15; i >= 0; i--) {
      if (buf[a + i] !== bytesPrefix[i]) {
        same = false;
        break;
      }
    }
    if (same) return bytesPrefix[10] === 32 && zone ? -1 : bytesMinuteMs + second * 1000 + ms;
  }
  const sep = buf[a + 10];
  if (sep !== 84 && !(sep === 32 && !zone)) return -1; // T, or a space without a zone
  if (buf[a + 4] !== 45 || buf[a + 7] !== 45 || buf[a + 13] !== 58) return -1;
  const at = minuteOf(
    twoBytes(buf, a),
    twoBytes(buf, a + 2),
    twoBytes(buf, a + 5),
    twoBytes(buf, a + 8),
    twoBytes(buf, a + 11),
    twoBytes(buf, a + 14),
  );
  if (at < 0) return -1;
  buf.copy(bytesPrefix, 0, a, a + 16);
  bytesPrefixSet = true;
  bytesMinuteMs = at;
  return bytesMinuteMs + second * 1000 + ms;
}
