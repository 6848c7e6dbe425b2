import { describe, expect, it } from "vitest";
import { SipcodesError } from "../errors.ts";
import { parseProfile } from "../profiles/load.ts";
import { Explanation } from "../schema/explanation.ts";
import { codeOutcome, explain, safeExplain } from "./index.ts";

const crlf = (lines: string[]) => `${lines.join("\r\n")}\r\n\r\n`;

describe("explain", () => {
  it("explains a bare code with the standard meaning by default", () => {
    const e = explain(486);
    expect(e.code).toBe(486);
    expect(e.phrase).toBe("Busy Here");
    expect(e.class).toBe("4xx");
    expect(e.final).toBe(true);
    expect(e.outcome).toBe("busy");
    expect(e.profile).toMatchObject({ id: "rfc", requested: "rfc", selectedBy: "request" });
    expect(e.operator?.causes.length).toBeGreaterThan(0);
    expect(e.endUser.message.length).toBeGreaterThan(10);
    expect(e.references).toContain("RFC 3261 §21.4.24");
    expect(Explanation.parse(e)).toEqual(e);
  });

  it("gives the same answer for 486, '486' and a status line", () => {
    const a = explain(486);
    expect(explain("486")).toEqual(a);
    expect(explain("SIP/2.0 486 Busy Here")).toMatchObject({
      code: 486,
      received: { matches: "standard" },
    });
  });

  it("maps the code to its RFC 3398 Q.850 cause and lists the causes that map to it", () => {
    const e = explain(486);
    expect(e.q850).toMatchObject({ cause: 17, source: "rfc3398" });
    expect(e.fromQ850).toEqual([17]);
  });

  it("uses the jola profile's cost ceiling meaning for 603", () => {
    const e = explain(603, { profile: "jola" });
    expect(e.summary).toMatch(/cost/i);
    expect(e.operator?.actions.some((a) => a.actor === "carrier" && /support/i.test(a.text))).toBe(
      true,
    );
    expect(e.references.some((r) => /seed|help page/i.test(r))).toBe(true);
  });

  it("selects the jola profile when the received phrase is MaxPeak Cost Exceeded, and says so", () => {
    const e = explain("SIP/2.0 603 MaxPeak Cost Exceeded", { profile: "rfc" });
    expect(e.profile).toMatchObject({ id: "jola", requested: "rfc", selectedBy: "phrase" });
    expect(e.profile.note).toMatch(/MaxPeak Cost Exceeded/);
    expect(e.received).toEqual({
      phrase: "MaxPeak Cost Exceeded",
      matches: "profile",
      profile: "jola",
    });
    expect(e.summary).toMatch(/cost/i);
  });

  it("falls back to the standard meaning when jola is asked for but 603 arrives as Decline", () => {
    const e = explain("SIP/2.0 603 Decline", { profile: "jola" });
    expect(e.profile).toMatchObject({
      id: "jola",
      requested: "jola",
      notApplied: [{ profile: "jola", reason: "phrase" }],
    });
    expect(e.profile.note).toMatch(/standard one/);
    expect(e.summary).not.toMatch(/cost/i);
    expect(e.summary).toBe(explain(603).summary);
  });

  describe("a phrase that is neither the standard one nor the profile's", () => {
    // "Network Blocked" is not in this list: it selects the standard analytics-blocking variant (message.test.ts).
    for (const line of ["SIP/2.0 603 Call Refused", "SIP/2.0 603 Declined"]) {
      it(`gives the standard meaning under jola for "${line}" and says what was received`, () => {
        const e = explain(line, { profile: "jola" });
        const phrase = line.slice("SIP/2.0 603 ".length);
        expect(e.received).toEqual({ phrase, matches: "other" });
        expect(e.summary).toBe(explain(603).summary);
        expect(e.operator?.meaning).toBe(explain(603).operator?.meaning);
        expect(e.profilePhrase).toBeUndefined();
        expect(e.profile.notApplied).toEqual([{ profile: "jola", reason: "phrase" }]);
        expect(e.profile.note).toContain(`"${phrase}"`);
        expect(e.profile.note).toMatch(/only to its own phrase/);
        expect(Explanation.parse(e)).toEqual(e);
      });
    }

    it("keeps the profile's meaning for one of the profile's other phrases", () => {
      const e = explain("SIP/2.0 603 Max Peak Cost Exceeded", { profile: "jola" });
      expect(e.summary).toMatch(/cost/i);
      expect(e.profile.notApplied).toBeUndefined();
    });

    it("keeps an overlay that names no phrase whatever phrase arrives", () => {
      const e = explain("SIP/2.0 486 User Busy", { profile: "jola" });
      expect(e.summary).toMatch(/CPE/);
      expect(e.profile.notApplied).toBeUndefined();
    });
  });

  describe("facts that belong to one platform stay in its profile", () => {
    it("does not call a number missing on the PBX the most common 500 in the standard text", () => {
      const text = JSON.stringify(explain(500));
      expect(text).not.toMatch(/most common/i);
      expect(JSON.stringify(explain(500, { profile: "jola" }))).toMatch(/usual one|most often/i);
    });

    it("does not map Q.850 cause 44 to a SIP code, as RFC 3398 calls it untranslatable", () => {
      const result = safeExplain("Q.850;cause=44");
      expect(result.success).toBe(false);
      if (!result.success) expect(result.error.message).toMatch(/no SIP equivalent/);
    });

    it("flags a Teams sub-code that belongs to another SIP code, in the explanation", () => {
      const e = explain(486, { profile: "teams", subCode: "560403" });
      expect(e.subCode?.mismatch?.documentedWith).toEqual([403]);
    });
  });

  describe("directions an overlay covers", () => {
    it("accepts a directions list in a profile file and honours it", () => {
      const acme = parseProfile(
        JSON.stringify({
          id: "acme3",
          name: "Acme",
          description: "A test profile for directions.",
          codes: { "486": { summary: "Acme's own busy, inbound only.", directions: ["inbound"] } },
        }),
      );
      expect(explain(486, { profile: acme, direction: "inbound" }).summary).toMatch(/Acme/);
      const out = explain(486, { profile: acme, direction: "outbound" });
      expect(out.summary).not.toMatch(/Acme/);
      expect(out.profile.notApplied).toEqual([{ profile: "acme3", reason: "direction" }]);
    });

    it("gives the standard 603 for an inbound call under jola, whose 603 is outbound only", () => {
      const e = explain(603, { profile: "jola", direction: "inbound" });
      expect(e.summary).toBe(explain(603, { direction: "inbound" }).summary);
      expect(e.summary).not.toMatch(/outbound platform/i);
      expect(e.profile.notApplied).toEqual([{ profile: "jola", reason: "direction" }]);
      expect(e.profile.note).toMatch(/outbound calls only/);
      expect(e.operator?.actions.length).toBeGreaterThan(0);
      expect(e.retry).toEqual(explain(603).retry);
    });

    it("keeps jola's 603 for an outbound call and for no direction", () => {
      expect(explain(603, { profile: "jola", direction: "outbound" }).summary).toMatch(/cost/i);
      expect(explain(603, { profile: "jola" }).summary).toMatch(/cost/i);
    });

    it("lets the platform's own phrase outweigh the direction", () => {
      const e = explain("SIP/2.0 603 MaxPeak Cost Exceeded", {
        profile: "jola",
        direction: "inbound",
      });
      expect(e.summary).toMatch(/cost/i);
    });

    it("rejects a directions list with an unknown direction in a profile file", () => {
      expect(() =>
        parseProfile(
          JSON.stringify({
            id: "acme2",
            name: "Acme",
            description: "A test profile for directions.",
            codes: { "603": { directions: ["sideways"] } },
          }),
        ),
      ).toThrow(SipcodesError);
    });
  });

  it("leaves an overlay out of codeOutcome for a direction it does not cover", () => {
    expect(codeOutcome(603, "jola", undefined, "outbound").userCaused).toBe(false);
    expect(codeOutcome(603, "jola", undefined, "inbound")).toEqual(codeOutcome(603, "rfc"));
    expect(codeOutcome(603, "jola")).toEqual(codeOutcome(603, "jola", undefined, "outbound"));
  });

  describe("--direction filters causes", () => {
    for (const direction of ["inbound", "outbound"] as const) {
      it(`keeps only ${direction} and both causes, and the actions, for 404 under jola`, () => {
        const e = explain(404, { profile: "jola", direction });
        const causes = e.operator?.causes ?? [];
        expect(causes.length).toBeGreaterThan(0);
        expect(causes.every((c) => c.direction === direction || c.direction === "both")).toBe(true);
        expect(causes[0]?.direction).toBe(direction);
        expect(e.operator?.actions.length).toBeGreaterThan(0);
      });
    }

    it("keeps every cause when no direction is given", () => {
      const all = explain(404, { profile: "jola" }).operator?.causes ?? [];
      expect(all.some((c) => c.direction === "inbound")).toBe(true);
      expect(all.some((c) => c.direction === "outbound")).toBe(true);
    });
  });

  it("ranks causes for the requested direction and keeps jola's per-direction advice", () => {
    const inbound = explain(404, { profile: "jola", direction: "inbound" });
    expect(inbound.operator?.causes[0]?.direction).toBe("inbound");
    expect(inbound.operator?.actions.some((a) => /E\.164/.test(a.text))).toBe(true);
    expect(inbound.operator?.actions.every((a) => a.direction !== "outbound")).toBe(true);
    const outbound = explain(404, { profile: "jola", direction: "outbound" });
    expect(outbound.operator?.actions.some((a) => /support/i.test(a.text))).toBe(true);
    expect(outbound.operator?.actions.every((a) => a.direction !== "inbound")).toBe(true);
  });

  it("keeps only what the caller should hear for the end-user audience", () => {
    const e = explain(486, { audience: "end-user" });
    expect(e.operator).toBeUndefined();
    expect(e.q850).toBeUndefined();
    expect(e.endUser.message).not.toMatch(/\b(SIP|SBC|proxy|codec)\b/);
  });

  it("explains an unknown code in range as the x00 of its class, flagged", () => {
    for (const [code, base] of [
      [499, 400],
      [699, 600],
      [567, 500],
      [299, 200],
    ] as const) {
      const e = explain(code);
      expect(e.code).toBe(code);
      expect(e.fallback?.explainedAs).toBe(base);
      expect(e.registered).toBe(false);
      expect(e.references).toContain("RFC 3261 §21");
    }
  });

  it("reads a whole SIP response with folded headers, compact names and LF endings", () => {
    const message = [
      "SIP/2.0 503 Service Unavailable",
      "v: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK776asdhds",
      "f: <sip:alice@example.com>;tag=1928301774",
      "t: <sip:+441234567890@example.com>;tag=a6c85cf",
      "i: a84b4c76e66710@pc33.example.com",
      "CSeq: 314159 INVITE",
      "Retry-After: 120 (maintenance);duration=600",
      "Reason: Q.850;cause=34;",
      ' text="No circuit/channel available"',
      'Warning: 399 sbc.example.com "Trunk group full"',
      "l: 0",
      "",
      "",
    ].join("\n");
    const e = explain(message);
    expect(e.code).toBe(503);
    expect(e.retry.after).toEqual({ seconds: 120, comment: "maintenance", duration: 600 });
    expect(e.q850).toMatchObject({
      cause: 34,
      source: "reason-header",
      text: "No circuit/channel available",
      sipCode: 503,
    });
    expect(e.warnings?.[0]).toMatchObject({
      code: 399,
      agent: "sbc.example.com",
      text: "Trunk group full",
    });
    expect(e.warnings?.[0]?.meaning).toBeTruthy();
    expect(Explanation.parse(e)).toEqual(e);
  });

  it("reads a CRLF response and keeps a received phrase that is not the standard one", () => {
    const e = explain(crlf(["SIP/2.0 480 Gone Fishing", "Call-ID: x@y", "CSeq: 1 INVITE"]));
    expect(e.received).toEqual({ phrase: "Gone Fishing", matches: "other" });
    expect(e.profile.id).toBe("rfc");
  });

  it("accepts the HTTP-style 'Internal Server Error' as 500's standard phrase", () => {
    expect(explain("SIP/2.0 500 Internal Server Error").received?.matches).toBe("standard");
  });

  it("explains a Q.850 Reason header through its RFC 3398 mapping", () => {
    const e = explain('Q.850;cause=17;text="User busy"');
    expect(e.code).toBe(486);
    expect(e.q850).toMatchObject({ cause: 17, source: "reason-header", text: "User busy" });
    const sip = explain('Reason: SIP;cause=487;text="Request Terminated"');
    expect(sip.code).toBe(487);
  });

  it("maps a cause RFC 3398 does not list to 500, and refuses causes outside 1-127", () => {
    expect(explain("Q.850;cause=100").code).toBe(500);
    expect(() => explain("Q.850;cause=200")).toThrow(/1 to 127/);
    expect(() => explain("Q.850;cause=16")).toThrow(/BYE/);
  });

  it("reads a Teams sub-code: documented ones from the table, 560xxx by Microsoft's rule", () => {
    const documented = explain(403, { profile: "teams", subCode: "510559" });
    expect(documented.subCode).toMatchObject({
      subCode: "510559",
      generatedBy: "platform",
      inferred: false,
    });
    const sbc = explain(403, { profile: "teams", subCode: 560403 });
    expect(sbc.subCode?.generatedBy).toBe("customer-sbc");
    const undocumented = explain(486, { profile: "teams", subCode: "560486" });
    expect(undocumented.subCode).toMatchObject({ generatedBy: "customer-sbc", inferred: true });
  });

  it("lists the glossary terms the text uses", () => {
    expect(explain(500, { profile: "jola" }).terms).toEqual(expect.arrayContaining(["PBX", "CPE"]));
  });

  it("uses a profile loaded from a user's file, extending a built-in one", () => {
    const profile = parseProfile(
      [
        "id: acme",
        "name: Acme Voice",
        "description: Acme's trunks, which send 480 when a customer is suspended.",
        "extends: jola",
        "codes:",
        "  '480':",
        "    phrase: Account Suspended",
        "    summary: The customer's account is suspended for non-payment.",
      ].join("\n"),
      { source: "acme.yaml" },
    );
    const e = explain("SIP/2.0 480 Account Suspended", { profile });
    expect(e.profile).toMatchObject({ id: "acme", selectedBy: "request" });
    expect(e.summary).toMatch(/suspended/);
    expect(explain(603, { profile }).summary).toMatch(/cost/i);
  });

  it.each([
    [0, "code_out_of_range"],
    [1000, "code_out_of_range"],
    ["abc", "invalid_input"],
    ["", "empty_input"],
    ["HTTP/1.1 404 Not Found", "not_sip"],
    ["SIP/3.0 200 OK", "unsupported_version"],
    ["INVITE sip:bob@example.com SIP/2.0", "not_a_response"],
    ["\u0000\u0001\u0002binary", "binary_input"],
    ["x".repeat(10 * 1024 * 1024), "input_too_large"],
    [486.5, "invalid_input"],
    [null, "invalid_input"],
    [{ code: 486 }, "invalid_input"],
  ])("refuses %j with a typed %s error", (input, code) => {
    const result = safeExplain(input);
    expect(result.success).toBe(false);
    if (!result.success) {
      expect(result.error).toBeInstanceOf(SipcodesError);
      expect(result.error.code).toBe(code);
      expect(result.error.message.length).toBeLessThan(300);
    }
  });

  it("refuses unknown profiles and bad options with a typed error", () => {
    expect(() => explain(486, { profile: "nope" })).toThrow(/unknown profile "nope"/);
    // @ts-expect-error: testing run-time validation
    expect(safeExplain(486, { direction: "sideways" })).toMatchObject({
      success: false,
      error: { code: "invalid_option" },
    });
  });

  it("returns frozen results so a caller cannot corrupt the cache", () => {
    const e = explain(486);
    expect(Object.isFrozen(e)).toBe(true);
    expect(() => {
      (e as { summary: string }).summary = "changed";
    }).toThrow();
    expect(explain(486).summary).not.toBe("changed");
  });
});
