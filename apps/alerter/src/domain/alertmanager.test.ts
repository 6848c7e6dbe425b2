import type { ActiveAlert, Rule, Transition } from "@sipcodes/detect";
import { describe, expect, it } from "vitest";
import { alertmanagerBatch } from "./alertmanager.ts";
import { Explainer } from "./notification.ts";

const scope = { kind: "trunk" as const, key: "trunk:T1", trunk: "T1" };
const reading = {
  status: "ok" as const,
  windowMinutes: 5,
  calls: 100,
  count: 30,
  rate: 0.3,
  wilsonLower: 0.2,
  baseline: 0.01,
  threshold: 0.06,
  resolveThreshold: 0.048,
};
const firing: ActiveAlert = {
  rule: "sip-603",
  scope,
  state: "firing",
  incidentId: "sip-603:trunk:T1:0",
  since: 0,
  firedAt: 60_000,
  evaluatedAt: 120_000,
  reading,
  contributors: [],
  phrases: [],
};
const pending: ActiveAlert = { ...firing, state: "pending", firedAt: null, rule: "sip-500" };
const toFiring = {
  ...reading,
  rule: "sip-603",
  scope,
  from: "pending",
  to: "firing",
  time: 60_000,
  incidentId: firing.incidentId,
  since: 0,
  baseline: 0.01,
  threshold: 0.06,
  resolveThreshold: 0.048,
  contributors: [],
  phrases: [],
} as Transition;
const toResolved = { ...toFiring, from: "firing", to: "resolved", time: 600_000 } as Transition;
const rules = [
  { id: "sip-603", codes: [603] },
  { id: "sip-500", codes: [500] },
] as unknown as Rule[];
const ctx = { rules, explainer: new Explainer("rfc"), resendMs: 60_000 };

describe("alertmanagerBatch", () => {
  const cases: {
    name: string;
    now: number;
    lastSent?: number;
    active: ActiveAlert[];
    transitions: Transition[];
    ruleFilter?: string[];
    sent: [string, string][];
  }[] = [
    {
      name: "sends a new firing alert at once",
      now: 60_000,
      active: [firing],
      transitions: [toFiring],
      sent: [["sip-603", "2026-01-01T00:04:00.000Z"]],
    },
    {
      name: "waits for the resend interval while nothing changes",
      now: 90_000,
      lastSent: 60_000,
      active: [firing],
      transitions: [],
      sent: [],
    },
    {
      name: "re-sends once the interval passed",
      now: 120_000,
      lastSent: 60_000,
      active: [firing],
      transitions: [],
      sent: [["sip-603", "2026-01-01T00:04:00.000Z"]],
    },
    {
      name: "never sends pending alerts",
      now: 120_000,
      active: [pending],
      transitions: [],
      sent: [],
    },
    {
      name: "sends a resolved alert with endsAt at its resolve time",
      now: 600_000,
      lastSent: 590_000,
      active: [],
      transitions: [toResolved],
      sent: [["sip-603", "1970-01-01T00:10:00.000Z"]],
    },
    {
      name: "leaves out rules the destination does not take",
      now: 60_000,
      active: [firing],
      transitions: [toFiring],
      ruleFilter: ["sip-500"],
      sent: [],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const out = alertmanagerBatch({
        now: c.now,
        wallNow: Date.UTC(2026, 0, 1),
        lastSent: c.lastSent,
        active: c.active,
        transitions: c.transitions,
        ctx: { ...ctx, ruleFilter: c.ruleFilter },
      });
      expect(out.map((a) => [a.labels.rule, a.endsAt])).toEqual(c.sent);
    });
  }

  it("gives a firing alert and its resolve the same labels (one Alertmanager fingerprint)", () => {
    const [f] = alertmanagerBatch({
      now: 60_000,
      wallNow: 0,
      lastSent: undefined,
      active: [firing],
      transitions: [toFiring],
      ctx,
    });
    const [r] = alertmanagerBatch({
      now: 600_000,
      wallNow: 0,
      lastSent: 0,
      active: [],
      transitions: [toResolved],
      ctx,
    });
    expect(f!.labels).toEqual(r!.labels);
    expect(f!.startsAt).toBe(r!.startsAt);
  });
});
