import { describe, expect, it } from "vitest";
import { explain } from "../explain/index.ts";
import { renderMarkdown, renderText } from "./index.ts";

const msg = (lines: string[]) => `${lines.join("\r\n")}\r\n\r\n`;

describe("rendering the headers that name the cause", () => {
  const e = explain(
    msg([
      "SIP/2.0 487 Request Terminated",
      "To: <sip:+13105550100@gw>;tag=zz9",
      "Server: FreeSWITCH-mod_sofia/1.10.11",
      'Reason: SIP;cause=200;text="Call completed elsewhere", Q.850;cause=16;location=LN',
      "X-FS-Hangup-Cause: ORIGINATOR_CANCEL",
    ]),
  );
  it("shows every Reason value with its location, the sender and the PBX header in text", () => {
    const text = renderText(e, { width: 200 });
    expect(text).toContain('SIP cause 200 OK "Call completed elsewhere"');
    expect(text).toContain("completed elsewhere");
    expect(text).toContain("location LN (the public network serving the local user)");
    expect(text).toContain("Server: FreeSWITCH-mod_sofia/1.10.11");
    expect(text).toContain("To tag zz9");
    expect(text).toContain("x-fs-hangup-cause: ORIGINATOR_CANCEL");
  });
  it("shows the same in Markdown", () => {
    const md = renderMarkdown(e);
    expect(md).toContain("**Reason header values**");
    expect(md).toContain("Server: FreeSWITCH-mod\\_sofia/1.10.11");
  });
  it("shows the redress contact of a blocked call and per-code headers", () => {
    const blocked = renderText(
      explain(
        msg([
          "SIP/2.0 603 Network Blocked",
          "Call-Info: <https://r.example/j.jcard>;purpose=jwscard",
        ]),
      ),
      { width: 200 },
    );
    expect(blocked).toContain("Redress (dispute the block)");
    expect(blocked).toContain("https://r.example/j.jcard");
    const stale = renderText(
      explain(
        msg([
          "SIP/2.0 401 Unauthorized",
          'WWW-Authenticate: Digest realm="a", nonce="b", stale=true',
        ]),
      ),
      { width: 200 },
    );
    expect(stale).toContain("stale=true");
    const minSe = renderText(
      explain(msg(["SIP/2.0 422 Session Interval Too Small", "Min-SE: 1800"])),
      { width: 200 },
    );
    expect(minSe).toContain("Min-SE 1800");
  });
  it("shows a note when a sub-code did not apply", () => {
    expect(renderText(explain(403, { subCode: "560403" }), { width: 300 })).toMatch(
      /Notes\n.*Sub-code 560403 was not explained/,
    );
  });
});
