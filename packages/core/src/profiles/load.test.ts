import { describe, expect, it } from "vitest";
import { SipcodesError } from "../errors.ts";
import { parseProfile } from "./load.ts";
import { createRegistry, ProfileRegistry } from "./registry.ts";

describe("parseProfile", () => {
  it("reads JSON and YAML", () => {
    const json = parseProfile(
      '{"id":"acme","name":"Acme","description":"Acme overlays.","codes":{}}',
    );
    const yaml = parseProfile("id: acme\nname: Acme\ndescription: Acme overlays.\ncodes: {}\n");
    expect(json).toEqual(yaml);
  });

  it("names the path of a bad field", () => {
    const text = JSON.stringify({
      id: "acme",
      name: "Acme",
      description: "Acme overlays.",
      codes: { "603": { causes: [{ text: "Cost ceiling hit.", direction: "sideways" }] } },
    });
    try {
      parseProfile(text, { source: "acme.json" });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SipcodesError);
      const e = error as SipcodesError;
      expect(e.code).toBe("invalid_profile");
      expect(e.message).toMatch(/^acme\.json: codes\.603\.causes\.0\.direction: /);
      expect(e.issues[0]?.path).toEqual(["codes", "603", "causes", 0, "direction"]);
    }
  });

  it("rejects codes outside 100-699, unknown fields and broken syntax", () => {
    expect(() =>
      parseProfile('{"id":"a1","name":"Acme","description":"Something.","codes":{"700":{}}}'),
    ).toThrow(/codes/);
    expect(() =>
      parseProfile('{"id":"a1","name":"Acme","description":"Something.","codes":{},"colour":1}'),
    ).toThrow(/colour/);
    expect(() => parseProfile("id: [", { source: "x.yaml" })).toThrow(/^x\.yaml: not valid YAML/);
  });

  it("names the path of a bad sub-code rule", () => {
    const text = JSON.stringify({
      id: "acme",
      name: "Acme",
      description: "Acme overlays.",
      codes: {},
      subCodeRules: [{ match: "56*", generatedBy: "platform", meaning: "Acme.", action: "Ask." }],
    });
    expect(() => parseProfile(text, { source: "acme.json" })).toThrow(
      /^acme\.json: subCodeRules\.0\.match: digits, then one x/,
    );
  });

  it("refuses a glossary term the shared glossary defines, naming its path", () => {
    const text = [
      "id: acme",
      "name: Acme",
      "description: Acme overlays.",
      "codes: {}",
      "glossary:",
      "  - term: SBC",
      "    definition: Acme's own idea of what an SBC is.",
    ].join("\n");
    expect(() => parseProfile(text, { source: "acme.yaml" })).toThrow(
      /^acme\.yaml: glossary\.0\.term: "SBC" is already defined; a profile may only add/,
    );
  });
});

describe("ProfileRegistry", () => {
  it("refuses a profile that extends an unknown one", () => {
    const profile = parseProfile(
      "id: acme\nname: Acme\ndescription: Acme overlays.\nextends: nope\ncodes: {}\n",
    );
    expect(() => createRegistry([profile])).toThrow(/extends "nope"/);
  });

  it("builds chains from most specific to the root", () => {
    const registry = createRegistry([
      parseProfile("id: acme\nname: Acme\ndescription: Acme overlays.\nextends: jola\ncodes: {}\n"),
    ]);
    expect(registry.chain(registry.getOrThrow("acme")).map((p) => p.id)).toEqual([
      "acme",
      "jola",
      "rfc",
    ]);
    expect(new ProfileRegistry().ids()).toEqual([]);
  });
});
