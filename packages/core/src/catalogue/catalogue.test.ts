import { describe, expect, it } from "vitest";
import { z } from "zod";
import { readTsv } from "../../test/reference.ts";
import { builtinProfiles } from "../profiles/registry.ts";
import { CodeEntry, GlossaryEntry, Q850Text, WarningCodeEntry } from "../schema/catalogue.ts";
import { Profile } from "../schema/profile.ts";
import { ianaCodes } from "./generated/iana.ts";
import { q850Causes } from "./generated/q850.ts";
import { isupToSip, sipToIsup } from "./generated/rfc3398.ts";
import {
  codeSources,
  getCodeEntry,
  getGlossaryEntry,
  getWarningCode,
  listCodeEntries,
  listGlossary,
  listWarningCodes,
} from "./index.ts";
import { getQ850Cause, listQ850Causes, q850CausesFor, sipToQ850 } from "./q850.ts";
import { q850Text } from "./q850-text.ts";

const iana = readTsv("iana-sip-response-codes.tsv");

describe("the code catalogue", () => {
  it("validates every entry against its schema", () => {
    for (const entry of listCodeEntries()) {
      const result = CodeEntry.safeParse(entry);
      expect(
        result.success,
        `${entry.code}: ${result.error ? z.prettifyError(result.error) : ""}`,
      ).toBe(true);
    }
  });

  it("has one entry per code", () => {
    const codes = listCodeEntries().map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it("covers every registered code with its registered phrase", () => {
    expect(iana).toHaveLength(75);
    for (const row of iana) {
      const entry = getCodeEntry(Number(row.code));
      expect(entry, `missing ${row.code}`).toBeDefined();
      expect(entry?.phrase).toBe(row.reason_phrase);
      expect(entry?.registered).toBe(true);
    }
  });

  it("cites the RFC the registry lists, with the RFC 3261 section where it has one", () => {
    for (const row of iana) {
      const entry = getCodeEntry(Number(row.code));
      const rfc = (row.reference ?? "").replace(/^RFC(\d+)$/, "RFC $1");
      expect(
        entry?.rfcs.some((r) => r.startsWith(rfc)),
        `${row.code} cites ${rfc}`,
      ).toBe(true);
      if (row.rfc3261_section) expect(entry?.rfcs).toContain(`RFC 3261 §${row.rfc3261_section}`);
    }
  });

  it("flags the unregistered codes seen in real traces", () => {
    for (const code of [409, 411, 490, 477, 478, 479]) {
      const entry = getCodeEntry(code);
      expect(entry?.registered, String(code)).toBe(false);
      expect(entry?.origin).toBeTruthy();
    }
    const registered = new Set(iana.map((r) => Number(r.code)));
    for (const entry of listCodeEntries())
      expect(entry.registered).toBe(registered.has(entry.code));
  });

  it("gives 1xx the provisional outcome and every final code a final outcome", () => {
    for (const entry of listCodeEntries()) {
      expect(entry.outcome === "provisional", String(entry.code)).toBe(entry.code < 200);
    }
  });

  it("points related codes at codes the catalogue knows", () => {
    for (const entry of listCodeEntries()) {
      for (const r of entry.related ?? []) {
        expect(getCodeEntry(r.code), `${entry.code} -> ${r.code}`).toBeDefined();
        expect(r.code).not.toBe(entry.code);
      }
    }
  });

  it("matches the generated IANA table to the reference file", () => {
    expect(ianaCodes.map((c) => [c.code, c.phrase])).toEqual(
      iana.map((r) => [Number(r.code), r.reason_phrase]),
    );
  });
});

describe("Q.850 causes and RFC 3398", () => {
  const causes = readTsv("q850-causes.tsv");

  it("has every Q.850 cause with its name, class and our explanation", () => {
    expect(q850Causes).toHaveLength(causes.length);
    for (const row of causes) {
      const cause = getQ850Cause(Number(row.cause));
      expect(cause?.name).toBe(row.name);
      expect(cause?.class).toBe(row.class);
      expect(
        Q850Text.safeParse(q850Text[Number(row.cause) as keyof typeof q850Text]).success,
        row.cause,
      ).toBe(true);
    }
    expect(listQ850Causes()).toHaveLength(causes.length);
  });

  it("keeps every code file's entries inside the range it is looked up by", () => {
    for (const source of codeSources) {
      for (const entry of source.load()) {
        expect(entry.code, `${entry.code}`).toBeGreaterThanOrEqual(source.from);
        expect(entry.code, `${entry.code}`).toBeLessThanOrEqual(source.to);
        expect(getCodeEntry(entry.code)).toBe(entry);
      }
    }
    for (const entry of listCodeEntries()) expect(getCodeEntry(entry.code)).toBe(entry);
    const codes = listCodeEntries().map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it("reflects every ISUP-to-SIP row of RFC 3398 §7.2.4.1", () => {
    const rows = readTsv("rfc3398-isup-to-sip.tsv");
    expect(isupToSip).toHaveLength(rows.length);
    for (const row of rows) {
      if (row.q850_cause === "other") continue;
      const cause = getQ850Cause(Number(row.q850_cause));
      if (row.sip_code) {
        expect(
          cause?.sip.map((s) => s.code),
          `cause ${row.q850_cause}`,
        ).toContain(Number(row.sip_code));
        expect(q850CausesFor(Number(row.sip_code))).toContain(Number(row.q850_cause));
      } else {
        expect(cause?.sip).toEqual([]);
      }
    }
    // Causes RFC 3398 does not list fall back to its default, 500 ...
    expect(getQ850Cause(43)?.sip).toEqual([{ code: 500 }]);
    expect(getQ850Cause(43)?.sipIsDefault).toBe(true);
    // ... except 44, which it calls untranslatable: no SIP code at all.
    const other = rows.find((row) => row.q850_cause === "other");
    expect(JSON.stringify(other)).toMatch(/Cause 44 .*untranslatable/);
    expect(getQ850Cause(44)).toMatchObject({ sip: [], sipIsDefault: false, untranslatable: true });
  });

  it("reflects every SIP-to-ISUP row of RFC 3398 §8.2.6.1", () => {
    const rows = readTsv("rfc3398-sip-to-isup.tsv");
    expect(sipToIsup).toHaveLength(rows.length);
    for (const row of rows) {
      if (row.sip_code === "other") continue;
      const mapped = sipToQ850(Number(row.sip_code));
      if (row.q850_cause) expect(mapped?.cause, row.sip_code).toBe(Number(row.q850_cause));
      else if (row.sip_code === "487") expect(mapped?.cause).toBeUndefined();
      else expect(mapped?.dependsOnWarning).toBe(true);
    }
    expect(sipToQ850(499)).toMatchObject({ cause: 31, isDefault: true });
    expect(sipToQ850(200)).toBeUndefined();
  });
});

describe("Warning codes and glossary", () => {
  it("has the RFC 3261 Warning codes, valid", () => {
    for (const code of [300, 301, 302, 303, 304, 305, 306, 307, 330, 331, 370, 399]) {
      expect(getWarningCode(code), String(code)).toBeDefined();
    }
    expect(z.array(WarningCodeEntry).safeParse(listWarningCodes()).success).toBe(true);
  });

  it("defines the seed's terms and the operator terms, valid", () => {
    for (const term of [
      "Callee",
      "Caller",
      "PBX",
      "CPE",
      "SBC",
      "E.164",
      "DID",
      "DDI",
      "Trunk",
      "ASR",
      "NER",
      "Q.850",
      "Reason header",
    ]) {
      expect(getGlossaryEntry(term), term).toBeDefined();
    }
    expect(z.array(GlossaryEntry).safeParse(listGlossary()).success).toBe(true);
  });
});

describe("built-in profiles", () => {
  it("validate against the profile schema", () => {
    for (const profile of builtinProfiles) {
      const result = Profile.safeParse(profile);
      expect(
        result.success,
        `${profile.id}: ${result.error ? z.prettifyError(result.error) : ""}`,
      ).toBe(true);
    }
  });

  it("only overlay codes the catalogue knows", () => {
    for (const profile of builtinProfiles) {
      for (const key of Object.keys(profile.codes))
        expect(getCodeEntry(Number(key)), `${profile.id} ${key}`).toBeDefined();
    }
  });

  it("carry the seed page's six codes in the jola profile", () => {
    const jola = builtinProfiles.find((p) => p.id === "jola");
    expect(Object.keys(jola?.codes ?? {}).sort()).toEqual([
      "200",
      "404",
      "486",
      "487",
      "500",
      "603",
    ]);
    expect(jola?.codes["603"]?.phrase).toBe("MaxPeak Cost Exceeded");
  });

  it("cover every documented Teams code pair", () => {
    const teams = builtinProfiles.find((p) => p.id === "teams");
    for (const key of [
      "560403/403",
      "510559/403",
      "500001/408",
      "540998/503",
      "569008/504",
      "0/408",
    ]) {
      expect(teams?.subCodes?.[key], key).toBeDefined();
    }
  });
});
