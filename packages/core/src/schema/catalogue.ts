import { z } from "zod";

/** Which leg of a call a cause or piece of advice applies to, seen from the operator's platform. */
export const Direction = z.enum(["inbound", "outbound"]);
export type Direction = z.infer<typeof Direction>;

/** A cause may apply to one direction or to both. */
export const CauseDirection = z.enum(["inbound", "outbound", "both"]);
export type CauseDirection = z.infer<typeof CauseDirection>;

/** Who has to act on a piece of advice. */
export const Actor = z.enum(["operator", "end-user", "carrier"]);
export type Actor = z.infer<typeof Actor>;

export const Audience = z.enum(["operator", "end-user"]);
export type Audience = z.infer<typeof Audience>;

export const CodeClass = z.enum(["1xx", "2xx", "3xx", "4xx", "5xx", "6xx"]);
export type CodeClass = z.infer<typeof CodeClass>;

/**
 * What a final response means for a call, as statistics count it.
 * `provisional` is only used for 1xx, which never end a call.
 */
export const Outcome = z.enum([
  "provisional",
  "answered",
  "redirected",
  "auth-required",
  "busy",
  "no-answer",
  "cancelled",
  "rejected",
  "not-found",
  "unavailable",
  "request-error",
  "network-failure",
]);
export type Outcome = z.infer<typeof Outcome>;

const Sentence = z.string().trim().min(3).max(600);

export const Cause = z.object({
  text: Sentence,
  direction: CauseDirection,
});
export type Cause = z.infer<typeof Cause>;

export const Action = z.object({
  text: Sentence,
  actor: Actor,
  /** Limit an action to one direction; omitted means it applies to both. */
  direction: Direction.optional(),
});
export type Action = z.infer<typeof Action>;

export const Retry = z.object({
  /** Whether sending the same request again, unchanged, can succeed. */
  retryable: z.boolean(),
  /** Whether the response is expected to carry a Retry-After header. */
  retryAfter: z.enum(["expected", "optional", "never"]),
  note: Sentence,
});
export type Retry = z.infer<typeof Retry>;

export const RfcRef = z
  .string()
  .regex(/^RFC ?\d{3,5}( §\d+(\.\d+)*)?$/, "an RFC reference such as 'RFC 3261 §21.4.24'");

/** One SIP response code as the standard (RFC) defines it, in our own words. */
export const CodeEntry = z.object({
  code: z.number().int().min(100).max(699),
  /** The registered reason phrase (IANA), or the phrase in common use for an unregistered code. */
  phrase: z.string().min(2).max(80),
  /** False for codes that are not in the IANA registry but still show up in real traces. */
  registered: z.boolean(),
  /** Where the code was defined or where it is seen, for unregistered codes (e.g. "Kamailio"). */
  origin: z.string().min(2).max(120).optional(),
  rfcs: z.array(RfcRef),
  /** Other phrases seen in the wild for this code, recognised as equivalent to the standard one. */
  aliases: z.array(z.string().min(2).max(80)).optional(),
  summary: z.string().trim().min(10).max(160),
  meaning: z.string().trim().min(20).max(1200),
  causes: z.array(Cause).min(1),
  actions: z.array(Action).min(1),
  endUser: z.string().trim().min(10).max(400),
  outcome: Outcome,
  retry: Retry,
  related: z
    .array(
      z.object({
        code: z.number().int().min(100).max(699),
        note: z.string().trim().min(5).max(300),
      }),
    )
    .optional(),
  /** Search words that do not appear in the text (e.g. "codec" for 488). */
  keywords: z.array(z.string().min(2).max(40)).optional(),
});
export type CodeEntry = z.infer<typeof CodeEntry>;

/** The hand-written part of a Q.850 cause; name and class come from the reference table. */
export const Q850Text = z.object({
  explanation: z.string().trim().min(20).max(800),
  /** Whether the cause is caused by the called/calling user rather than the network. */
  userCaused: z.boolean(),
});
export type Q850Text = z.infer<typeof Q850Text>;

export const WarningCodeEntry = z.object({
  code: z.number().int().min(300).max(399),
  text: z.string().min(3).max(80),
  rfcs: z.array(RfcRef).min(1),
  meaning: z.string().trim().min(20).max(600),
  action: z.string().trim().min(10).max(400),
});
export type WarningCodeEntry = z.infer<typeof WarningCodeEntry>;

export const GlossaryEntry = z.object({
  term: z.string().min(2).max(40),
  /** Spellings that refer to the same term (e.g. "DDI" for "DID"). */
  aliases: z.array(z.string().min(2).max(40)).optional(),
  definition: z.string().trim().min(10).max(600),
  /** Matched case-sensitively as a whole word when finding terms used in text. */
  caseSensitive: z.boolean().optional(),
});
export type GlossaryEntry = z.infer<typeof GlossaryEntry>;
