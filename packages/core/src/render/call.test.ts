import { describe, expect, it } from "vitest";
import { explainCalls } from "../dialog/calls.ts";
import { readTrace } from "../parse/traces/index.ts";
import { renderCallMarkdown, renderCallText } from "./call.ts";
import { renderMarkdown } from "./index.ts";

// A sngrep-style pasted ladder of two calls: one blocked by network analytics
// (603+ with its Reason and redress Call-Info), one cancelled by the caller.
const msg = (lines: string[]) => `${lines.join("\r\n")}\r\n\r\n`;
const from = "From: <sip:+12025550142@carrier.example>;tag=a_1";
const to = (tag?: string) => `To: <sip:+13105550199@gw.example>${tag ? `;tag=${tag}` : ""}`;
const via = (b: string) => `Via: SIP/2.0/UDP 198.51.100.10:5060;branch=z9hG4bK${b}`;
const trace = [
  msg([
    "INVITE sip:+13105550199@gw.example SIP/2.0",
    via("x1"),
    from,
    to(),
    "Call-ID: blocked_1@test",
    "CSeq: 1 INVITE",
    "Content-Length: 0",
  ]),
  msg([
    "SIP/2.0 183 Session Progress",
    via("x1"),
    from,
    to("b1"),
    "Call-ID: blocked_1@test",
    "CSeq: 1 INVITE",
    "Content-Length: 0",
  ]),
  msg([
    "SIP/2.0 603 Network Blocked",
    via("x1"),
    from,
    to("b1"),
    "Call-ID: blocked_1@test",
    "CSeq: 1 INVITE",
    'Reason: SIP;cause=603;text="Network Blocked"',
    "Call-Info: <https://redress.example.net/jcard.json>;purpose=jwscard",
    "Content-Length: 0",
  ]),
  msg([
    "INVITE sip:+13105550199@gw.example SIP/2.0",
    via("y1"),
    from,
    to(),
    "Call-ID: cancel-2@test",
    "CSeq: 1 INVITE",
    "Content-Length: 0",
  ]),
  msg([
    "SIP/2.0 180 Ringing",
    via("y1"),
    from,
    to("b2"),
    "Call-ID: cancel-2@test",
    "CSeq: 1 INVITE",
    "Content-Length: 0",
  ]),
  msg([
    "CANCEL sip:+13105550199@gw.example SIP/2.0",
    via("y1"),
    from,
    to(),
    "Call-ID: cancel-2@test",
    "CSeq: 1 CANCEL",
    'Reason: SIP;cause=200;text="Call completed elsewhere"',
    "Content-Length: 0",
  ]),
  msg([
    "SIP/2.0 200 OK",
    via("y1"),
    from,
    to("b2"),
    "Call-ID: cancel-2@test",
    "CSeq: 1 CANCEL",
    "Content-Length: 0",
  ]),
  msg([
    "SIP/2.0 487 Request Terminated",
    via("y1"),
    from,
    to("b2"),
    "Call-ID: cancel-2@test",
    "CSeq: 1 INVITE",
    "Content-Length: 0",
  ]),
].join("");

function calls() {
  const read = readTrace(trace);
  if (!read) throw new Error("the trace was not recognised");
  return explainCalls(read.messages).calls;
}

describe("renderCallMarkdown", () => {
  it("gives each call a heading, its ladder as a table row per step, and its verdict", () => {
    const [blocked, cancelled] = calls();
    if (!blocked || !cancelled) throw new Error("two calls expected");
    const text = renderCallMarkdown(blocked);
    expect(text).toMatch(/^### c1 · INVITE sip:\+13105550199@gw\.example SIP\/2\.0\n/);
    // Underscores in the Call-ID stay literal: it is inline code.
    expect(text).toContain("_Call-ID `blocked_1@test` · from +12025550142 to +13105550199_");
    const rows = text.split("\n").filter((l) => /^\| [\d.]* ?s? ?\| /.test(l));
    expect(rows).toHaveLength(blocked.events.length);
    expect(rows.map((r) => r.split(" | ")[1])).toEqual([
      "INVITE",
      "183 Session Progress",
      "603 Network Blocked",
    ]);
    expect(text).toContain(`**${blocked.verdict.replace(/([\\`*_[\]<>|])/g, "\\$1")}**`);
    expect(renderCallMarkdown(cancelled)).toContain(
      '**CANCEL Reason**\n\n- `SIP cause 200 "Call completed elsewhere"`',
    );
  });

  it("explains a failed call's final response as the single-message Markdown does", () => {
    const [blocked] = calls();
    const e = blocked?.final?.explanation;
    if (!blocked || !e) throw new Error("an explained final response expected");
    const call = renderCallMarkdown(blocked);
    const single = renderMarkdown(e);
    expect(call).toContain("**Final response 603 Network Blocked**");
    // The same end-user quote, and every section bullet the single view shows for the message.
    const quote = single
      .split("\n")
      .find((l) => l.startsWith("> ") && l.includes(e.endUser.message.slice(0, 20)));
    expect(quote).toBeDefined();
    expect(call).toContain(`**Tell the caller**\n\n${quote}`);
    expect(call).toMatch(/redress\.example\.net/);
  });

  it("has the same steps and verdicts as the text rendering", () => {
    for (const c of calls()) {
      const text = renderCallText(c);
      const mdText = renderCallMarkdown(c);
      for (const e of c.events) {
        const what = e.kind === "request" ? e.method : `${e.code} ${e.phrase ?? ""}`.trim();
        expect(text).toContain(what);
        expect(mdText).toContain(what);
      }
    }
  });
});
