import { describe, expect, it } from "vitest";
import { ngrepRows } from "./ngrep.ts";

/** Lays `payload` out as ngrep does by default: non-printable bytes as dots, rows of `width` indented by two spaces, the last padded. */
function rows(payload: string, width = 20): string[] {
  const bytes = new TextEncoder().encode(payload);
  const shown = Array.from(bytes, (b) => (b >= 32 && b < 127 ? String.fromCharCode(b) : ".")).join(
    "",
  );
  const out: string[] = [];
  for (let i = 0; i < shown.length; i += width)
    out.push(`  ${shown.slice(i, i + width).padEnd(width)}`);
  return out;
}

describe("ngrepRows", () => {
  it.each([
    [
      "a request with a body",
      "INVITE sip:b@x SIP/2.0\r\nCall-ID: 1@x\r\nContent-Length: 4\r\n\r\nv=0\r\n",
    ],
    [
      "a header whose value ends in a dot",
      "SIP/2.0 486 Busy Here\r\nSubject: Busy.\r\nCall-ID: 2@x\r\n\r\n",
    ],
    [
      "two messages in one TCP segment",
      "SIP/2.0 100 Trying\r\nCall-ID: 3@x\r\n\r\nSIP/2.0 180 Ringing\r\nCall-ID: 3@x\r\n\r\n",
    ],
    ["spaces where a row ends", "SIP/2.0 200 OK\r\nTo: <sip:a@x>   \r\nCall-ID: 4@x\r\n\r\n"],
  ])("gives back %s", (_name, payload) => {
    expect(ngrepRows(rows(payload))).toBe(payload);
  });

  it("keeps non-ASCII text in a quoted name on its line, as dots", () => {
    const back = ngrepRows(
      rows('SIP/2.0 486 Busy Here\r\nFrom: "Zoë Müller" <sip:z@x>\r\nCall-ID: 5@x\r\n\r\n'),
    );
    expect(back?.split("\r\n")).toEqual([
      "SIP/2.0 486 Busy Here",
      'From: "Zo.. M..ller" <sip:z@x>',
      "Call-ID: 5@x",
      "",
      "",
    ]);
  });

  it("leaves rows that are not a SIP payload, and byline output, alone", () => {
    expect(ngrepRows(rows("GET / HTTP/1.1\r\nHost: x\r\n\r\n"))).toBeUndefined();
    expect(ngrepRows(["SIP/2.0 486 Busy Here.", "Call-ID: 1@x."])).toBeUndefined();
  });
});
