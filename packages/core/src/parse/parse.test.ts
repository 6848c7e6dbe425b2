import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SipcodesError } from "../errors.ts";
import { safeExplain } from "../explain/index.ts";
import {
  MAX_INPUT_LENGTH,
  parseInput,
  parseReasonHeader,
  parseRetryAfter,
  parseWarningHeader,
} from "./index.ts";

const response = [
  "SIP/2.0 486 Busy Here",
  "Via: SIP/2.0/UDP pc33.example.com;branch=z9hG4bKnashds8;received=192.0.2.1",
  "To: Bob <sip:bob@example.com>;tag=a6c85cf",
  "From: Alice <sip:alice@example.com>;tag=1928301774",
  "Call-ID: a84b4c76e66710",
  "CSeq: 314159 INVITE",
  'Reason: Q.850;cause=17;text="User busy", SIP;cause=486;text="Busy Here"',
  "Content-Length: 0",
  "",
  "",
].join("\r\n");

describe("parseInput", () => {
  it("reads codes, codes with phrases and status lines", () => {
    expect(parseInput(486)).toMatchObject({ kind: "code", code: 486 });
    expect(parseInput(" 486\n")).toMatchObject({ kind: "code", code: 486 });
    expect(parseInput("603 MaxPeak Cost Exceeded")).toMatchObject({
      code: 603,
      phrase: "MaxPeak Cost Exceeded",
    });
    expect(parseInput("sip/2.0 180 Ringing")).toMatchObject({
      kind: "status-line",
      code: 180,
      phrase: "Ringing",
    });
    expect(parseInput("SIP/2.0 200")).toEqual({
      kind: "status-line",
      code: 200,
      reasons: [],
      warnings: [],
    });
  });

  it("reads a whole response: headers, several Reason values", () => {
    const parsed = parseInput(response);
    expect(parsed.kind).toBe("response");
    expect(parsed.headers?.["call-id"]).toEqual(["a84b4c76e66710"]);
    expect(parsed.reasons).toEqual([
      { protocol: "Q.850", cause: 17, text: "User busy" },
      { protocol: "SIP", cause: 486, text: "Busy Here" },
    ]);
  });

  it("unfolds continuation lines and expands compact header names", () => {
    const parsed = parseInput(
      'SIP/2.0 488 Not Acceptable Here\nv: SIP/2.0/TCP a\nWarning: 305 gw.example.net\n  "Incompatible media format"\n',
    );
    expect(parsed.headers?.via).toEqual(["SIP/2.0/TCP a"]);
    expect(parsed.warnings).toEqual([
      { code: 305, agent: "gw.example.net", text: "Incompatible media format" },
    ]);
  });

  it("ignores the body after the blank line", () => {
    const parsed = parseInput(
      "SIP/2.0 200 OK\r\nContent-Type: application/sdp\r\n\r\nv=0\r\no=- 1 1 IN IP4 1.2.3.4\r\n",
    );
    expect(Object.keys(parsed.headers ?? {})).toEqual(["content-type"]);
  });

  it("keeps reading when a header line is broken, and reports it", () => {
    const parsed = parseInput(
      "SIP/2.0 503 Service Unavailable\nthis is not a header\nRetry-After: soon\nReason: Q.850;cause=abc\n",
    );
    expect(parsed.code).toBe(503);
    expect(parsed.skipped).toHaveLength(3);
  });
});

describe("header value readers", () => {
  it("reads Reason values with quoted commas and locations", () => {
    expect(parseReasonHeader('Q.850;cause=16;text="Normal, clearing";location=LN')).toEqual([
      { protocol: "Q.850", cause: 16, text: "Normal, clearing", location: "LN" },
    ]);
    expect(() => parseReasonHeader("Q.850;text=x")).toThrow(/no cause/);
  });

  it("reads Retry-After with comment and duration", () => {
    expect(parseRetryAfter("18000;duration=3600")).toEqual({ seconds: 18000, duration: 3600 });
    expect(parseRetryAfter("120 (I'm in a meeting)")).toEqual({
      seconds: 120,
      comment: "I'm in a meeting",
    });
    expect(parseRetryAfter("tomorrow")).toBeUndefined();
  });

  it("reads several Warning values", () => {
    expect(
      parseWarningHeader('370 a.example "Insufficient bandwidth", 399 b.example "x, y"'),
    ).toHaveLength(2);
  });
});

describe("parser properties", () => {
  it("never throws anything but a SipcodesError, whatever the input", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string({ unit: "binary" }),
          fc.integer(),
          fc.double(),
          fc.constant(null),
        ),
        (input) => {
          try {
            parseInput(input);
          } catch (error) {
            expect(error).toBeInstanceOf(SipcodesError);
          }
          const result = safeExplain(input);
          if (!result.success) expect(result.error).toBeInstanceOf(SipcodesError);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("reads back the code of any generated response", () => {
    const header = fc.tuple(
      fc.constantFrom(
        "Via",
        "v",
        "From",
        "f",
        "To",
        "t",
        "Call-ID",
        "i",
        "CSeq",
        "Contact",
        "m",
        "X-Custom",
      ),
      fc.string({ minLength: 0, maxLength: 40 }).map((s) => s.replace(/[\r\n]/g, " ")),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 699 }),
        fc.stringMatching(/^[A-Za-z][A-Za-z ]{0,30}$/),
        fc.array(header, { maxLength: 12 }),
        fc.constantFrom("\r\n", "\n"),
        (code, phrase, headers, eol) => {
          const text = [
            `SIP/2.0 ${code} ${phrase}`,
            ...headers.map(([n, v]) => `${n}: ${v}`),
            "",
            "",
          ].join(eol);
          const parsed = parseInput(text);
          expect(parsed.code).toBe(code);
          expect(safeExplain(text).success).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("survives mutations of a real response: a typed error or a result, never a crash", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.nat(response.length), fc.nat(4), fc.string({ maxLength: 5, unit: "binary" })),
          { maxLength: 8 },
        ),
        (edits) => {
          let text = response;
          for (const [at, remove, insert] of edits)
            text = text.slice(0, at) + insert + text.slice(at + remove);
          const result = safeExplain(text);
          if (!result.success) expect(result.error).toBeInstanceOf(SipcodesError);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("reads the same Reason, Warning and Retry-After whether it keeps every header or not", () => {
    const field = fc.oneof(
      fc.constantFrom(
        'Reason: Q.850;cause=17;text="User busy"',
        "reason: SIP;cause=486",
        'Warning: 399 sbc.example "channels full"',
        "Retry-After: 30 (busy);duration=60",
        "Record-Route: <sip:a;lr>",
        "r: <sip:refer@example.com>",
        "Route: <sip:b;lr>",
        "Via: SIP/2.0/UDP x",
        "  folded continuation",
        "not a header line",
      ),
      fc.string({ maxLength: 30 }).map((x) => x.replace(/[\r\n]/g, " ")),
    );
    fc.assert(
      fc.property(
        fc.array(field, { maxLength: 12 }),
        fc.constantFrom("\r\n", "\n"),
        (fields, eol) => {
          const text = ["SIP/2.0 503 Service Unavailable", ...fields, "", ""].join(eol);
          const all = parseInput(text);
          const some = parseInput(text, { headers: "interpreted" });
          expect(some.reasons).toEqual(all.reasons);
          expect(some.warnings).toEqual(all.warnings);
          expect(some.retryAfter).toEqual(all.retryAfter);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("refuses oversized input before reading it", () => {
    expect(() =>
      parseInput(`SIP/2.0 200 OK\r\n${"X-Pad: y\r\n".repeat(MAX_INPUT_LENGTH / 10 + 1)}`),
    ).toThrow(/limit is 65536/);
  });
});
