import { z } from "zod";
import { Action, Cause, Direction, GlossaryEntry, Outcome, Retry } from "./catalogue.ts";

const Text = z.string().trim().min(3).max(1200);

/** Fields a profile may change for one direction of a call. */
export const DirectionOverlay = z.strictObject({
  meaning: Text.optional(),
  causes: z.array(Cause).optional(),
  actions: z.array(Action).optional(),
  endUser: z.string().trim().min(10).max(400).optional(),
});
export type DirectionOverlay = z.infer<typeof DirectionOverlay>;

/**
 * How a profile changes one code. Text fields replace the standard text; causes
 * and actions are listed before the standard ones (they are what this platform
 * sees most), unless `replaceCauses` / `replaceActions` drops the standard ones.
 *
 * What an overlay covers: when it sets `phrase`, its meaning is the platform's
 * own for that phrase (and `phrases`) only, so a response received with any
 * other phrase gets the standard meaning; when it sets `directions`, a call in
 * another direction gets the standard meaning. Either way the explanation
 * carries a note saying so.
 */
export const CodeOverlay = z.strictObject({
  /** The reason phrase this platform sends with the code; other received phrases get the standard meaning. */
  phrase: z.string().trim().min(2).max(80).optional(),
  /** Other phrases that identify this platform's meaning when received. */
  phrases: z.array(z.string().trim().min(2).max(80)).optional(),
  /** The call directions the platform produces this meaning for; omitted means both. */
  directions: z.array(Direction).min(1).max(2).optional(),
  summary: z.string().trim().min(10).max(160).optional(),
  meaning: Text.optional(),
  causes: z.array(Cause).optional(),
  actions: z.array(Action).optional(),
  replaceCauses: z.boolean().optional(),
  replaceActions: z.boolean().optional(),
  endUser: z.string().trim().min(10).max(400).optional(),
  outcome: Outcome.optional(),
  /** Whether statistics should count this code as caused by the user rather than the network (NER). */
  userCaused: z.boolean().optional(),
  retry: Retry.partial().optional(),
  inbound: DirectionOverlay.optional(),
  outbound: DirectionOverlay.optional(),
  /** Where the facts for this overlay come from (a help page, a vendor document). */
  source: z.string().trim().min(3).max(300).optional(),
});
export type CodeOverlay = z.infer<typeof CodeOverlay>;

/** A vendor's finer-grained reason code carried beside the SIP code (Microsoft's sub-codes). */
export const SubCode = z.strictObject({
  /** The SIP code the vendor documents with this sub-code. */
  sip: z.number().int().min(100).max(699),
  /** The vendor's own error text for the sub-code, as the vendor shows it. */
  text: z.string().trim().min(1).max(400),
  /** Who produced the final response, as far as the vendor's numbering tells. */
  generatedBy: z.enum(["platform", "customer-sbc", "unclear"]),
  meaning: Text,
  action: Text,
});
export type SubCode = z.infer<typeof SubCode>;

/**
 * How a vendor numbers the sub-codes its table does not list, so one can still
 * be read (Microsoft: 560xxx means the customer's SBC sent SIP code xxx).
 * `match` is the sub-code's digits with `x` for each digit the rule does not
 * fix: "560xxx" takes 560403, "xxxxxx" any six digits. In `meaning` and
 * `action`, `{x}` stands for the digits the x's matched, read as a number.
 * Rules are tried in order after the table; the first that matches wins.
 */
export const SubCodeRule = z.strictObject({
  match: z
    .string()
    .regex(/^\d*x+$/, "digits, then one x for each free digit (e.g. 560xxx)")
    .max(7),
  /** Who produced the final response when a sub-code matches. */
  generatedBy: SubCode.shape.generatedBy,
  /**
   * Which SIP codes the family goes with: "x" when the free digits repeat the
   * SIP code (560486 with 486), or the codes the vendor documents it with.
   * A sub-code received with another SIP code is flagged. Omitted: any code.
   */
  sip: z.union([z.literal("x"), z.array(z.number().int().min(100).max(699)).min(1)]).optional(),
  meaning: Text,
  action: Text,
});
export type SubCodeRule = z.infer<typeof SubCodeRule>;

/**
 * One row of a platform's own table from Q.850 cause to the SIP response it
 * sends when it ends an unanswered call with that cause (read from its source
 * or documentation). Where the row differs from RFC 3398 §7.2.4.1 the core
 * says so; `note` adds why, in our words.
 */
export const CauseMapping = z.strictObject({
  cause: z.number().int().min(1).max(127),
  /** The status code the platform answers with. */
  sip: z.number().int().min(300).max(699),
  note: Text.optional(),
});
export type CauseMapping = z.infer<typeof CauseMapping>;

const HeaderName = z.string().regex(/^[a-z0-9][a-z0-9!%*_+`'~.-]*$/, "a header name in lower case");

/** A header that, when present (and containing `contains`, case-insensitively), selects a profile. */
export const HeaderMatch = z.strictObject({
  header: HeaderName,
  contains: z.string().min(2).max(100).optional(),
});
export type HeaderMatch = z.infer<typeof HeaderMatch>;

const CodeKey = z
  .string()
  .regex(/^[1-6]\d\d$/, "a SIP response code from 100 to 699")
  .refine((key) => Number(key) >= 100 && Number(key) <= 699);

export const ProfileId = z
  .string()
  .regex(/^[a-z][a-z0-9-]{1,31}$/, "lower-case letters, digits and '-', 2 to 32 characters");

export const Profile = z.strictObject({
  id: ProfileId,
  name: z.string().trim().min(2).max(80),
  description: z.string().trim().min(10).max(600),
  /** The profile this one overlays; built-in profiles extend the standard one. */
  extends: ProfileId.optional(),
  codes: z.record(CodeKey, CodeOverlay),
  /**
   * Sub-code tables keyed by "<sub-code>/<sip code>", since one sub-code can be
   * documented with more than one SIP code.
   */
  subCodes: z.record(z.string().regex(/^\d{1,7}\/[1-6]\d\d$/), SubCode).optional(),
  /** How to read a sub-code `subCodes` does not list; see SubCodeRule. */
  subCodeRules: z.array(SubCodeRule).optional(),
  glossary: z.array(GlossaryEntry).optional(),
  /**
   * Headers whose leading number is this platform's sub-code
   * (`ms-diagnostics: 510559;reason=...`), lower-case names. A response that
   * carries one is explained under this profile and its sub-code table.
   */
  subCodeHeaders: z.array(HeaderName).optional(),
  /** Other headers that show a response came from this platform (a Server name). */
  selectBy: z.array(HeaderMatch).optional(),
  /** The platform's Q.850 cause → SIP response table, one row per cause it lists. */
  causeMappings: z.array(CauseMapping).optional(),
  /** What it sends for a cause its table does not list. */
  causeDefault: z.strictObject({ sip: CauseMapping.shape.sip, note: Text }).optional(),
});
export type Profile = z.infer<typeof Profile>;
/** What a profile file may contain before defaults are applied. */
export type ProfileInput = z.input<typeof Profile>;
