import { getQ850Cause, sipToQ850 } from "../catalogue/q850.ts";
import type { Outcome } from "../schema/catalogue.ts";

/**
 * Turning what a CDR row records into one final SIP code. Platforms record
 * the end of a call in different ways: a SIP code, a SIP code inside a
 * protocol-specific cause (`sip:486`), a Q.850 cause value, a hangup-cause
 * name, a disposition word or a status word. `finalOutcome` tries each source
 * the row has, in a fixed order, and says which one it used, or why none
 * gives a final response.
 */

/** Why a row is not counted as a call attempt. */
export type SkipReason =
  | "non-invite"
  | "in-dialog"
  | "auth-retried"
  | "acc-missed"
  | "provisional"
  | "no-outcome"
  | "bad-value";

export const SKIP_REASONS: readonly SkipReason[] = [
  "non-invite",
  "in-dialog",
  "auth-retried",
  "acc-missed",
  "provisional",
  "no-outcome",
  "bad-value",
];

/** How each skip reason reads in a table or a report. */
export const SKIP_REASON_LABELS: Readonly<Record<SkipReason, string>> = {
  "non-invite": "not an INVITE",
  "in-dialog": "re-INVITE inside an answered call",
  "auth-retried": "auth challenge, retried",
  "acc-missed": 'acc "call missed" line (its transaction line is counted)',
  provisional: "provisional response only",
  "no-outcome": "no usable outcome",
  "bad-value": "a value that could not be read",
};

/** Which recorded value gave the final code. */
export type OutcomeSource =
  | "sip-code"
  | "proto-cause"
  | "answered"
  | "q850"
  | "cause-name"
  | "disposition"
  | "status";

/** The raw cells a CDR row offers; any may be missing. */
export interface OutcomeInput {
  /** A SIP status code: 486, "486", "486 Busy Here", "sip:486". */
  sipCode?: unknown;
  /** A protocol-specific cause such as FreeSWITCH's `sip:486` or `q850:17`. */
  protoCause?: unknown;
  /** A Q.850 cause value, 1-127. */
  q850?: unknown;
  /** A hangup-cause name: USER_BUSY, NORMAL_CLEARING, originator_cancel... */
  causeName?: unknown;
  /** An Asterisk disposition: ANSWERED, NO ANSWER, BUSY, FAILED, CONGESTION. */
  disposition?: unknown;
  /** A call-status word: completed, busy, no-answer, failed, canceled. */
  status?: unknown;
  /** True when the row shows the call was answered (billed seconds, an answer time). */
  answered?: boolean;
  /** The SIP code 0 means the call succeeded (Microsoft's `finalSipCode`). */
  zeroIsAnswered?: boolean;
  /**
   * The SIP response the platform that wrote the row sends for a Q.850 cause
   * (its own table: FreeSWITCH answers CALL_REJECTED with 603 where RFC 3398
   * gives 403); RFC 3398's mapping where absent or undefined. Not asked for
   * cause 16, normal clearing, which says no more than that the call ended.
   */
  causeToSip?: ((cause: number) => number | undefined) | undefined;
}

export type FinalOutcome =
  | { ok: true; code: number; source: OutcomeSource }
  | { ok: false; reason: SkipReason; detail: string };

/**
 * Hangup-cause names as FreeSWITCH writes them (its cause table; Telnyx
 * writes the same names in lower case) with their Q.850 values. Names above
 * 127 are FreeSWITCH's own and have no Q.850 value; only ORIGINATOR_CANCEL
 * (the caller gave up, sent as SIP 487) gives a final response.
 */
export const HANGUP_CAUSE_NAMES: Readonly<Record<string, number>> = {
  UNALLOCATED_NUMBER: 1,
  NO_ROUTE_TRANSIT_NET: 2,
  NO_ROUTE_DESTINATION: 3,
  CHANNEL_UNACCEPTABLE: 6,
  CALL_AWARDED_DELIVERED: 7,
  NORMAL_CLEARING: 16,
  USER_BUSY: 17,
  NO_USER_RESPONSE: 18,
  NO_ANSWER: 19,
  SUBSCRIBER_ABSENT: 20,
  CALL_REJECTED: 21,
  NUMBER_CHANGED: 22,
  REDIRECTION_TO_NEW_DESTINATION: 23,
  EXCHANGE_ROUTING_ERROR: 25,
  DESTINATION_OUT_OF_ORDER: 27,
  INVALID_NUMBER_FORMAT: 28,
  FACILITY_REJECTED: 29,
  RESPONSE_TO_STATUS_ENQUIRY: 30,
  NORMAL_UNSPECIFIED: 31,
  NORMAL_CIRCUIT_CONGESTION: 34,
  NETWORK_OUT_OF_ORDER: 38,
  NORMAL_TEMPORARY_FAILURE: 41,
  SWITCH_CONGESTION: 42,
  ACCESS_INFO_DISCARDED: 43,
  REQUESTED_CHAN_UNAVAIL: 44,
  PRE_EMPTED: 45,
  FACILITY_NOT_SUBSCRIBED: 50,
  OUTGOING_CALL_BARRED: 52,
  INCOMING_CALL_BARRED: 54,
  BEARERCAPABILITY_NOTAUTH: 57,
  BEARERCAPABILITY_NOTAVAIL: 58,
  SERVICE_UNAVAILABLE: 63,
  BEARERCAPABILITY_NOTIMPL: 65,
  CHAN_NOT_IMPLEMENTED: 66,
  FACILITY_NOT_IMPLEMENTED: 69,
  SERVICE_NOT_IMPLEMENTED: 79,
  INVALID_CALL_REFERENCE: 81,
  INCOMPATIBLE_DESTINATION: 88,
  INVALID_MSG_UNSPECIFIED: 95,
  MANDATORY_IE_MISSING: 96,
  MESSAGE_TYPE_NONEXIST: 97,
  WRONG_MESSAGE: 98,
  IE_NONEXIST: 99,
  INVALID_IE_CONTENTS: 100,
  WRONG_CALL_STATE: 101,
  RECOVERY_ON_TIMER_EXPIRE: 102,
  MANDATORY_IE_LENGTH_ERROR: 103,
  PROTOCOL_ERROR: 111,
  INTERWORKING: 127,
};

/** Cause names that stand for a SIP code directly rather than a Q.850 value. */
const CAUSE_NAME_SIP: Readonly<Record<string, number>> = {
  ORIGINATOR_CANCEL: 487,
};

/** Asterisk dispositions (cdr.c) and the Q.850 cause each stands for. */
const DISPOSITION_Q850: Readonly<Record<string, number>> = {
  BUSY: 17,
  "NO ANSWER": 19,
  NOANSWER: 19,
  CONGESTION: 34,
};

/** Call-status words (Twilio's call resource) and the Q.850 cause each stands for. */
const STATUS_Q850: Readonly<Record<string, number>> = { busy: 17, "no-answer": 19 };
const STATUS_IN_PROGRESS = new Set(["queued", "initiated", "ringing", "in-progress"]);

/** Cause names folded to FreeSWITCH's spelling, remembered: a CDR repeats a few dozen names. */
const causeKeys = new Map<string, string>();
function causeKey(name: string): string {
  let key = causeKeys.get(name);
  if (key === undefined) {
    key = name.toUpperCase().replace(/[\s-]+/g, "_");
    if (causeKeys.size < 1000) causeKeys.set(name, key);
  }
  return key;
}

const text = (value: unknown): string | undefined => {
  if (value === undefined || value === null) return undefined;
  const s = String(value).trim();
  return s === "" ? undefined : s;
};

const clip = (s: string) => (s.length > 24 ? `${s.slice(0, 24)}…` : s);

/**
 * Reads a SIP code out of a cell: "486", "486 Busy Here", "sip:486",
 * "SIP/2.0 486 Busy Here". Returns undefined for an empty cell and NaN for
 * text that holds no code.
 */
export function readSipCode(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isInteger(value) ? value : Number.NaN;
  let s = text(value);
  if (s === undefined) return undefined;
  if (/^sip:/i.test(s)) s = s.slice(4);
  else if (/^SIP\/2\.0 /i.test(s)) s = s.slice(8);
  const m = /^(\d{1,3})(?:$|[\s;,])/.exec(s);
  return m ? Number(m[1]) : Number.NaN;
}

/** The SIP code RFC 3398 §7.2.4.1 gives for a Q.850 cause, or undefined (cause 16, or no such cause). */
export function sipCodeForQ850(cause: number): number | undefined {
  const found = getQ850Cause(cause);
  return found?.sip[0]?.code;
}

/**
 * The final SIP code a CDR row records, from the first source that gives
 * one: the SIP code, a `sip:NNN` cause, an answer (shown by times, an
 * ANSWERED disposition or a completed status), a Q.850 cause, a cause name,
 * a disposition, a status word. A Q.850 cause or name becomes SIP
 * through RFC 3398 §7.2.4.1.
 */
export function finalOutcome(input: OutcomeInput): FinalOutcome {
  const notes: string[] = [];
  let bad: string | undefined;
  const fromCode = (
    raw: unknown,
    source: OutcomeSource,
    what: string,
  ): FinalOutcome | undefined => {
    const code = readSipCode(raw);
    if (code === undefined) return undefined;
    if (code === 0 && input.zeroIsAnswered) return { ok: true, code: 200, source };
    if (code >= 200 && code <= 699) return { ok: true, code, source };
    if (code >= 100 && code <= 199)
      return { ok: false, reason: "provisional", detail: `${what} ${code} is provisional` };
    const shown = `"${clip(String(raw).trim())}" is not a SIP code (100-699)`;
    bad ??= what === "SIP code" ? shown : `${what} ${shown}`;
    return undefined;
  };
  const fromQ850 = (
    cause: number,
    source: OutcomeSource,
    label: string,
  ): FinalOutcome | undefined => {
    const code = (cause === 16 ? undefined : input.causeToSip?.(cause)) ?? sipCodeForQ850(cause);
    if (code !== undefined) return { ok: true, code, source };
    const note =
      cause === 16
        ? "normal clearing (Q.850 cause 16) without an answer"
        : `${label} has no SIP mapping`;
    if (!notes.includes(note)) notes.push(note);
    return undefined;
  };

  const a = fromCode(input.sipCode, "sip-code", "SIP code");
  if (a) return a;
  const proto = text(input.protoCause);
  if (proto !== undefined) {
    const q = /^q850:(\d+)$/i.exec(proto);
    if (q) {
      const r = fromQ850(Number(q[1]), "proto-cause", proto);
      if (r) return r;
    } else {
      const r = fromCode(proto, "proto-cause", "cause");
      if (r) return r;
    }
  }
  if (input.answered) return { ok: true, code: 200, source: "answered" };
  // An answer the platform states in words outranks any cause it also
  // records (Asterisk keeps the hangup cause of an answered call).
  const disposition = text(input.disposition)?.toUpperCase();
  if (disposition === "ANSWERED") return { ok: true, code: 200, source: "disposition" };
  const status = text(input.status)?.toLowerCase();
  if (status === "completed") return { ok: true, code: 200, source: "status" };

  const q850 = text(input.q850);
  if (q850 !== undefined) {
    const cause = /^\d{1,3}$/.test(q850) ? Number(q850) : Number.NaN;
    if (cause >= 1 && cause <= 127) {
      const r = fromQ850(cause, "q850", `Q.850 cause ${cause}`);
      if (r) return r;
    } else if (cause !== 0) bad ??= `Q.850 cause "${clip(q850)}" is not 1-127`;
  }
  const name = text(input.causeName);
  if (name !== undefined) {
    const key = causeKey(name);
    const sip = CAUSE_NAME_SIP[key];
    if (sip !== undefined) return { ok: true, code: sip, source: "cause-name" };
    const cause = HANGUP_CAUSE_NAMES[key];
    if (cause !== undefined) {
      const r = fromQ850(cause, "cause-name", name);
      if (r) return r;
    } else notes.push(`hangup cause ${clip(name)} has no SIP or Q.850 equivalent`);
  }
  if (disposition !== undefined) {
    const cause = DISPOSITION_Q850[disposition];
    if (cause !== undefined) {
      const r = fromQ850(cause, "disposition", disposition);
      if (r) return r;
    } else notes.push(`disposition ${clip(disposition)} names no cause`);
  }
  if (status !== undefined) {
    if (status === "canceled" || status === "cancelled")
      return { ok: true, code: 487, source: "status" };
    const cause = STATUS_Q850[status];
    if (cause !== undefined) {
      const r = fromQ850(cause, "status", `status ${status}`);
      if (r) return r;
    } else if (STATUS_IN_PROGRESS.has(status))
      return {
        ok: false,
        reason: "provisional",
        detail: `status ${status}: the call had not ended`,
      };
    else notes.push(`status ${clip(status)} gives no final response`);
  }
  if (bad !== undefined) return { ok: false, reason: "bad-value", detail: bad };
  return {
    ok: false,
    reason: "no-outcome",
    detail: notes.length ? notes.join("; ") : "no SIP code, cause or status",
  };
}

/** How a final response counts for the network effectiveness ratio (ITU-T E.411). */
export type NerClass = "answered" | "user" | "network";

/**
 * E.411 counts as effective for the network: answer, user busy, no answer
 * from an alerted user, and the called user's rejection. So: 2xx answered;
 * busy and caller-cancelled outcomes are the users'; "no answer" and
 * "unavailable" outcomes are the users' only when the Q.850 cause RFC 3398
 * §8.2.6.1 gives for the code is a user cause (480 -> 18 is; 408 -> 102, a
 * timer expiry, and 430 -> 31 are not); a rejection is the user's for 603
 * Decline and 607 Unwanted. A profile's explicit `userCaused` wins.
 */
export function nerClass(code: number, outcome: Outcome, userCaused?: boolean): NerClass {
  if (code >= 200 && code < 300) return "answered";
  if (userCaused !== undefined) return userCaused ? "user" : "network";
  if (outcome === "busy" || outcome === "cancelled") return "user";
  if (outcome === "no-answer" || outcome === "unavailable") {
    const cause = sipToQ850(code)?.cause;
    return cause !== undefined && getQ850Cause(cause)?.userCaused === true ? "user" : "network";
  }
  if (outcome === "rejected" && (code === 603 || code === 607)) return "user";
  return "network";
}
