import type { ScopeRef, Transition } from "@sipcodes/detect";
import { describe, expect, it } from "vitest";
import { GroupBook } from "./grouping.ts";
import { findSilence, type Silence } from "./silence.ts";

const MIN = 60_000;
const trunk = (t: string): ScopeRef => ({ kind: "trunk", key: `trunk:${t}`, trunk: t });
const trunkDir = (t: string, d: "inbound" | "outbound"): ScopeRef => ({
  kind: "trunk_direction",
  key: `trunk_direction:${t}:${d}`,
  trunk: t,
  direction: d,
});

function tr(
  rule: string,
  scope: ScopeRef,
  from: Transition["from"],
  to: Transition["to"],
  time: number,
): Transition {
  return {
    rule,
    scope,
    from,
    to,
    time,
    incidentId: `${rule}:${scope.key}:0`,
    since: 0,
    status: "ok",
    windowMinutes: 5,
    calls: 100,
    count: to === "firing" ? 40 : 1,
    rate: to === "firing" ? 0.4 : 0.01,
    wilsonLower: to === "firing" ? 0.28 : 0,
    baseline: 0.01,
    threshold: 0.06,
    resolveThreshold: 0.048,
    contributors: [],
    phrases: [],
  };
}

const book = () =>
  new GroupBook({
    groupBy: ["rule", "trunk", "direction"],
    groupIntervalMs: 5 * MIN,
    repeatIntervalMs: 60 * MIN,
  });
const never = () => false;

describe("GroupBook", () => {
  it("holds a new group for its group wait, so alerts firing together go out in one notice", () => {
    const b = new GroupBook({
      groupBy: ["rule"],
      groupWaitMs: 2 * MIN,
      groupIntervalMs: 5 * MIN,
      repeatIntervalMs: 60 * MIN,
    });
    b.apply([tr("sip-603", trunk("T1"), "pending", "firing", 10 * MIN)]);
    expect(b.flush(10 * MIN, never)).toEqual([]);
    b.apply([tr("sip-603", trunk("T2"), "pending", "firing", 11 * MIN)]);
    expect(b.flush(11 * MIN, never)).toEqual([]);
    const sent = b.flush(12 * MIN, never);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.reason).toBe("new");
    expect(sent[0]?.alerts.map((a) => a.scope.trunk)).toEqual(["T1", "T2"]);
  });

  it("notifies a group saved before group wait existed as soon as it is due", () => {
    const b = new GroupBook(
      { groupBy: ["rule"], groupWaitMs: 5 * MIN, groupIntervalMs: 0, repeatIntervalMs: MIN },
      [
        {
          key: "rule=sip-603",
          labels: { rule: "sip-603" },
          alerts: [],
          notified: [],
          lastNotifiedAt: null,
        },
      ],
    );
    b.apply([tr("sip-603", trunk("T1"), "pending", "firing", 10 * MIN)]);
    expect(b.flush(10 * MIN, never)).toHaveLength(1);
  });

  it("notifies a new group at once, then batches changes to at most one notice per group interval", () => {
    const b = book();
    b.apply([tr("sip-603", trunk("T1"), "pending", "firing", 10 * MIN)]);
    const first = b.flush(10 * MIN, never);
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({
      reason: "new",
      status: "firing",
      groupLabels: { rule: "sip-603", trunk: "T1" },
    });

    b.apply([tr("sip-603", trunk("T1"), "firing", "resolved", 12 * MIN)]);
    expect(b.flush(12 * MIN, never)).toEqual([]); // inside the group interval
    const later = b.flush(15 * MIN, never);
    expect(later).toHaveLength(1);
    expect(later[0]).toMatchObject({ reason: "update", status: "resolved" });
    expect(later[0]!.alerts[0]).toMatchObject({ status: "resolved", resolvedAt: 12 * MIN });
    expect(b.groups.size).toBe(0);
  });

  it("follows an alert by episode: a re-fire within the cooldown before the next notice is a new alert beside the resolved one", () => {
    const b = book();
    b.apply([tr("sip-603", trunk("T1"), "pending", "firing", 10 * MIN)]);
    expect(b.flush(10 * MIN, never)).toHaveLength(1);
    b.apply([tr("sip-603", trunk("T1"), "firing", "resolved", 12 * MIN)]);
    expect(b.flush(12 * MIN, never)).toEqual([]); // inside the group interval
    // The same alert id (its cooldown), a new episode: pending at 13, firing at 14.
    const again = { ...tr("sip-603", trunk("T1"), "pending", "firing", 14 * MIN), since: 13 * MIN };
    b.apply([again]);
    expect(b.flush(14 * MIN, never)).toEqual([]);
    const [notice] = b.flush(15 * MIN, never);
    expect(notice).toMatchObject({ reason: "update", status: "firing" });
    expect(notice!.alerts.map((a) => [a.incidentId, a.since, a.status])).toEqual([
      ["sip-603:trunk:T1:0", 13 * MIN, "firing"],
      ["sip-603:trunk:T1:0", 0, "resolved"],
    ]);
    // The new episode resolves on its own.
    b.apply([{ ...tr("sip-603", trunk("T1"), "firing", "resolved", 30 * MIN), since: 13 * MIN }]);
    const [last] = b.flush(30 * MIN, never);
    expect(last).toMatchObject({ status: "resolved" });
    expect(last!.alerts.map((a) => [a.since, a.status])).toEqual([[13 * MIN, "resolved"]]);
    expect(b.groups.size).toBe(0);
  });

  it("keeps different directions of one trunk in different groups, and one notice per group", () => {
    const b = book();
    b.apply([
      tr("sip-500", trunkDir("T1", "inbound"), "pending", "firing", MIN),
      tr("sip-500", trunkDir("T1", "outbound"), "pending", "firing", MIN),
      tr("sip-603", trunkDir("T1", "outbound"), "pending", "firing", MIN),
    ]);
    expect(b.flush(MIN, never).map((n) => n.groupKey)).toEqual([
      "rule=sip-500,trunk=T1,direction=inbound",
      "rule=sip-500,trunk=T1,direction=outbound",
      "rule=sip-603,trunk=T1,direction=outbound",
    ]);
  });

  it("repeats a still-firing group after the repeat interval, not before", () => {
    const b = book();
    b.apply([tr("sip-603", trunk("T1"), "pending", "firing", 0)]);
    expect(b.flush(0, never)).toHaveLength(1);
    expect(b.flush(59 * MIN, never)).toEqual([]);
    expect(b.flush(60 * MIN, never)[0]?.reason).toBe("repeat");
    expect(b.flush(61 * MIN, never)).toEqual([]);
  });

  it("leaves silenced alerts out, drops them quietly when they resolve, and announces them when the silence ends", () => {
    const silence: Silence = {
      id: "s1",
      matchers: [{ name: "trunk", op: "=~", value: "T[0-9]" }],
      startsAt: 0,
      endsAt: 30 * MIN,
      createdBy: "ops",
      comment: "maintenance",
      createdAt: 0,
    };
    const silenced = (now: number) => (labels: Record<string, string | undefined>) =>
      findSilence(labels, [silence], now) !== undefined;
    const b = book();
    b.apply([tr("sip-603", trunk("T1"), "pending", "firing", MIN)]);
    expect(b.flush(MIN, silenced(MIN))).toEqual([]);
    expect(b.flush(31 * MIN, silenced(31 * MIN))[0]).toMatchObject({
      reason: "new",
      status: "firing",
    });

    const c = book();
    c.apply([tr("sip-603", trunk("T2"), "pending", "firing", MIN)]);
    expect(c.flush(MIN, silenced(MIN))).toEqual([]);
    c.apply([tr("sip-603", trunk("T2"), "firing", "resolved", 10 * MIN)]);
    expect(c.flush(10 * MIN, silenced(10 * MIN))).toEqual([]);
    expect(c.groups.size).toBe(0);
  });

  it("survives a JSON round trip of its state", () => {
    const b = book();
    b.apply([tr("sip-603", trunk("T1"), "pending", "firing", 0)]);
    b.flush(0, never);
    const restored = new GroupBook(b.config, JSON.parse(JSON.stringify(b.toJSON())));
    restored.apply([tr("sip-603", trunk("T1"), "firing", "resolved", 10 * MIN)]);
    expect(restored.flush(10 * MIN, never)[0]).toMatchObject({
      status: "resolved",
      reason: "update",
    });
  });
});

describe("findSilence", () => {
  const s = (matchers: Silence["matchers"]): Silence => ({
    id: "x",
    matchers,
    startsAt: 100,
    endsAt: 200,
    createdBy: "a",
    comment: "c",
    createdAt: 0,
  });
  it("matches every matcher, within its time range only", () => {
    const labels = { rule: "sip-603", trunk: "T1", direction: "outbound" };
    expect(
      findSilence(labels, [s([{ name: "rule", op: "=", value: "sip-603" }])], 150),
    ).toBeDefined();
    expect(
      findSilence(labels, [s([{ name: "rule", op: "=", value: "sip-603" }])], 200),
    ).toBeUndefined();
    expect(
      findSilence(
        labels,
        [
          s([
            { name: "rule", op: "=", value: "sip-603" },
            { name: "trunk", op: "!=", value: "T1" },
          ]),
        ],
        150,
      ),
    ).toBeUndefined();
    expect(
      findSilence(labels, [s([{ name: "customer", op: "!~", value: "acme.*" }])], 150),
    ).toBeDefined();
    expect(
      findSilence(labels, [s([{ name: "trunk", op: "=~", value: "T" }])], 150),
    ).toBeUndefined(); // anchored
  });
});
