import { SipcodesError } from "../errors.ts";
import type { ReasonHeaderValue } from "../schema/headers.ts";
import { readReasons } from "./headers/reason.ts";

/** Longest input accepted, in characters: a SIP message over UDP cannot exceed 65,535 bytes. */
export const MAX_INPUT_LENGTH = 65_536;

export interface ReasonValue {
  /** "Q.850", "SIP", or another protocol token as received. */
  protocol: string;
  cause: number;
  text?: string;
  /** The Q.850 location parameter some gateways add (e.g. "LN", "PU"). */
  location?: string;
}

export interface WarningValue {
  code: number;
  agent: string;
  text: string;
}

export interface RetryAfterValue {
  seconds: number;
  comment?: string;
  duration?: number;
}

export interface ParsedInput {
  kind: "code" | "status-line" | "response" | "reason" | "request";
  /** For a request: its method (INVITE, CANCEL, BYE...) and Request-URI. */
  method?: string;
  requestUri?: string;
  /** Absent only for a Reason header carrying a Q.850 cause, which explain() maps to a code. */
  code?: number;
  /** The reason phrase as received, when the input carried one. */
  phrase?: string;
  /** Reason header values with a numeric cause, in order. */
  reasons: ReasonValue[];
  /** Every Reason header value of any protocol, in order (set when the message had a Reason field). */
  allReasons?: ReasonHeaderValue[];
  warnings: WarningValue[];
  retryAfter?: RetryAfterValue;
  /** Header fields by lower-case full name (compact forms expanded), values in order. */
  headers?: Record<string, string[]>;
  /** Header lines that could not be read; the rest of the message still counts. */
  skipped?: string[];
}

/** RFC 3261 §7.3.3 compact header names, plus the ones later RFCs added. */
const compactNames: Record<string, string> = {
  a: "accept-contact",
  b: "referred-by",
  c: "content-type",
  d: "request-disposition",
  e: "content-encoding",
  f: "from",
  i: "call-id",
  j: "reject-contact",
  k: "supported",
  l: "content-length",
  m: "contact",
  n: "identity-info",
  o: "event",
  r: "refer-to",
  s: "subject",
  t: "to",
  u: "allow-events",
  v: "via",
  x: "session-expires",
  y: "identity",
};

/** Header names as most equipment spells them, mapped to the lower-case full name (skips re-checking them). */
const knownNames = new Map<string, string>();
for (const name of [
  "Via",
  "From",
  "To",
  "Call-ID",
  "CSeq",
  "Contact",
  "Record-Route",
  "Route",
  "Max-Forwards",
  "Content-Length",
  "Content-Type",
  "Server",
  "User-Agent",
  "Allow",
  "Supported",
  "Require",
  "Reason",
  "Warning",
  "Retry-After",
  "P-Asserted-Identity",
  "Session-Expires",
  "Min-SE",
  "Accept",
  "Allow-Events",
  "Date",
  "Timestamp",
  "Organization",
  "Expires",
]) {
  knownNames.set(name, name.toLowerCase());
  knownNames.set(name.toLowerCase(), name.toLowerCase());
}
knownNames.set("Call-Id", "call-id");
knownNames.set("Cseq", "cseq");
for (const [short, full] of Object.entries(compactNames)) knownNames.set(short, full);
for (const [short, full] of Object.entries(compactNames)) knownNames.set(short.toUpperCase(), full);

const STATUS_LINE = /^SIP\/(\d+\.\d+)[ \t]+(\d{3})(?:[ \t]+(.*))?$/i;
const CODE_WITH_PHRASE = /^(\d{1,4})(?:[ \t]+(.+))?$/;
const REQUEST_LINE = /^([A-Z][A-Z-]*)[ \t]+(\S+)[ \t]+SIP\/\d+\.\d+$/i;

function checkCode(code: number, raw: string): number {
  if (code < 100 || code > 699) {
    throw new SipcodesError(
      "code_out_of_range",
      `${raw} is not a SIP response code: codes run from 100 to 699`,
    );
  }
  return code;
}

function hasBinary(text: string): boolean {
  // NUL and the C0 controls other than tab, CR and LF never appear in a SIP start line or header.
  return /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFD]/.test(text);
}

/**
 * Reads what a user pasted: a bare code (486), a code with its phrase
 * ("603 MaxPeak Cost Exceeded"), a status line, a whole SIP response, or a
 * Reason header value. Throws SipcodesError with a precise message otherwise.
 */
export interface ParseOptions {
  /**
   * "all" (default) returns every header field in `headers`; "interpreted"
   * reads only the fields sipcodes explains (Reason, Warning, Retry-After),
   * which is what explain() needs and several times faster on a long message.
   * Unreadable lines are then reported in `skipped` only when they could have
   * been one of those fields.
   */
  headers?: "all" | "interpreted";
  /**
   * Keep only these header fields (lower-case full names) plus every `x-`
   * field; overrides `headers`. explain() passes the fields it reads, which
   * saves copying the rest of a long message.
   */
  keep?: ReadonlySet<string> | ((code: number) => ReadonlySet<string>);
}

export function parseInput(input: unknown, options: ParseOptions = {}): ParsedInput {
  if (typeof input === "number") {
    if (!Number.isInteger(input)) {
      throw new SipcodesError(
        "invalid_input",
        `${input} is not a whole number, so it is not a SIP code`,
      );
    }
    return { kind: "code", code: checkCode(input, String(input)), reasons: [], warnings: [] };
  }
  if (typeof input !== "string") {
    throw new SipcodesError(
      "invalid_input",
      `expected a SIP code, status line, response or Reason header as text, got ${input === null ? "null" : typeof input}`,
    );
  }
  if (input.length > MAX_INPUT_LENGTH) {
    throw new SipcodesError(
      "input_too_large",
      `input is ${input.length} characters; the limit is ${MAX_INPUT_LENGTH} (the largest SIP message UDP can carry)`,
    );
  }
  const text = input.replace(/^\uFEFF/, "").trim();
  if (text === "")
    throw new SipcodesError("empty_input", "input is empty: give a SIP code such as 486");

  const lineEnd = text.search(/\r?\n|\r/);
  const first = (lineEnd === -1 ? text : text.slice(0, lineEnd)).trim();
  if (hasBinary(first)) {
    throw new SipcodesError(
      "binary_input",
      "input holds binary or control characters, not SIP text",
    );
  }

  if (/^\d+$/.test(first) && lineEnd === -1) {
    return { kind: "code", code: checkCode(Number(first), first), reasons: [], warnings: [] };
  }

  const status = STATUS_LINE.exec(first);
  if (status) {
    const [, version, digits, rawPhrase] = status as unknown as [string, string, string, string?];
    if (version !== "2.0") {
      throw new SipcodesError(
        "unsupported_version",
        `SIP/${version} is not a SIP version in use; responses start with SIP/2.0`,
      );
    }
    const code = checkCode(Number(digits), digits);
    const phrase = rawPhrase?.trim() || undefined;
    if (lineEnd === -1) {
      return {
        kind: "status-line",
        code,
        ...(phrase ? { phrase } : {}),
        reasons: [],
        warnings: [],
      };
    }
    return parseHeaders(text.slice(lineEnd), code, phrase, keepOf(options, code));
  }

  if (/^HTTP\/\d/i.test(first)) {
    throw new SipcodesError(
      "not_sip",
      `"${clip(first)}" is an HTTP status line, not SIP; SIP responses start with SIP/2.0`,
    );
  }
  if (/^SIP\//i.test(first)) {
    throw new SipcodesError(
      "invalid_status_line",
      `"${clip(first)}" is not a valid status line; expected "SIP/2.0 <code> <reason phrase>"`,
    );
  }
  const request = REQUEST_LINE.exec(first);
  if (request && lineEnd !== -1) {
    // A request with headers: its Reason (CANCEL, BYE) is what explain() reads.
    const parsed = parseHeaders(text.slice(lineEnd), 0, undefined, keepOf(options, 0));
    parsed.kind = "request";
    parsed.method = (request[1] as string).toUpperCase();
    parsed.requestUri = request[2] as string;
    const sip = parsed.reasons.find((r) => r.protocol === "SIP");
    if (sip && sip.cause >= 100 && sip.cause <= 699) parsed.code = sip.cause;
    else delete parsed.code;
    return parsed;
  }
  if (request) {
    throw new SipcodesError(
      "not_a_response",
      `"${clip(first)}" is a SIP request line; give the response to it (a line starting with SIP/2.0)`,
    );
  }

  const reasonText = first.replace(/^reason[ \t]*:[ \t]*/i, "");
  if (/^[A-Za-z][\w.-]*[ \t]*;/.test(reasonText) && lineEnd === -1) {
    const reasons = parseReasonHeader(reasonText);
    const primary = reasons.find((r) => r.protocol.toUpperCase() === "SIP");
    // A SIP reason names the code directly; a Q.850 reason is turned into a code by the caller.
    return {
      kind: "reason",
      ...(primary ? { code: checkCode(primary.cause, String(primary.cause)) } : {}),
      ...(primary?.text ? { phrase: primary.text } : {}),
      reasons,
      warnings: [],
    };
  }

  const withPhrase = CODE_WITH_PHRASE.exec(first);
  if (withPhrase && lineEnd === -1) {
    const [, digits, rawPhrase] = withPhrase as unknown as [string, string, string?];
    const code = checkCode(Number(digits), digits);
    const phrase = rawPhrase?.trim();
    return { kind: "status-line", code, ...(phrase ? { phrase } : {}), reasons: [], warnings: [] };
  }

  throw new SipcodesError(
    "invalid_input",
    `cannot read "${clip(first)}": expected a SIP code (486), a status line (SIP/2.0 486 Busy Here), a SIP response, or a Reason header (Q.850;cause=17)`,
  );
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** First letters (lower-cased) of the fields explain() reads: reason, retry-after, warning. */
const INTERPRETED_FIRST = new Set([114, 119]);
const INTERPRETED = new Set(["reason", "warning", "retry-after"]);

/** The fields to keep for a message with this code (0 for a request), or undefined for all of them. */
function keepOf(options: ParseOptions, code: number): ReadonlySet<string> | undefined {
  const keep = options.keep;
  if (typeof keep === "function") return keep(code);
  return keep ?? (options.headers === "interpreted" ? INTERPRETED : undefined);
}

function addHeader(headers: Record<string, string[]>, name: string, value: string): void {
  const list = headers[name];
  if (list) list.push(value);
  else headers[name] = [value];
}

function isTokenChar(c: number): boolean {
  // RFC 3261 token characters: alphanumerics and -.!%*_+`'~
  return (
    (c >= 97 && c <= 122) ||
    (c >= 65 && c <= 90) ||
    (c >= 48 && c <= 57) ||
    c === 45 ||
    c === 46 ||
    c === 33 ||
    c === 37 ||
    c === 42 ||
    c === 95 ||
    c === 43 ||
    c === 96 ||
    c === 39 ||
    c === 126
  );
}

/**
 * Reads the header section after the status line in one pass: unfolds
 * continuation lines (RFC 3261 §7.3.1), expands compact names, stops at the
 * blank line before the body. Written as an index walk because it is the hot
 * path of explaining a pasted response.
 */
function parseHeaders(
  rest: string,
  code: number,
  phrase: string | undefined,
  keep: ReadonlySet<string> | undefined,
): ParsedInput {
  const text = rest.includes("\n") ? rest : rest.replace(/\r/g, "\n");
  const headers: Record<string, string[]> = {};
  const skipped: string[] = [];
  const n = text.length;
  let pos = 0;
  let name: string | undefined;
  let value = "";
  let sawField = false;
  while (pos < n) {
    let nl = text.indexOf("\n", pos);
    if (nl === -1) nl = n;
    let end = nl;
    if (end > pos && text.charCodeAt(end - 1) === 13) end--;
    if (end === pos) {
      if (sawField) {
        // The blank line: the body follows.
        break;
      }
      pos = nl + 1;
      continue;
    }
    const first = text.charCodeAt(pos);
    if ((first === 32 || first === 9) && sawField) {
      if (name !== undefined) value += ` ${text.slice(pos, end).trim()}`;
      pos = nl + 1;
      continue;
    }
    if (name !== undefined) addHeader(headers, name, value);
    name = undefined;
    sawField = true;
    if (keep === INTERPRETED && !INTERPRETED_FIRST.has(first | 0x20)) {
      // Only Reason, Warning and Retry-After are read: other lines are skipped unread.
      pos = nl + 1;
      continue;
    }
    const colon = text.indexOf(":", pos);
    let nameEnd = colon === -1 || colon > end ? -1 : colon;
    while (
      nameEnd > pos &&
      (text.charCodeAt(nameEnd - 1) === 32 || text.charCodeAt(nameEnd - 1) === 9)
    )
      nameEnd--;
    let valid = nameEnd > pos;
    if (valid && !knownNames.has(text.slice(pos, nameEnd))) {
      for (let i = pos; valid && i < nameEnd; i++) valid = isTokenChar(text.charCodeAt(i));
    }
    if (!valid) {
      skipped.push(clip(text.slice(pos, end)));
      pos = nl + 1;
      continue;
    }
    const raw = text.slice(pos, nameEnd);
    const known = knownNames.get(raw);
    if (known !== undefined) {
      name = known;
    } else {
      const lower = raw.toLowerCase();
      name = compactNames[lower] ?? lower;
    }
    if (keep !== undefined && !keep.has(name) && !(keep !== INTERPRETED && name.startsWith("x-"))) {
      name = undefined;
    } else {
      value = text.slice(colon + 1, end).trim();
    }
    pos = nl + 1;
  }
  if (name !== undefined) addHeader(headers, name, value);

  const allReasons = headers.reason ? readAllReasons(headers.reason, skipped) : undefined;
  const reasons: ReasonValue[] = [];
  for (const r of allReasons ?? []) {
    if (r.cause === undefined) continue;
    const v: ReasonValue = { protocol: r.protocol, cause: r.cause };
    if (r.text) v.text = r.text;
    if (r.location) v.location = r.location;
    reasons.push(v);
  }
  const warnings = (headers.warning ?? []).flatMap((value) => parseWarningHeader(value, skipped));
  const retryAfter = headers["retry-after"]?.[0];
  const parsedRetry = retryAfter === undefined ? undefined : parseRetryAfter(retryAfter);
  if (retryAfter !== undefined && !parsedRetry) skipped.push(`Retry-After: ${clip(retryAfter)}`);

  // Plain assignments rather than conditional spreads: this is the hot path.
  const parsed: ParsedInput = { kind: "response", code, reasons, warnings, headers };
  if (phrase) parsed.phrase = phrase;
  if (parsedRetry) parsed.retryAfter = parsedRetry;
  if (allReasons) parsed.allReasons = allReasons;
  if (skipped.length) parsed.skipped = skipped;
  return parsed;
}

/**
 * Every Reason value of any protocol (kept verbatim when it has no numeric
 * cause); a SIP or Q.850 value without a readable cause is also reported in
 * `skipped`, since those two protocols require one (RFC 3326).
 */
function readAllReasons(values: string[], skipped: string[]): ReasonHeaderValue[] {
  const clean = values.filter((value) => {
    if (!hasBinary(value)) return true;
    skipped.push("Reason: (binary data)");
    return false;
  });
  const all = readReasons(clean);
  for (const r of all) {
    if (r.cause === undefined && (r.protocol === "SIP" || r.protocol === "Q.850"))
      skipped.push(`Reason: ${clip(r.raw)}`);
  }
  return all;
}

/** Splits a header value on commas that are not inside a quoted string. */
function splitList(value: string): string[] {
  if (!value.includes('"')) {
    return value
      .split(",")
      .map((p) => p.trim())
      .filter((p) => p !== "");
  }
  const parts: string[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === "\\" && quoted) {
      current += ch + (value[i + 1] ?? "");
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
      current += ch;
    } else if (ch === "," && !quoted) {
      parts.push(current);
      current = "";
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p !== "");
}

function unquote(value: string): string {
  const v = value.trim();
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) {
    return v.slice(1, -1).replace(/\\(.)/g, "$1");
  }
  return v;
}

/**
 * Reads a Reason header value (RFC 3326): `Q.850;cause=17;text="User busy"`,
 * possibly several separated by commas.
 */
export function parseReasonHeader(value: string): ReasonValue[] {
  const text = value.replace(/^reason[ \t]*:[ \t]*/i, "").trim();
  const reasons = splitList(text).map((item) => {
    const [protocolPart, ...params] = splitParams(item);
    const protocol = (protocolPart ?? "").trim();
    if (!/^[A-Za-z][\w.-]*$/.test(protocol)) {
      throw new SipcodesError(
        "invalid_reason",
        `"${clip(item)}" is not a Reason value: it must start with a protocol such as Q.850 or SIP`,
      );
    }
    let cause: number | undefined;
    let reasonText: string | undefined;
    let location: string | undefined;
    for (const param of params) {
      const eq = param.indexOf("=");
      const key = (eq === -1 ? param : param.slice(0, eq)).trim().toLowerCase();
      const val = eq === -1 ? "" : param.slice(eq + 1).trim();
      if (key === "cause") {
        if (!/^\d{1,5}$/.test(val)) {
          throw new SipcodesError("invalid_reason", `Reason cause "${clip(val)}" is not a number`);
        }
        cause = Number(val);
      } else if (key === "text") {
        reasonText = unquote(val);
      } else if (key === "location") {
        location = unquote(val);
      }
    }
    if (cause === undefined) {
      throw new SipcodesError(
        "invalid_reason",
        `Reason value "${clip(item)}" has no cause parameter`,
      );
    }
    return {
      protocol:
        protocol.toUpperCase() === "Q.850"
          ? "Q.850"
          : protocol.toUpperCase() === "SIP"
            ? "SIP"
            : protocol,
      cause,
      ...(reasonText ? { text: reasonText } : {}),
      ...(location ? { location } : {}),
    };
  });
  if (reasons.length === 0) throw new SipcodesError("invalid_reason", "the Reason header is empty");
  return reasons;
}

function splitParams(item: string): string[] {
  if (!item.includes('"')) return item.split(";");
  const parts: string[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < item.length; i++) {
    const ch = item[i];
    if (ch === "\\" && quoted) {
      current += ch + (item[i + 1] ?? "");
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
      current += ch;
    } else if (ch === ";" && !quoted) {
      parts.push(current);
      current = "";
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}

const WARNING = /^(\d{3})[ \t]+(\S+)[ \t]+("(?:[^"\\]|\\.)*")$/;

/** Reads a Warning header value (RFC 3261 §20.43): `399 sbc.example.com "text"`, comma-separated. */
export function parseWarningHeader(value: string, skipped: string[] = []): WarningValue[] {
  if (hasBinary(value)) {
    skipped.push("Warning: (binary data)");
    return [];
  }
  return splitList(value).flatMap((item) => {
    const m = WARNING.exec(item);
    if (!m) {
      skipped.push(`Warning: ${clip(item)}`);
      return [];
    }
    return [{ code: Number(m[1]), agent: m[2] as string, text: unquote(m[3] as string) }];
  });
}

/** Reads a Retry-After value (RFC 3261 §20.33): `120 (in a meeting);duration=3600`. */
export function parseRetryAfter(value: string): RetryAfterValue | undefined {
  const m = /^(\d{1,10})[ \t]*(?:\(([^)]*)\))?[ \t]*(.*)$/.exec(value.trim());
  if (!m) return undefined;
  const seconds = Number(m[1]);
  const comment = m[2]?.trim();
  const duration = /(?:^|;)[ \t]*duration[ \t]*=[ \t]*(\d{1,10})/i.exec(m[3] ?? "")?.[1];
  const result: RetryAfterValue = { seconds };
  if (comment) result.comment = comment;
  if (duration !== undefined) result.duration = Number(duration);
  return result;
}
