import { type ConfigIssue, DetectError, formatIssue } from "./errors.ts";

export const ScopeKinds = ["global", "trunk", "trunk_direction", "customer"] as const;
/** What a scope aggregates: every call, one trunk, one trunk in one direction, one customer. */
export type ScopeKind = (typeof ScopeKinds)[number];

export const Directions = ["inbound", "outbound"] as const;
export type Direction = (typeof Directions)[number];

/** A rule as written in a config file: only `id` and `codes` are required. */
export interface RuleConfig {
  /** Stable name, used in incident ids: letters, digits, `.`, `_`, `-`. */
  id: string;
  /** Final SIP responses (200–699) whose share of calls the rule watches. */
  codes: readonly number[];
  /** Fire threshold is `max(lift × baseline, baseline + delta, floor)`. */
  lift?: number | undefined;
  delta?: number | undefined;
  floor?: number | undefined;
  /** Calls a window must hold to be judged; below it the scope has insufficient data. */
  minCalls?: number | undefined;
  /** Matching responses a window must hold before the rule may fire. */
  minCount?: number | undefined;
  /** Window lengths in minutes, ascending; the shortest holding `minCalls` calls is used. */
  windows?: readonly number[] | undefined;
  /** Two-sided confidence of the Wilson interval whose lower end must exceed the threshold. */
  confidence?: number | undefined;
  /** Consecutive breaching evaluations before pending becomes firing. */
  fireAfter?: number | undefined;
  /** Consecutive clear evaluations before firing becomes resolved. */
  resolveAfter?: number | undefined;
  /** An evaluation is clear when the rate is below `resolveRatio × threshold`. */
  resolveRatio?: number | undefined;
  /** A new alert this soon after the last one resolved reuses its incident id. */
  cooldownMinutes?: number | undefined;
  /** Which scopes the rule alerts on. */
  scopes?: readonly ScopeKind[] | undefined;
}

/** A rule with every default filled in. */
export interface Rule {
  readonly id: string;
  readonly codes: readonly number[];
  readonly lift: number;
  readonly delta: number;
  readonly floor: number;
  readonly minCalls: number;
  readonly minCount: number;
  readonly windows: readonly number[];
  readonly confidence: number;
  readonly fireAfter: number;
  readonly resolveAfter: number;
  readonly resolveRatio: number;
  readonly cooldownMinutes: number;
  readonly scopes: readonly ScopeKind[];
}

export interface DetectorConfig {
  /** Default: `defaultRules`. */
  rules?: readonly RuleConfig[] | undefined;
  /** Length of the baseline, a multiple of 15 minutes. Default 1440 (24 h). */
  baselineMinutes?: number | undefined;
  /** Shrinkage strength: a scope's baseline counts its parent's rate as this many extra calls. Default 1000. */
  priorCalls?: number | undefined;
  /** Calls the global baseline needs before any scope may alert (warm-up). Default 1000. */
  minBaselineCalls?: number | undefined;
  customers?:
    | {
        /** Calls in the last ~25 h (baseline + longest window) a customer needs to be watched. Default 1000. */
        minCalls?: number | undefined;
        /** At most this many customers are watched, the busiest first. Default 100. */
        max?: number | undefined;
      }
    | undefined;
  /** Hard cap on tracked scopes of all kinds; events for further scopes still count in the others. Default 20000. */
  maxScopes?: number | undefined;
  /** Events more than this many minutes after the last evaluation are dropped as `future`. Default 15. */
  maxFutureMinutes?: number | undefined;
  /** Contributors listed per kind (trunk, customer) in a transition. Default 5. */
  topContributors?: number | undefined;
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
  windows: [5, 15, 60],
  confidence: 0.99,
  fireAfter: 2,
  resolveAfter: 5,
  resolveRatio: 0.8,
  cooldownMinutes: 60,
  scopes: ["global", "trunk", "trunk_direction", "customer"],
} as const satisfies Omit<Rule, "id" | "codes">;

export const detectorDefaults = {
  baselineMinutes: 1440,
  priorCalls: 1000,
  minBaselineCalls: 1000,
  customers: { minCalls: 1000, max: 100 },
  maxScopes: 20_000,
  maxFutureMinutes: 15,
  topContributors: 5,
} as const satisfies Omit<ResolvedConfig, "rules">;

function rule(id: string, codes: number[], lift: number, delta: number, floor: number): Rule {
  return Object.freeze({ ...ruleDefaults, id, codes, lift, delta, floor });
}

/** The rules that ship: 603 (cost ceiling / blocking), 500 (broken routes, PBX), and 6xx rejections. */
export const defaultRules: readonly Rule[] = Object.freeze([
  rule("sip-603", [603], 2, 0.05, 0.05),
  rule("sip-500", [500], 3, 0.02, 0.02),
  rule("sip-6xx-reject", [603, 607, 608], 2, 0.05, 0.05),
]);

export type ValidationResult =
  | { success: true; data: ResolvedConfig }
  | { success: false; issues: ConfigIssue[] };

const RULE_KEYS = new Set(["id", "codes", ...Object.keys(ruleDefaults)]);
const CONFIG_KEYS = new Set(["rules", ...Object.keys(detectorDefaults)]);
const CUSTOMER_KEYS = new Set(["minCalls", "max"]);
const RULE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const MAX_RULES = 32;

type Path = (string | number)[];

class Checker {
  readonly issues: ConfigIssue[] = [];

  fail(path: Path, message: string): undefined {
    this.issues.push({ path, message });
    return undefined;
  }

  object(value: unknown, path: Path, known: Set<string>): Record<string, unknown> | undefined {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      return this.fail(path, "must be an object");
    }
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (!known.has(key)) this.fail([...path, key], "is not a known option");
    }
    return record;
  }

  /** A number in [min, max] (exclusive ends when asked), integer when asked. */
  number(
    value: unknown,
    path: Path,
    fallback: number,
    bounds: { min: number; max: number; minOpen?: boolean; maxOpen?: boolean; integer?: boolean },
  ): number {
    if (value === undefined) return fallback;
    if (typeof value !== "number" || !Number.isFinite(value)) {
      this.fail(path, "must be a finite number");
      return fallback;
    }
    if (bounds.integer && !Number.isInteger(value)) {
      this.fail(path, "must be a whole number");
      return fallback;
    }
    const low = bounds.minOpen ? value <= bounds.min : value < bounds.min;
    const high = bounds.maxOpen ? value >= bounds.max : value > bounds.max;
    if (low || high) {
      const left = bounds.minOpen ? "(" : "[";
      const right = bounds.maxOpen ? ")" : "]";
      this.fail(path, `must be in ${left}${bounds.min}, ${bounds.max}${right} (got ${value})`);
      return fallback;
    }
    return value;
  }

  array(value: unknown, path: Path, minLength: number, maxLength: number): unknown[] | undefined {
    if (!Array.isArray(value)) return this.fail(path, "must be an array");
    if (value.length < minLength) {
      return this.fail(path, `must have at least ${minLength} item${minLength === 1 ? "" : "s"}`);
    }
    if (value.length > maxLength) return this.fail(path, `must have at most ${maxLength} items`);
    return value;
  }
}

function checkRule(c: Checker, value: unknown, path: Path): Rule | undefined {
  const input = c.object(value, path, RULE_KEYS);
  if (!input) return undefined;
  const before = c.issues.length;
  let id = "";
  if (typeof input.id !== "string") c.fail([...path, "id"], "must be a string");
  else if (!RULE_ID.test(input.id)) {
    c.fail([...path, "id"], "must be 1–64 letters, digits, '.', '_' or '-', starting alphanumeric");
  } else id = input.id;

  const codes: number[] = [];
  const rawCodes = c.array(input.codes, [...path, "codes"], 1, 100);
  rawCodes?.forEach((code, i) => {
    if (typeof code !== "number" || !Number.isInteger(code) || code < 200 || code > 699) {
      c.fail([...path, "codes", i], "must be a final SIP response code, 200–699");
    } else if (codes.includes(code)) c.fail([...path, "codes", i], `repeats ${code}`);
    else codes.push(code);
  });

  const d = ruleDefaults;
  const at = (key: string) => [...path, key];
  const lift = c.number(input.lift, at("lift"), d.lift, { min: 1, max: 1000 });
  const delta = c.number(input.delta, at("delta"), d.delta, { min: 0, max: 1 });
  const floor = c.number(input.floor, at("floor"), d.floor, { min: 0, max: 1, maxOpen: true });
  const int = (key: keyof typeof d, max: number, min = 1) =>
    c.number(input[key], at(key), d[key] as number, { min, max, integer: true });
  const minCalls = int("minCalls", 1e9);
  const minCount = int("minCount", 1e9);
  const fireAfter = int("fireAfter", 1000);
  const resolveAfter = int("resolveAfter", 1000);
  const confidence = c.number(input.confidence, at("confidence"), d.confidence, {
    min: 0.5,
    max: 1,
    maxOpen: true,
  });
  const resolveRatio = c.number(input.resolveRatio, at("resolveRatio"), d.resolveRatio, {
    min: 0,
    max: 1,
    minOpen: true,
  });
  const cooldownMinutes = c.number(
    input.cooldownMinutes,
    at("cooldownMinutes"),
    d.cooldownMinutes,
    {
      min: 0,
      max: 10_080,
    },
  );

  let windows: number[] = [...d.windows];
  if (input.windows !== undefined) {
    const raw = c.array(input.windows, at("windows"), 1, 10);
    if (raw) {
      windows = [];
      raw.forEach((w, i) => {
        if (typeof w !== "number" || !Number.isInteger(w) || w < 1 || w > 1440) {
          c.fail([...path, "windows", i], "must be a whole number of minutes, 1–1440");
        } else if (windows.length && w <= windows[windows.length - 1]!) {
          c.fail([...path, "windows", i], "windows must be strictly ascending");
        } else windows.push(w);
      });
    }
  }

  let scopes: ScopeKind[] = [...d.scopes];
  if (input.scopes !== undefined) {
    const raw = c.array(input.scopes, at("scopes"), 1, ScopeKinds.length);
    if (raw) {
      scopes = [];
      raw.forEach((s, i) => {
        if (!ScopeKinds.includes(s as ScopeKind)) {
          c.fail([...path, "scopes", i], `must be one of ${ScopeKinds.join(", ")}`);
        } else if (scopes.includes(s as ScopeKind)) c.fail([...path, "scopes", i], `repeats ${s}`);
        else scopes.push(s as ScopeKind);
      });
    }
  }

  if (c.issues.length > before) return undefined;
  return Object.freeze({
    id,
    codes: Object.freeze(codes),
    lift,
    delta,
    floor,
    minCalls,
    minCount,
    windows: Object.freeze(windows),
    confidence,
    fireAfter,
    resolveAfter,
    resolveRatio,
    cooldownMinutes,
    scopes: Object.freeze(scopes),
  });
}

/**
 * Checks a config (typically parsed from YAML/JSON) and fills in defaults.
 * Never throws: problems come back as issues whose `path` names the field,
 * e.g. `["rules", 1, "windows", 2]`.
 */
export function validateConfig(input: unknown): ValidationResult {
  const c = new Checker();
  const top = input === undefined ? {} : c.object(input, [], CONFIG_KEYS);
  if (!top) return { success: false, issues: c.issues };
  const d = detectorDefaults;

  let rules: readonly Rule[] = defaultRules;
  if (top.rules !== undefined) {
    const raw = c.array(top.rules, ["rules"], 1, MAX_RULES);
    if (raw) {
      const list: Rule[] = [];
      const seen = new Map<string, number>();
      raw.forEach((value, i) => {
        const checked = checkRule(c, value, ["rules", i]);
        if (!checked) return;
        const first = seen.get(checked.id);
        if (first !== undefined) {
          c.fail(["rules", i, "id"], `repeats the id of rules[${first}]`);
          return;
        }
        seen.set(checked.id, i);
        list.push(checked);
      });
      rules = Object.freeze(list);
    }
  }

  const baselineMinutes = c.number(top.baselineMinutes, ["baselineMinutes"], d.baselineMinutes, {
    min: 60,
    max: 10_080,
    integer: true,
  });
  if (baselineMinutes % BASELINE_BUCKET_MINUTES !== 0) {
    c.fail(["baselineMinutes"], `must be a multiple of ${BASELINE_BUCKET_MINUTES}`);
  }
  const priorCalls = c.number(top.priorCalls, ["priorCalls"], d.priorCalls, { min: 0, max: 1e9 });
  const minBaselineCalls = c.number(
    top.minBaselineCalls,
    ["minBaselineCalls"],
    d.minBaselineCalls,
    {
      min: 0,
      max: 1e12,
      integer: true,
    },
  );
  let customers: { minCalls: number; max: number } = { ...d.customers };
  if (top.customers !== undefined) {
    const raw = c.object(top.customers, ["customers"], CUSTOMER_KEYS);
    if (raw) {
      customers = {
        minCalls: c.number(raw.minCalls, ["customers", "minCalls"], d.customers.minCalls, {
          min: 0,
          max: 1e12,
          integer: true,
        }),
        max: c.number(raw.max, ["customers", "max"], d.customers.max, {
          min: 0,
          max: 1e6,
          integer: true,
        }),
      };
    }
  }
  const maxScopes = c.number(top.maxScopes, ["maxScopes"], d.maxScopes, {
    min: 1,
    max: 1e7,
    integer: true,
  });
  const maxFutureMinutes = c.number(
    top.maxFutureMinutes,
    ["maxFutureMinutes"],
    d.maxFutureMinutes,
    {
      min: 0,
      max: 1440,
      integer: true,
    },
  );
  const topContributors = c.number(top.topContributors, ["topContributors"], d.topContributors, {
    min: 0,
    max: 100,
    integer: true,
  });

  if (c.issues.length) return { success: false, issues: c.issues };
  return {
    success: true,
    data: Object.freeze({
      rules,
      baselineMinutes,
      priorCalls,
      minBaselineCalls,
      customers: Object.freeze(customers),
      maxScopes,
      maxFutureMinutes,
      topContributors,
    }),
  };
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
