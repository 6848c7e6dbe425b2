import { HANGUP_CAUSE_NAMES, sipCodeForQ850 } from "@sipcodes/core";
import type { CallRecord } from "./event.ts";

/** What an adapter made of one provider callback. */
export type Adapted =
  | { kind: "event"; event: CallRecord }
  | { kind: "ignored"; reason: string }
  | { kind: "invalid"; message: string };

const invalid = (message: string): Adapted => ({ kind: "invalid", message });
const ignored = (reason: string): Adapted => ({ kind: "ignored", reason });

function sipCode(value: unknown): number | undefined {
  const n =
    typeof value === "number" ? value : typeof value === "string" ? Number(value.trim()) : NaN;
  return Number.isInteger(n) && n >= 100 && n <= 699 ? n : undefined;
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim().slice(0, 200) : undefined;
}

function text(value: unknown, max: number): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim().slice(0, max) : undefined;
}

// ------------------------------------------------------------------ Twilio

const TWILIO_FINAL: Record<string, number | undefined> = {
  completed: 200,
  busy: 486,
  "no-answer": 480,
  canceled: 487,
  failed: undefined,
};

/**
 * A Twilio Voice status callback (form fields). The final callback carries
 * `SipResponseCode`; without it a final `CallStatus` maps to its usual code
 * (busy 486, no-answer 480, canceled 487, completed 200) and `failed` is
 * ignored rather than guessed. Earlier callbacks (ringing, in-progress) are ignored.
 */
export function fromTwilio(
  params: Record<string, string>,
  options: { trunk: string; now: number },
): Adapted {
  const sid = nonEmpty(params.CallSid);
  if (!sid) return invalid("CallSid is missing");
  const status = params.CallStatus ?? "";
  const code = sipCode(params.SipResponseCode) ?? TWILIO_FINAL[status];
  if (code === undefined) {
    return ignored(
      status in TWILIO_FINAL
        ? `${status} without SipResponseCode`
        : `status ${status || "missing"}`,
    );
  }
  const parsed = params.Timestamp ? Date.parse(params.Timestamp) : NaN;
  const dir = params.Direction ?? "";
  return {
    kind: "event",
    event: {
      id: `twilio:${sid}`,
      time: Number.isFinite(parsed) ? parsed : options.now,
      code,
      direction:
        dir === "inbound" || dir === "trunking-originating"
          ? "inbound"
          : dir
            ? "outbound"
            : undefined,
      trunk: options.trunk,
      customer: nonEmpty(params.AccountSid),
    },
  };
}

// ------------------------------------------------------------------- Telnyx

/**
 * A Telnyx Call Control webhook. Only `call.hangup` counts, with its
 * `sip_hangup_cause` (the final SIP code); the connection is the trunk.
 */
export function fromTelnyx(body: unknown, options: { trunk: string; now: number }): Adapted {
  const data = (body as { data?: Record<string, unknown> } | null)?.data;
  if (typeof data !== "object" || data === null) return invalid("data is missing");
  if (data.event_type !== "call.hangup") return ignored(`event_type ${String(data.event_type)}`);
  const payload = data.payload as Record<string, unknown> | undefined;
  if (typeof payload !== "object" || payload === null) return invalid("data.payload is missing");
  const code = sipCode(payload.sip_hangup_cause);
  if (code === undefined) return ignored(`sip_hangup_cause ${String(payload.sip_hangup_cause)}`);
  const id = nonEmpty(data.id) ?? nonEmpty(payload.call_leg_id);
  if (!id) return invalid("data.id is missing");
  const at = Date.parse(String(data.occurred_at ?? payload.end_time ?? ""));
  const dir = payload.direction;
  return {
    kind: "event",
    event: {
      id: `telnyx:${id}`,
      time: Number.isFinite(at) ? at : options.now,
      code,
      direction:
        dir === "incoming" || dir === "inbound"
          ? "inbound"
          : dir === "outgoing" || dir === "outbound"
            ? "outbound"
            : undefined,
      trunk: nonEmpty(payload.connection_id) ?? options.trunk,
      customer: undefined,
    },
  };
}

// --------------------------------------------------------------- FreeSWITCH

/**
 * The SIP code of a FreeSWITCH hangup cause: its Q.850 cause (core's table of
 * FreeSWITCH's cause names) mapped by RFC 3398. NORMAL_CLEARING on a JSON CDR
 * is a call that was answered and hung up.
 */
export function sipCodeOfHangupCause(name: string): number | undefined {
  if (name === "ORIGINATOR_CANCEL") return 487;
  const cause = HANGUP_CAUSE_NAMES[name];
  if (cause === undefined) return undefined;
  if (cause === 16) return 200;
  return sipCodeForQ850(cause);
}

/**
 * A `mod_json_cdr` record. The code is `variables.sip_term_status`; a CDR
 * without one (a call that never reached SIP) falls back to `hangup_cause`
 * mapped through Q.850 → SIP (RFC 3398). Trunk: the gateway; customer: the
 * accountcode; id: the channel uuid. The phrase is `sip_hangup_phrase` (the
 * status line's phrase of the final response), else
 * `sip_invite_failure_phrase`; the Reason header is `sip_reason`, when set.
 */
export function fromFreeswitch(body: unknown, options: { now: number }): Adapted {
  if (typeof body !== "object" || body === null) return invalid("the CDR is not a JSON object");
  const cdr = body as Record<string, unknown>;
  const vars = cdr.variables as Record<string, unknown> | undefined;
  if (typeof vars !== "object" || vars === null) return invalid("variables is missing");
  const channel = (cdr.channel_data ?? {}) as Record<string, unknown>;
  const id =
    nonEmpty(vars.uuid) ??
    nonEmpty(vars.call_uuid) ??
    nonEmpty(
      (cdr.callflow as { caller_profile?: { uuid?: unknown } } | undefined)?.caller_profile?.uuid,
    );
  if (!id) return invalid("variables.uuid is missing");
  const cause = typeof vars.hangup_cause === "string" ? vars.hangup_cause : "";
  const code = sipCode(vars.sip_term_status) ?? sipCodeOfHangupCause(cause);
  if (code === undefined) return ignored(`no sip_term_status, hangup_cause ${cause || "missing"}`);
  const micro = Number(vars.end_uepoch);
  const seconds = Number(vars.end_epoch);
  const time = micro > 0 ? Math.floor(micro / 1000) : seconds > 0 ? seconds * 1000 : options.now;
  const dir = vars.direction ?? channel.direction;
  return {
    kind: "event",
    event: {
      id: `freeswitch:${id}`,
      time,
      code,
      direction: dir === "inbound" ? "inbound" : dir === "outbound" ? "outbound" : undefined,
      trunk: nonEmpty(vars.sip_gateway_name) ?? nonEmpty(vars.sip_profile_name),
      customer: nonEmpty(vars.accountcode),
      // Only with the code they came with: a code mapped from hangup_cause has no phrase of its own.
      ...(sipCode(vars.sip_term_status) !== undefined
        ? {
            phrase: nonEmpty(vars.sip_hangup_phrase) ?? nonEmpty(vars.sip_invite_failure_phrase),
            reason: text(vars.sip_reason, 1000),
          }
        : {}),
    },
  };
}
