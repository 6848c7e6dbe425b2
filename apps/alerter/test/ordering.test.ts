import { afterEach, describe, expect, it } from "vitest";
import type { NotificationPayload } from "../src/domain/notification.ts";
import {
  type EventSpec,
  e2eConfig,
  Receiver,
  sendEvents,
  startTestAlerter,
  tempDir,
  traffic,
  waitFor,
} from "./helpers.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const TRUNKS = ["A", "B", "C", "D", "E", "F"];

/** Six trunks at 20 calls/min: 150 min at 1 % 603, 15 min at 50 %, 45 min back at 1 %. */
function sixTrunkSpike(): EventSpec[] {
  const out: EventSpec[] = [];
  for (const trunk of TRUNKS) {
    const base = { perMinute: 20, trunk };
    out.push(...traffic({ ...base, from: 0, to: 150, rate: 0.01, prefix: `b${trunk}` }));
    out.push(...traffic({ ...base, from: 150, to: 165, rate: 0.5, prefix: `s${trunk}` }));
    out.push(...traffic({ ...base, from: 165, to: 210, rate: 0.01, prefix: `r${trunk}` }));
  }
  return out.sort((a, b) => a.time - b.time);
}

interface PdBody {
  event_action: "trigger" | "resolve";
  dedup_key: string;
}

describe("ordered, isolated delivery", () => {
  it("after an outage (refused, then 503) delivers every trigger before its resolve, per key and per group", async () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    const receiver = await Receiver.start();
    cleanups.push(() => receiver.close());
    const url = receiver.url;
    const { alerter, secrets } = await startTestAlerter(
      tmp.dir,
      e2eConfig(url, {
        destinations: [
          { name: "pd", type: "pagerduty", url: `${url}/pd`, routingKey: "R0UTINGKEY" },
          {
            name: "hook",
            type: "webhook",
            url: `${url}/hook`,
            secret: "whsec_dGVzdHRlc3R0ZXN0dGVzdA==",
          },
        ],
        delivery: {
          backoffBaseMs: 20,
          backoffMaxMs: 400,
          timeoutMs: 2000,
          deadLetterAfterSeconds: 120,
        },
      }),
    );
    cleanups.push(() => alerter.close());

    // Down: connections refused while the whole incident (fire and resolve) is queued.
    await receiver.pause();
    await sendEvents(alerter.url, secrets.ingestSecret, sixTrunkSpike(), 2000);
    const queued = await alerter.store.counts();
    expect(queued.pending).toBeGreaterThanOrEqual(4 * TRUNKS.length); // trigger + resolve, two destinations
    // Attempts were refused (and rescheduled on each message's own backoff).
    await waitFor(
      async () =>
        (await alerter.store.list("pending", 100)).filter((m) => m.attempts >= 2).length >= 4,
      "refused attempts",
    );
    // Then the first 8 requests answered 503, then healthy.
    receiver.behave = (_r, i) => (i < 8 ? { status: 503 } : { status: 200 });
    await receiver.resume();

    await waitFor(
      async () => (await alerter.store.counts()).pending === 0,
      "the outbox drained",
      30_000,
    );
    const ok = receiver.requests.filter((r) => r.status === 200);
    const retried = receiver.requests.filter((r) => r.status === 503).length;
    expect(retried).toBe(8); // the outage was real

    // PagerDuty: per dedup key, the accepted events are exactly trigger then resolve.
    const pd = new Map<string, string[]>();
    for (const r of ok.filter((x) => x.headers["content-type"] && !x.headers["webhook-id"])) {
      const b = JSON.parse(r.body) as PdBody;
      pd.set(b.dedup_key, [...(pd.get(b.dedup_key) ?? []), b.event_action]);
    }
    expect(pd.size).toBe(TRUNKS.length);
    for (const actions of pd.values()) expect(actions).toEqual(["trigger", "resolve"]);

    // Webhook: per group, firing then resolved.
    const groups = new Map<string, string[]>();
    for (const r of ok.filter((x) => x.headers["webhook-id"])) {
      const b = JSON.parse(r.body) as NotificationPayload;
      groups.set(b.groupKey, [...(groups.get(b.groupKey) ?? []), b.status]);
    }
    expect(groups.size).toBe(TRUNKS.length);
    for (const states of groups.values()) expect(states).toEqual(["firing", "resolved"]);
  }, 60_000);

  it("a receiver that hangs holds only its own slots: another destination is delivered meanwhile", async () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    const hung = await Receiver.start();
    cleanups.push(() => hung.close());
    hung.behave = () => "hold";
    const fast = await Receiver.start();
    cleanups.push(() => fast.close());
    const { alerter, secrets } = await startTestAlerter(
      tmp.dir,
      e2eConfig(fast.url, {
        destinations: [
          // Listed first, so its six triggers are queued before the webhook's notices.
          { name: "pd", type: "pagerduty", url: `${hung.url}/pd`, routingKey: "R0UTINGKEY" },
          {
            name: "hook",
            type: "webhook",
            url: `${fast.url}/hook`,
            secret: "whsec_dGVzdHRlc3R0ZXN0dGVzdA==",
          },
        ],
        delivery: {
          backoffBaseMs: 20,
          backoffMaxMs: 200,
          timeoutMs: 20_000,
          deadLetterAfterSeconds: 120,
          concurrency: 4,
          perDestinationConcurrency: 2,
        },
      }),
    );
    cleanups.push(() => alerter.close());

    const spikeOnly = sixTrunkSpike().filter((e) => e.time < Date.UTC(2026, 0, 1, 0, 165));
    const started = Date.now();
    await sendEvents(alerter.url, secrets.ingestSecret, spikeOnly, 2000);
    await waitFor(
      () => fast.requests.filter((r) => r.status === 200).length === TRUNKS.length,
      "every webhook notice while PagerDuty hangs",
      15_000,
    );
    // Well inside the 20 s the hung attempts take to time out, and with only two of them open.
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(hung.requests.length).toBe(2);
  }, 60_000);
});
