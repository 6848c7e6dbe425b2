import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { listCodeEntries, listGlossary } from "../catalogue/index.ts";
import { builtinProfiles } from "../profiles/registry.ts";
import type { GlossaryEntry } from "../schema/catalogue.ts";
import type { Profile } from "../schema/profile.ts";
import { findTerms, hasWord } from "./terms.ts";

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The reference: one RegExp per term, as the glossary matching was first written. */
function byRegExp(text: string, chain: readonly Profile[]): string[] {
  const found: string[] = [];
  const lists: readonly (readonly GlossaryEntry[])[] = [
    listGlossary(),
    ...chain.flatMap((p) => (p.glossary ? [p.glossary] : [])),
  ];
  for (const list of lists) {
    for (const entry of list) {
      if (found.includes(entry.term)) continue;
      const names = [entry.term, ...(entry.aliases ?? [])];
      const exact = entry.caseSensitive ? names.filter((n) => n === n.toUpperCase()) : [];
      const loose = names.filter((n) => !exact.includes(n));
      const pattern = (list: string[], flags: string) =>
        new RegExp(`(?<![\\w.-])(?:${list.map(escapeRegExp).join("|")})s?(?![\\w-])`, flags);
      const patterns = [
        ...(exact.length ? [pattern(exact, "")] : []),
        ...(loose.length ? [pattern(loose, "i")] : []),
      ];
      if (patterns.some((p) => p.test(text))) found.push(entry.term);
    }
  }
  return found;
}

describe("findTerms", () => {
  it("finds the same terms as one RegExp per term, in every catalogue text under every profile", () => {
    for (const profile of builtinProfiles) {
      const chain = builtinProfiles.filter((p) => p.id === profile.id || p.id === profile.extends);
      const texts = [
        ...listCodeEntries().flatMap((e) => [
          e.summary,
          e.meaning,
          e.endUser,
          ...e.causes.map((c) => c.text),
          ...e.actions.map((a) => a.text),
        ]),
        ...Object.values(profile.codes).flatMap((o) => [o.summary ?? "", o.meaning ?? ""]),
      ];
      for (const text of texts) expect(findTerms(text, chain), text).toEqual(byRegExp(text, chain));
    }
  });

  it("agrees with the RegExp on words at edges, plurals, dots and hyphens", () => {
    const cases = [
      "SBC",
      "SBCs",
      "SBCS",
      "SBC-like",
      "x.SBC",
      "-SBC",
      "SBC.",
      "(SBC)",
      "SBC_x",
      "sbc",
    ];
    for (const text of cases) {
      expect(hasWord(text, "SBC"), text).toBe(/(?<![\w.-])SBCs?(?![\w-])/.test(text));
    }
  });

  it("agrees with the RegExp on any text (property)", () => {
    const name = fc.constantFrom("SBC", "E.164", "Reason header", "ACK", "in");
    const text = fc.string({
      unit: fc.constantFrom("S", "B", "C", "s", ".", "-", " ", "_", "E", "1", "6", "4", "x"),
      maxLength: 24,
    });
    fc.assert(
      fc.property(name, text, text, (n, a, b) => {
        const t = `${a}${n}${b}`;
        expect(hasWord(t, n)).toBe(
          new RegExp(`(?<![\\w.-])${escapeRegExp(n)}s?(?![\\w-])`).test(t),
        );
      }),
    );
  });
});
