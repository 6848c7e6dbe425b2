import { z } from "zod";
import { type ConfigIssue, DetectError, formatIssue } from "./errors.ts";
import { FALSE_PER_DAY } from "./min-count.ts";

export const ScopeKinds = ["global", "trunk", "trunk_direction", "customer"] as const;
/** What a scope aggregates: every call, one trunk, one trunk in one direction, one customer. */
export type ScopeKind = (typeof ScopeKinds)[number];

export const Directions = ["inbound", "outbound"] as const;
export type Direction = (typeof Directions)[number];

/** A rule with every default filled in. */
export interface Rule {
  readonly id: string;
  readonly codes: readonly number[];
  readonly lift: number;
  readonly delta: number;
  readonly floor: number;
  readonly minCalls: number;
  readonly minCount: number;
  /** Fewest matching responses that may fire where the baseline makes even that few improbable (min-count.ts). */
  readonly minCountFloor: number;
  /** Counts chance alone may bring per day, in one of the scopes of a kind: the count checks' budget (min-count.ts). */
  readonly chancePerDay: number;
  readonly windows: readonly number[];
  readonly confidence: number;
  readonly fireAfter: number;
  readonly resolveAfter: number;
  readonly resolveRatio: number;
  /** Two-sided confidence of the Wilson upper bound that must be under the resolve threshold to clear. */
  readonly resolveConfidence: number;
  /** Largest effect of `lift` over the baseline, in rate points (0.1 = 10 pp). */
  readonly maxDelta: number;
  /** Log-likelihood level at which the sequential test beside the window test breaches and fires (0: off). */
  readonly cusumThreshold: number;
  readonly cooldownMinutes: number;
  /** Minutes a firing alert stays firing at least before it may resolve. */
  readonly minFiringMinutes: number;
  readonly scopes: readonly ScopeKind[];
  /** Only responses with one of these reason phrases count (compared trimmed, case-insensitively). */
  readonly phrases?: readonly string[];
  /** Responses with one of these reason phrases do not count. */
  readonly exceptPhrases?: readonly string[];
  /** While no baseline exists (warming up), the absolute rate to fire above; absent: silent until then. */
  readonly coldCeiling?: number;
}

export interface ResolvedConfig {
  readonly rules: readonly Rule[];
  readonly baselineMinutes: number;
  readonly priorCalls: number;
  readonly minBaselineCalls: number;
  readonly customers: { readonly minCalls: number; readonly max: number };
  readonly maxScopes: number;
  readonly maxFutureMinutes: number;
  readonly topContributors: number;
}

/** Minutes per baseline bucket; `baselineMinutes` must be a multiple of it. */
export const BASELINE_BUCKET_MINUTES = 15;

/** What every rule gets for the fields it leaves out. */
export const ruleDefaults = {
  lift: 2,
  delta: 0.05,
  floor: 0.05,
  minCalls: 20,
  minCount: 5,
  minCountFloor: 3,
  chancePerDay: FALSE_PER_DAY,
  windows: [5, 15, 60],
  confidence: 0.99,
  fireAfter: 2,
  resolveAfter: 5,
  resolveRatio: 0.8,
  resolveConfidence: 0.5,
  maxDelta: 0.1,
  cusumThreshold: 12,
  cooldownMinutes: 60,
  minFiringMinutes: 15,
  scopes: ["global", "trunk", "trunk_direction", "customer"],
} as const satisfies Omit<Rule, "id" | "codes" | "phrases" | "exceptPhrases" | "coldCeiling">;

export const detectorDefaults = {
  baselineMinutes: 1440,
  priorCalls: 1000,
  minBaselineCalls: 500,
  customers: { minCalls: 1000, max: 100 },
  maxScopes: 20_000,
  maxFutureMinutes: 15,
  topContributors: 5,
} as const satisfies Omit<ResolvedConfig, "rules">;

function rule(
  id: string,
  codes: number[],
  lift: number,
  delta: number,
  floor: number,
  coldCeiling: number,
): Rule {
  return Object.freeze({ ...ruleDefaults, id, codes, lift, delta, floor, coldCeiling });
}

/** The rules that ship: 603 (cost ceiling / blocking), 500 (broken routes, PBX), and 6xx rejections. */
export const defaultRules: readonly Rule[] = Object.freeze([
  rule("sip-603", [603], 2, 0.05, 0.05, 0.5),
  rule("sip-500", [500], 3, 0.02, 0.02, 0.1),
  rule("sip-6xx-reject", [603, 607, 608], 2, 0.05, 0.05, 0.5),
]);

// ------------------------------------------------------------------ schema

const NOT_AN_OBJECT = {
  error: (issue: { code: string }) =>
    issue.code === "invalid_type" ? "must be an object" : undefined,
};

/** A number in [min, max] (open ends when asked), whole when asked: one issue at most, naming the range. */
function bounded(
  min: number,
  max: number,
  open: { min?: boolean; max?: boolean; integer?: boolean } = {},
) {
  const range = `must be in ${open.min ? "(" : "["}${min}, ${max}${open.max ? ")" : "]"}`;
  const error = (issue: { input?: unknown }) => `${range} (got ${String(issue.input)})`;
  let schema = z.number({ error: "must be a finite number" });
  if (open.integer)
    schema = schema.refine(Number.isInteger, { error: "must be a whole number", abort: true });
  schema = open.min
    ? schema.gt(min, { error, abort: true })
    : schema.gte(min, { error, abort: true });
  return open.max
    ? schema.lt(max, { error, abort: true })
    : schema.lte(max, { error, abort: true });
}

const whole = (min: number, max: number) => bounded(min, max, { integer: true });

/**
 * Indexes of the items that passed their own schema, for the checks across
 * items (repeats, order), which also run when other items failed.
 */
function validItems<T>(
  value: readonly T[],
  ctx: z.core.$RefinementCtx<readonly T[]>,
): [number, T][] {
  const failed = new Set(ctx.issues.map((issue) => issue.path?.[0]));
  return value.flatMap((item, i) => (failed.has(i) ? [] : [[i, item] as [number, T]]));
}
const ALWAYS = { when: () => true };

/** Items that repeat an earlier valid item are refused with `repeats <item>`. */
function noRepeats<T>(value: readonly T[], ctx: z.core.$RefinementCtx<readonly T[]>): void {
  const seen = new Set<T>();
  for (const [i, item] of validItems(value, ctx)) {
    if (seen.has(item)) ctx.addIssue({ code: "custom", path: [i], message: `repeats ${item}` });
    else seen.add(item);
  }
}

const CODE = "must be a final SIP response code, 200–699";
const WINDOW = "must be a whole number of minutes, 1–1440";
const RULE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const MAX_RULES = 32;

function list<T extends z.ZodType>(item: T, min: number, max: number) {
  return z
    .array(item, { error: "must be an array" })
    .min(min, `must have at least ${min} item${min === 1 ? "" : "s"}`)
    .max(max, `must have at most ${max} items`)
    .readonly();
}

/** A rule as written in a config file: only `id` and `codes` are required; the rest default to `ruleDefaults`. */
export const RuleConfig = z.strictObject(
  {
    /** Stable name, used in incident ids: letters, digits, `.`, `_`, `-`. */
    id: z
      .string({ error: "must be a string" })
      .regex(RULE_ID, "must be 1–64 letters, digits, '.', '_' or '-', starting alphanumeric"),
    /** Final SIP responses (200–699) whose share of calls the rule watches. */
    codes: list(z.int({ error: CODE }).min(200, CODE).max(699, CODE), 1, 100).superRefine(
      noRepeats,
      ALWAYS,
    ),
    /** Fire threshold is `max(lift × baseline, baseline + delta, floor)`. */
    lift: bounded(1, 1000).optional(),
    delta: bounded(0, 1).optional(),
    floor: bounded(0, 1, { max: true }).optional(),
    /** Calls a window must hold to be judged; below it the scope has insufficient data. */
    minCalls: whole(1, 1e9).optional(),
    /** Matching responses a window must hold before the rule may fire. */
    minCount: whole(1, 1e9).optional(),
    /**
     * Fewer matching responses, down to this many, may fire where the
     * baseline makes even that few improbable (a thin scope with a low
     * baseline): at most 0.01 such counts a day by chance per rule and scope
     * kind. Set it to `minCount` to always need `minCount`. Default 3.
     */
    minCountFloor: whole(1, 1e9).optional(),
    /**
     * How many counts chance alone may bring per day in one of the scopes of
     * a kind (40 customers share it): a window's count must be rarer than
     * that at the baseline rate (the binomial tail over a day of windows) to
     * fire, and, down to `minCountFloor`, a count that rare may fire though
     * it is under `minCount`. It binds where the baseline is high (603 at 30 %:
     * a customer's 19 of 26 is chance there) and lets thin scopes with a low
     * baseline fire sooner. Higher is more sensitive. Default 0.01.
     */
    chancePerDay: bounded(0, 1e6, { min: true }).optional(),
    /** Consecutive breaching evaluations before pending becomes firing. */
    fireAfter: whole(1, 1000).optional(),
    /** Consecutive clear evaluations before firing becomes resolved. */
    resolveAfter: whole(1, 1000).optional(),
    /** Two-sided confidence of the Wilson interval whose lower end must exceed the threshold. */
    confidence: bounded(0.5, 1, { max: true }).optional(),
    /** The resolve threshold is `resolveRatio × threshold`. */
    resolveRatio: bounded(0, 1, { min: true }).optional(),
    /**
     * An evaluation is clear when the Wilson upper bound of the rate at this
     * two-sided confidence is under the resolve threshold (or data is insufficient).
     */
    resolveConfidence: bounded(0.5, 1, { max: true }).optional(),
    /**
     * While warming up (no baseline yet), the rule fires above this absolute
     * rate; without it the rule is silent until the baseline exists.
     */
    coldCeiling: bounded(0, 1, { min: true, max: true }).optional(),
    /**
     * The sequential test's level: the log-likelihood ratio (against the
     * baseline) of "the rate rose to the threshold or more at some minute
     * since the last resolve", at which it breaches and fires at once; plus
     * ln(n) when n scopes of the same kind are judged. Catches the first
     * minutes of a large step and slow ramps the window test sees late;
     * 0 turns it off. Default 12.
     */
    cusumThreshold: bounded(0, 1000).optional(),
    /** `lift` raises the threshold over the baseline by at most this many rate points. */
    maxDelta: bounded(0, 1).optional(),
    /** A new alert this soon after the last one resolved reuses its incident id. */
    cooldownMinutes: bounded(0, 10_080).optional(),
    /**
     * A firing alert stays firing at least this long before clear evaluations
     * may resolve it (default 15). An alert that fired early in a slow ramp, on
     * a window that was luckier than the ramp, would otherwise resolve in the
     * ramp's next dip and fire again minutes later: two pages for one problem.
     * A short burst is announced resolved this much after it fired at the
     * earliest. 0: resolve after `resolveAfter` clear evaluations alone.
     */
    minFiringMinutes: bounded(0, 1440).optional(),
    /** Window lengths in minutes, ascending; the shortest holding `minCalls` calls is used. */
    windows: list(z.int({ error: WINDOW }).min(1, WINDOW).max(1440, WINDOW), 1, 10)
      .superRefine((value, ctx) => {
        let last = 0;
        for (const [i, w] of validItems(value, ctx)) {
          if (w <= last) {
            ctx.addIssue({
              code: "custom",
              path: [i],
              message: "windows must be strictly ascending",
            });
          } else last = w;
        }
      }, ALWAYS)
      .optional(),
    /**
     * Only responses whose reason phrase is one of these count (e.g. 603
     * "MaxPeak Cost Exceeded" apart from other 603s); compared trimmed and
     * case-insensitively. A response without a phrase does not count.
     */
    phrases: list(z.string({ error: "must be a string" }).min(1).max(200), 1, 100).optional(),
    /** Responses whose reason phrase is one of these do not count; one without a phrase does. */
    exceptPhrases: list(z.string({ error: "must be a string" }).min(1).max(200), 1, 100).optional(),
    /** Which scopes the rule alerts on. */
    scopes: list(
      z.enum(ScopeKinds, { error: `must be one of ${ScopeKinds.join(", ")}` }),
      1,
      ScopeKinds.length,
    )
      .superRefine(noRepeats, ALWAYS)
      .optional(),
  },
  NOT_AN_OBJECT,
);
export type RuleConfig = z.infer<typeof RuleConfig>;

/**
 * The detector's settings as written in a config file (the alerter's
 * `detector:` section, or a backtest's `--config`). Every field is optional;
 * `validateConfig` / `resolveConfig` fill in the defaults.
 */
export const DetectorConfig = z.strictObject(
  {
    /** Default: `defaultRules`. */
    rules: list(RuleConfig, 1, MAX_RULES)
      .superRefine((value, ctx) => {
        const seen = new Map<string, number>();
        for (const [i, r] of validItems(value, ctx)) {
          const first = seen.get(r.id);
          if (first === undefined) seen.set(r.id, i);
          else
            ctx.addIssue({
              code: "custom",
              path: [i, "id"],
              message: `repeats the id of rules[${first}]`,
            });
        }
      }, ALWAYS)
      .optional(),
    /** Length of the baseline, a multiple of 15 minutes. Default 1440 (24 h). */
    baselineMinutes: whole(60, 10_080)
      .multipleOf(BASELINE_BUCKET_MINUTES, `must be a multiple of ${BASELINE_BUCKET_MINUTES}`)
      .optional(),
    /** Shrinkage strength: a scope's baseline counts its parent's rate as this many extra calls. Default 1000. */
    priorCalls: bounded(0, 1e9).optional(),
    /** Calls the global baseline needs before any scope may alert (warm-up). Default 1000. */
    minBaselineCalls: whole(0, 1e12).optional(),
    customers: z
      .strictObject(
        {
          /** Calls in the last ~25 h (baseline + longest window) a customer needs to be watched. Default 1000. */
          minCalls: whole(0, 1e12).optional(),
          /** At most this many customers are watched, the busiest first. Default 100. */
          max: whole(0, 1e6).optional(),
        },
        NOT_AN_OBJECT,
      )
      .optional(),
    /** Hard cap on tracked scopes of all kinds; events for further scopes still count in the others. Default 20000. */
    maxScopes: whole(1, 1e7).optional(),
    /** Events more than this many minutes after the last evaluation are dropped as `future`. Default 15. */
    maxFutureMinutes: whole(0, 1440).optional(),
    /** Contributors listed per kind (trunk, customer) in a transition. Default 5. */
    topContributors: whole(0, 100).optional(),
  },
  NOT_AN_OBJECT,
);
export type DetectorConfig = z.infer<typeof DetectorConfig>;

// ------------------------------------------------------------- validation

/**
 * zod issues as path-named `ConfigIssue`s: an unknown key becomes one issue
 * per key, at that key (`rules[2].lifft: is not a known option`), listed
 * before the other problems of its object.
 */
export function configIssues(issues: readonly z.core.$ZodIssue[]): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of issues) {
    const path = issue.path.map((key) => (typeof key === "number" ? key : String(key)));
    if (issue.code !== "unrecognized_keys") {
      out.push({ path, message: issue.message });
      continue;
    }
    const unknown = issue.keys.map((key) => ({
      path: [...path, key],
      message: "is not a known option",
    }));
    const within = out.findIndex((o) => path.every((key, i) => o.path[i] === key));
    out.splice(within < 0 ? out.length : within, 0, ...unknown);
  }
  return out;
}

export type ValidationResult =
  | { success: true; data: ResolvedConfig }
  | { success: false; issues: ConfigIssue[] };

function resolveRule(r: RuleConfig): Rule {
  const d = ruleDefaults;
  return Object.freeze({
    id: r.id,
    codes: Object.freeze([...r.codes]),
    lift: r.lift ?? d.lift,
    delta: r.delta ?? d.delta,
    floor: r.floor ?? d.floor,
    minCalls: r.minCalls ?? d.minCalls,
    minCount: r.minCount ?? d.minCount,
    minCountFloor: r.minCountFloor ?? d.minCountFloor,
    chancePerDay: r.chancePerDay ?? d.chancePerDay,
    windows: Object.freeze([...(r.windows ?? d.windows)]),
    confidence: r.confidence ?? d.confidence,
    fireAfter: r.fireAfter ?? d.fireAfter,
    resolveAfter: r.resolveAfter ?? d.resolveAfter,
    resolveRatio: r.resolveRatio ?? d.resolveRatio,
    resolveConfidence: r.resolveConfidence ?? d.resolveConfidence,
    maxDelta: r.maxDelta ?? d.maxDelta,
    cusumThreshold: r.cusumThreshold ?? d.cusumThreshold,
    cooldownMinutes: r.cooldownMinutes ?? d.cooldownMinutes,
    minFiringMinutes: r.minFiringMinutes ?? d.minFiringMinutes,
    scopes: Object.freeze([...(r.scopes ?? d.scopes)]),
    ...(r.phrases ? { phrases: Object.freeze([...r.phrases]) } : {}),
    ...(r.exceptPhrases ? { exceptPhrases: Object.freeze([...r.exceptPhrases]) } : {}),
    ...(r.coldCeiling !== undefined ? { coldCeiling: r.coldCeiling } : {}),
  });
}

/** Fills in the defaults of a config that passed the `DetectorConfig` schema. */
function resolve(c: DetectorConfig): ResolvedConfig {
  const d = detectorDefaults;
  return Object.freeze({
    rules: c.rules ? Object.freeze(c.rules.map(resolveRule)) : defaultRules,
    baselineMinutes: c.baselineMinutes ?? d.baselineMinutes,
    priorCalls: c.priorCalls ?? d.priorCalls,
    minBaselineCalls: c.minBaselineCalls ?? d.minBaselineCalls,
    customers: Object.freeze({
      minCalls: c.customers?.minCalls ?? d.customers.minCalls,
      max: c.customers?.max ?? d.customers.max,
    }),
    maxScopes: c.maxScopes ?? d.maxScopes,
    maxFutureMinutes: c.maxFutureMinutes ?? d.maxFutureMinutes,
    topContributors: c.topContributors ?? d.topContributors,
  });
}

/**
 * Checks a config (typically parsed from YAML/JSON) against `DetectorConfig`
 * and fills in defaults. Never throws: problems come back as issues whose
 * `path` names the field, e.g. `["rules", 1, "windows", 2]`.
 */
export function validateConfig(input: unknown): ValidationResult {
  const result = DetectorConfig.safeParse(input === undefined ? {} : input);
  if (!result.success) return { success: false, issues: configIssues(result.error.issues) };
  return { success: true, data: resolve(result.data) };
}

/** Like `validateConfig`, but throws a `DetectError` with code `invalid_config`. */
export function resolveConfig(input?: DetectorConfig): ResolvedConfig {
  const result = validateConfig(input);
  if (result.success) return result.data;
  const first = result.issues[0]!;
  const more = result.issues.length > 1 ? ` (and ${result.issues.length - 1} more)` : "";
  throw new DetectError(
    "invalid_config",
    `invalid detector config: ${formatIssue(first)}${more}`,
    result.issues,
  );
}
