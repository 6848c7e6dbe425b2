import { z } from "zod";
import { type LabelName, Labels } from "./labels.ts";

/** An alert's labels: what silences match and groups are made of. */
export type AlertLabels = Partial<Record<LabelName, string>>;

export const Matcher = z
  .strictObject({
    name: z.enum(Labels),
    value: z.string().max(500),
    /** `=` equal, `!=` not equal, `=~` regex (anchored, like Alertmanager), `!~` regex not matching. */
    op: z.enum(["=", "!=", "=~", "!~"]).default("="),
  })
  .superRefine((m, ctx) => {
    if (m.op !== "=~" && m.op !== "!~") return;
    try {
      new RegExp(`^(?:${m.value})$`);
    } catch (error) {
      ctx.addIssue({
        code: "custom",
        path: ["value"],
        message: `bad regex: ${(error as Error).message}`,
      });
    }
  });
export type Matcher = z.output<typeof Matcher>;

const Time = z.union([
  z.number().int().min(0),
  z.iso.datetime({ offset: true }).transform((s) => Date.parse(s)),
]);

/** What POST /v1/silences takes. */
export const SilenceInput = z
  .strictObject({
    matchers: z.array(Matcher).min(1).max(20),
    /** Default now. */
    startsAt: Time.optional(),
    endsAt: Time,
    createdBy: z.string().min(1).max(200),
    comment: z.string().min(1).max(2000),
  })
  .refine((s) => s.startsAt === undefined || s.endsAt > s.startsAt, {
    path: ["endsAt"],
    message: "must be after startsAt",
  });
export type SilenceInput = z.output<typeof SilenceInput>;

export interface Silence {
  id: string;
  matchers: Matcher[];
  startsAt: number;
  endsAt: number;
  createdBy: string;
  comment: string;
  createdAt: number;
}

/**
 * The silence `input` asks for, created at `now` with `id`: it starts at
 * `startsAt`, default now. Undefined when it would end before it starts
 * (the schema can only check that when `startsAt` is given).
 */
export function newSilence(input: SilenceInput, id: string, now: number): Silence | undefined {
  const startsAt = input.startsAt ?? now;
  if (input.endsAt <= startsAt) return undefined;
  return {
    id,
    matchers: input.matchers,
    startsAt,
    endsAt: input.endsAt,
    createdBy: input.createdBy,
    comment: input.comment,
    createdAt: now,
  };
}

export function matches(m: Matcher, labels: AlertLabels): boolean {
  const value = labels[m.name] ?? "";
  switch (m.op) {
    case "=":
      return value === m.value;
    case "!=":
      return value !== m.value;
    case "=~":
      return new RegExp(`^(?:${m.value})$`).test(value);
    case "!~":
      return !new RegExp(`^(?:${m.value})$`).test(value);
  }
}

/** The first silence active at `now` whose matchers all match `labels`. */
export function findSilence(
  labels: AlertLabels,
  silences: readonly Silence[],
  now: number,
): Silence | undefined {
  return silences.find(
    (s) => s.startsAt <= now && now < s.endsAt && s.matchers.every((m) => matches(m, labels)),
  );
}
