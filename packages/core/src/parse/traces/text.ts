// Text trace formats that hold whole SIP messages: raw SIP, sngrep's "save as
// txt" (and other "<time> <src> -> <dst>" exports), ngrep (-W byline, and its
// default rows: see ngrep.ts), and
// FreeSWITCH/sofia-sip siptrace (indented or not).
import type { DialogMessage } from "../../dialog/calls.ts";
import { readClock, readRfc3339 } from "./_time.ts";
import { ngrepRows } from "./ngrep.ts";

/** A status line, or a request line (a method, a URI, SIP/2.0): where a SIP message starts. */
export const START_LINE =
  /^(?:SIP\/2\.0[ \t]+\d{3}\b|[A-Z][A-Z-]*[ \t]+\S+[ \t]+SIP\/2\.0[ \t]*$)/i;

/**
 * Splits raw SIP text into messages at each start line (LF or CRLF; folded
 * and compact headers are left to the message parser). A message/sipfrag
 * body that itself starts with a status line is split off as a message too.
 */
export function splitSip(text: string): string[] {
  const lines = text.split(/\r\n|\n|\r/);
  const out: string[] = [];
  let current: string[] | undefined;
  for (const line of lines) {
    const trimmed = line.trimStart();
    if (START_LINE.test(trimmed)) {
      if (current) out.push(finish(current));
      current = [trimmed];
    } else if (current) current.push(line);
  }
  if (current) out.push(finish(current));
  return out;
}

function finish(lines: string[]): string {
  while (lines.length > 1 && (lines[lines.length - 1] as string).trim() === "") lines.pop();
  return `${lines.join("\r\n")}\r\n\r\n`;
}

const HEADED =
  /^(\d{4}[/-]\d{2}[/-]\d{2}[ T]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?Z?)[ \t]+(\S+)[ \t]+->[ \t]+(\S+)[ \t]*$/;
const NGREP =
  /^([UT]) (?:(\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)?) )?(\S+) -> (\S+)(?: \[[A-Z]+\])?(?: #\d+)?[ \t]*$/;
/**
 * Homer 7's text export (homer-app, utils/exportwriter WriteDataToBuffer): per
 * message "proto:<UDP|TCP|SCTP> <create_date, RFC 3339>  <src ip>:<port> --->
 * <dst ip>:<port>", a blank line, the raw message, a CRLF. IPv6 addresses
 * come without brackets.
 */
const HOMER = /^proto:(?:UDP|TCP|SCTP) (\S+) {2}(\S+) ---> (\S+)[ \t]*$/;
const SIPTRACE =
  /(recv|send) (\d+) bytes (from|to) (\w+)\/(\S+?) at (\d{2}:\d{2}:\d{2}(?:\.\d+)?):\s*$/;
const DASHES = /^(.*?)-{20,}\s*$/;

export type TextFormat = "sip" | "sngrep" | "ngrep" | "siptrace" | "homer";

/** Which text format `text` is in, by its lines, or undefined when it holds no SIP start line at all. */
export function detectTextFormat(text: string): TextFormat | undefined {
  const head = text.slice(0, 20_000).split(/\r?\n/, 400);
  if (head.some((l) => SIPTRACE.test(l))) return "siptrace";
  if (head.some((l) => NGREP.test(l))) return "ngrep";
  if (head.some((l) => HOMER.test(l))) return "homer";
  if (head.some((l) => HEADED.test(l))) return "sngrep";
  return head.some((l) => START_LINE.test(l.trimStart())) || text.length > 20_000
    ? "sip"
    : undefined;
}

/** Messages of a text trace in the given format. */
export function readTextTrace(text: string, format: TextFormat): DialogMessage[] {
  if (format === "sip") return splitSip(text).map((t) => ({ text: t }));
  const lines = text.split(/\r?\n/);
  const out: DialogMessage[] = [];
  if (format === "siptrace") {
    // "recv 880 bytes from udp/[10.0.0.1]:5060 at 12:00:00.123456:" then a dashed
    // line, the message, a dashed line; each line may carry a log prefix or indent.
    for (let i = 0; i < lines.length; i++) {
      const m = SIPTRACE.exec(lines[i] as string);
      if (!m) continue;
      const [, dir, , , , addr, clock] = m as unknown as string[];
      let j = i + 1;
      const open = DASHES.exec(lines[j] ?? "");
      if (!open) continue;
      const indent = (open[1] ?? "").length;
      const body: string[] = [];
      for (j++; j < lines.length; j++) {
        const line = lines[j] as string;
        if (DASHES.test(line) && line.slice(indent).startsWith("---")) break;
        body.push(line.slice(0, indent).trim() === "" ? line.slice(indent) : line);
      }
      i = j;
      const where = (addr as string).replace(/^\[([^\]]+)\]/, "[$1]");
      const time = readClock(clock as string);
      for (const t of splitSip(body.join("\n"))) {
        const msg: DialogMessage = { text: t };
        if (time !== undefined) msg.time = time;
        if (dir === "recv") msg.src = where;
        else msg.dst = where;
        out.push(msg);
      }
    }
    return out;
  }
  const header = format === "ngrep" ? NGREP : format === "homer" ? HOMER : HEADED;
  let meta: { time?: number; src?: string; dst?: string } | undefined;
  let body: string[] = [];
  const flush = () => {
    if (!meta) return;
    let lines = body;
    const rows = format === "ngrep" ? ngrepRows(lines) : undefined;
    if (rows !== undefined) {
      // ngrep without -W byline: fixed-width rows, CR and LF shown as dots.
      for (const t of splitSip(rows)) out.push({ text: t, ...meta });
      return;
    }
    if (format === "ngrep" && /\.$/.test(lines[0] ?? "")) {
      // ngrep -W byline shows each CR as "."; a lone "." is the blank line before the body.
      lines = lines.map((l) => (l.endsWith(".") ? l.slice(0, -1) : l));
    }
    for (const t of splitSip(lines.join("\n"))) out.push({ text: t, ...meta });
  };
  for (const line of lines) {
    const m = header.exec(line);
    if (m) {
      flush();
      const [time, src, dst] = format === "ngrep" ? [m[2], m[3], m[4]] : [m[1], m[2], m[3]];
      meta = {};
      const t = time ? (format === "homer" ? readRfc3339(time) : readClock(time)) : undefined;
      if (t !== undefined) meta.time = t;
      const where = format === "homer" ? bracketed : (e: string) => e;
      if (src) meta.src = where(src);
      if (dst) meta.dst = where(dst);
      body = [];
      continue;
    }
    if (meta) body.push(line);
  }
  flush();
  return out;
}

/** "2001:db8::1:5060" (Homer writes IPv6 without brackets) → "[2001:db8::1]:5060". */
function bracketed(e: string): string {
  const colon = e.lastIndexOf(":");
  const ip = e.slice(0, colon);
  return ip.includes(":") && !ip.startsWith("[") ? `[${ip}]:${e.slice(colon + 1)}` : e;
}
