import { SipcodesError } from "../errors.ts";
import type { Profile } from "../schema/profile.ts";
import type { ProfileSummary } from "../schema/profile-summary.ts";
import { glossaryRedefinitions } from "./glossary-check.ts";
import { jolaProfile } from "./jola.ts";
import { rfcProfile } from "./rfc.ts";
import { teamsProfile } from "./teams.ts";

export const DEFAULT_PROFILE = "rfc";

/** A set of profiles that can extend one another. */
export class ProfileRegistry {
  readonly #profiles = new Map<string, Profile>();

  constructor(profiles: readonly Profile[] = []) {
    for (const profile of profiles) this.add(profile);
  }

  /** Adds a profile; its `extends` must already be present. Replaces a profile of the same id. */
  add(profile: Profile): this {
    if (
      profile.id !== DEFAULT_PROFILE &&
      profile.extends === undefined &&
      this.#profiles.size > 0
    ) {
      profile = { ...profile, extends: DEFAULT_PROFILE };
    }
    if (profile.extends !== undefined) {
      if (profile.extends === profile.id) {
        throw new SipcodesError("profile_cycle", `profile "${profile.id}" cannot extend itself`);
      }
      if (!this.#profiles.has(profile.extends)) {
        throw new SipcodesError(
          "unknown_profile",
          `profile "${profile.id}" extends "${profile.extends}", which is not loaded (known: ${this.ids().join(", ")})`,
        );
      }
    }
    if (profile.glossary?.length) {
      const parent = profile.extends === undefined ? undefined : this.get(profile.extends);
      const before = parent ? this.chain(parent).map((p) => p.glossary ?? []) : [];
      const [first] = glossaryRedefinitions(profile.glossary, before);
      if (first) {
        throw new SipcodesError(
          "invalid_profile",
          `profile "${profile.id}": ${first.path.join(".")}: ${first.message}`,
          [first],
        );
      }
    }
    this.#profiles.set(profile.id, profile);
    this.#index = undefined;
    this.#chains = new WeakMap();
    return this;
  }

  get(id: string): Profile | undefined {
    return this.#profiles.get(id);
  }

  /** Like get, but throws `unknown_profile` naming the known ids. */
  getOrThrow(id: string): Profile {
    const profile = this.#profiles.get(id);
    if (!profile) {
      throw new SipcodesError(
        "unknown_profile",
        `unknown profile "${id}" (known: ${this.ids().join(", ")})`,
      );
    }
    return profile;
  }

  ids(): string[] {
    return [...this.#profiles.keys()];
  }

  list(): Profile[] {
    return [...this.#profiles.values()];
  }

  /** The profile and its ancestors, most specific first, ending with the root. */
  chain(profile: Profile): readonly Profile[] {
    const cached = this.#chains.get(profile);
    if (cached) return cached;
    const chain: Profile[] = [profile];
    const seen = new Set([profile.id]);
    let current = profile;
    while (current.extends !== undefined) {
      const parent = this.getOrThrow(current.extends);
      if (seen.has(parent.id)) {
        throw new SipcodesError(
          "profile_cycle",
          `profiles extend each other in a loop at "${parent.id}"`,
        );
      }
      seen.add(parent.id);
      chain.push(parent);
      current = parent;
    }
    this.#chains.set(profile, chain);
    return chain;
  }

  /** Chains by profile object; cleared whenever a profile is added. */
  #chains = new WeakMap<Profile, readonly Profile[]>();
  #phrases = new WeakMap<Profile, Map<number, ReadonlySet<string>>>();

  /**
   * The normalised phrases a profile's own overlay gives a code (its phrase and
   * the other phrases that identify it), or an empty set. Cached per profile.
   */
  ownPhrases(profile: Profile, code: number): ReadonlySet<string> {
    let byCode = this.#phrases.get(profile);
    if (!byCode) {
      byCode = new Map();
      this.#phrases.set(profile, byCode);
    }
    let set = byCode.get(code);
    if (!set) {
      const overlay = profile.codes[String(code)];
      set = new Set(
        [overlay?.phrase, ...(overlay?.phrases ?? [])]
          .filter((x): x is string => x !== undefined)
          .map(normalizePhrase),
      );
      byCode.set(code, set);
    }
    return set;
  }

  #index: Map<number, Map<string, string>> | undefined;

  /** Which profile a received reason phrase belongs to, for a given code. */
  profileForPhrase(code: number, phrase: string): string | undefined {
    if (!this.#index) {
      const index = new Map<number, Map<string, string>>();
      for (const profile of this.#profiles.values()) {
        for (const [key, overlay] of Object.entries(profile.codes)) {
          const names = [overlay.phrase, ...(overlay.phrases ?? [])].filter(
            (name): name is string => name !== undefined,
          );
          for (const name of names) {
            const byPhrase = index.get(Number(key)) ?? new Map<string, string>();
            if (!byPhrase.has(normalizePhrase(name)))
              byPhrase.set(normalizePhrase(name), profile.id);
            index.set(Number(key), byPhrase);
          }
        }
      }
      this.#index = index;
    }
    return this.#index.get(code)?.get(normalizePhrase(phrase));
  }
}

/** Compares reason phrases the way people read them: case, spacing and punctuation aside. */
export function normalizePhrase(phrase: string): string {
  return phrase
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

/**
 * The built-in profiles. They are checked by the compiler here and by their zod
 * schema in a test, so nothing is validated at run time on the lookup path.
 */
export const builtinProfiles: readonly Profile[] = [rfcProfile, jolaProfile, teamsProfile];

/** The ids of the built-in profiles, the standard one first. */
export const BUILTIN_PROFILE_IDS: readonly string[] = builtinProfiles.map((p) => p.id);

let shared: ProfileRegistry | undefined;

/** The registry of built-in profiles, created on first use and shared. */
export function defaultRegistry(): ProfileRegistry {
  shared ??= new ProfileRegistry(builtinProfiles);
  return shared;
}

/** A fresh registry with the built-ins plus the given user profiles, in order. */
export function createRegistry(extra: readonly Profile[] = []): ProfileRegistry {
  return new ProfileRegistry([...builtinProfiles, ...extra]);
}

export type { ProfileSummary };

export function summarizeProfile(profile: Profile): ProfileSummary {
  const subCodes = Object.keys(profile.subCodes ?? {}).length;
  return {
    id: profile.id,
    name: profile.name,
    description: profile.description,
    ...(profile.extends ? { extends: profile.extends } : {}),
    codes: Object.keys(profile.codes)
      .map(Number)
      .sort((a, b) => a - b),
    ...(subCodes ? { subCodes } : {}),
  };
}
