import { describe, expect, it } from "vitest";
import {
  type CapturedSip,
  type HepCallEvent,
  HepCalls,
  type HepCallsConfig,
  HepCallsSnapshot,
  parseSipHead,
  TIMEOUT_CODE,
} from "./hep-calls.ts";

const A = { ip: "10.0.0.1", port: 5060 };
const B = { ip: "10.0.0.2", port: 5060 };
const C = { ip: "10.0.0.3", port: 5080 };

function invite(
  callId: string,
  branch: string,
  extra: string[] = [],
  ruri = "sip:+15550100@carrier.example",
): string {
  return [
    `INVITE ${ruri} SIP/2.0`,
    `Via: SIP/2.0/UDP 10.0.0.1:5060;branch=${branch}`,
    "From: <sip:alice@pbx.acme.example>;tag=1",
    `To: <${ruri}>`,
    `Call-ID: ${callId}`,
    "CSeq: 1 INVITE",
    ...extra,
    "Content-Length: 0",
    "",
    "",
  ].join("\r\n");
}

function response(
  callId: string,
  branches: string[],
  status: string,
  extra: string[] = [],
  method = "INVITE",
): string {
  return [
    `SIP/2.0 ${status}`,
    ...branches.map((b) => `Via: SIP/2.0/UDP 10.0.0.1:5060;branch=${b}`),
    "From: <sip:alice@pbx.acme.example>;tag=1",
    "To: <sip:+15550100@carrier.example>;tag=2",
    `Call-ID: ${callId}`,
    `CSeq: 1 ${method}`,
    ...extra,
    "Content-Length: 0",
    "",
    "",
  ].join("\r\n");
}

const base: HepCallsConfig = { match: "call", timeoutMs: 32_000, maxOpen: 1000, rules: [] };

type Step =
  | { at: number; from?: typeof A; to?: typeof A; agent?: number; text: string }
  | { expireAt: number };

function run(config: Partial<HepCallsConfig>, steps: Step[]) {
  const calls = new HepCalls({ ...base, ...config });
  const events: HepCallEvent[] = [];
  for (const s of steps) {
    if ("expireAt" in s) {
      events.push(...calls.expire(s.expireAt));
      continue;
    }
    const msg: CapturedSip = {
      time: s.at,
      src: s.from ?? A,
      dst: s.to ?? B,
      agentId: s.agent,
      text: s.text,
    };
    events.push(...calls.observe(msg, s.at));
  }
  return { events, counters: calls.counters, open: calls.openCount };
}

describe("HepCalls: one event per INVITE transaction", () => {
  const cases: {
    name: string;
    config?: Partial<HepCallsConfig>;
    steps: Step[];
    codes: number[];
    counters?: Partial<HepCalls["counters"]>;
  }[] = [
    {
      name: "pairs an INVITE with its final response, skipping 100 and 180",
      steps: [
        { at: 1, text: invite("c1", "z9hG4bK1") },
        { at: 2, from: B, to: A, text: response("c1", ["z9hG4bK1"], "100 Trying") },
        { at: 3, from: B, to: A, text: response("c1", ["z9hG4bK1"], "180 Ringing") },
        { at: 4, from: B, to: A, text: response("c1", ["z9hG4bK1"], "486 Busy Here") },
      ],
      codes: [486],
      counters: { invites: 1, finals: 1 },
    },
    {
      name: "counts a retransmitted INVITE and a retransmitted final once",
      steps: [
        { at: 1, text: invite("c2", "z9hG4bK2") },
        { at: 500, text: invite("c2", "z9hG4bK2") },
        { at: 600, from: B, to: A, text: response("c2", ["z9hG4bK2"], "503 Service Unavailable") },
        { at: 1100, from: B, to: A, text: response("c2", ["z9hG4bK2"], "503 Service Unavailable") },
        { at: 1200, text: invite("c2", "z9hG4bK2") },
      ],
      codes: [503],
      counters: { invites: 1, finals: 1, repeats: 3 },
    },
    {
      name: "counts the same INVITE from two capture agents once",
      steps: [
        { at: 1, agent: 1, text: invite("c3", "z9hG4bK3") },
        { at: 1, agent: 2, text: invite("c3", "z9hG4bK3") },
        { at: 9, agent: 2, from: B, to: A, text: response("c3", ["z9hG4bK3"], "200 OK") },
        { at: 9, agent: 1, from: B, to: A, text: response("c3", ["z9hG4bK3"], "200 OK") },
      ],
      codes: [200],
      counters: { repeats: 2 },
    },
    {
      name: "match call: a proxy's downstream leg is not counted again, the caller's final is",
      steps: [
        { at: 1, from: A, to: B, text: invite("c4", "z9hG4bKup") },
        { at: 2, from: B, to: C, text: invite("c4", "z9hG4bKdown") },
        {
          at: 3,
          from: C,
          to: B,
          text: response("c4", ["z9hG4bKdown", "z9hG4bKup"], "503 Service Unavailable"),
        },
        { at: 4, from: B, to: A, text: response("c4", ["z9hG4bKup"], "500 Server Internal Error") },
      ],
      codes: [500],
    },
    {
      name: "match branch: each proxy leg is its own transaction",
      config: { match: "branch" },
      steps: [
        { at: 1, from: A, to: B, text: invite("c5", "z9hG4bKup") },
        { at: 2, from: B, to: C, text: invite("c5", "z9hG4bKdown") },
        {
          at: 3,
          from: C,
          to: B,
          text: response("c5", ["z9hG4bKdown", "z9hG4bKup"], "503 Service Unavailable"),
        },
        { at: 4, from: B, to: A, text: response("c5", ["z9hG4bKup"], "500 Server Internal Error") },
      ],
      codes: [503, 500],
    },
    {
      name: "count rules keep only the INVITEs that reach the edge",
      config: { match: "branch", count: [{ dstIp: ["10.0.0.2"] }] },
      steps: [
        { at: 1, from: A, to: B, text: invite("c6", "z9hG4bKup") },
        { at: 2, from: B, to: C, text: invite("c6", "z9hG4bKdown") },
        {
          at: 3,
          from: C,
          to: B,
          text: response("c6", ["z9hG4bKdown", "z9hG4bKup"], "603 Decline"),
        },
        { at: 4, from: B, to: A, text: response("c6", ["z9hG4bKup"], "603 Decline") },
      ],
      codes: [603],
      counters: { notCounted: 1, orphans: 1 },
    },
    {
      name: "a final for an INVITE never seen is an orphan, not an event",
      steps: [{ at: 1, from: B, to: A, text: response("c7", ["z9hG4bK7"], "500 Oops") }],
      codes: [],
      counters: { orphans: 1 },
    },
    {
      name: "ignores non-INVITE transactions (OPTIONS, BYE, the ACK, a CANCEL's 200)",
      steps: [
        { at: 1, text: invite("c8", "z9hG4bK8") },
        { at: 2, from: B, to: A, text: response("c8", ["z9hG4bK8"], "200 OK", [], "CANCEL") },
        { at: 3, from: B, to: A, text: response("c8", ["z9hG4bK8"], "487 Request Terminated") },
        { at: 4, text: response("c9", ["z9hG4bK9"], "200 OK", [], "OPTIONS") },
      ],
      codes: [487],
    },
    {
      name: "an INVITE without a final response within the timeout is a timeout outcome",
      steps: [
        { at: 1000, text: invite("c10", "z9hG4bK10") },
        { at: 2000, text: invite("c11", "z9hG4bK11") },
        { expireAt: 32_999 },
        { expireAt: 33_000 },
        { at: 33_001, from: B, to: A, text: response("c10", ["z9hG4bK10"], "200 OK") },
        { expireAt: 34_000 },
      ],
      codes: [TIMEOUT_CODE, TIMEOUT_CODE],
      counters: { timeouts: 2, repeats: 1 },
    },
    {
      name: "evicts the oldest open transaction above maxOpen",
      config: { maxOpen: 2 },
      steps: [
        { at: 1, text: invite("e1", "z9hG4bKe1") },
        { at: 2, text: invite("e2", "z9hG4bKe2") },
        { at: 3, text: invite("e3", "z9hG4bKe3") },
        { at: 4, from: B, to: A, text: response("e1", ["z9hG4bKe1"], "500 Oops") },
        { at: 5, from: B, to: A, text: response("e3", ["z9hG4bKe3"], "500 Oops") },
      ],
      codes: [500],
      counters: { evicted: 1, orphans: 1 },
    },
    {
      name: "counts text that is not SIP as unparsable",
      steps: [
        { at: 1, text: "hello" },
        { at: 2, text: "INVITE sip:x SIP/2.0\r\nCSeq: 1 INVITE\r\n\r\n" },
      ],
      codes: [],
      counters: { unparsable: 2 },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = run(c.config ?? {}, c.steps);
      expect(r.events.map((e) => e.code)).toEqual(c.codes);
      expect(r.counters).toMatchObject(c.counters ?? {});
    });
  }

  it("carries the phrase, Reason and ms-diagnostics of the final response", () => {
    const r = run({}, [
      { at: 10, text: invite("p1", "z9hG4bKp1") },
      {
        at: 20,
        from: B,
        to: A,
        text: response("p1", ["z9hG4bKp1"], "603 MaxPeak Cost Exceeded", [
          'Reason: Q.850;cause=21;text="Call Rejected"',
          'ms-diagnostics: 10199;reason="Cost ceiling";source="sbc"',
        ]),
      },
    ]);
    expect(r.events).toEqual([
      {
        id: "hep:p1:1",
        time: 20,
        code: 603,
        phrase: "MaxPeak Cost Exceeded",
        reason: 'Q.850;cause=21;text="Call Rejected"',
        diagnostics: '10199;reason="Cost ceiling";source="sbc"',
        direction: undefined,
        trunk: undefined,
        customer: undefined,
        outcome: "final",
      },
    ]);
  });

  it("takes no status outside 100-699 for a final response: the INVITE times out instead", () => {
    const r = run({}, [
      { at: 10, text: invite("q1", "z9hG4bKq1") },
      { at: 20, from: B, to: A, text: response("q1", ["z9hG4bKq1"], "999 Out Of Range") },
      { expireAt: 40_000 },
    ]);
    expect(r.events.map((e) => [e.code, e.outcome])).toEqual([[TIMEOUT_CODE, "timeout"]]);
    expect(r.counters).toMatchObject({ unparsable: 1, timeouts: 1, finals: 0 });
  });

  it("labels direction, trunk and customer from the first rule that sets each", () => {
    const rules: HepCallsConfig["rules"] = [
      { when: { header: { name: "X-Trunk" } }, set: { trunk: { header: "X-Trunk" } } },
      {
        when: { dstIp: ["10.0.0.2"], dstPort: [5060] },
        set: { direction: "outbound", trunk: "carrier-b" },
      },
      { when: { fromDomain: ["pbx.acme.example"] }, set: { customer: "acme" } },
      { set: { customer: { from: "from-domain" }, direction: "inbound" } },
    ];
    const r = run({ rules }, [
      { at: 1, text: invite("l1", "z9hG4bKl1", ["X-Trunk: carrier-a"]) },
      { at: 2, from: B, to: A, text: response("l1", ["z9hG4bKl1"], "200 OK") },
      { at: 3, text: invite("l2", "z9hG4bKl2") },
      { at: 4, from: B, to: A, text: response("l2", ["z9hG4bKl2"], "200 OK") },
      {
        at: 5,
        from: C,
        to: A,
        text: invite("l3", "z9hG4bKl3").replace("pbx.acme.example", "other.example"),
      },
      { at: 6, from: A, to: C, text: response("l3", ["z9hG4bKl3"], "200 OK") },
    ]);
    expect(
      r.events.map(({ direction, trunk, customer }) => ({ direction, trunk, customer })),
    ).toEqual([
      { direction: "outbound", trunk: "carrier-a", customer: "acme" },
      { direction: "outbound", trunk: "carrier-b", customer: "acme" },
      { direction: "inbound", trunk: undefined, customer: "other.example" },
    ]);
  });

  it("parses compact header forms and folded lines", () => {
    const h = parseSipHead(
      'SIP/2.0 603 Decline\r\ni: abc\r\nv: SIP/2.0/UDP h;branch=X\r\nReason: SIP;cause=603;\r\n text="x"\r\n\r\n',
    );
    expect(h?.status).toBe(603);
    expect(h?.headers.get("call-id")).toEqual(["abc"]);
    expect(h?.headers.get("reason")).toEqual(['SIP;cause=603; text="x"']);
  });

  it("carries open transactions through a snapshot, JSON and restore, timeouts running from the first receipt", () => {
    const before = new HepCalls(base);
    const msg = (text: string, at: number): CapturedSip => ({ time: at, src: A, dst: B, text });
    before.observe(msg(invite("r1", "z9hG4bKr1", ["X-Trunk: t1"]), 1_000), 1_000);
    before.observe(msg(invite("r2", "z9hG4bKr2"), 2_000), 2_000);
    before.observe(msg(invite("r3", "z9hG4bKr3"), 3_000), 3_000);
    before.observe(msg(response("r3", ["z9hG4bKr3"], "200 OK"), 3_500), 3_500);
    const saved = HepCallsSnapshot.parse(JSON.parse(JSON.stringify(before.snapshot())));

    const after = new HepCalls(base);
    after.restore(saved);
    expect(after.openCount).toBe(2);
    // A retransmission of the INVITE that was answered before the restart is still a repeat.
    expect(after.observe(msg(invite("r3", "z9hG4bKr3"), 10_000), 10_000)).toEqual([]);
    expect(after.counters.repeats).toBe(1);
    const [final] = after.observe(
      msg(response("r1", ["z9hG4bKr1"], "486 Busy Here"), 20_000),
      20_000,
    );
    expect(final).toMatchObject({ code: 486, outcome: "final", time: 20_000 });
    // r2 was received at 2,000: it times out at 2,000 + 32,000, not 32 s after the restore.
    expect(after.expire(33_999)).toEqual([]);
    const [timeout] = after.expire(34_000);
    expect(timeout).toMatchObject({ code: TIMEOUT_CODE, outcome: "timeout", time: 34_000 });
    expect(after.openCount).toBe(0);
  });

  it("refuses a saved table of another shape", () => {
    expect(HepCallsSnapshot.safeParse({ version: 2, open: [], closed: [] }).success).toBe(false);
    expect(
      HepCallsSnapshot.safeParse({ version: 1, open: [["k", { id: "x" }]], closed: [] }).success,
    ).toBe(false);
  });
});

describe("HepCalls: digest challenges (401/407 then the caller's retry)", () => {
  const cseq = (text: string, n: number) => text.replace(/CSeq: 1 /, `CSeq: ${n} `);
  const withChallenges = { challengeMs: 10_000 };
  const challenged = (status: string, retry: Step[] = []): Step[] => [
    { at: 1_000, text: invite("ch1", "z9hG4bKc1") },
    { at: 1_050, from: B, to: A, text: response("ch1", ["z9hG4bKc1"], status) },
    ...retry,
  ];
  const retried = (final: string): Step[] => [
    { at: 1_200, text: cseq(invite("ch1", "z9hG4bKc2", ["Proxy-Authorization: Digest x"]), 2) },
    { at: 1_900, from: B, to: A, text: cseq(response("ch1", ["z9hG4bKc2"], final), 2) },
  ];

  it("counts a retried 407 as one call, with the retry's outcome", () => {
    const r = run(withChallenges, [
      ...challenged("407 Proxy Authentication Required", retried("603 Decline")),
      { expireAt: 60_000 },
    ]);
    expect(r.events.map((e) => [e.id, e.code])).toEqual([["hep:ch1:2", 603]]);
    expect(r.counters).toMatchObject({ invites: 2, finals: 2, challenges: 1, timeouts: 0 });
    expect(r.open).toBe(0);
  });

  it("counts a 401 nobody retried as the call's outcome once the wait is over, at the response's time", () => {
    const steps = challenged("401 Unauthorized");
    expect(run(withChallenges, [...steps, { expireAt: 10_999 }]).events).toEqual([]);
    const r = run(withChallenges, [...steps, { expireAt: 11_050 }]);
    expect(r.events.map((e) => [e.code, e.phrase, e.time])).toEqual([[401, "Unauthorized", 1_050]]);
    expect(r.counters.challenges).toBe(0);
  });

  it("counts each 401/407 at once with challengeMs 0 (and by default)", () => {
    for (const config of [{ challengeMs: 0 }, {}]) {
      const r = run(config, challenged("407 Proxy Authentication Required", retried("200 OK")));
      expect(r.events.map((e) => e.code)).toEqual([407, 200]);
    }
  });

  it("does not take an INVITE of another call, or the same CSeq again, for the retry", () => {
    const r = run(withChallenges, [
      ...challenged("407 Proxy Authentication Required"),
      { at: 1_100, text: invite("ch1", "z9hG4bKc1") }, // the challenged INVITE retransmitted
      { at: 1_200, text: invite("other", "z9hG4bKo1") },
      { expireAt: 20_000 },
    ]);
    expect(r.events.map((e) => [e.id, e.code])).toEqual([["hep:ch1:1", 407]]);
    expect(r.counters.challenges).toBe(0);
  });

  it("keeps a waiting challenge through a snapshot, and folds the retry after the restore", () => {
    const before = new HepCalls({ ...base, ...withChallenges });
    const msg = (text: string, at: number, from = A, to = B): CapturedSip => ({
      time: at,
      src: from,
      dst: to,
      text,
    });
    before.observe(msg(invite("s1", "z9hG4bKs1"), 1_000), 1_000);
    before.observe(msg(response("s1", ["z9hG4bKs1"], "407 Proxy Auth"), 1_050, B, A), 1_050);
    const saved = HepCallsSnapshot.parse(JSON.parse(JSON.stringify(before.snapshot())));
    expect(saved.challenged.map(([id]) => id)).toEqual(["s1"]);

    const after = new HepCalls({ ...base, ...withChallenges });
    after.restore(saved);
    after.observe(msg(cseq(invite("s1", "z9hG4bKs2"), 2), 1_300), 1_300);
    const events = after.observe(
      msg(cseq(response("s1", ["z9hG4bKs2"], "200 OK"), 2), 1_500, B, A),
      1_500,
    );
    expect(events.map((e) => e.code)).toEqual([200]);
    expect(after.expire(60_000)).toEqual([]);
    expect(after.counters.challenges).toBe(1);
  });

  it("reads a snapshot from before challenges were kept", () => {
    expect(HepCallsSnapshot.parse({ version: 1, open: [], closed: [] }).challenged).toEqual([]);
  });

  it("counts the oldest waiting challenge when more than maxOpen wait", () => {
    const r = run({ ...withChallenges, maxOpen: 1 }, [
      { at: 1, text: invite("m1", "z9hG4bKm1") },
      { at: 2, from: B, to: A, text: response("m1", ["z9hG4bKm1"], "407 Proxy Auth") },
      { at: 3, text: invite("m2", "z9hG4bKm2") },
      { at: 4, from: B, to: A, text: response("m2", ["z9hG4bKm2"], "407 Proxy Auth") },
    ]);
    expect(r.events.map((e) => e.id)).toEqual(["hep:m1:1"]);
  });
});
