// Issue 12's storm over real HTTP: a 603 spike on all traffic (two trunks,
// one direction each, 40 customers, the shipped rules sip-603 and
// sip-6xx-reject on every scope) used to send one PagerDuty incident per
// scope and rule. Grouped by incident it is one notice on fire and one on
// resolve per destination, and one PagerDuty dedup key.

import { afterEach, describe, expect, it } from "vitest";
import type { NotificationPayload } from "../src/domain/notification.ts";
import type { SqliteStore } from "../src/io/sqlite-store.ts";
import {
  type EventSpec,
  Receiver,
  sendEvents,
  startTestAlerter,
  T0,
  tempDir,
  WEBHOOK_SECRET,
  waitFor,
} from "./helpers.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 260 min at 120 calls/min, 1 % 603; minutes 200–220 at 25 % 603 everywhere. */
function platformSpike(): EventSpec[] {
  const random = mulberry32(12);
  const out: EventSpec[] = [];
  let n = 0;
  for (let m = 0; m < 260; m++) {
    const rate = m >= 200 && m < 220 ? 0.25 : 0.01;
    for (let i = 0; i < 120; i++) {
      const trunk = random() < 0.5 ? "A" : "B";
      out.push({
        id: `s${n++}`,
        time: T0 + m * 60_000 + Math.floor(random() * 60_000),
        code: random() < rate ? 603 : 200,
        trunk,
        direction: trunk === "A" ? "outbound" : "inbound",
        customer: `c${Math.floor(random() * 40)}`,
      });
    }
  }
  return out.sort((a, b) => a.time - b.time);
}

describe("one page per real problem", () => {
  it("a platform-wide 603 spike: 2 notices per destination and one PagerDuty incident", async () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    const receiver = await Receiver.start();
    cleanups.push(() => receiver.close());
    const url = receiver.url;
    const { alerter, secrets } = await startTestAlerter(tmp.dir, {
      profile: "jola",
      evaluation: { clock: "event", intervalSeconds: 60 },
      detector: { baselineMinutes: 120, customers: { minCalls: 100 } },
      grouping: { groupWaitSeconds: 120 },
      destinations: [
        { name: "hook", type: "webhook", url: `${url}/hook`, secret: WEBHOOK_SECRET },
        { name: "slack", type: "slack", url: `${url}/slack` },
        { name: "pd", type: "pagerduty", url: `${url}/pd`, routingKey: "R0UTINGKEY" },
      ],
      delivery: {
        backoffBaseMs: 50,
        backoffMaxMs: 300,
        timeoutMs: 2000,
        deadLetterAfterSeconds: 120,
      },
      security: { allowPrivateDestinations: ["127.0.0.1"] },
    });
    cleanups.push(() => alerter.close());
    await sendEvents(alerter.url, secrets.ingestSecret, platformSpike(), 5000);
    // The last event is at 260 min; bring the event clock past the resolve.
    await alerter.engine.evaluate(T0 + 262 * 60_000);
    await waitFor(async () => (await alerter.store.counts()).pending === 0, "the outbox drained");

    const alertsFired = await (alerter.store as SqliteStore).db
      .prepare("SELECT COUNT(*) AS n FROM outbox")
      .get();
    const ok = receiver.requests.filter((r) => r.status === 200);
    const hook = ok
      .filter((r) => r.headers["webhook-id"])
      .map((r) => JSON.parse(r.body) as NotificationPayload);
    const slack = ok.filter((r) => r.body.includes('"blocks"'));
    const pd = ok
      .filter((r) => r.body.includes('"routing_key"'))
      .map((r) => JSON.parse(r.body) as { event_action: string; dedup_key: string });

    expect(hook.map((h) => h.status)).toEqual(["firing", "resolved"]);
    expect(slack).toHaveLength(2);
    expect(pd.map((p) => p.event_action)).toEqual(["trigger", "resolve"]);
    expect(pd[0]!.dedup_key).toBe(pd[1]!.dedup_key);
    expect(alertsFired).toEqual({ n: 6 });

    // The one incident names both rules and every code, rooted at global, with dozens of scopes in it.
    const closing = hook[1]!;
    expect(closing.incident).toMatchObject({
      root: { scope: { key: "global" } },
      rules: ["sip-603", "sip-6xx-reject"],
      codes: [603, 607, 608],
    });
    expect(closing.alerts.length).toBeGreaterThan(20);
    expect(new Set(closing.alerts.map((a) => a.role))).toEqual(
      new Set(["root", "overlap", "affected", "duplicate"]),
    );
  }, 120_000);
});
