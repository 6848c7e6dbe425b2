import { describe, expect, test } from "vitest";
import { type Alert, type Change, NORMAL, step } from "./alert.ts";

const MIN = 60_000;
const NOW = 1_000 * MIN;
const rule = { key: "sip-603:global", fireAfter: 2, resolveAfter: 3, cooldownMinutes: 60 };
const reading = {
  status: "ok" as const,
  windowMinutes: 5,
  calls: 100,
  count: 20,
  rate: 0.2,
  wilsonLower: 0.12,
  baseline: 0.01,
  threshold: 0.06,
  resolveThreshold: 0.048,
};
const last = { evaluatedAt: NOW - MIN, reading, contributors: [] };

const pending = (streak: number): Alert => ({
  ...NORMAL,
  state: "pending",
  streak,
  since: NOW - MIN,
  incidentId: "sip-603:global:old",
  frozenBaseline: 0.01,
  last,
});
const firing = (streak: number): Alert => ({
  ...pending(0),
  state: "firing",
  streak,
  firedAt: NOW - MIN,
});
const resolved = (minutesAgo: number): Alert => ({
  ...NORMAL,
  state: "resolved",
  resolvedAt: NOW - minutesAgo * MIN,
  resolvedIncidentId: "sip-603:global:earlier",
});

const B = { breach: true, clear: false };
const CLEAR = { breach: false, clear: true };
const HOLD = { breach: false, clear: false };
const fresh = `sip-603:global:${NOW}`;
const change = (from: string, to: string, incidentId: string, since: number): Change =>
  ({ from, to, incidentId, since }) as Change;

// before, what the evaluation found, rule overrides, then the expected alert (the fields that
// matter) and changes.
const table: [string, Alert, typeof B, Partial<typeof rule>, Partial<Alert>, Change[]][] = [
  ["normal stays normal without a breach", NORMAL, HOLD, {}, { state: "normal" }, []],
  [
    "normal goes pending on a breach, freezing the baseline, with a new incident",
    NORMAL,
    B,
    {},
    { state: "pending", streak: 1, since: NOW, incidentId: fresh, frozenBaseline: 0.02 },
    [change("normal", "pending", fresh, NOW)],
  ],
  [
    "with fireAfter 1 one breach goes normal→pending→firing",
    NORMAL,
    B,
    { fireAfter: 1 },
    { state: "firing", streak: 0, firedAt: NOW, incidentId: fresh },
    [change("normal", "pending", fresh, NOW), change("pending", "firing", fresh, NOW)],
  ],
  [
    "pending counts a breach and waits while under fireAfter",
    pending(1),
    B,
    { fireAfter: 3 },
    { state: "pending", streak: 2, frozenBaseline: 0.01 },
    [],
  ],
  [
    "pending fires at fireAfter breaches in a row",
    pending(1),
    B,
    {},
    { state: "firing", streak: 0, firedAt: NOW, incidentId: "sip-603:global:old" },
    [change("pending", "firing", "sip-603:global:old", NOW - MIN)],
  ],
  [
    "pending returns to normal on the first evaluation without a breach, dropping the incident",
    pending(1),
    HOLD,
    {},
    { state: "normal", streak: 0, since: null, incidentId: null, frozenBaseline: null, last: null },
    [change("pending", "normal", "sip-603:global:old", NOW - MIN)],
  ],
  [
    "firing counts a clear evaluation",
    firing(1),
    CLEAR,
    {},
    { state: "firing", streak: 2, last },
    [],
  ],
  [
    "firing resolves at resolveAfter clear evaluations, remembering the incident",
    firing(2),
    CLEAR,
    {},
    {
      state: "resolved",
      streak: 0,
      since: null,
      firedAt: null,
      incidentId: null,
      frozenBaseline: null,
      resolvedAt: NOW,
      resolvedIncidentId: "sip-603:global:old",
      last: null,
    },
    [change("firing", "resolved", "sip-603:global:old", NOW - MIN)],
  ],
  [
    "firing that is neither clear nor breaching restarts the clear count",
    firing(2),
    HOLD,
    {},
    { state: "firing", streak: 0 },
    [],
  ],
  [
    "firing that breaches again restarts the clear count",
    firing(2),
    B,
    {},
    { state: "firing", streak: 0 },
    [],
  ],
  ["resolved stays resolved without a breach", resolved(5), CLEAR, {}, { state: "resolved" }, []],
  [
    "resolved within the cooldown reuses the resolved incident id",
    resolved(60),
    B,
    {},
    { state: "pending", streak: 1, incidentId: "sip-603:global:earlier", since: NOW },
    [change("resolved", "pending", "sip-603:global:earlier", NOW)],
  ],
  [
    "resolved after the cooldown starts a new incident",
    resolved(61),
    B,
    {},
    { state: "pending", incidentId: fresh },
    [change("resolved", "pending", fresh, NOW)],
  ],
];

describe("step", () => {
  test.each(table)("%s", (_, before, found, overrides, expected, changes) => {
    const frozen = structuredClone(before);
    const result = step(before, { now: NOW, baseline: 0.02, ...found }, { ...rule, ...overrides });
    expect(result.alert).toMatchObject(expected);
    expect(result.changes).toEqual(changes);
    // Pure: the alert it was given is untouched.
    expect(before).toEqual(frozen);
  });

  test("returns the same alert when nothing changes, and a copy otherwise", () => {
    expect(step(NORMAL, { now: NOW, baseline: 0.02, ...HOLD }, rule).alert).toBe(NORMAL);
    const p = pending(1);
    expect(step(p, { now: NOW, baseline: 0.02, ...B }, { ...rule, fireAfter: 5 }).alert).not.toBe(
      p,
    );
  });
});
