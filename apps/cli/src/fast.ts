import { BUILTIN_PROFILE_IDS, DEFAULT_PROFILE } from "@sipcodes/core";
import type { ExplainFlags } from "./commands/explain.ts";
import type { StatsFlags } from "./commands/stats.ts";
import type { CliDefaults } from "./context.ts";
import { normalizeDirection, normalizeFormat, normalizeProfile } from "./options.ts";

const BUILTIN = new Set(BUILTIN_PROFILE_IDS);

interface Spec {
  /** Options taking a value: long name → allowed values (undefined: any). */
  values: Record<string, readonly string[] | undefined>;
  short: Record<string, string>;
  /** Boolean flags: the argument → [key, value]. */
  flags: Record<string, [string, boolean]>;
}

const EXPLAIN: Spec = {
  values: {
    profile: undefined,
    direction: undefined,
    audience: ["operator", "end-user"],
    format: undefined,
  },
  short: { "-p": "profile", "-d": "direction", "-a": "audience", "-f": "format" },
  flags: { "--json": ["json", true], "--no-color": ["color", false] },
};

const STATS: Spec = {
  values: {
    profile: undefined,
    by: ["trunk", "customer", "direction"],
    top: undefined,
    "code-column": undefined,
    format: ["csv", "ndjson"],
  },
  short: { "-p": "profile", "-b": "by", "-n": "top", "-c": "code-column" },
  flags: { "--json": ["json", true], "--no-color": ["color", false] },
};

const camel = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** Reads options by `spec`; positionals go to `onPositional`, which may refuse them. */
function read(
  argv: readonly string[],
  spec: Spec,
  into: Record<string, unknown>,
  onPositional: (arg: string) => boolean,
): boolean {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const flag = spec.flags[arg];
    if (flag) {
      into[flag[0]] = flag[1];
      continue;
    }
    let name: string | undefined;
    let value: string | undefined;
    const eq = /^--([a-z-]+)=(.*)$/.exec(arg);
    if (eq && (eq[1] as string) in spec.values) {
      name = eq[1];
      value = eq[2];
    } else if (arg.startsWith("--") && arg.slice(2) in spec.values) {
      name = arg.slice(2);
      value = argv[++i];
    } else if (spec.short[arg]) {
      name = spec.short[arg];
      value = argv[++i];
    } else if (!arg.startsWith("-") && onPositional(arg)) {
      continue;
    } else {
      return false;
    }
    if (name === undefined || value === undefined || value.startsWith("-")) return false;
    const allowed = spec.values[name];
    if (name === "profile") {
      value = normalizeProfile(value, BUILTIN_PROFILE_IDS);
      if (!BUILTIN.has(value)) return false;
    }
    if (name === "direction") {
      value = normalizeDirection(value);
      if (value === undefined) return false;
    }
    if (name === "format" && spec === EXPLAIN) {
      value = normalizeFormat(value);
      if (value === undefined) return false;
    }
    if (allowed && !allowed.includes(value)) return false;
    into[camel(name)] = value;
  }
  return true;
}

export type FastCommand =
  | { command: "explain"; inputs: string[]; flags: ExplainFlags }
  | { command: "stats"; file: string; flags: StatsFlags };

/**
 * Recognises the everyday commands (`sipcode 486 603 --profile jola --json`,
 * `sipcode stats calls.csv --by trunk`) so they run without loading
 * commander, which costs more start-up time than a lookup itself. Returns
 * undefined for anything else, and the full program parses the arguments; a
 * test checks both give the same output.
 */
export function parseFastPath(
  argv: readonly string[],
  defaults: CliDefaults = {},
): FastCommand | undefined {
  const profile = defaults.profile ?? DEFAULT_PROFILE;
  if (argv[0] === "stats") {
    let file: string | undefined;
    const flags: StatsFlags = { profile, top: "20" };
    const ok = read(argv.slice(1), STATS, flags as Record<string, unknown>, (arg) => {
      if (file !== undefined) return false;
      file = arg;
      return true;
    });
    return ok && file !== undefined ? { command: "stats", file, flags } : undefined;
  }
  const inputs: string[] = [];
  const flags: ExplainFlags = {
    audience: defaults.audience ?? "operator",
    format: "text",
    profile,
    ...(defaults.direction ? { direction: defaults.direction } : {}),
  };
  const ok = read(argv, EXPLAIN, flags as Record<string, unknown>, (arg) => {
    if (!/^\d{3}$/.test(arg)) return false;
    inputs.push(arg);
    return true;
  });
  return ok && inputs.length ? { command: "explain", inputs, flags } : undefined;
}
