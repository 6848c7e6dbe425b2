import { describe, expect, it } from "vitest";
import { CallTracker } from "./calls.ts";
import { callSeq, StartOrder } from "./order.ts";

describe("StartOrder", () => {
  it.each([
    // [calls in the order they finish, items out after each push]
    [
      [1, 2, 3],
      [[1], [2], [3]],
    ],
    [
      [2, 3, 1],
      [[], [], [1, 2, 3]],
    ],
    [
      [3, 1, 2],
      [[], [1], [2, 3]],
    ],
  ])("finishing %j gives %j", (finish, expected) => {
    const order = new StartOrder<number>();
    expect(finish.map((seq) => order.push(seq, seq))).toEqual(expected);
    expect(order.end()).toEqual([]);
  });

  it("lets the waiting calls out, oldest first, when too many wait behind an open call", () => {
    const order = new StartOrder<number>(3);
    // Call 1 stays open (a long conversation) while 2..5 finish.
    expect([2, 3, 4].flatMap((seq) => order.push(seq, seq))).toEqual([]);
    expect(order.push(5, 5)).toEqual([2, 3, 4, 5]);
    expect(order.push(6, 6)).toEqual([6]);
    // Call 1 ends at last: out at once, counted as late.
    expect(order.push(1, 1)).toEqual([1]);
    expect(order.late).toBe(1);
  });

  it("hands back what still waits when the input ends, in order", () => {
    const order = new StartOrder<string>();
    order.push(3, "c3");
    order.push(2, "c2");
    expect(order.end()).toEqual(["c2", "c3"]);
  });

  it("orders a tracker's calls by their first message although the first finishes last", () => {
    const msg = (first: string, callId: string, cseq: string, time: number) => ({
      text: `${first}\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK-${callId}-${cseq.replace(" ", "")}\r\nFrom: <sip:+12025550100@a.example>;tag=a-${callId}\r\nTo: <sip:+13105550100@b.example>${first.startsWith("SIP/") ? ";tag=b" : ""}\r\nCall-ID: ${callId}\r\nCSeq: ${cseq}\r\nContent-Length: 0\r\n\r\n`,
      time,
    });
    const tracker = new CallTracker({ lingerMs: 1000 });
    const order = new StartOrder<string>();
    const out: string[] = [];
    const feed = (calls: ReturnType<CallTracker["push"]>) => {
      for (const c of calls) out.push(...order.push(callSeq(c), c.callId));
    };
    // long@x is answered at 0.1 s and hung up at 30 s; short@x fails at 1 s.
    feed(tracker.push(msg("INVITE sip:+13105550100@b.example SIP/2.0", "long@x", "1 INVITE", 0)));
    feed(tracker.push(msg("INVITE sip:+13105550100@b.example SIP/2.0", "short@x", "1 INVITE", 50)));
    feed(tracker.push(msg("SIP/2.0 200 OK", "long@x", "1 INVITE", 100)));
    feed(tracker.push(msg("SIP/2.0 486 Busy Here", "short@x", "1 INVITE", 1000)));
    const finished: string[] = [];
    // Time passes: the tracker reports short@x first.
    for (let t = 2000; t < 30_000; t += 1000) {
      const calls = tracker.push(
        msg("OPTIONS sip:b.example SIP/2.0", `ping-${t}@x`, "1 OPTIONS", t),
      );
      finished.push(...calls.map((c) => c.callId));
      for (const c of calls) out.push(...order.push(callSeq(c), c.callId));
    }
    expect(finished[0]).toBe("short@x");
    expect(out).not.toContain("short@x");
    feed(tracker.push(msg("BYE sip:+13105550100@b.example SIP/2.0", "long@x", "2 BYE", 30_000)));
    feed(tracker.end());
    out.push(...order.end());
    expect(out.slice(0, 2)).toEqual(["long@x", "short@x"]);
    expect(out.length).toBe(2 + 28);
  });
});
