import { afterEach, describe, expect, it } from "vitest";
import type { NotificationPayload } from "../src/domain/notification.ts";
import type { SqliteStore } from "../src/io/sqlite-store.ts";
import {
  e2eConfig,
  MINUTE,
  Receiver,
  scenario,
  sendEvents,
  startTestAlerter,
  T0,
  tempDir,
  traffic,
  verifyWebhook,
  waitFor,
} from "./helpers.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe("end to end over real HTTP", () => {
  it("delivers a signed alert that explains the 603 spike, then its resolve after recovery", async () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    const receiver = await Receiver.start();
    cleanups.push(() => receiver.close());
    const { alerter, secrets } = await startTestAlerter(tmp.dir, e2eConfig(receiver.url));
    cleanups.push(() => alerter.close());

    await sendEvents(alerter.url, secrets.ingestSecret, [
      ...scenario.baseline(),
      ...scenario.spike(),
    ]);
    const firing = await waitFor(
      () => (receiver.deliveredById().size >= 1 ? receiver.requests[0] : undefined),
      "the firing alert",
    );
    const alert = verifyWebhook(firing) as NotificationPayload;
    expect(alert.type).toBe("alert.firing");
    expect(alert.status).toBe("firing");
    // Grouped by incident: the root's labels, and the incident the notice is about.
    expect(alert.groupLabels).toEqual({ rule: "sip-603", scope: "trunk", trunk: "T1" });
    expect(alert.incident).toMatchObject({
      root: { rule: "sip-603", scope: { key: "trunk:T1" } },
      rules: ["sip-603"],
      codes: [603],
    });
    expect(alert.groupKey).toBe(alert.incident!.id);
    expect(alert.alerts).toHaveLength(1);
    const a = alert.alerts[0]!;
    expect(a.scope).toMatchObject({ kind: "trunk", trunk: "T1" });
    expect(a.numbers.count).toBeGreaterThanOrEqual(5);
    expect(a.numbers.wilsonLower).toBeGreaterThan(a.numbers.threshold!);
    expect(a.numbers.baseline).toBeLessThan(0.03);
    // The core's explanation under the jola profile: the per-minute cost ceiling, raised by support.
    const e = a.explanations[0]!;
    expect(e.profilePhrase).toBe("MaxPeak Cost Exceeded");
    expect(e.summary).toMatch(/ceiling/);
    expect(e.operator?.actions.map((x) => x.text).join(" ")).toMatch(/support/);
    // The events carried no phrase: the summary names the code only (the profile's meaning
    // stays the explanation, but is not claimed as what the traffic said).
    expect(a.summary).toMatch(/^603 on trunk T1: /);
    expect(a.phrases).toEqual([
      { code: 603, phrase: null, reasons: [], direction: "outbound", count: a.numbers.count },
    ]);

    await sendEvents(alerter.url, secrets.ingestSecret, scenario.recovery());
    const resolved = await waitFor(
      () =>
        receiver.requests.find(
          (r) =>
            r.status === 200 && (verifyWebhook(r) as NotificationPayload).status === "resolved",
        ),
      "the resolved notice",
    );
    const done = verifyWebhook(resolved) as NotificationPayload;
    expect(done.alerts[0]!.incidentId).toBe(a.incidentId);
    expect(done.alerts[0]!.status).toBe("resolved");
    expect(resolved.headers["webhook-id"]).not.toBe(firing.headers["webhook-id"]);
    // Exactly two notices: no noise before the spike, none repeated.
    expect(receiver.deliveredById().size).toBe(2);
  });
});

describe("the resolve notice over real HTTP", () => {
  it("reports the recent minutes the resolve was decided on, not the window the alert held", async () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    const receiver = await Receiver.start();
    cleanups.push(() => receiver.close());
    const { alerter, secrets } = await startTestAlerter(tmp.dir, e2eConfig(receiver.url));
    cleanups.push(() => alerter.close());
    // A thin trunk, 2 calls/min: the alert holds the 15-minute window (30 calls) while it fires.
    // Six hours at 1 % 603, 20 minutes at 50 % (a 603 every minute, the last in minute 379), then
    // 1 % again (its first 603 in minute 404).
    const thin = { perMinute: 2 };
    await sendEvents(alerter.url, secrets.ingestSecret, [
      ...traffic({ ...thin, from: 0, to: 360, rate: 0.01, prefix: "base" }),
      ...traffic({ ...thin, from: 360, to: 380, rate: 0.5, prefix: "spike" }),
      ...traffic({ ...thin, from: 380, to: 440, rate: 0.01, prefix: "recover" }),
    ]);
    const notices = await waitFor(() => {
      const got = [...receiver.deliveredById().values()].map(
        (rs) => verifyWebhook(rs[0]!) as NotificationPayload,
      );
      return got.length >= 2 ? got : undefined;
    }, "the firing and resolved notices");
    const [firing, resolved] = notices.sort((a, b) => a.time.localeCompare(b.time));
    expect(firing!.status).toBe("firing");
    expect(firing!.alerts[0]!.numbers.windowMinutes).toBe(15);
    expect(resolved!.status).toBe("resolved");
    const a = resolved!.alerts[0]!;
    // The ten minutes before the resolve (minutes 384-393) hold 20 calls and no 603; the held
    // window (379-393) still holds the spike's last 603.
    expect(a.numbers).toMatchObject({ windowMinutes: 10, calls: 20, count: 0, rate: 0 });
    expect(a.summary).toBe("Resolved: 603 on trunk T1 back to 0.0% of 20 calls in 10 min");
    expect(a.resolvedAt).toBe(new Date(T0 + 394 * MINUTE).toISOString());
  });
});

describe("phrases and Reason headers over real HTTP", () => {
  it("stores them, and explains the 603s by the phrase they carried, not by the profile", async () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    const receiver = await Receiver.start();
    cleanups.push(() => receiver.close());
    const { alerter, secrets } = await startTestAlerter(tmp.dir, e2eConfig(receiver.url));
    cleanups.push(() => alerter.close());
    // Every fifth 603 of the spike says MaxPeak Cost Exceeded; the rest are plain Declines.
    let n = 0;
    const tag = (e: { code: number }) =>
      e.code !== 603
        ? e
        : n++ % 5 === 0
          ? { ...e, phrase: "MaxPeak Cost Exceeded", reason: "Q.850;cause=21" }
          : { ...e, phrase: "Decline" };
    await sendEvents(alerter.url, secrets.ingestSecret, [
      ...scenario.baseline().map(tag),
      ...scenario.spike().map(tag),
    ]);
    const firing = await waitFor(
      () => (receiver.deliveredById().size >= 1 ? receiver.requests[0] : undefined),
      "the firing alert",
    );
    const a = (verifyWebhook(firing) as NotificationPayload).alerts[0]!;
    expect(a.summary).toMatch(
      /^603 Decline \(\d+\), 603 MaxPeak Cost Exceeded \(\d+\) on trunk T1/,
    );
    expect(a.phrases[0]).toMatchObject({ code: 603, phrase: "Decline", reasons: [] });
    expect(a.phrases[1]).toMatchObject({
      phrase: "MaxPeak Cost Exceeded",
      reasons: ["Q.850;cause=21"],
    });
    expect(a.phrases[0]!.count).toBeGreaterThan(a.phrases[1]!.count * 3);
    // jola stays the profile asked for; its meaning of 603 is left out for a phrase not its own.
    expect(a.explanations[0]!.profile.notApplied).toEqual([{ profile: "jola", reason: "phrase" }]);
    expect(a.explanations[0]!.summary).not.toMatch(/cost/i);
    expect(a.explanations[1]!.summary).toMatch(/cost/i);
    // Kept in the event log with the rest of the event.
    const row = (alerter.store as SqliteStore).db
      .prepare("SELECT phrase, reason FROM events WHERE reason IS NOT NULL LIMIT 1")
      .get();
    expect(row).toEqual({ phrase: "MaxPeak Cost Exceeded", reason: "Q.850;cause=21" });
  });
});
