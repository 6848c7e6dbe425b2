import { parse as parseYaml } from "yaml";
import { SipcodesError } from "../errors.ts";
import { Profile } from "../schema/profile.ts";
import { glossaryRedefinitions } from "./glossary-check.ts";

/** Validates a profile object, throwing `invalid_profile` with the path of every bad field. */
export function toProfile(input: unknown, source = "profile"): Profile {
  const result = Profile.safeParse(input);
  const issues = result.success
    ? glossaryRedefinitions(result.data.glossary ?? [])
    : result.error.issues.map((issue) => ({
        path: issue.path.map((key) => (typeof key === "symbol" ? String(key) : key)),
        message: issue.message,
      }));
  if (result.success && issues.length === 0) return result.data;
  const first = issues[0];
  const where = first?.path.length ? first.path.join(".") : "(root)";
  throw new SipcodesError(
    "invalid_profile",
    `${source}: ${where}: ${first?.message ?? "invalid"}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ""}`,
    issues,
  );
}

/**
 * Parses a profile file's text. JSON and YAML are both accepted; `format`
 * defaults to a guess from the first character. Any error names the source and
 * the path of the bad field.
 */
export function parseProfile(
  text: string,
  options: { format?: "json" | "yaml"; source?: string } = {},
): Profile {
  const source = options.source ?? "profile";
  const format = options.format ?? (/^\s*[{[]/.test(text) ? "json" : "yaml");
  let data: unknown;
  try {
    data = format === "json" ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 100 });
  } catch (error) {
    const why = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new SipcodesError(
      "invalid_profile",
      `${source}: not valid ${format.toUpperCase()}: ${why}`,
    );
  }
  return toProfile(data, source);
}
