import { describe, expect, it } from "vitest";
import { parseInput } from "../index.ts";
import {
  q850CauseForName,
  readCauseHeaders,
  readCodeHeaders,
  readHangupHeader,
  readReasons,
} from "./index.ts";

const response = (lines: string[]) => {
  const parsed = parseInput(`${lines.join("\r\n")}\r\n\r\n`);
  return readCauseHeaders(parsed.headers ?? {}, parsed.code);
};

describe("readReasons", () => {
  it("reads every protocol in order, keeping unknown ones verbatim", () => {
    const r = readReasons([
      'SIP;cause=200;text="Call completed elsewhere", Q.850;cause=16;location=LN',
      "X.int;reasoncode=0x00000323",
    ]);
    expect(r.map((v) => [v.protocol, v.cause])).toEqual([
      ["SIP", 200],
      ["Q.850", 16],
      ["X.int", undefined],
    ]);
    expect(r[0]?.text).toBe("Call completed elsewhere");
    expect(r[1]?.location).toBe("LN");
    expect(r[1]?.locationName).toBe("the public network serving the local user");
    expect(r[2]?.raw).toBe("X.int;reasoncode=0x00000323");
  });

  it("accepts the header name in front and a comma inside quoted text", () => {
    const r = readReasons(['Reason: Q.850;cause=17;text="busy, really"']);
    expect(r).toHaveLength(1);
    expect(r[0]?.text).toBe("busy, really");
  });
});

describe("readCauseHeaders", () => {
  it("reads ms-diagnostics, who produced the response and the CSeq", () => {
    const h = response([
      "SIP/2.0 403 Forbidden",
      "Via: SIP/2.0/TLS sip.pstnhub.microsoft.com:5061;branch=z9hG4bKab",
      "To: <sip:+13105550100@sbc.example.com>;tag=abc123",
      "CSeq: 7 INVITE",
      "Server: Microsoft.PSTNHub.SIPProxy v.2024.1.1.1 i.EUWE.1",
      'ms-diagnostics: 510559;reason="No matching voice route";source="sip.pstnhub.microsoft.com"',
    ]);
    expect(h.diagnostics).toEqual([
      {
        header: "ms-diagnostics",
        code: "510559",
        reason: "No matching voice route",
        source: "sip.pstnhub.microsoft.com",
        raw: 'ms-diagnostics: 510559;reason="No matching voice route";source="sip.pstnhub.microsoft.com"'.slice(
          16,
        ),
      },
    ]);
    expect(h.producer).toEqual({
      server: "Microsoft.PSTNHub.SIPProxy v.2024.1.1.1 i.EUWE.1",
      toTag: "abc123",
      via: "sip.pstnhub.microsoft.com:5061",
    });
    expect(h.cseq).toEqual({ seq: 7, method: "INVITE" });
  });

  it("reads vendor hangup headers verbatim and the Q.850 cause they name", () => {
    const h = response([
      "SIP/2.0 486 Busy Here",
      "X-Asterisk-HangupCause: User busy",
      "X-Asterisk-HangupCauseCode: 17",
      "X-FS-Hangup-Cause: NORMAL_CIRCUIT_CONGESTION",
      "X-Carrier-Reason: route 7 exhausted",
      "X-Trunk-Id: 12",
    ]);
    expect(h.hangup.map((x) => [x.header, x.value, x.cause])).toEqual([
      ["x-asterisk-hangupcause", "User busy", 17],
      ["x-asterisk-hangupcausecode", "17", 17],
      ["x-fs-hangup-cause", "NORMAL_CIRCUIT_CONGESTION", 34],
      ["x-carrier-reason", "route 7 exhausted", undefined],
    ]);
  });

  it("reads the 603+ redress Call-Info", () => {
    const h = response([
      "SIP/2.0 603 Network Blocked",
      'Reason: SIP;cause=603;text="Network Blocked"',
      "Call-Info: <https://redress.example.net/jcard.json>;purpose=jwscard",
    ]);
    expect(h.callInfo).toEqual([
      { uri: "https://redress.example.net/jcard.json", purpose: "jwscard" },
    ]);
  });
});

describe("readCodeHeaders", () => {
  const h = (o: Record<string, string[]>) => o;
  it("reads Min-SE for 422 only", () => {
    expect(readCodeHeaders(422, h({ "min-se": ["1800;x=1"] }))).toEqual({ minSe: 1800 });
    expect(readCodeHeaders(200, h({ "min-se": ["1800"] }))).toEqual({});
  });
  it("reads Unsupported, Allow and Permission-Missing", () => {
    expect(readCodeHeaders(420, h({ unsupported: ["100rel, timer"] }))).toEqual({
      unsupported: ["100rel", "timer"],
    });
    expect(readCodeHeaders(405, h({ allow: ["INVITE, ACK", "BYE"] }))).toEqual({
      allow: ["INVITE", "ACK", "BYE"],
    });
    expect(
      readCodeHeaders(470, h({ "permission-missing": ["<sip:bob@example.com>, sip:c@d"] })),
    ).toEqual({ permissionMissing: ["sip:bob@example.com", "sip:c@d"] });
  });
  it("tells a stale nonce from a refused password", () => {
    const stale = 'Digest realm="x", nonce="abc", stale=TRUE, algorithm=MD5';
    expect(readCodeHeaders(401, h({ "www-authenticate": [stale] }))).toEqual({ authStale: true });
    expect(readCodeHeaders(407, h({ "proxy-authenticate": ['Digest realm="x"'] }))).toEqual({
      authStale: false,
    });
  });
  it("reads rn and npdi from 3xx Contacts", () => {
    expect(
      readCodeHeaders(
        302,
        h({ contact: ["<sip:+12025550100;rn=+12025559999;npdi@gw.example.com>, <sip:b@c>"] }),
      ).redirect,
    ).toEqual([
      {
        uri: "sip:+12025550100;rn=+12025559999;npdi@gw.example.com",
        rn: "+12025559999",
        npdi: true,
      },
      { uri: "sip:b@c", npdi: false },
    ]);
  });
});

describe("q850CauseForName", () => {
  it("reads FreeSWITCH names and Asterisk words", () => {
    expect(q850CauseForName("USER_BUSY")).toBe(17);
    expect(q850CauseForName("normal clearing")).toBe(16);
    expect(q850CauseForName("no such thing")).toBeUndefined();
  });
  it("keeps a cause number only in a header that says cause", () => {
    expect(readHangupHeader("x-reason-code", "16").cause).toBe(16);
    expect(readHangupHeader("x-reason", "16").cause).toBeUndefined();
  });
});
