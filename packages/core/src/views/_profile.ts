import { SipcodesError } from "../errors.ts";
import { DEFAULT_PROFILE, defaultRegistry, type ProfileRegistry } from "../profiles/registry.ts";
import type { Profile } from "../schema/profile.ts";

/** How a view is told which profile to read through; the same pair explain() takes. */
export interface ProfileOptions {
  /** A profile id from the registry, or a profile object (e.g. loaded from a user's file). */
  profile?: string | Profile | undefined;
  /** Where profile ids are looked up; defaults to the built-in profiles. */
  registry?: ProfileRegistry | undefined;
}

/**
 * The profile's chain, most specific first, ending with the standard root;
 * without a profile, the root alone.
 */
export function chainOf(options: ProfileOptions): readonly Profile[] {
  const registry = options.registry ?? defaultRegistry();
  const { profile } = options;
  if (profile === undefined) return registry.chain(registry.getOrThrow(DEFAULT_PROFILE));
  if (typeof profile === "string") return registry.chain(registry.getOrThrow(profile));
  if (typeof profile === "object" && profile !== null && typeof profile.id === "string")
    return registry.chain(profile);
  throw new SipcodesError("invalid_option", "profile must be a profile id or a profile object");
}
