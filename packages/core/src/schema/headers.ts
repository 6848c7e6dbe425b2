import { z } from "zod";

/**
 * One value of a Reason header (RFC 3326), any protocol. SIP and Q.850 values
 * carry a numeric cause; others (a vendor's own protocol token) are kept as
 * received in `raw`.
 */
export const ReasonHeaderValue = z.object({
  /** "Q.850", "SIP", or the protocol token as received. */
  protocol: z.string(),
  cause: z.number().int().optional(),
  text: z.string().optional(),
  /** RFC 8606 `location` parameter, as received (U, LPN, LN, TN, RLN, RPN, LOC-INTL, BI). */
  location: z.string().optional(),
  /** What the location code stands for (ITU-T Q.850 §2.2.4), when it is a known one. */
  locationName: z.string().optional(),
  /** The value exactly as received. */
  raw: z.string(),
  /** For SIP values: the registered phrase of code `cause`; for Q.850 values: the cause name. */
  name: z.string().optional(),
  /** What this value says, in words, in the context of the message that carried it. */
  meaning: z.string().optional(),
});
export type ReasonHeaderValue = z.infer<typeof ReasonHeaderValue>;

/** A platform diagnostics header such as Microsoft's `ms-diagnostics: 510559;reason="...";source="..."`. */
export const DiagnosticsHeader = z.object({
  /** The header's name, lower case. */
  header: z.string(),
  /** The leading diagnostic code, as digits. */
  code: z.string(),
  reason: z.string().optional(),
  source: z.string().optional(),
  raw: z.string(),
});
export type DiagnosticsHeader = z.infer<typeof DiagnosticsHeader>;

/** A PBX's own hangup-cause header (Asterisk, FreeSWITCH, other `X-…Reason…`/`X-…Cause…`), kept verbatim. */
export const HangupHeader = z.object({
  /** The header's name as received. */
  header: z.string(),
  value: z.string(),
  /** The Q.850 cause it names, when it names one (a number or a PBX cause name). */
  cause: z.number().int().optional(),
  /** The Q.850 cause's name, when `cause` is set. */
  causeName: z.string().optional(),
});
export type HangupHeader = z.infer<typeof HangupHeader>;

/** Who produced a response: what it says about the sender, and whether the far end's dialog tag is there. */
export const Producer = z.object({
  server: z.string().optional(),
  userAgent: z.string().optional(),
  /** The To tag: set by the user agent (or proxy) that created the response. */
  toTag: z.string().optional(),
  /** The host of the topmost Via, the last hop that sent the request on. */
  via: z.string().optional(),
});
export type Producer = z.infer<typeof Producer>;

/** A Contact of a redirect (3xx), with its number-portability parameters (RFC 4694). */
export const RedirectContact = z.object({
  uri: z.string(),
  /** The routing number (`rn=`). */
  rn: z.string().optional(),
  /** `npdi`: the number-portability lookup has been done. */
  npdi: z.boolean(),
});
export type RedirectContact = z.infer<typeof RedirectContact>;

/** `Call-Info` values (RFC 3261 §20.9), e.g. the jCard of RFC 8688's `purpose=jwscard`. */
export const CallInfo = z.object({
  uri: z.string(),
  purpose: z.string().optional(),
});
export type CallInfo = z.infer<typeof CallInfo>;

/** The CSeq of a message: the request it belongs to (RFC 3261 §20.16). */
export const CSeq = z.object({ seq: z.number().int(), method: z.string() });
export type CSeq = z.infer<typeof CSeq>;

/** Headers that a code asks to be read (RFC 3261 and its extensions), each read into its own field. */
export const CodeHeaders = z.object({
  /** 422: the smallest session interval the far end accepts (RFC 4028 Min-SE). */
  minSe: z.number().int().optional(),
  /** 420: the option tags the far end does not support (Unsupported). */
  unsupported: z.array(z.string()).optional(),
  /** 405: the methods the far end allows (Allow). */
  allow: z.array(z.string()).optional(),
  /** 470: the URIs the sender lacks permission for (RFC 5360 Permission-Missing). */
  permissionMissing: z.array(z.string()).optional(),
  /** 401/407: the challenge says the nonce was stale (`stale=true`), not that the password was wrong. */
  authStale: z.boolean().optional(),
  /** 3xx: where the call is redirected to. */
  redirect: z.array(RedirectContact).optional(),
});
export type CodeHeaders = z.infer<typeof CodeHeaders>;
