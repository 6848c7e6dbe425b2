import type {
  CallInfo,
  CodeHeaders,
  CSeq,
  DiagnosticsHeader,
  HangupHeader,
  Producer,
  ReasonHeaderValue,
} from "../../schema/headers.ts";
import { readDiagnostics } from "./diagnostics.ts";
import { readCallInfo, readCodeHeaders, readCSeq, tagOf, topVia } from "./per-code.ts";
import { readReasons } from "./reason.ts";
import { isHangupHeader, readHangupHeader } from "./vendor.ts";

export { readDiagnostics } from "./diagnostics.ts";
export { readCallInfo, readCodeHeaders, readCSeq, tagOf, topVia } from "./per-code.ts";
export { REASON_LOCATIONS, readReasons } from "./reason.ts";
export { isHangupHeader, q850CauseForName, readHangupHeader } from "./vendor.ts";

/** Header names whose value is a `<code>;reason=...;source=...` diagnostics list. */
export const DIAGNOSTICS_HEADERS = ["ms-diagnostics", "ms-diagnostics-public"] as const;

/** The header fields readCauseHeaders reads for any message (every `x-` field is read too). */
export const CAUSE_HEADER_NAMES: readonly string[] = [
  "reason",
  "warning",
  "retry-after",
  ...DIAGNOSTICS_HEADERS,
  "server",
  "user-agent",
  "to",
  "via",
  "cseq",
  "call-info",
];

/** The fields only some codes ask for (readCodeHeaders), by the codes that read them. */
export function codeHeaderNames(code: number): readonly string[] {
  if (code === 0) return NONE;
  if (code >= 300 && code < 400) return CONTACT;
  if (code === 401 || code === 407) return AUTH;
  if (code === 405) return ALLOW;
  if (code === 422) return MIN_SE;
  if (code === 470) return PERMISSION;
  return UNSUPPORTED;
}
// One array per group, so callers can cache by identity.
const NONE: readonly string[] = [];
const CONTACT = ["contact"] as const;
const AUTH = ["www-authenticate", "proxy-authenticate"] as const;
const ALLOW = ["allow"] as const;
const MIN_SE = ["min-se"] as const;
const PERMISSION = ["permission-missing"] as const;
const UNSUPPORTED = ["unsupported"] as const;

/** Everything a message's headers say about why it was sent and by whom. */
export interface CauseHeaders {
  reasons: ReasonHeaderValue[];
  diagnostics: DiagnosticsHeader[];
  hangup: HangupHeader[];
  producer: Producer;
  callInfo: CallInfo[];
  cseq?: CSeq;
  codeHeaders: CodeHeaders;
}

/**
 * Reads the headers that name a cause or a sender from a parsed message's
 * header map (lower-case names, values in order, as parseInput returns it).
 * `code` is the response code, for the headers that only one code defines;
 * leave it out for a request.
 */
export function readCauseHeaders(
  headers: Readonly<Record<string, readonly string[]>>,
  code?: number,
  /** The Reason values when already read (parseInput's `allReasons`). */
  reasons?: ReasonHeaderValue[],
): CauseHeaders {
  const diagnostics: DiagnosticsHeader[] = [];
  for (const name of DIAGNOSTICS_HEADERS) {
    const values = headers[name];
    if (values) diagnostics.push(...readDiagnostics(name, values));
  }
  const hangup: HangupHeader[] = [];
  for (const name in headers) {
    if (name.charCodeAt(0) !== 120 || !isHangupHeader(name)) continue;
    for (const value of headers[name] ?? []) hangup.push(readHangupHeader(name, value));
  }
  const producer: Producer = {};
  const server = headers.server?.[0];
  const ua = headers["user-agent"]?.[0];
  const toTag = tagOf(headers.to?.[0]);
  const via = topVia(headers.via?.[0]).host;
  if (server) producer.server = server;
  if (ua) producer.userAgent = ua;
  if (toTag) producer.toTag = toTag;
  if (via) producer.via = via;
  const out: CauseHeaders = {
    reasons: reasons ?? (headers.reason ? readReasons(headers.reason) : []),
    diagnostics,
    hangup,
    producer,
    callInfo: readCallInfo(headers["call-info"]),
    codeHeaders: code === undefined ? {} : readCodeHeaders(code, headers),
  };
  const cseq = readCSeq(headers.cseq?.[0]);
  if (cseq) out.cseq = cseq;
  return out;
}
