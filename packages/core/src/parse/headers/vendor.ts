import { getQ850Cause } from "../../catalogue/q850.ts";
import type { HangupHeader } from "../../schema/headers.ts";
import { HANGUP_CAUSE_NAMES } from "../../stats/outcome.ts";
import { readReasons } from "./reason.ts";

/**
 * The Q.850 cause a PBX cause name stands for: FreeSWITCH's names
 * (`USER_BUSY`, `NORMAL_CLEARING`), Asterisk's words for them ("Normal
 * Clearing", "User busy"), case and separators ignored. Undefined for a name
 * neither uses.
 */
export function q850CauseForName(name: string): number | undefined {
  const key = name
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, "_");
  return HANGUP_CAUSE_NAMES[key];
}

/** Header names (lower case) that carry a PBX's hangup cause or a reason of its own. */
export function isHangupHeader(name: string): boolean {
  return name.startsWith("x-") && /hangup|cause|reason|disconnect/.test(name);
}

/**
 * Reads a PBX's own hangup-cause header (`X-Asterisk-HangupCause: Normal
 * Clearing`, `X-Asterisk-HangupCauseCode: 16`, FreeSWITCH `X-FS-Hangup-Cause:
 * USER_BUSY`, any other `X-…Reason…`): the value verbatim, and the Q.850 cause
 * when the value is a cause number (in a header whose name says cause), a
 * cause name, or a Reason-style `Q.850;cause=N`.
 */
export function readHangupHeader(header: string, value: string): HangupHeader {
  const out: HangupHeader = { header, value };
  const v = value.trim();
  let cause: number | undefined;
  if (/^\d{1,3}$/.test(v) && /cause|code/i.test(header)) cause = Number(v);
  else if (/^q\.850[ \t]*;/i.test(v)) cause = readReasons([v])[0]?.cause;
  else cause = q850CauseForName(v);
  if (cause !== undefined && cause >= 1 && cause <= 127) {
    out.cause = cause;
    const known = getQ850Cause(cause);
    if (known) out.causeName = known.name;
  }
  return out;
}
