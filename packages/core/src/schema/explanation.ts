import { z } from "zod";
import { Action, Audience, Cause, CodeClass, Direction, Outcome, Retry } from "./catalogue.ts";
import {
  CallInfo,
  CodeHeaders,
  DiagnosticsHeader,
  HangupHeader,
  Producer,
  ReasonHeaderValue,
} from "./headers.ts";

export const Q850Explained = z.object({
  cause: z.number().int(),
  name: z.string(),
  class: z.string(),
  explanation: z.string(),
  userCaused: z.boolean(),
  /** "reason-header" when the message carried it; "rfc3398" when it is the mapping for the code. */
  source: z.enum(["reason-header", "rfc3398"]),
  /** The text parameter of the Reason header, as received. */
  text: z.string().optional(),
  location: z.string().optional(),
  /** The SIP code RFC 3398 maps this cause to. */
  sipCode: z.number().int().optional(),
  note: z.string().optional(),
});
export type Q850Explained = z.infer<typeof Q850Explained>;

export const WarningExplained = z.object({
  code: z.number().int(),
  agent: z.string(),
  text: z.string(),
  meaning: z.string().optional(),
  action: z.string().optional(),
});
export type WarningExplained = z.infer<typeof WarningExplained>;

export const SubCodeExplained = z.object({
  subCode: z.string(),
  generatedBy: z.enum(["platform", "customer-sbc", "unclear"]),
  text: z.string().optional(),
  meaning: z.string(),
  action: z.string().optional(),
  /** True when the sub-code is not in the vendor's table and was read by its numbering rule. */
  inferred: z.boolean(),
  /** Set when the vendor documents this sub-code with other SIP codes than the one received. */
  mismatch: z.object({ documentedWith: z.array(z.number().int()), note: z.string() }).optional(),
});
export type SubCodeExplained = z.infer<typeof SubCodeExplained>;

/** The answer to "what does this code mean?" — the contract of the CLI's --json and the API. */
export const Explanation = z.object({
  code: z.number().int().min(100).max(699),
  /** The standard (registered) reason phrase of the code. */
  phrase: z.string(),
  /** The phrase the profile's platform sends with the code, where it differs from the standard one. */
  profilePhrase: z.string().optional(),
  class: CodeClass,
  className: z.string(),
  final: z.boolean(),
  registered: z.boolean(),
  /** Set when the code is unknown and its class's x00 code explains it (RFC 3261 §21). */
  fallback: z.object({ explainedAs: z.number().int(), note: z.string() }).optional(),
  received: z
    .object({
      phrase: z.string(),
      /** Whether the phrase is the standard one, a profile's own, or something else. */
      matches: z.enum(["standard", "profile", "other"]),
      profile: z.string().optional(),
    })
    .optional(),
  profile: z.object({
    id: z.string(),
    name: z.string(),
    requested: z.string(),
    /** "header" when a header the profile declares (ms-diagnostics, a Server name) chose it. */
    selectedBy: z.enum(["request", "phrase", "header"]),
    note: z.string().optional(),
    /**
     * Profiles whose meaning for this code was left out, and why: the received
     * phrase was not theirs, or the call's direction is not one they cover.
     * The standard text (or a less specific profile's) is used instead, and
     * `note` says so.
     */
    notApplied: z
      .array(z.object({ profile: z.string(), reason: z.enum(["phrase", "direction"]) }))
      .optional(),
  }),
  direction: Direction.optional(),
  audience: Audience,
  outcome: Outcome,
  summary: z.string(),
  /** Present for the operator audience. */
  operator: z
    .object({
      meaning: z.string(),
      causes: z.array(Cause),
      actions: z.array(Action),
    })
    .optional(),
  endUser: z.object({
    message: z.string(),
    actions: z.array(z.string()).optional(),
  }),
  retry: Retry.extend({
    /** The Retry-After the message carried. */
    after: z
      .object({
        seconds: z.number().int(),
        comment: z.string().optional(),
        duration: z.number().int().optional(),
      })
      .optional(),
  }),
  q850: Q850Explained.optional(),
  /** Q.850 causes that RFC 3398 maps to this code. */
  fromQ850: z.array(z.number().int()).optional(),
  warnings: z.array(WarningExplained).optional(),
  subCode: SubCodeExplained.optional(),
  related: z
    .array(z.object({ code: z.number().int(), phrase: z.string(), note: z.string() }))
    .optional(),
  /** Glossary terms the text uses; look them up with getGlossaryEntry(). */
  terms: z.array(z.string()).optional(),
  references: z.array(z.string()),
  /** A standard-level meaning the received phrase or a header selected (603 "Network Blocked"). */
  variant: z
    .object({
      id: z.string(),
      name: z.string(),
      /** The few words a one-line call summary uses for it. */
      brief: z.string(),
    })
    .optional(),
  /** The request the message answers (its CSeq), or the request itself, when it is not INVITE or is a request. */
  request: z
    .object({
      method: z.string(),
      /** True when the input was the request itself rather than a response to it. */
      isRequest: z.boolean(),
      note: z.string().optional(),
    })
    .optional(),
  /** Every Reason header value, in order, any protocol (RFC 3326, RFC 8606 location). */
  reasons: z.array(ReasonHeaderValue).optional(),
  /** Platform diagnostics headers (ms-diagnostics, ms-diagnostics-public). */
  diagnostics: z.array(DiagnosticsHeader).optional(),
  /** A PBX's own hangup-cause headers (X-Asterisk-HangupCause, X-FS-…), verbatim. */
  hangup: z.array(HangupHeader).optional(),
  /** Who produced the response: Server / User-Agent, the To tag, the top Via. */
  producedBy: Producer.optional(),
  /** Where a blocked caller can dispute the block (Call-Info purpose=jwscard, RFC 8688). */
  redress: z.array(CallInfo).optional(),
  /** The headers this code asks to be read (Min-SE, Unsupported, Allow, Permission-Missing, stale, 3xx Contacts). */
  codeHeaders: CodeHeaders.optional(),
  /** Things worth knowing about how the input was read (an option that did not apply, a header that chose the profile). */
  inputNotes: z.array(z.string()).optional(),
  /** Parts of the input that could not be read and were ignored. */
  skipped: z.array(z.string()).optional(),
});
export type Explanation = z.infer<typeof Explanation>;
