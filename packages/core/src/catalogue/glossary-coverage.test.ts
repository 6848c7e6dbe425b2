import { describe, expect, it } from "vitest";
import { builtinProfiles } from "../profiles/registry.ts";
import { findGlossaryTerm } from "../views/glossary.ts";
import { listCodeEntries } from "./index.ts";
import { listQ850Causes } from "./q850.ts";
import { warningCodes } from "./warning-codes.ts";

/**
 * Capitalised words in catalogue text that are not glossary terms, and why:
 * - SIP method names without an entry of their own: the text says what they
 *   do where it uses them (INVITE, ACK, BYE, CANCEL, REGISTER, OPTIONS and
 *   PRACK have entries);
 * - general computing words and document names every reader knows;
 * - DNS record types named beside "DNS", and Q.850 message names quoted as
 *   written (STATUS ENQUIRY);
 * - Kamailio/SER module tags quoted from reason phrases ('(477/SL)');
 * - SDP tokens quoted as they appear on the wire (IN, AS, TIAS, RTP/AVP,
 *   RTP/SAVP) and HRESULT, the label of Windows error numbers in Microsoft's
 *   own error texts.
 */
const NOT_TERMS = new Set([
  "INFO",
  "NOTIFY",
  "UPDATE",
  "REFER",
  "SUBSCRIBE",
  "PUBLISH",
  "MESSAGE",
  "RFC",
  "IETF",
  "ID",
  "OK",
  "IT",
  "API",
  "HTTP",
  "HTTPS",
  "HTML",
  "URL",
  "CRLF",
  "PEM",
  "AAAA",
  "TXT",
  "STATUS",
  "ENQUIRY",
  "SER",
  "SL",
  "TM",
  "SAVP",
  "AVP",
  "IN",
  "AS",
  "TIAS",
  "HRESULT",
]);

const SKIP_KEYS = new Set(["phrase", "aliases", "keywords", "source", "rfcs", "term", "match"]);

function strings(value: unknown, out: string[] = [], key = ""): string[] {
  if (SKIP_KEYS.has(key)) return out;
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out, key);
  else if (value && typeof value === "object")
    for (const [k, v] of Object.entries(value)) strings(v, out, k);
  return out;
}

const shared = () => [
  ...strings(listCodeEntries()),
  ...listQ850Causes().map((c) => c.explanation),
  ...strings(warningCodes),
];
const own = (profile: (typeof builtinProfiles)[number]) => [
  ...strings({ description: profile.description, codes: profile.codes }),
  ...strings(profile.subCodes ?? {}),
  ...strings(profile.subCodeRules ?? []),
];

describe("the glossary covers the catalogue's own words", () => {
  for (const profile of builtinProfiles) {
    it(`defines every acronym the ${profile.id} text uses`, () => {
      const texts = [...shared(), ...own(profile)];
      const missing = new Set<string>();
      for (const text of texts) {
        for (const [word] of text.matchAll(/(?<![\w.-])[A-Z][A-Z0-9]+(?![\w-])/g)) {
          if (NOT_TERMS.has(word)) continue;
          if (!findGlossaryTerm(word, { profile: profile.id })) missing.add(word);
        }
      }
      expect([...missing].sort()).toEqual([]);
    });
  }

  it.each(["ALG", "PAI", "PRACK", "STIR", "SHAKEN", "STIR/SHAKEN", "PDD", "ACD", "CPS"])(
    "defines %s",
    (term) => {
      expect(findGlossaryTerm(term)?.definition.length).toBeGreaterThan(20);
    },
  );

  it("keeps the allow-list to words the text really uses", () => {
    const all = [...shared(), ...builtinProfiles.flatMap(own)].join("\n");
    for (const word of NOT_TERMS) expect(all, word).toMatch(new RegExp(`\\b${word}\\b`));
  });
});
