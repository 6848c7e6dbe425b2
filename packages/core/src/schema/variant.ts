import { z } from "zod";
import { Action, Cause, Outcome, Retry } from "./catalogue.ts";

/** A standard-level meaning a code takes when a received phrase or header marks a specific use of it. */
export const CodeVariant = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9-]+$/),
  code: z.number().int().min(100).max(699),
  name: z.string().min(3).max(80),
  /** Received phrases (normalised when compared) that select this meaning. */
  phrases: z.array(z.string().min(2).max(80)),
  /** A `Call-Info` purpose that selects this meaning with this code. */
  callInfoPurpose: z.string().optional(),
  summary: z.string().trim().min(10).max(160),
  meaning: z.string().trim().min(20).max(1200),
  causes: z.array(Cause).min(1),
  actions: z.array(Action).min(1),
  endUser: z.string().trim().min(10).max(400),
  outcome: Outcome,
  userCaused: z.boolean(),
  retry: Retry,
  /** The short words a one-line call summary uses for it. */
  brief: z.string().min(5).max(80),
  references: z.array(z.string().min(3)).min(1),
});
export type CodeVariant = z.infer<typeof CodeVariant>;
