import { describe, expect, it } from "vitest";
import { getGlossaryEntry, listGlossary } from "../catalogue/index.ts";
import { glossaryRedefinitions } from "../profiles/glossary-check.ts";
import { builtinProfiles, createRegistry, defaultRegistry } from "../profiles/registry.ts";
import type { Profile } from "../schema/profile.ts";
import { findGlossaryTerm, listGlossaryTerms } from "./glossary.ts";

const teams = defaultRegistry().getOrThrow("teams");

describe("findGlossaryTerm", () => {
  it("finds a shared term by name or alias in any case, with or without a profile", () => {
    expect(findGlossaryTerm("sbc")?.term).toBe("SBC");
    expect(findGlossaryTerm("  DDI ")?.term).toBe("DID");
    expect(findGlossaryTerm("SBC", { profile: "teams" })).toBe(getGlossaryEntry("SBC"));
    expect(findGlossaryTerm("flux capacitor")).toBeUndefined();
  });

  it("finds a term a profile adds only through that profile", () => {
    expect(findGlossaryTerm("Media bypass")).toBeUndefined();
    expect(findGlossaryTerm("media bypass", { profile: "teams" })?.term).toBe("Media bypass");
    expect(findGlossaryTerm("Media bypass", { profile: "jola" })).toBeUndefined();
  });

  it("gives one definition of Direct Routing whichever profile reads it", () => {
    const plain = findGlossaryTerm("Direct Routing");
    expect(plain).toBeDefined();
    for (const profile of ["rfc", "jola", "teams"]) {
      expect(findGlossaryTerm("Direct Routing", { profile }), profile).toBe(plain);
      expect(findGlossaryTerm("teams direct routing", { profile }), profile).toBe(plain);
    }
  });

  it("keeps the first definition when a profile object built in code reuses a name", () => {
    const sneaky: Profile = {
      ...teams,
      id: "sneaky",
      glossary: [{ term: "SBC", definition: "Something else entirely, said twice." }],
    };
    expect(findGlossaryTerm("SBC", { profile: sneaky })).toBe(getGlossaryEntry("SBC"));
  });
});

describe("listGlossaryTerms", () => {
  it("lists the shared glossary without a profile, and adds a profile's terms, sorted", () => {
    expect(listGlossaryTerms()).toEqual(listGlossary());
    const withTeams = listGlossaryTerms({ profile: "teams" });
    expect(withTeams.length).toBe(listGlossary().length + (teams.glossary?.length ?? 0));
    const terms = withTeams.map((e) => e.term.toLowerCase());
    expect(terms).toEqual([...terms].sort());
    expect(withTeams.filter((e) => e.term === "Direct Routing")).toHaveLength(1);
  });
});

describe("profile glossaries", () => {
  it("only add terms: no built-in profile redefines a shared term or an ancestor's", () => {
    for (const profile of builtinProfiles) {
      const ancestors = defaultRegistry()
        .chain(profile)
        .slice(1)
        .map((p) => p.glossary ?? []);
      expect(glossaryRedefinitions(profile.glossary ?? [], ancestors), profile.id).toEqual([]);
    }
  });

  it("are refused, with the path of the name, when they redefine one", () => {
    const redefining: Profile = {
      id: "acme",
      name: "Acme",
      description: "Acme's trunk overlays.",
      codes: {},
      glossary: [
        { term: "Acme cloud", definition: "Acme's hosted PBX service for small offices." },
        { term: "Bypass", aliases: ["direct routing"], definition: "Acme's own meaning, again." },
      ],
    };
    expect(glossaryRedefinitions(redefining.glossary ?? [])).toEqual([
      { path: ["glossary", 1, "aliases", 0], message: expect.stringMatching(/"direct routing"/) },
    ]);
    expect(() => createRegistry([redefining])).toThrow(
      /profile "acme": glossary\.1\.aliases\.0: "direct routing" is already defined/,
    );
    const child: Profile = {
      id: "child",
      name: "Child",
      description: "Redefines a term its parent adds.",
      extends: "teams",
      codes: {},
      glossary: [{ term: "MEDIA BYPASS", definition: "A second meaning for the same name." }],
    };
    expect(() => createRegistry([child])).toThrow(/glossary\.0\.term/);
  });
});
