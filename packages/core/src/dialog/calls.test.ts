import { describe, expect, it } from "vitest";
import { Call, CallsResult } from "../schema/dialog.ts";
import { briefLine, CallTracker, type DialogMessage, explainCalls } from "./calls.ts";

const A = "198.51.100.10:5060";
const B = "203.0.113.20:5060";

function req(
  method: string,
  callId: string,
  seq: number,
  opts: {
    branch?: string;
    fromTag?: string;
    toTag?: string;
    extra?: string[];
    reverse?: boolean;
  } = {},
): string {
  const caller = "<sip:+12025550142@carrier.example>";
  const callee = "<sip:+13105550199@gw.example>";
  const from = opts.reverse ? callee : caller;
  const to = opts.reverse ? caller : callee;
  return [
    `${method} sip:+13105550199@gw.example SIP/2.0`,
    `Via: SIP/2.0/UDP 198.51.100.10:5060;branch=${opts.branch ?? `z9hG4bK${callId}${seq}${method}`}`,
    `From: ${from};tag=${opts.fromTag ?? "caller1"}`,
    `To: ${to}${opts.toTag ? `;tag=${opts.toTag}` : ""}`,
    `Call-ID: ${callId}`,
    `CSeq: ${seq} ${method}`,
    ...(opts.extra ?? []),
    "Content-Length: 0",
    "",
    "",
  ].join("\r\n");
}

function res(
  status: string,
  callId: string,
  seq: number,
  method: string,
  opts: {
    branch?: string;
    toTag?: string;
    extra?: string[];
    fromTag?: string;
    reverse?: boolean;
  } = {},
): string {
  const caller = "<sip:+12025550142@carrier.example>";
  const callee = "<sip:+13105550199@gw.example>";
  return [
    `SIP/2.0 ${status}`,
    `Via: SIP/2.0/UDP 198.51.100.10:5060;branch=${opts.branch ?? `z9hG4bK${callId}${seq}${method}`}`,
    `From: ${opts.reverse ? callee : caller};tag=${opts.fromTag ?? "caller1"}`,
    `To: ${opts.reverse ? caller : callee}${opts.toTag ? `;tag=${opts.toTag}` : ""}`,
    `Call-ID: ${callId}`,
    `CSeq: ${seq} ${method}`,
    ...(opts.extra ?? []),
    "Content-Length: 0",
    "",
    "",
  ].join("\r\n");
}

const t0 = Date.UTC(2026, 11, 1, 12, 0, 0);
const at = (ms: number, text: string, src = A, dst = B): DialogMessage => ({
  text,
  time: t0 + ms,
  src,
  dst,
});

describe("explainCalls", () => {
  it("explains a network-blocked call with its redress and folds retransmissions", () => {
    const blocked = res("603 Network Blocked", "c9@x", 1, "INVITE", {
      toTag: "far",
      extra: [
        'Reason: SIP;cause=603;text="Network Blocked"',
        "Call-Info: <https://redress.example.net/jcard>;purpose=jwscard",
      ],
    });
    const { calls } = explainCalls([
      at(0, req("INVITE", "c9@x", 1)),
      at(500, req("INVITE", "c9@x", 1)),
      at(520, res("100 Trying", "c9@x", 1, "INVITE"), B, A),
      at(900, blocked, B, A),
      at(910, req("ACK", "c9@x", 1, { toTag: "far", branch: "z9hG4bKc9@x1INVITE" })),
      at(1400, blocked, B, A),
    ]);
    expect(calls).toHaveLength(1);
    const c = calls[0] as Call;
    expect(c.final?.code).toBe(603);
    expect(c.outcome).toBe("rejected");
    expect(c.retransmissions).toBe(2);
    expect(c.events.map((e) => [e.method, e.code, e.retransmissions])).toEqual([
      ["INVITE", undefined, 1],
      ["INVITE", 100, 0],
      ["INVITE", 603, 1],
      ["ACK", undefined, 0],
    ]);
    expect(c.why).toBe(
      "blocked by terminating network analytics (redress: https://redress.example.net/jcard)",
    );
    expect(briefLine(c)).toBe(
      "c1    +12025550142 -> +13105550199  603 Network Blocked  blocked by terminating network analytics (redress: https://redress.example.net/jcard)  after 0.9 s  (2 retransmitted)",
    );
    expect(Call.safeParse(c).success).toBe(true);
  });

  it("times provisionals, tells a caller's CANCEL from a failure, and reads its Reason", () => {
    const { calls } = explainCalls([
      at(0, req("INVITE", "k1", 1)),
      at(40, res("100 Trying", "k1", 1, "INVITE"), B, A),
      at(1200, res("183 Session Progress", "k1", 1, "INVITE", { toTag: "t" }), B, A),
      at(1500, res("180 Ringing", "k1", 1, "INVITE", { toTag: "t" }), B, A),
      at(
        9500,
        req("CANCEL", "k1", 1, {
          branch: "z9hG4bKk11INVITE",
          extra: ['Reason: SIP;cause=200;text="Call completed elsewhere"'],
        }),
      ),
      at(9520, res("200 OK", "k1", 1, "CANCEL", { branch: "z9hG4bKk11INVITE" }), B, A),
      at(9530, res("487 Request Terminated", "k1", 1, "INVITE", { toTag: "t" }), B, A),
    ]);
    const c = calls[0] as Call;
    expect(c.provisional.map((p) => [p.code, p.at])).toEqual([
      [100, 40],
      [183, 1200],
      [180, 1500],
    ]);
    expect(c.pddMs).toBe(1200);
    expect(c.earlyMedia).toBe(true);
    expect(c.final?.code).toBe(487);
    expect(c.outcome).toBe("cancelled");
    expect(c.cancel?.by).toBe("caller");
    expect(c.cancel?.reasons[0]?.cause).toBe(200);
    expect(c.verdict).toMatch(/Cancelled by the caller after 9\.5 s.*answered elsewhere/);
  });

  it("follows an answered call to the callee's BYE and a challenged one to its second attempt", () => {
    const { calls } = explainCalls([
      at(0, req("INVITE", "a1", 1)),
      at(30, res("407 Proxy Authentication Required", "a1", 1, "INVITE", { toTag: "p" }), B, A),
      at(40, req("ACK", "a1", 1, { toTag: "p", branch: "z9hG4bKa11INVITE" })),
      at(60, req("INVITE", "a1", 2)),
      at(2000, res("180 Ringing", "a1", 2, "INVITE", { toTag: "u" }), B, A),
      at(5000, res("200 OK", "a1", 2, "INVITE", { toTag: "u" }), B, A),
      at(5010, req("ACK", "a1", 2, { toTag: "u" })),
      at(
        65000,
        req("BYE", "a1", 1, {
          fromTag: "u",
          toTag: "caller1",
          reverse: true,
          extra: ["Reason: Q.850;cause=16"],
        }),
        B,
        A,
      ),
      at(
        65020,
        res("200 OK", "a1", 1, "BYE", { fromTag: "u", toTag: "caller1", reverse: true }),
        A,
        B,
      ),
    ]);
    const c = calls[0] as Call;
    expect(c.challenges).toBe(1);
    expect(c.final?.code).toBe(200);
    expect(c.outcome).toBe("answered");
    expect(c.bye?.by).toBe("callee");
    expect(c.talkMs).toBe(60000);
    expect(c.verdict).toMatch(/ended by the callee with BYE after 60\.0 s \(Reason Q\.850 16\)/);
    expect(briefLine(c)).toContain("200 OK  answered, talked 60.0 s, BYE by callee");
  });

  it("says when an INVITE got no answer, and explains a lone BYE", () => {
    const { calls } = explainCalls([
      { text: req("INVITE", "n1", 1) },
      { text: req("INVITE", "n1", 1) },
      { text: req("BYE", "b1", 3, { extra: ['Reason: Q.850;cause=31;text="x"'] }) },
    ]);
    expect(calls.map((c) => c.outcome)).toEqual(["no-response", "ended"]);
    expect(calls[0]?.verdict).toMatch(/sent 2 times/);
    expect(calls[1]?.verdict).toMatch(/BYE from the caller \(Reason Q\.850 31 "x"\)/);
  });

  it("explains a response to REGISTER for its method", () => {
    const { calls } = explainCalls([
      { text: req("REGISTER", "r1", 1) },
      {
        text: res("401 Unauthorized", "r1", 1, "REGISTER", {
          extra: ['WWW-Authenticate: Digest realm="x", nonce="n", stale=true'],
        }),
      },
      { text: req("REGISTER", "r1", 2) },
      { text: res("200 OK", "r1", 2, "REGISTER") },
    ]);
    const c = calls[0] as Call;
    expect(c.method).toBe("REGISTER");
    expect(c.challenges).toBe(1);
    expect(c.final?.code).toBe(200);
    expect(c.final?.explanation?.request?.method).toBe("REGISTER");
    expect(CallsResult.safeParse({ calls, skipped: [] }).success).toBe(true);
  });

  it("skips what is not SIP and says why", () => {
    const r = explainCalls([
      { text: "hello" },
      { text: "SIP/2.0 200 OK\r\nCSeq: 1 INVITE\r\n\r\n" },
    ]);
    expect(r.calls).toHaveLength(0);
    expect(r.skipped.map((s) => s.index)).toEqual([1, 2]);
  });
});

describe("CallTracker", () => {
  it("reports a finished call once its linger time has passed, and drops its stragglers", () => {
    const tracker = new CallTracker({ lingerMs: 1000 });
    const done: Call[] = [];
    done.push(...tracker.push(at(0, req("INVITE", "s1", 1))));
    done.push(
      ...tracker.push(at(100, res("486 Busy Here", "s1", 1, "INVITE", { toTag: "b" }), B, A)),
    );
    expect(done).toHaveLength(0);
    done.push(...tracker.push(at(5000, req("INVITE", "s2", 1))));
    expect(done.map((c) => c.callId)).toEqual(["s1"]);
    done.push(
      ...tracker.push(at(5100, res("486 Busy Here", "s1", 1, "INVITE", { toTag: "b" }), B, A)),
    );
    expect(tracker.late).toBe(1);
    done.push(...tracker.end());
    expect(done.map((c) => c.callId)).toEqual(["s1", "s2"]);
  });
});
