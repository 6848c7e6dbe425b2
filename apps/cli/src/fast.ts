import type { ExplainFlags } from "./commands/explain.ts";

const BUILTIN = new Set(["rfc", "jola", "teams"]);
const VALUES: Record<string, readonly string[]> = {
  direction: ["inbound", "outbound"],
  audience: ["operator", "end-user"],
  format: ["text", "markdown"],
};
const SHORT: Record<string, string> = {
  "-p": "profile",
  "-d": "direction",
  "-a": "audience",
  "-f": "format",
};

/**
 * Recognises the everyday lookup (`sipcode 486 603 --profile jola --json`)
 * so it can run without loading commander, which costs more start-up time than
 * the lookup itself. Returns undefined for anything else; the full program
 * then parses the arguments, with identical results for what this accepts.
 */
export function parseFastPath(
  argv: readonly string[],
): { inputs: string[]; flags: ExplainFlags } | undefined {
  const inputs: string[] = [];
  const flags: ExplainFlags = { audience: "operator", format: "text", profile: "rfc" };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (/^\d{3}$/.test(arg)) {
      inputs.push(arg);
      continue;
    }
    if (arg === "--json") {
      flags.json = true;
      continue;
    }
    if (arg === "--no-color") {
      flags.color = false;
      continue;
    }
    let name: string | undefined;
    let value: string | undefined;
    const eq = /^--(profile|direction|audience|format)=(.*)$/.exec(arg);
    if (eq) {
      name = eq[1];
      value = eq[2];
    } else if (/^--(profile|direction|audience|format)$/.test(arg)) {
      name = arg.slice(2);
      value = argv[++i];
    } else if (SHORT[arg]) {
      name = SHORT[arg];
      value = argv[++i];
    } else {
      return undefined;
    }
    if (name === undefined || value === undefined) return undefined;
    if (name === "profile") {
      if (!BUILTIN.has(value)) return undefined;
      flags.profile = value;
    } else {
      if (!VALUES[name]?.includes(value)) return undefined;
      (flags as Record<string, string>)[name] = value;
    }
  }
  return inputs.length ? { inputs, flags } : undefined;
}
