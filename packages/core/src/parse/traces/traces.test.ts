import { describe, expect, it } from "vitest";
import { readTrace, splitSip } from "./index.ts";

const invite = [
  "INVITE sip:+13105550101@gw.example SIP/2.0",
  "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1",
  "From: <sip:+12025550142@a.example>;tag=1",
  "To: <sip:+13105550101@gw.example>",
  "Call-ID: t1@a",
  "CSeq: 1 INVITE",
  "Content-Type: application/sdp",
  "Content-Length: 10",
  "",
  "v=0",
  "s=-",
];
const reply = [
  "SIP/2.0 486 Busy Here",
  "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1",
  "From: <sip:+12025550142@a.example>;tag=1",
  "To: <sip:+13105550101@gw.example>;tag=2",
  "Call-ID: t1@a",
  "CSeq: 1 INVITE",
  "Content-Length: 0",
];

describe("splitSip", () => {
  it("splits LF and CRLF text at start lines, requests included, keeping the body", () => {
    for (const eol of ["\n", "\r\n"]) {
      const parts = splitSip([...invite, "", ...reply, ""].join(eol));
      expect(parts.map((p) => p.split("\r\n")[0])).toEqual([invite[0], reply[0]]);
      expect(parts[0]).toContain("\r\n\r\nv=0\r\ns=-");
    }
  });
});

describe("readTrace", () => {
  it("reads raw SIP", () => {
    const r = readTrace([...invite, "", ...reply].join("\n"));
    expect(r?.format).toBe("sip");
    expect(r?.messages).toHaveLength(2);
  });

  it("reads sngrep's save as txt with times and addresses", () => {
    const text = [
      "2026/12/01 22:59:03.124454 10.0.0.1:5060 -> 10.0.0.2:5060",
      ...invite,
      "",
      "2026/12/01 22:59:03.524454 10.0.0.2:5060 -> 10.0.0.1:5060",
      ...reply,
      "",
      "",
    ].join("\n");
    const r = readTrace(text);
    expect(r?.format).toBe("sngrep");
    expect(r?.messages.map((m) => [m.src, m.dst])).toEqual([
      ["10.0.0.1:5060", "10.0.0.2:5060"],
      ["10.0.0.2:5060", "10.0.0.1:5060"],
    ]);
    const [a, b] = r?.messages ?? [];
    expect((b?.time ?? 0) - (a?.time ?? 0)).toBeCloseTo(400, 6);
  });

  it("reads ngrep -W byline, where each CR shows as a dot", () => {
    const text = [
      "interface: lo (127.0.0.0/255.0.0.0)",
      "",
      "U 2026/12/01 22:59:03.124454 10.0.0.1:5060 -> 10.0.0.2:5060 #1",
      ...invite.map((l) => `${l}.`),
      "",
      "#",
      "U 2026/12/01 22:59:03.624454 10.0.0.2:5060 -> 10.0.0.1:5060 #2",
      ...reply.map((l) => `${l}.`),
      ".",
      "",
    ].join("\n");
    const r = readTrace(text);
    expect(r?.format).toBe("ngrep");
    expect(r?.messages.map((m) => m.text.split("\r\n")[0])).toEqual([invite[0], reply[0]]);
    expect(r?.messages[1]?.text).toContain("Call-ID: t1@a\r\n");
  });

  it("reads Homer 7's text export in the layout homer-app writes", () => {
    // homer-app utils/exportwriter WriteDataToBuffer: "proto:<proto> <create_date>  <src> ---> <dst>",
    // CRLF CRLF, the raw message, CRLF; create_date is Go's RFC 3339 with nanoseconds.
    const raw = (lines: string[]) => `${lines.join("\r\n")}\r\n\r\n`;
    const text = [
      "proto:UDP 2026-12-02T10:01:09.216625Z  10.0.0.1:5060 ---> 10.0.0.2:5060\r\n\r\n",
      `${raw(invite)}\r\n`,
      "proto:TCP 2026-12-02T11:01:09.716625+01:00  2001:db8::2:5060 ---> 10.0.0.1:5060\r\n\r\n",
      `${raw(reply)}\r\n`,
    ].join("");
    const r = readTrace(text);
    expect(r?.format).toBe("homer");
    expect(r?.messages.map((m) => m.text.split("\r\n")[0])).toEqual([invite[0], reply[0]]);
    expect(r?.messages[0]?.text).toContain("\r\n\r\nv=0\r\ns=-");
    expect(r?.messages[1]).toMatchObject({ src: "[2001:db8::2]:5060", dst: "10.0.0.1:5060" });
    // The offset is read: the reply came half a second after the INVITE.
    const [a, b] = r?.messages ?? [];
    expect((b?.time ?? 0) - (a?.time ?? 0)).toBeCloseTo(500, 6);
  });

  it("reads FreeSWITCH siptrace, with and without a log prefix and indent", () => {
    const dashes = "-".repeat(72);
    const plain = [
      "recv 512 bytes from udp/[10.0.0.1]:5060 at 22:59:03.124454:",
      dashes,
      ...invite,
      dashes,
      "send 300 bytes to udp/[10.0.0.1]:5060 at 22:59:03.524454:",
      dashes,
      ...reply,
      "",
      dashes,
    ];
    const indented = plain.map((l) =>
      /bytes (from|to)/.test(l)
        ? `2026-12-01 22:59:03.124454 [DEBUG] sofia.c:2510 ${l}`
        : `   ${l}`,
    );
    for (const text of [plain.join("\n"), indented.join("\n")]) {
      const r = readTrace(text);
      expect(r?.format).toBe("siptrace");
      expect(r?.messages.map((m) => m.text.split("\r\n")[0])).toEqual([invite[0], reply[0]]);
      expect(r?.messages[0]?.src).toBe("[10.0.0.1]:5060");
      expect(r?.messages[1]?.dst).toBe("[10.0.0.1]:5060");
      expect(r?.messages[1]?.text).toContain("CSeq: 1 INVITE\r\n");
      expect(r?.messages[0]?.text).not.toContain("---");
    }
  });

  it("returns undefined for text with no SIP message", () => {
    expect(readTrace("hello\nworld")).toBeUndefined();
  });

  it("says when tshark JSON does not parse", () => {
    expect(() => readTrace('[{"_source": {"layers": ')).toThrow(
      /tshark json output but does not parse/,
    );
  });
});
