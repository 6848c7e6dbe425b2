import { SipcodesError } from "../errors.ts";
import type { Profile } from "../schema/profile.ts";
import type { ProfileSummary } from "../schema/profile-summary.ts";
import { asteriskProfile } from "./asterisk.ts";
import { freeswitchProfile } from "./freeswitch.ts";
import { glossaryRedefinitions } from "./glossary-check.ts";
import { jolaProfile } from "./jola.ts";
import { rfcProfile } from "./rfc.ts";
import { teamsProfile } from "./teams.ts";

export const DEFAULT_PROFILE = "rfc";

/** What `ProfileRegistry.headerSelectors()` returns. */
export interface HeaderSelectors {
  selectors: { profile: Profile; header: string; subCode: boolean; contains?: string }[];
  names: ReadonlySet<string>;
}

/** A set of profiles that can extend one another. */
export class ProfileRegistry {
  readonly #profiles = new Map<string, Profile>();
  /** Profiles registered by id whose data is read on first use (the built-ins). */
  readonly #lazy = new Map<string, () => Profile>();
  readonly #order: string[] = [];

  constructor(profiles: readonly Profile[] = []) {
    for (const profile of profiles) this.add(profile);
  }

  /**
   * Registers a profile by id, to be loaded and checked (as `add` does) the
   * first time it is asked for; a lookup under one profile then never reads
   * the others' data.
   */
  addLazy(id: string, load: () => Profile): this {
    if (!this.#profiles.has(id) && !this.#lazy.has(id)) this.#order.push(id);
    this.#profiles.delete(id);
    this.#lazy.set(id, load);
    this.#index = undefined;
    this.#headers = undefined;
    return this;
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
      if (!this.get(profile.extends)) {
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
    if (!this.#profiles.has(profile.id) && !this.#lazy.has(profile.id))
      this.#order.push(profile.id);
    this.#lazy.delete(profile.id);
    this.#profiles.set(profile.id, profile);
    this.#index = undefined;
    this.#headers = undefined;
    this.#chains = new WeakMap();
    return this;
  }

  get(id: string): Profile | undefined {
    const found = this.#profiles.get(id);
    if (found) return found;
    const load = this.#lazy.get(id);
    if (!load) return undefined;
    const profile = load();
    if (profile.extends !== undefined && profile.extends !== id) this.get(profile.extends);
    this.add(profile);
    return profile;
  }

  /** Like get, but throws `unknown_profile` naming the known ids. */
  getOrThrow(id: string): Profile {
    const profile = this.get(id);
    if (!profile) {
      throw new SipcodesError(
        "unknown_profile",
        `unknown profile "${id}" (known: ${this.ids().join(", ")})`,
      );
    }
    return profile;
  }

  ids(): string[] {
    return [...this.#order];
  }

  list(): Profile[] {
    return this.#order.flatMap((id) => {
      const profile = this.get(id);
      return profile ? [profile] : [];
    });
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

  #headers: HeaderSelectors | undefined;

  /**
   * The headers the profiles declare as selecting them (`subCodeHeaders`,
   * `selectBy`), in registry order, and the set of their names; built once
   * per change of the registry, since every explained message asks.
   */
  headerSelectors(): HeaderSelectors {
    if (!this.#headers) {
      const selectors: HeaderSelectors["selectors"] = [];
      const names = new Set<string>();
      for (const profile of this.list()) {
        for (const header of profile.subCodeHeaders ?? []) {
          selectors.push({ profile, header, subCode: true });
          names.add(header);
        }
        for (const m of profile.selectBy ?? []) {
          selectors.push({
            profile,
            header: m.header,
            subCode: false,
            ...(m.contains !== undefined ? { contains: m.contains } : {}),
          });
          names.add(m.header);
        }
      }
      this.#headers = { selectors, names };
    }
    return this.#headers;
  }

  /** Which profile a received reason phrase belongs to, for a given code. */
  profileForPhrase(code: number, phrase: string): string | undefined {
    if (!this.#index) {
      const index = new Map<number, Map<string, string>>();
      for (const profile of this.list()) {
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
 * The built-in profiles, by id, the standard one first. They are checked by
 * the compiler here and by their zod schema in a test, so nothing is
 * validated at run time on the lookup path; registries load each on first use.
 */
const builtins: readonly [id: string, load: () => Profile][] = [
  ["rfc", () => rfcProfile],
  ["jola", () => jolaProfile],
  ["teams", () => teamsProfile],
  ["freeswitch", () => freeswitchProfile],
  ["asterisk", () => asteriskProfile],
];

/** The built-in profiles (reading this loads them all; registries load them one by one). */
export const builtinProfiles: readonly Profile[] = /* @__PURE__ */ (() =>
  builtins.map(([, load]) => load()))();

/** The ids of the built-in profiles, the standard one first (a test checks them against the data). */
export const BUILTIN_PROFILE_IDS: readonly string[] = builtins.map(([id]) => id);

function withBuiltins(): ProfileRegistry {
  const registry = new ProfileRegistry();
  for (const [id, load] of builtins) registry.addLazy(id, load);
  return registry;
}

let shared: ProfileRegistry | undefined;

/** The registry of built-in profiles, created on first use and shared. */
export function defaultRegistry(): ProfileRegistry {
  shared ??= withBuiltins();
  return shared;
}

/** A fresh registry with the built-ins plus the given user profiles, in order. */
export function createRegistry(extra: readonly Profile[] = []): ProfileRegistry {
  const registry = withBuiltins();
  for (const profile of extra) registry.add(profile);
  return registry;
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
