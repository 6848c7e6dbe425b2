import { describe, expect, it } from "vitest";
import { parseProfile } from "../profiles/load.ts";
import { createRegistry, defaultRegistry } from "../profiles/registry.ts";
import { explain } from "./index.ts";
import { explainSubCode } from "./sub-code.ts";

const chain = (id: string) => defaultRegistry().chain(defaultRegistry().getOrThrow(id));

describe("explainSubCode", () => {
  it.each([
    ["510559", 403, "platform", false, /./],
    ["560403", 403, "customer-sbc", false, /./],
    ["560486", 486, "customer-sbc", true, /\(486\) on an outbound call/],
    ["540503", 503, "customer-sbc", true, /\(503\) on an inbound call/],
    ["560003", 500, "customer-sbc", true, /\(3\) on an outbound call/],
    ["123456", 500, "platform", true, /A Microsoft service/],
  ] as const)("reads Teams %s with %i as %s (inferred: %s)", (sub, code, by, inferred, meaning) => {
    const e = explainSubCode(sub, code, chain("teams"));
    expect(e).toMatchObject({ subCode: sub, generatedBy: by, inferred });
    expect(e?.meaning).toMatch(meaning);
  });

  it("reads Teams 569xxx as Microsoft failing to reach the SBC, not as tenant advice", () => {
    const e = explainSubCode("569099", 504, chain("teams"));
    expect(e).toMatchObject({ generatedBy: "platform", inferred: true });
    expect(e?.meaning).toMatch(/DNS/);
    expect(e?.meaning).toMatch(/TCP/);
    expect(e?.meaning).toMatch(/TLS/);
    expect(e?.action).not.toMatch(/tenant/i);
    expect(e?.mismatch).toBeUndefined();
  });

  it.each([
    ["560403", 486, [403]],
    ["540503", 486, [503]],
    ["569099", 403, [504]],
  ] as const)(
    "flags sub-code %s received with %i (documented with %j)",
    (sub, code, documented) => {
      const e = explainSubCode(sub, code, chain("teams"));
      expect(e?.mismatch?.documentedWith).toEqual(documented);
      expect(e?.mismatch?.note).toContain(`does not go with ${code}`);
    },
  );

  it("does not flag a sub-code received with the code it names", () => {
    expect(explainSubCode("560486", 486, chain("teams"))?.mismatch).toBeUndefined();
    expect(explainSubCode("560403", 403, chain("teams"))?.mismatch).toBeUndefined();
  });

  it.each(["12345", "1234567", "56040x", ""])(
    "reads no rule for %j, which is not six digits",
    (sub) => {
      expect(explainSubCode(sub, 403, chain("teams"))).toBeUndefined();
    },
  );

  it("reads nothing without a profile that has sub-codes", () => {
    expect(explainSubCode("560486", 486, chain("rfc"))).toBeUndefined();
    expect(explainSubCode("560486", 486, chain("jola"))).toBeUndefined();
  });

  it("applies the rules of a user's profile, its own before those it extends", () => {
    const acme = parseProfile(
      [
        "id: acme",
        "name: Acme",
        "description: Acme's SBC fleet in front of Teams.",
        "extends: teams",
        "codes: {}",
        "subCodeRules:",
        "  - match: 560xxx",
        "    generatedBy: unclear",
        "    meaning: Acme's edge answered {x}; check its logs first.",
        "    action: Open an Acme ticket quoting code {x}.",
        "  - match: 9xx",
        "    generatedBy: platform",
        "    meaning: An Acme short code.",
        "    action: Look it up in Acme's runbook.",
      ].join("\n"),
    );
    const registry = createRegistry([acme]);
    const own = explain(486, { profile: "acme", registry, subCode: "560486" }).subCode;
    expect(own).toEqual({
      subCode: "560486",
      generatedBy: "unclear",
      meaning: "Acme's edge answered 486; check its logs first.",
      action: "Open an Acme ticket quoting code 486.",
      inferred: true,
    });
    expect(explain(486, { profile: "acme", registry, subCode: "912" }).subCode?.meaning).toBe(
      "An Acme short code.",
    );
    // Teams' rule still reads what Acme's rules do not match.
    expect(
      explain(503, { profile: "acme", registry, subCode: "540503" }).subCode?.generatedBy,
    ).toBe("customer-sbc");
  });
});
