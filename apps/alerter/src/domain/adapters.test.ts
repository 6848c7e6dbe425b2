import { describe, expect, it } from "vitest";
import { fromFreeswitch, fromTelnyx, fromTwilio, sipCodeOfHangupCause } from "./adapters.ts";

const now = 1_000;

describe("fromTwilio", () => {
  it("maps a final status callback with SipResponseCode", () => {
    const r = fromTwilio(
      {
        CallSid: "CA1",
        CallStatus: "failed",
        SipResponseCode: "603",
        Direction: "outbound-api",
        AccountSid: "AC9",
        Timestamp: "Thu, 01 Jan 2026 00:00:00 +0000",
      },
      { trunk: "twilio", now },
    );
    expect(r).toEqual({
      kind: "event",
      event: {
        id: "twilio:CA1",
        time: Date.UTC(2026, 0, 1),
        code: 603,
        direction: "outbound",
        trunk: "twilio",
        customer: "AC9",
      },
    });
  });
  it("maps busy without a code to 486, ignores ringing and a bare failed", () => {
    expect(
      fromTwilio({ CallSid: "CA2", CallStatus: "busy", Direction: "inbound" }, { trunk: "t", now }),
    ).toMatchObject({ event: { code: 486, direction: "inbound", time: now } });
    expect(fromTwilio({ CallSid: "CA3", CallStatus: "ringing" }, { trunk: "t", now }).kind).toBe(
      "ignored",
    );
    expect(fromTwilio({ CallSid: "CA4", CallStatus: "failed" }, { trunk: "t", now }).kind).toBe(
      "ignored",
    );
    expect(fromTwilio({ CallStatus: "completed" }, { trunk: "t", now }).kind).toBe("invalid");
  });
});

describe("fromTelnyx", () => {
  it("maps call.hangup's sip_hangup_cause and connection", () => {
    const r = fromTelnyx(
      {
        data: {
          event_type: "call.hangup",
          id: "ev1",
          occurred_at: "2026-01-01T00:00:00Z",
          payload: { sip_hangup_cause: "500", connection_id: "conn1", direction: "incoming" },
        },
      },
      { trunk: "telnyx", now },
    );
    expect(r).toEqual({
      kind: "event",
      event: {
        id: "telnyx:ev1",
        time: Date.UTC(2026, 0, 1),
        code: 500,
        direction: "inbound",
        trunk: "conn1",
        customer: undefined,
      },
    });
  });
  it("ignores other events and hangups without a SIP code", () => {
    expect(
      fromTelnyx({ data: { event_type: "call.answered", payload: {} } }, { trunk: "t", now }).kind,
    ).toBe("ignored");
    expect(
      fromTelnyx(
        {
          data: {
            event_type: "call.hangup",
            id: "x",
            payload: { sip_hangup_cause: "unspecified" },
          },
        },
        { trunk: "t", now },
      ).kind,
    ).toBe("ignored");
    expect(fromTelnyx({ nope: 1 }, { trunk: "t", now }).kind).toBe("invalid");
  });
});

describe("fromFreeswitch", () => {
  it("uses sip_term_status, the gateway as trunk and the accountcode as customer", () => {
    const r = fromFreeswitch(
      {
        variables: {
          uuid: "u1",
          sip_term_status: "603",
          sip_gateway_name: "gw",
          accountcode: "acme",
          direction: "outbound",
          end_uepoch: "1767225600123456",
          sip_hangup_phrase: "MaxPeak Cost Exceeded",
          sip_reason: "Q.850;cause=21",
        },
      },
      { now },
    );
    expect(r).toEqual({
      kind: "event",
      event: {
        id: "freeswitch:u1",
        time: 1767225600123,
        code: 603,
        direction: "outbound",
        trunk: "gw",
        customer: "acme",
        phrase: "MaxPeak Cost Exceeded",
        reason: "Q.850;cause=21",
      },
    });
  });
  it("falls back to hangup_cause mapped through Q.850 (RFC 3398)", () => {
    expect(sipCodeOfHangupCause("USER_BUSY")).toBe(486);
    expect(sipCodeOfHangupCause("NO_ROUTE_DESTINATION")).toBe(404);
    expect(sipCodeOfHangupCause("INTERWORKING")).toBe(500);
    expect(sipCodeOfHangupCause("ORIGINATOR_CANCEL")).toBe(487);
    expect(sipCodeOfHangupCause("MADE_UP")).toBeUndefined();
    expect(
      fromFreeswitch({ variables: { uuid: "u2", hangup_cause: "USER_BUSY" } }, { now }),
    ).toMatchObject({ event: { code: 486, time: now } });
    expect(
      fromFreeswitch({ variables: { uuid: "u3", hangup_cause: "MADE_UP" } }, { now }).kind,
    ).toBe("ignored");
  });
});
