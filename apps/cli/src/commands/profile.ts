import { readFileSync } from "node:fs";
import {
  createRegistry,
  DEFAULT_PROFILE,
  defaultRegistry,
  type Profile,
  type ProfileRegistry,
} from "@sipcodes/core";
import { CliError, EXIT } from "../context.ts";

export interface ResolvedProfile {
  profile: string | Profile;
  registry: ProfileRegistry;
}

/**
 * Turns --profile into something the core takes: a built-in id stays an id; a
 * path is read and validated as a JSON or YAML profile (zod and the YAML
 * parser load only then).
 */
export async function resolveProfile(value: string | undefined): Promise<ResolvedProfile> {
  const registry = defaultRegistry();
  if (value === undefined || registry.get(value))
    return { profile: value ?? DEFAULT_PROFILE, registry };
  if (!/[/\\]|\.(json|ya?ml)$/i.test(value)) {
    throw new CliError(
      `unknown profile "${value}" (built-in: ${registry.ids().join(", ")}; or give a .json/.yaml file)`,
      EXIT.usage,
    );
  }
  let text: string;
  try {
    text = readFileSync(value, "utf8");
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === "ENOENT"
        ? "no such file"
        : (error as Error).message;
    throw new CliError(`cannot read profile ${value}: ${reason}`, EXIT.usage);
  }
  const { parseProfile } = await import("@sipcodes/core/schemas");
  const profile = parseProfile(text, {
    source: value,
    ...(/\.json$/i.test(value)
      ? { format: "json" as const }
      : /\.ya?ml$/i.test(value)
        ? { format: "yaml" as const }
        : {}),
  });
  const custom = createRegistry([profile]);
  return { profile: profile.id, registry: custom };
}
