import { afterEach, describe, expect, it } from "vitest";
import {
  e2eConfig,
  MINUTE,
  Receiver,
  scenario,
  sendEvents,
  startTestAlerter,
  T0,
  tempDir,
  waitFor,
} from "./helpers.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const value = (text: string, series: string): number | undefined => {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe("Prometheus metrics for dashboards", () => {
  it("counts responses per scope, keeps late and future events out of accepted, and shows the firing alert", async () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    const receiver = await Receiver.start();
    cleanups.push(() => receiver.close());
    const { alerter, secrets } = await startTestAlerter(tmp.dir, e2eConfig(receiver.url));
    cleanups.push(() => alerter.close());
    const events = [...scenario.baseline(), ...scenario.spike()];
    await sendEvents(alerter.url, secrets.ingestSecret, events);
    // After the spike: one too old for any window, one provisional (with the event clock a
    // "future" event moves the clock; the wall-clock test below has one).
    const last = T0 + 195 * MINUTE;
    await sendEvents(alerter.url, secrets.ingestSecret, [
      { id: "late-1", time: T0 - 5 * 24 * 60 * MINUTE, code: 603, trunk: "T1" },
      { id: "ringing-1", time: last - MINUTE, code: 180, trunk: "T1" },
    ]);
    await waitFor(() => receiver.deliveredById().size >= 1, "the firing alert");
    const text = await (await fetch(`${alerter.url}/metrics`)).text();
    const accepted = value(
      text,
      'sipcodes_alerter_events_total{result="accepted",source="events"}',
    );
    expect(accepted).toBe(events.length);
    expect(value(text, 'sipcodes_alerter_events_total{result="late",source="events"}')).toBe(1);
    expect(value(text, 'sipcodes_alerter_events_total{result="ignored",source="events"}')).toBe(1);
    const sixes = events.filter((e) => e.code === 603).length;
    expect(
      value(text, 'sipcodes_alerter_responses_total{scope="global",key="all",class="6xx"}'),
    ).toBe(sixes);
    expect(
      value(text, 'sipcodes_alerter_responses_total{scope="trunk",key="T1",class="2xx"}'),
    ).toBe(events.length - sixes);
    expect(
      value(text, 'sipcodes_alerter_watched_responses_total{scope="trunk",key="T1",code="603"}'),
    ).toBe(sixes);
    const alert = '{rule="sip-603",scope_kind="trunk",scope_key="trunk:T1"}';
    expect(value(text, `sipcodes_alerter_alert_firing${alert}`)).toBe(1);
    expect(value(text, `sipcodes_alerter_alert_rate${alert}`)).toBeGreaterThan(0.3);
    expect(value(text, `sipcodes_alerter_alert_threshold${alert}`)).toBeLessThan(0.1);
    expect(value(text, "sipcodes_alerter_last_evaluation_timestamp_seconds")).toBeGreaterThan(
      (T0 + 190 * MINUTE) / 1000,
    );
    expect(value(text, 'sipcodes_alerter_destination_failing_seconds{destination="hook"}')).toBe(0);
  });

  it("counts an event too far ahead of the wall clock as future, not accepted", async () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    const { alerter, secrets } = await startTestAlerter(tmp.dir, {});
    cleanups.push(() => alerter.close());
    await alerter.engine.evaluate(Date.now());
    await sendEvents(alerter.url, secrets.ingestSecret, [
      { id: "f-1", time: Date.now() + 60 * MINUTE, code: 603, trunk: "T1" },
      { id: "ok-1", time: Date.now() - 1000, code: 200, trunk: "T1" },
    ]);
    const text = await (await fetch(`${alerter.url}/metrics`)).text();
    expect(value(text, 'sipcodes_alerter_events_total{result="future",source="events"}')).toBe(1);
    expect(value(text, 'sipcodes_alerter_events_total{result="accepted",source="events"}')).toBe(1);
  });
});

describe("the Grafana dashboard", () => {
  it("queries only metrics the alerter exports", async () => {
    const { readFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const dashboard = JSON.parse(
      readFileSync(join(import.meta.dirname, "../dashboards/grafana.json"), "utf8"),
    ) as { panels: { targets: { expr: string }[] }[] };
    const used = new Set(
      dashboard.panels.flatMap((p) =>
        p.targets.flatMap((t) => t.expr.match(/sipcodes_alerter_[a-z_]+/g) ?? []),
      ),
    );
    expect(used.size).toBeGreaterThan(10);
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    const { alerter } = await startTestAlerter(tmp.dir, {
      hep: { enabled: true, host: "127.0.0.1", udpPort: 0, tcpPort: 0, allowFrom: ["127.0.0.1"] },
    });
    cleanups.push(() => alerter.close());
    const text = await (await fetch(`${alerter.url}/metrics`)).text();
    const exported = new Set([...text.matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1]));
    expect([...used].filter((m) => !exported.has(m))).toEqual([]);
    // The HEP worker's supervision is on the board, and every restart cause is a series from the start.
    expect(used).toContain("sipcodes_alerter_hep_worker_up");
    expect(used).toContain("sipcodes_alerter_hep_worker_restarts_total");
    expect(value(text, "sipcodes_alerter_hep_worker_up")).toBe(1);
    for (const cause of ["error", "exit", "stalled"])
      expect(value(text, `sipcodes_alerter_hep_worker_restarts_total{cause="${cause}"}`)).toBe(0);
  });
});
