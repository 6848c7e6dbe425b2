import { describe, expect, it } from "vitest";
import { codeOutcome } from "../explain/index.ts";
import { platformCauseTable } from "../views/q850.ts";
import { finalOutcome, nerClass, readSipCode, sipCodeForQ850 } from "./outcome.ts";

describe("finalOutcome", () => {
  it.each([
    [{ sipCode: "486" }, 486, "sip-code"],
    [{ sipCode: " 503 Service Unavailable" }, 503, "sip-code"],
    [{ sipCode: 404 }, 404, "sip-code"],
    [{ sipCode: "", protoCause: "sip:486" }, 486, "proto-cause"],
    [{ protoCause: "q850:17" }, 486, "proto-cause"],
    [{ sipCode: "", answered: true, causeName: "NORMAL_CLEARING" }, 200, "answered"],
    [{ causeName: "NO_ROUTE_DESTINATION" }, 404, "cause-name"],
    [{ causeName: "ORIGINATOR_CANCEL" }, 487, "cause-name"],
    [{ causeName: "user_busy" }, 486, "cause-name"],
    [{ causeName: "RECOVERY_ON_TIMER_EXPIRE" }, 504, "cause-name"],
    [{ q850: "34" }, 503, "q850"],
    [{ disposition: "ANSWERED" }, 200, "disposition"],
    [{ disposition: "NO ANSWER" }, 480, "disposition"],
    [{ disposition: "BUSY" }, 486, "disposition"],
    [{ disposition: "CONGESTION" }, 503, "disposition"],
    [{ disposition: "FAILED", q850: "1" }, 404, "q850"],
    [{ status: "completed" }, 200, "status"],
    [{ status: "no-answer" }, 480, "status"],
    [{ status: "canceled" }, 487, "status"],
    [{ status: "failed", sipCode: "503" }, 503, "sip-code"],
    [{ sipCode: "0", zeroIsAnswered: true }, 200, "sip-code"],
    [{ disposition: "ANSWERED", q850: "34" }, 200, "disposition"],
    [{ disposition: "NO ANSWER", q850: "16" }, 480, "disposition"],
  ])("reads %j as %i from the %s", (input, code, source) => {
    expect(finalOutcome(input)).toEqual({ ok: true, code, source });
  });

  it("turns causes into SIP codes with the writing platform's own table, when given one", () => {
    const freeswitch = platformCauseTable({ profile: "freeswitch" });
    const asterisk = platformCauseTable({ profile: "asterisk" });
    expect(platformCauseTable({ profile: "rfc" })).toBeUndefined();
    // CALL_REJECTED: RFC 3398 403, FreeSWITCH 603 (its table), Asterisk 403.
    expect(finalOutcome({ causeName: "CALL_REJECTED" })).toMatchObject({ code: 403 });
    expect(finalOutcome({ causeName: "CALL_REJECTED", causeToSip: freeswitch })).toMatchObject({
      code: 603,
      source: "cause-name",
    });
    expect(finalOutcome({ q850: "21", causeToSip: asterisk })).toMatchObject({ code: 403 });
    // A cause the table does not list gets the table's fallback (FreeSWITCH 480, Asterisk 603).
    expect(finalOutcome({ q850: "102", causeToSip: asterisk })).toMatchObject({ code: 603 });
    expect(finalOutcome({ protoCause: "q850:41", causeToSip: freeswitch })).toMatchObject({
      code: 503,
    });
    // Normal clearing without an answer stays no outcome, whatever the table's fallback.
    expect(finalOutcome({ causeName: "NORMAL_CLEARING", causeToSip: freeswitch })).toMatchObject({
      ok: false,
      reason: "no-outcome",
    });
    // A SIP code on the row outranks any cause.
    expect(finalOutcome({ sipCode: "486", q850: "21", causeToSip: freeswitch })).toMatchObject({
      code: 486,
    });
  });

  it("says why a row gives no final response", () => {
    expect(finalOutcome({ sipCode: "180" })).toMatchObject({ ok: false, reason: "provisional" });
    expect(finalOutcome({ status: "ringing" })).toMatchObject({ ok: false, reason: "provisional" });
    expect(finalOutcome({ sipCode: "abc" })).toMatchObject({ ok: false, reason: "bad-value" });
    expect(finalOutcome({ sipCode: "0" })).toMatchObject({ ok: false, reason: "bad-value" });
    expect(finalOutcome({ causeName: "NORMAL_CLEARING" })).toEqual({
      ok: false,
      reason: "no-outcome",
      detail: "normal clearing (Q.850 cause 16) without an answer",
    });
    expect(finalOutcome({ disposition: "FAILED" })).toMatchObject({ reason: "no-outcome" });
    expect(finalOutcome({ status: "failed" })).toMatchObject({ reason: "no-outcome" });
    expect(finalOutcome({})).toMatchObject({ reason: "no-outcome" });
  });

  it("reads codes written the ways platforms write them", () => {
    expect(readSipCode("sip:486")).toBe(486);
    expect(readSipCode("SIP/2.0 404 Not Found")).toBe(404);
    expect(readSipCode("4860")).toBeNaN();
    expect(readSipCode("  ")).toBeUndefined();
  });

  it("maps Q.850 causes to SIP through RFC 3398", () => {
    expect(sipCodeForQ850(17)).toBe(486);
    expect(sipCodeForQ850(19)).toBe(480);
    expect(sipCodeForQ850(16)).toBeUndefined();
  });
});

describe("nerClass", () => {
  const ner = (code: number) => {
    const o = codeOutcome(code);
    return nerClass(code, o.outcome, o.userCaused);
  };
  it("counts answer, busy, no answer and the user's refusal as effective (E.411)", () => {
    expect([200, 486, 600, 480, 487, 603, 607].map(ner)).toEqual([
      "answered",
      "user",
      "user",
      "user",
      "user",
      "user",
      "user",
    ]);
  });
  it("counts timer expiry (408 -> Q.850 102) and 430 Flow Failed against the network", () => {
    expect([408, 430, 503, 504, 404, 403].map(ner)).toEqual(
      Array.from({ length: 6 }, () => "network"),
    );
  });
});
