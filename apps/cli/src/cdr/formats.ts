import { HANGUP_CAUSE_NAMES } from "@sipcodes/core";

/**
 * The CDR formats `sipcode stats` and `sipcode alerts backtest` read: for
 * each platform, which of its columns supplies each field of a call record.
 * The README's "CDR formats" section documents the same tables; keep them
 * together.
 */

/** Fields of one call record, each read from at most one column. */
export const FIELDS = [
  "code",
  "protoCause",
  "q850",
  "causeName",
  "disposition",
  "status",
  "successful",
  "method",
  "direction",
  "trunk",
  "customer",
  "time",
  "answer",
  "progress",
  "end",
  "billsec",
  "duration",
  "reason",
  "subcode",
  "callid",
  "timeAttr",
  "timeExten",
  "fromTag",
] as const;
export type Field = (typeof FIELDS)[number];

/** Fields that can give the final outcome: a row needs at least one of these columns. */
export const OUTCOME_FIELDS: readonly Field[] = [
  "code",
  "protoCause",
  "q850",
  "causeName",
  "disposition",
  "status",
  "successful",
];

export const FORMAT_IDS = [
  "generic",
  "freeswitch",
  "kamailio-acc",
  "asterisk",
  "teams",
  "twilio",
  "telnyx",
] as const;
export type FormatId = (typeof FORMAT_IDS)[number];

/** What `--format` accepts: a platform, `auto`, or `csv`/`ndjson` (the generic mapping, syntax forced). */
export const FORMAT_CHOICES = ["auto", ...FORMAT_IDS, "csv", "ndjson"] as const;
export type FormatChoice = (typeof FORMAT_CHOICES)[number];

export interface FormatSpec {
  id: FormatId;
  title: string;
  /** Candidate column names per field, best first; compared without case, spaces, '_' or '-'. */
  columns: Partial<Record<Field, readonly string[]>>;
  /** Columns that, all present, make auto-detection pick this format (with at least one of `any`). */
  signature?: { all: readonly string[]; any: readonly string[] };
  /** The column order of files this platform writes with no header row. */
  headerless?: {
    columns: readonly string[];
    /** True when a first line with no header looks like one of these rows. */
    looksLike: (cells: readonly string[]) => boolean;
  };
  /** A billed time or an answer time means the call was answered. */
  answeredFromTimes?: boolean;
  /** A SIP code of 0 means the call succeeded. */
  zeroIsAnswered?: boolean;
  /** Turns a raw trunk cell into the trunk name (Asterisk: the channel without its sequence). */
  trunkName?: (raw: string) => string;
  /** Words the platform writes in the code column when it has no SIP code (compared without case). */
  noCode?: readonly string[];
  /**
   * One row per transaction: an answered call's length is the time from its
   * INVITE row to the BYE row of the same call id (Kamailio acc).
   */
  pairsByeRows?: boolean;
  /**
   * Rows carry a call id (and maybe a From tag), one per transaction: a
   * 401/407 followed by an INVITE row of the same call is a digest challenge
   * and its retry, one attempt (see challenges.ts).
   */
  retriesChallenges?: boolean;
  /**
   * The profile whose hangup-cause table the platform answers calls with: a
   * cause on its rows (CALL_REJECTED, hangup_cause_q850) is read as the SIP
   * response the platform sent for it (FreeSWITCH: 603), not RFC 3398's (403).
   */
  causeTable?: string;
}

const CODE_COLUMNS = [
  "sip_code",
  "sipcode",
  "sip_status",
  "sip_status_code",
  "sip_response_code",
  "sipresponsecode",
  "hangup_sip_code",
  "sip_hangup_cause",
  "sip_term_status",
  "final_sip_code",
  "finalsipcode",
  "response_code",
  "status_code",
  "status",
  "code",
];
const TIME_COLUMNS = [
  "time",
  "timestamp",
  "start_time",
  "end_time",
  "start_stamp",
  "end_stamp",
  "started_at",
  "ended_at",
  "starttime",
  "endtime",
  "start",
  "end",
  "calldate",
  "date",
];
const TRUNK_COLUMNS = [
  "trunk",
  "trunk_id",
  "trunk_name",
  "gateway",
  "sip_gateway",
  "sip_gateway_name",
  "carrier",
];
const CUSTOMER_COLUMNS = [
  "customer",
  "customer_id",
  "account",
  "account_id",
  "accountcode",
  "tenant",
  "tenant_id",
];
const DIRECTION_COLUMNS = ["direction", "call_direction", "calldirection", "call_type", "calltype"];

/** A FreeSWITCH hangup-cause name as its example template writes it. */
const isCauseName = (cell: string) =>
  HANGUP_CAUSE_NAMES[cell] !== undefined ||
  /^(ORIGINATOR_CANCEL|LOSE_RACE|PICKED_OFF|ALLOTTED_TIMEOUT|MEDIA_TIMEOUT|USER_NOT_REGISTERED|PROGRESS_TIMEOUT|GATEWAY_DOWN|SUCCESS)$/.test(
    cell,
  );
const STAMP = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/;
const DISPOSITIONS = new Set(["ANSWERED", "NO ANSWER", "BUSY", "FAILED", "CONGESTION"]);

/** Asterisk cdr_csv (Master.csv): no header row, this order; the last three only with newcdrcolumns=yes. */
export const ASTERISK_COLUMNS = [
  "accountcode",
  "src",
  "dst",
  "dcontext",
  "clid",
  "channel",
  "dstchannel",
  "lastapp",
  "lastdata",
  "start",
  "answer",
  "end",
  "duration",
  "billsec",
  "disposition",
  "amaflags",
  "uniqueid",
  "userfield",
  "peeraccount",
  "linkedid",
  "sequence",
] as const;

/** FreeSWITCH mod_cdr_csv's example template, which writes no header row. */
export const FREESWITCH_TEMPLATE_COLUMNS = [
  "caller_id_name",
  "caller_id_number",
  "destination_number",
  "context",
  "start_stamp",
  "answer_stamp",
  "end_stamp",
  "duration",
  "billsec",
  "hangup_cause",
  "uuid",
  "bleg_uuid",
  "accountcode",
  "read_codec",
  "write_codec",
] as const;

export const FORMATS: Record<FormatId, FormatSpec> = {
  generic: {
    id: "generic",
    title: "generic CSV/NDJSON with a SIP code column",
    columns: {
      code: CODE_COLUMNS,
      method: ["method", "sip_method", "request_method"],
      direction: DIRECTION_COLUMNS,
      trunk: TRUNK_COLUMNS,
      customer: CUSTOMER_COLUMNS,
      time: TIME_COLUMNS,
      billsec: ["billsec", "billable_seconds", "bill_sec"],
      duration: ["duration", "duration_sec", "duration_seconds", "call_duration"],
      reason: ["sip_reason", "reason", "reason_phrase", "phrase", "sip_phrase"],
      subcode: ["subcode", "sub_code", "sub_reason", "callendsubreason"],
      callid: ["call_id", "sip_call_id"],
      fromTag: ["from_tag"],
    },
    retriesChallenges: true,
  },
  freeswitch: {
    id: "freeswitch",
    causeTable: "freeswitch",
    title: "FreeSWITCH mod_cdr_csv (channel variables as columns)",
    columns: {
      code: ["sip_term_status"],
      protoCause: ["proto_specific_hangup_cause", "last_bridge_proto_specific_hangup_cause"],
      q850: ["hangup_cause_q850"],
      causeName: ["hangup_cause"],
      direction: ["direction", "call_direction"],
      trunk: ["sip_gateway_name", ...TRUNK_COLUMNS],
      customer: ["accountcode", ...CUSTOMER_COLUMNS],
      time: ["start_stamp"],
      answer: ["answer_stamp"],
      progress: ["progress_stamp", "progress_media_stamp"],
      end: ["end_stamp"],
      billsec: ["billsec"],
      duration: ["duration"],
      reason: ["hangup_cause"],
    },
    signature: {
      all: ["hangup_cause"],
      any: [
        "sip_term_status",
        "proto_specific_hangup_cause",
        "sip_gateway_name",
        "start_stamp",
        "answer_stamp",
        "billsec",
      ],
    },
    headerless: {
      columns: FREESWITCH_TEMPLATE_COLUMNS,
      looksLike: (cells) =>
        cells.length === FREESWITCH_TEMPLATE_COLUMNS.length &&
        isCauseName(cells[9] ?? "") &&
        STAMP.test(cells[4] ?? ""),
    },
    answeredFromTimes: true,
  },
  "kamailio-acc": {
    id: "kamailio-acc",
    title: "Kamailio acc (one row per transaction)",
    columns: {
      method: ["method"],
      // The acc table's names, then the keys of acc's log lines (code=, reason=, call_id=).
      code: ["sip_code", "code"],
      reason: ["sip_reason", "reason"],
      time: ["time", "timestamp"],
      direction: DIRECTION_COLUMNS,
      trunk: TRUNK_COLUMNS,
      customer: CUSTOMER_COLUMNS,
      duration: ["duration"],
      callid: ["callid", "call_id"],
      fromTag: ["from_tag"],
      // acc's time_mode 1 writes whole seconds to time_attr and microseconds
      // to time_exten; time_mode 2 writes seconds.milliseconds to time_attr.
      timeAttr: ["time_attr"],
      timeExten: ["time_exten"],
    },
    pairsByeRows: true,
    retriesChallenges: true,
    signature: { all: ["method", "sip_code"], any: ["from_tag", "to_tag", "callid", "sip_reason"] },
  },
  asterisk: {
    id: "asterisk",
    causeTable: "asterisk",
    title: "Asterisk cdr_csv Master.csv (no header), or a CDR table with these column names",
    columns: {
      disposition: ["disposition"],
      q850: ["hangupcause", "hangup_cause"],
      code: ["sip_code", "hangupsipcode"],
      customer: ["accountcode"],
      trunk: ["dstchannel"],
      time: ["start", "calldate"],
      answer: ["answer"],
      end: ["end"],
      billsec: ["billsec"],
      duration: ["duration"],
      reason: ["disposition"],
      direction: DIRECTION_COLUMNS,
    },
    signature: { all: ["disposition", "billsec"], any: ["dcontext", "lastapp", "dstchannel"] },
    headerless: {
      columns: ASTERISK_COLUMNS,
      looksLike: (cells) => cells.length >= 16 && DISPOSITIONS.has(cells[14] ?? ""),
    },
    trunkName: (raw) => raw.replace(/-[0-9a-f]+(;\d+)?$/i, ""),
  },
  teams: {
    id: "teams",
    title: "Microsoft Teams Direct Routing / PSTN call logs (Graph directRoutingLogRow)",
    columns: {
      code: ["finalSipCode"],
      successful: ["successfulCall"],
      reason: ["finalSipCodePhrase"],
      subcode: ["callEndSubReason"],
      trunk: ["trunkFullyQualifiedDomainName"],
      direction: ["callType"],
      customer: ["tenantId", "userPrincipalName"],
      time: ["inviteDateTime", "startDateTime"],
      answer: ["startDateTime"],
      end: ["endDateTime"],
      duration: ["duration"],
    },
    signature: {
      all: ["finalSipCode"],
      any: [
        "callEndSubReason",
        "trunkFullyQualifiedDomainName",
        "successfulCall",
        "inviteDateTime",
      ],
    },
    zeroIsAnswered: true,
  },
  twilio: {
    id: "twilio",
    title: "Twilio call logs (console export or the Calls API)",
    columns: {
      code: ["SipResponseCode", "sip_response_code"],
      status: ["status", "call_status"],
      direction: ["direction"],
      trunk: ["trunk_sid"],
      customer: ["account_sid"],
      time: ["start_time", "date_created"],
      end: ["end_time"],
      duration: ["duration"],
      reason: ["status", "call_status"],
    },
    signature: {
      all: ["status", "direction"],
      any: ["sid", "call_sid", "parent_call_sid", "account_sid", "answered_by", "price_unit"],
    },
  },
  telnyx: {
    // Where the names come from: the call.hangup webhook payload in Telnyx's
    // OpenAPI spec (as generated into team-telnyx/telnyx-python,
    // types/call_hangup_webhook_event.py: call_control_id, call_leg_id,
    // call_session_id, connection_id, start_time, hangup_cause, hangup_source,
    // and sip_hangup_cause, which Telnyx sets to "unspecified" when it has no
    // SIP response, inbound calls for one); the sip-trunking records of the
    // Detail Record Search API (call_sec, the call's length, and billed_sec,
    // that length rounded up to the billing increment; started_at,
    // finished_at); and the portal's CDR report ("Understanding Telnyx CDR",
    // support.telnyx.com/en/articles/1130662: "Answer Timestamp", "Billable
    // time", "Call duration", "Connection ID", "Account id"). Billed seconds
    // are rounded up, so they never feed ACD or the answer test: the call's
    // own length does.
    id: "telnyx",
    title: "Telnyx call records (call.hangup events, detail records, the portal's CDR report)",
    columns: {
      code: ["sip_hangup_cause", "sip_response_code", "sip_code"],
      causeName: ["hangup_cause"],
      reason: ["hangup_cause"],
      direction: ["direction"],
      trunk: ["connection_name", "connection_id"],
      customer: [...CUSTOMER_COLUMNS, "user_id"],
      time: ["start_time", "started_at", "start_timestamp"],
      answer: ["answer_timestamp", "answered_at"],
      end: ["finished_at", "end_time", "ended_at", "end_timestamp"],
      billsec: ["call_sec", "call_duration"],
      duration: ["call_sec", "call_duration"],
    },
    signature: {
      all: ["hangup_cause"],
      any: [
        "hangup_source",
        "sip_hangup_cause",
        "call_control_id",
        "call_session_id",
        "call_leg_id",
        "connection_id",
      ],
    },
    answeredFromTimes: true,
    noCode: ["unspecified"],
  },
};

export const norm = (name: string): string =>
  name
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, "");

export function findColumn(header: readonly string[], wanted: readonly string[]): number {
  const names = header.map(norm);
  for (const candidate of wanted) {
    const i = names.indexOf(norm(candidate));
    if (i !== -1) return i;
  }
  return -1;
}

export interface Detection {
  format: FormatId;
  auto: boolean;
  why: string;
}

/**
 * Picks the platform whose signature columns a header holds. Two platforms
 * that match equally well are ambiguous: the caller asks for --format.
 */
export function detectFormat(header: readonly string[]): Detection | { ambiguous: FormatId[] } {
  const names = new Set(header.map(norm));
  const scored: { id: FormatId; found: string[] }[] = [];
  for (const spec of Object.values(FORMATS)) {
    const sig = spec.signature;
    if (!sig?.all.every((c) => names.has(norm(c)))) continue;
    const any = sig.any.filter((c) => names.has(norm(c)));
    if (any.length === 0) continue;
    scored.push({ id: spec.id, found: [...sig.all, ...any] });
  }
  scored.sort((a, b) => b.found.length - a.found.length);
  const best = scored[0];
  if (!best) {
    return {
      format: "generic",
      auto: true,
      why: "no platform's signature columns; reading the generic mapping",
    };
  }
  const tied = scored.filter((s) => s.found.length === best.found.length);
  if (tied.length > 1) return { ambiguous: tied.map((s) => s.id) };
  return { format: best.id, auto: true, why: `header has ${best.found.join(", ")}` };
}

/** Direction words platforms write, folded to inbound/outbound. */
export function toDirection(value: string | undefined): "inbound" | "outbound" | undefined {
  if (!value) return undefined;
  const v = value.trim().toLowerCase();
  switch (v) {
    case "inbound":
    case "in":
    case "incoming":
    case "ingress":
    case "terminating":
    case "byotin":
      return "inbound";
    case "outbound":
    case "out":
    case "outgoing":
    case "egress":
    case "originating":
    case "outbound-api":
    case "outbound-dial":
    case "byotout":
    case "byotoutuserforwarding":
    case "byotoutusertransfer":
      return "outbound";
    default:
      // Teams PSTN call types: user_in, user_out, ucap_in, emergency_out...
      if (/^[a-z]+_in$/.test(v)) return "inbound";
      if (/^[a-z]+_out$/.test(v)) return "outbound";
      return undefined;
  }
}
