import { z } from "zod";

/** What a profile changes, in a form the CLI and API can list (`summarizeProfile`). */
export const ProfileSummary = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  /** The profile it builds on, when it has one. */
  extends: z.string().optional(),
  /** The codes it gives its own meaning to, in order. */
  codes: z.array(z.number().int()),
  /** How many vendor sub-codes it explains, when it has any. */
  subCodes: z.number().int().optional(),
});
export type ProfileSummary = z.infer<typeof ProfileSummary>;
