import { z } from "zod";

/** A SIP code RFC 3398 §7.2.4.1 recommends for a cause arriving from ISUP. */
export const Q850SipMapping = z.object({
  code: z.number().int(),
  /** When the row applies only in a condition (for example "no answer"). */
  condition: z.string().optional(),
  /** The code to use instead when the location field says "user" (RFC 3398's footnotes). */
  userLocationCode: z.number().int().optional(),
});
export type Q850SipMapping = z.infer<typeof Q850SipMapping>;

/** A Q.850 cause value, explained, with its RFC 3398 mappings to and from SIP. */
export const Q850Cause = z.object({
  cause: z.number().int(),
  name: z.string(),
  /** The Q.850 class the cause belongs to (value >> 4), e.g. "normal event". */
  class: z.string(),
  nationalUse: z.boolean(),
  explanation: z.string(),
  userCaused: z.boolean(),
  /** The SIP code RFC 3398 §7.2.4.1 recommends when this cause arrives from ISUP. */
  sip: z.array(Q850SipMapping),
  /** True when RFC 3398 lists no row for the cause and its default (500) applies. */
  sipIsDefault: z.boolean(),
  /**
   * True for a cause RFC 3398 calls untranslatable (44): the originating
   * switch retries on another circuit and no SIP response is sent, so `sip`
   * is empty and the 500 default does not apply.
   */
  untranslatable: z.boolean().optional(),
  /** SIP codes that RFC 3398 §8.2.6.1 maps to this cause. */
  fromSip: z.array(z.number().int()),
});
export type Q850Cause = z.infer<typeof Q850Cause>;

/**
 * The SIP response a platform (a profile with a cause table) sends for a
 * Q.850 cause, beside what RFC 3398 §7.2.4.1 recommends (`platformCauseMapping`).
 */
export const PlatformCauseMapping = z.object({
  /** The profile whose table it is. */
  profile: z.string(),
  name: z.string(),
  cause: z.number().int(),
  /** The status code the platform answers with. */
  sip: z.number().int(),
  /** False when the cause is not in the platform's table and its fallback applies. */
  listed: z.boolean(),
  /** What RFC 3398 gives: its codes, none (cause 16: BYE or CANCEL), or untranslatable (44). */
  rfc3398: z.union([z.array(z.number().int()), z.literal("none"), z.literal("untranslatable")]),
  /** Whether the platform's code is not one RFC 3398 gives for the cause. */
  differs: z.boolean(),
  /** One sentence: what the platform sends and how it compares, in our words. */
  note: z.string(),
});
export type PlatformCauseMapping = z.infer<typeof PlatformCauseMapping>;
