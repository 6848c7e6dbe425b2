import { afterEach, describe, expect, it } from "vitest";
import type { NotificationPayload } from "../src/domain/notification.ts";
import {
  e2eConfig,
  Receiver,
  scenario,
  sendEvents,
  startTestAlerter,
  T0,
  tempDir,
  traffic,
  verifyWebhook,
  WEBHOOK_SECRET,
  waitFor,
} from "./helpers.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(extra: Parameters<typeof e2eConfig>[1]) {
  const tmp = tempDir();
  cleanups.push(tmp.cleanup);
  const receiver = await Receiver.start();
  cleanups.push(() => receiver.close());
  const { alerter, secrets } = await startTestAlerter(tmp.dir, e2eConfig(receiver.url, extra));
  cleanups.push(() => alerter.close());
  return { receiver, alerter, secrets };
}

describe("destinations", () => {
  it("posts Slack, Teams and PagerDuty formats for the same incident, PagerDuty resolving by dedup_key", async () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    const receiver = await Receiver.start();
    cleanups.push(() => receiver.close());
    const url = receiver.url;
    const again = await startTestAlerter(
      tmp.dir,
      e2eConfig(url, {
        destinations: [
          { name: "slack", type: "slack", url: `${url}/slack` },
          { name: "teams", type: "teams", url: `${url}/teams` },
          { name: "pd", type: "pagerduty", url: `${url}/pd`, routingKey: "R0UTINGKEY" },
        ],
      }),
    );
    cleanups.push(() => again.alerter.close());
    await sendEvents(again.alerter.url, again.secrets.ingestSecret, [
      ...scenario.baseline(),
      ...scenario.spike(),
      ...scenario.recovery(),
    ]);
    await waitFor(
      () => receiver.requests.filter((r) => r.status === 200).length === 6,
      "firing and resolved on three destinations",
    );
    const bodies = receiver.requests.map((r) => JSON.parse(r.body) as Record<string, unknown>);
    const slack = bodies.filter((b) => Array.isArray(b.blocks));
    expect(slack.map((b) => String(b.text).split(" ")[0])).toEqual(["[FIRING:1]", "[RESOLVED]"]);
    const teams = bodies.filter((b) => b.type === "message");
    expect(teams).toHaveLength(2);
    const pd = bodies.filter((b) => b.routing_key === "R0UTINGKEY");
    expect(pd.map((b) => b.event_action)).toEqual(["trigger", "resolve"]);
    expect(pd[0]!.dedup_key).toBe(pd[1]!.dedup_key);
    expect(String(pd[0]!.dedup_key)).toMatch(/^sip-603:trunk:T1:/);
    // Non-webhook formats carry no Standard Webhooks headers.
    expect(receiver.requests.every((r) => r.headers["webhook-signature"] === undefined)).toBe(true);
  });

  it("grouping by labels: an alert that re-fires within its cooldown is a new PagerDuty incident, each triggered once and resolved once", async () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    const receiver = await Receiver.start();
    cleanups.push(() => receiver.close());
    const url = receiver.url;
    const { alerter, secrets } = await startTestAlerter(
      tmp.dir,
      e2eConfig(url, {
        grouping: { by: "labels" },
        destinations: [
          { name: "pd", type: "pagerduty", url: `${url}/pd`, routingKey: "R0UTINGKEY" },
          { name: "hook", type: "webhook", url: `${url}/hook`, secret: WEBHOOK_SECRET },
        ],
      }),
    );
    cleanups.push(() => alerter.close());
    // Two 15-minute spikes on trunk T1, 20 minutes apart: the second fires well within the
    // rule's 60-minute cooldown of the first one's resolve, so the alert keeps its id.
    const base = { perMinute: 20 };
    await sendEvents(alerter.url, secrets.ingestSecret, [
      ...traffic({ ...base, from: 0, to: 150, rate: 0.01, prefix: "base" }),
      ...traffic({ ...base, from: 150, to: 165, rate: 0.5, prefix: "spike1" }),
      ...traffic({ ...base, from: 165, to: 185, rate: 0.01, prefix: "calm" }),
      ...traffic({ ...base, from: 185, to: 200, rate: 0.5, prefix: "spike2" }),
      ...traffic({ ...base, from: 200, to: 240, rate: 0.01, prefix: "recover" }),
    ]);
    await waitFor(
      () => receiver.requests.filter((r) => r.status === 200).length === 8,
      "firing and resolved twice on two destinations",
    );
    const ok = receiver.requests.filter((r) => r.status === 200);
    const hooks = ok
      .filter((r) => r.headers["webhook-id"])
      .map((r) => verifyWebhook(r) as NotificationPayload);
    expect(hooks.map((h) => h.status)).toEqual(["firing", "resolved", "firing", "resolved"]);
    const alerts = hooks.map((h) => h.alerts[0]!);
    // One alert id for both episodes (the cooldown), two episodes.
    expect(new Set(alerts.map((a) => a.incidentId)).size).toBe(1);
    const episodes = [...new Set(alerts.map((a) => a.episodeId))];
    expect(episodes).toHaveLength(2);
    expect(episodes[0]).toBe(alerts[0]!.incidentId);
    expect(episodes[1]).toBe(`sip-603:trunk:T1:${Date.parse(alerts[2]!.since)}`);
    // PagerDuty: one dedup key per episode, each triggered once, then resolved once.
    const pd = new Map<string, string[]>();
    for (const r of ok.filter((x) => !x.headers["webhook-id"])) {
      const b = JSON.parse(r.body) as { event_action: string; dedup_key: string };
      pd.set(b.dedup_key, [...(pd.get(b.dedup_key) ?? []), b.event_action]);
    }
    expect([...pd.keys()].sort()).toEqual([...episodes].sort());
    for (const actions of pd.values()) expect(actions).toEqual(["trigger", "resolve"]);
  });

  it("keeps silenced alerts quiet: a silence created over the API stops the notice", async () => {
    const { receiver, alerter, secrets } = await setup({});
    const auth = {
      authorization: `Bearer ${secrets.apiToken}`,
      "content-type": "application/json",
    };
    const created = await fetch(`${alerter.url}/v1/silences`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({
        matchers: [{ name: "trunk", value: "T1" }],
        startsAt: T0,
        endsAt: T0 + 24 * 3600_000,
        createdBy: "noc@example.com",
        comment: "carrier maintenance",
      }),
    });
    expect(created.status).toBe(201);
    const silence = (await created.json()) as { id: string };
    const bad = await fetch(`${alerter.url}/v1/silences`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({
        matchers: [{ name: "colour", value: "x" }],
        endsAt: 1,
        createdBy: "a",
        comment: "b",
      }),
    });
    expect(bad.status).toBe(400);
    expect(
      ((await bad.json()) as { errors: { path: (string | number)[] }[] }).errors[0]!.path,
    ).toEqual(["body", "matchers", 0, "name"]);

    await sendEvents(alerter.url, secrets.ingestSecret, [
      ...scenario.baseline(),
      ...scenario.spike(),
    ]);
    const alerts = (await (await fetch(`${alerter.url}/v1/alerts`, { headers: auth })).json()) as {
      active: { state: string }[];
    };
    expect(alerts.active.map((a) => a.state)).toEqual(["firing"]); // detected, but silenced
    const listed = (await (
      await fetch(`${alerter.url}/v1/silences`, { headers: auth })
    ).json()) as { silences: { id: string; active: boolean }[] };
    expect(listed.silences).toEqual([expect.objectContaining({ id: silence.id, active: true })]);

    // Ending the silence lets the still-firing alert through at the next evaluation.
    expect(
      (await fetch(`${alerter.url}/v1/silences/${silence.id}`, { method: "DELETE", headers: auth }))
        .status,
    ).toBe(204);
    expect(receiver.requests).toHaveLength(0);
    const evaluated = await fetch(`${alerter.url}/v1/admin/evaluate`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ now: T0 + 196 * 60_000 }),
    });
    expect(evaluated.status).toBe(200);
    const notice = await waitFor(() => receiver.requests[0], "the notice after the silence ended");
    expect((JSON.parse(notice.body) as NotificationPayload).status).toBe("firing");
  });
});
