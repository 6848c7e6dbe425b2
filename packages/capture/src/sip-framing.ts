/**
 * Finding SIP messages in bytes: the start line (RFC 3261 §7.1/§7.2) tells
 * SIP from anything else; Content-Length (§18.3, §20.14) says where a message
 * ends on a stream and where a second one starts in the same datagram.
 */

const RESPONSE_LINE = /^SIP\/2\.0 [1-9]\d\d(?: |$)/;
const REQUEST_LINE = /^[A-Za-z!%*_+`'~.-]+ \S+ SIP\/2\.0$/;
const CONTENT_LENGTH = /^(?:content-length|l)[ \t]*:[ \t]*(\d+)[ \t]*$/im;

const latin1 = new TextDecoder("latin1");
const utf8 = new TextDecoder("utf-8");

/** The first line of `b` from `at`, without its line end, or undefined if no line end within `max` bytes. */
function firstLine(b: Uint8Array, at: number, max: number): string | undefined {
  const stop = Math.min(b.length, at + max);
  for (let i = at; i < stop; i++) {
    if (b[i] === 0x0a) {
      const end = i > at && b[i - 1] === 0x0d ? i - 1 : i;
      return latin1.decode(b.subarray(at, end));
    }
  }
  return undefined;
}

export function isSipStartLine(line: string): boolean {
  return RESPONSE_LINE.test(line) || REQUEST_LINE.test(line);
}

/** "sip" when `b` at `at` starts with a SIP start line, "no" when it does not, "more" when the line is not complete yet. */
export function startsSip(b: Uint8Array, at = 0): "sip" | "no" | "more" {
  const line = firstLine(b, at, 4096);
  if (line === undefined) {
    if (b.length - at >= 4096) return "no";
    // A partial line can still be judged when it cannot be the start of one.
    const head = latin1.decode(b.subarray(at, Math.min(b.length, at + 8)));
    if (/^SIP\/2\.0 ?/.test(head) || "SIP/2.0".startsWith(head) || /^[A-Za-z]+(?: |$)/.test(head))
      return "more";
    return "no";
  }
  return isSipStartLine(line) ? "sip" : "no";
}

/** Skips CR and LF (RFC 5626 keep-alives, stray line ends between messages). */
export function skipLineEnds(b: Uint8Array, at: number): number {
  while (at < b.length && (b[at] === 0x0d || b[at] === 0x0a)) at++;
  return at;
}

/** Offset just past the blank line ending the headers, or -1. Accepts bare LF line ends too. */
export function headerEnd(b: Uint8Array, at: number): number {
  // From line end to line end with the native indexOf: a byte loop here was most of a HEP packet's cost.
  for (let i = b.indexOf(0x0a, at); i >= 0; i = b.indexOf(0x0a, i + 1)) {
    if (b[i + 1] === 0x0a) return i + 2;
    if (b[i + 1] === 0x0d && b[i + 2] === 0x0a) return i + 3;
  }
  return -1;
}

export function contentLength(headers: string): number | undefined {
  const m = CONTENT_LENGTH.exec(headers);
  if (!m?.[1]) return undefined;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) ? n : undefined;
}

export type Framed =
  | { kind: "message"; start: number; end: number }
  /** Headers or body not all here yet. */
  | { kind: "more"; start: number }
  | { kind: "none" };

/**
 * Frames the message starting at `at` (after skipping line ends). On a
 * stream a message without Content-Length has an empty body (§18.3); in a
 * datagram it runs to the end (`datagram: true`).
 */
export function frameMessage(b: Uint8Array, at: number, datagram: boolean): Framed {
  const start = skipLineEnds(b, at);
  if (start >= b.length) return { kind: "none" };
  const s = startsSip(b, start);
  if (s === "no" || (datagram && s === "more")) return { kind: "none" };
  const he = headerEnd(b, start);
  if (he < 0) return datagram ? { kind: "message", start, end: b.length } : { kind: "more", start };
  const len = contentLength(latin1.decode(b.subarray(start, he)));
  if (len === undefined) return { kind: "message", start, end: datagram ? b.length : he };
  if (he + len > b.length)
    return datagram ? { kind: "message", start, end: b.length } : { kind: "more", start };
  return { kind: "message", start, end: he + len };
}

export function decodeText(b: Uint8Array): string {
  return utf8.decode(b);
}

/**
 * Splits one UDP payload (or HEP payload) into the SIP messages it holds:
 * `frameMessage` for datagrams, with the headers read once per message. A
 * payload of ASCII only (nearly every SIP message) is decoded once and framed
 * on the string (`splitAscii`); any other goes byte by byte, where each
 * message is decoded on its own.
 */
export function splitDatagram(b: Uint8Array): { texts: string[]; incomplete: boolean } {
  const text = utf8.decode(b);
  // As many characters as bytes and no replacement character: every byte was ASCII
  // (a multi-byte character, an invalid byte or a BOM would break one of the two).
  if (text.length === b.length && !text.includes("\uFFFD")) return splitAscii(text);
  return splitBytes(b);
}

/** `splitDatagram` on the bytes (any payload); exported for the test that holds the two paths together. */
export function splitBytes(b: Uint8Array): { texts: string[]; incomplete: boolean } {
  const texts: string[] = [];
  let incomplete = false;
  let at = 0;
  for (;;) {
    const start = skipLineEnds(b, at);
    if (start >= b.length || startsSip(b, start) !== "sip") break;
    const he = headerEnd(b, start);
    let end = b.length;
    if (he >= 0) {
      const len = contentLength(latin1.decode(b.subarray(start, he)));
      // A body shorter than Content-Length runs to the end of the datagram.
      if (len !== undefined) {
        if (he + len > b.length) incomplete = true;
        else end = he + len;
      }
    }
    texts.push(decodeText(b.subarray(start, end)));
    if (end >= b.length) break;
    at = end;
  }
  return { texts, incomplete };
}

/** `splitBytes` for a payload of ASCII only, decoded: one character per byte, so the offsets are the same. */
function splitAscii(t: string): { texts: string[]; incomplete: boolean } {
  const texts: string[] = [];
  let incomplete = false;
  let at = 0;
  const n = t.length;
  for (;;) {
    let start = at;
    while (start < n && (t.charCodeAt(start) === 13 || t.charCodeAt(start) === 10)) start++;
    if (start >= n || startsSipText(t, start) !== "sip") break;
    const he = headerEndText(t, start);
    let end = n;
    if (he >= 0) {
      const len = contentLength(t.slice(start, he));
      if (len !== undefined) {
        if (he + len > n) incomplete = true;
        else end = he + len;
      }
    }
    texts.push(t.slice(start, end));
    if (end >= n) break;
    at = end;
  }
  return { texts, incomplete };
}

/** `startsSip` on decoded ASCII. */
function startsSipText(t: string, at: number): "sip" | "no" | "more" {
  const nl = t.indexOf("\n", at);
  if (nl < 0 || nl >= at + 4096) {
    if (t.length - at >= 4096) return "no";
    const head = t.slice(at, at + 8);
    if (/^SIP\/2\.0 ?/.test(head) || "SIP/2.0".startsWith(head) || /^[A-Za-z]+(?: |$)/.test(head))
      return "more";
    return "no";
  }
  const end = nl > at && t.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
  return isSipStartLine(t.slice(at, end)) ? "sip" : "no";
}

/** `headerEnd` on decoded ASCII. */
function headerEndText(t: string, at: number): number {
  for (let i = t.indexOf("\n", at); i >= 0; i = t.indexOf("\n", i + 1)) {
    const c = t.charCodeAt(i + 1);
    if (c === 10) return i + 2;
    if (c === 13 && t.charCodeAt(i + 2) === 10) return i + 3;
  }
  return -1;
}
