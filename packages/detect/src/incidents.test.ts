import { describe, expect, it } from "vitest";
import { defaultRules } from "./config.ts";
import { IncidentBook } from "./incidents.ts";
import { wilsonLower } from "./math.ts";
import type { ScopeRef } from "./reading.ts";
import { makeRef } from "./scope.ts";
import type { ActiveAlert, WindowCounts } from "./types.ts";

const NOW = Date.UTC(2026, 0, 5, 12, 0);
const Z = 2.5758;

/** A world of window counts per scope and rule, and firing alerts read from them. */
class World {
  readonly counts = new Map<string, WindowCounts>();
  readonly alerts: ActiveAlert[] = [];

  set(scope: ScopeRef, rule: string, calls: number, count: number): this {
    this.counts.set(`${scope.key}|${rule}`, { calls, count });
    return this;
  }

  /** A firing alert on `scope` for `rule`, its reading from the counts set before. */
  fire(
    scope: ScopeRef,
    rule: string,
    opts: { trunks?: [string, number][]; since?: number } = {},
  ): this {
    const c = this.counts.get(`${scope.key}|${rule}`)!;
    const since = opts.since ?? NOW - 3 * 60_000;
    this.alerts.push({
      rule,
      scope,
      state: "firing",
      incidentId: `${rule}:${scope.key}:${since}`,
      since,
      firedAt: since + 60_000,
      evaluatedAt: NOW,
      reading: {
        status: "ok",
        windowMinutes: 5,
        calls: c.calls,
        count: c.count,
        rate: c.count / c.calls,
        wilsonLower: wilsonLower(c.count, c.calls, Z),
        baseline: 0.01,
        threshold: 0.06,
        resolveThreshold: 0.048,
      },
      contributors: (opts.trunks ?? []).map(([key, count]) => ({
        kind: "trunk" as const,
        key,
        count,
      })),
      phrases: [],
    });
    return this;
  }

  countsOf = (key: string, rule: string) => this.counts.get(`${key}|${rule}`);
}

const G = makeRef("global");
const A = makeRef("trunk", "A");
const B = makeRef("trunk", "B");
const Aout = makeRef("trunk_direction", "A", "outbound");
const Ain = makeRef("trunk_direction", "A", "inbound");
const Bin = makeRef("trunk_direction", "B", "inbound");
const cust = (n: number) => makeRef("customer", undefined, undefined, `c${n}`);

describe("IncidentBook", () => {
  it("folds a global spike (both rules, every scope) into one incident rooted at global", () => {
    const w = new World();
    for (const rule of ["sip-603", "sip-6xx-reject"]) {
      w.set(G, rule, 2000, 400).set(A, rule, 1000, 205).set(B, rule, 1000, 195);
      w.set(Aout, rule, 1000, 205).set(Bin, rule, 1000, 195); // each trunk carries one direction
      for (let i = 0; i < 4; i++) w.set(cust(i), rule, 100, 19 + i);
      w.fire(G, rule).fire(A, rule).fire(B, rule).fire(Aout, rule).fire(Bin, rule);
      for (let i = 0; i < 4; i++) w.fire(cust(i), rule, { trunks: [[i % 2 ? "B" : "A", 19 + i]] });
    }
    const book = new IncidentBook(defaultRules);
    const changes = book.update(NOW, w.alerts, w.countsOf);
    expect(changes.map((c) => c.change)).toEqual(["opened"]);
    const inc = changes[0]!.incident;
    expect(inc.root).toMatchObject({ scope: { key: "global" } });
    expect(inc.rules).toEqual(["sip-603", "sip-6xx-reject"]);
    expect(inc.codes).toEqual([603, 607, 608]);
    expect(inc.members).toHaveLength(w.alerts.length);
    const role = (key: string, rule = "sip-603") =>
      inc.members.find((m) => m.scope.key === key && m.rule === rule)?.role;
    expect(role("trunk:A")).toBe("affected");
    expect(role("trunk_direction:A:outbound")).toBe("duplicate");
    expect(role("customer:c1")).toBe("affected");
    expect(role("global", inc.root.rule === "sip-603" ? "sip-6xx-reject" : "sip-603")).toBe(
      "overlap",
    );
  });

  it("roots a trunk-only spike at the trunk, with global explained by it and the trunk's customers affected", () => {
    const w = new World();
    const rule = "sip-500";
    w.set(G, rule, 2000, 210).set(A, rule, 1000, 200).set(B, rule, 1000, 10);
    w.set(Aout, rule, 600, 120).set(Ain, rule, 400, 80); // two directions: not duplicates
    w.set(cust(1), rule, 200, 40);
    w.fire(G, rule).fire(A, rule).fire(Aout, rule).fire(Ain, rule);
    w.fire(cust(1), rule, { trunks: [["A", 40]] });
    const [change] = new IncidentBook(defaultRules).update(NOW, w.alerts, w.countsOf);
    const inc = change!.incident;
    expect(inc.root.scope.key).toBe("trunk:A");
    const g = inc.members.find((m) => m.scope.key === "global")!;
    expect(g.role).toBe("explained");
    expect(g.explainedBy).toEqual(["trunk:A"]);
    expect(inc.members.find((m) => m.scope.key === "trunk_direction:A:inbound")?.role).toBe(
      "affected",
    );
    expect(inc.members.find((m) => m.scope.key === "customer:c1")?.role).toBe("affected");
    // Contributors ranked by excess over expected: the trunk (root) first, then the largest excess.
    expect(inc.members.map((m) => m.scope.key)).toEqual([
      "trunk:A",
      "global",
      "trunk_direction:A:outbound",
      "trunk_direction:A:inbound",
      "customer:c1",
    ]);
  });

  it("keeps a child much worse than its firing parent, and a parent still breaching without it, apart", () => {
    const w = new World();
    const rule = "sip-500";
    // Everything at 20 %, and trunk A at 60 %: two problems.
    w.set(G, rule, 3000, 1000).set(A, rule, 1000, 600).set(B, rule, 2000, 400);
    w.fire(G, rule).fire(A, rule).fire(B, rule);
    const changes = new IncidentBook(defaultRules).update(NOW, w.alerts, w.countsOf);
    expect(changes.map((c) => [c.change, c.incident.root.scope.key]).sort()).toEqual([
      ["opened", "global"],
      ["opened", "trunk:A"],
    ]);
    const global = changes.find((c) => c.incident.root.scope.key === "global")!.incident;
    expect(global.members.map((m) => [m.scope.key, m.role])).toEqual([
      ["global", "root"],
      ["trunk:B", "affected"],
    ]);
  });

  it("keeps the first id when a parent joins later, updates in place, and resolves once", () => {
    const rule = "sip-500";
    const book = new IncidentBook(defaultRules);
    const w1 = new World().set(A, rule, 1000, 200).fire(A, rule);
    const [opened] = book.update(NOW, w1.alerts, w1.countsOf);
    expect(opened!.change).toBe("opened");
    const id = opened!.incident.id;
    expect(id).toBe(`sip-500:trunk:A:${NOW - 180_000}`);

    // A minute later the whole platform is at 20 %: global fires, the trunk is no worse.
    const w2 = new World()
      .set(G, rule, 2000, 400)
      .set(A, rule, 1000, 200)
      .set(B, rule, 1000, 200)
      .fire(A, rule)
      .fire(G, rule, { since: NOW - 60_000 })
      .fire(B, rule, { since: NOW - 60_000 });
    const later = NOW + 60_000;
    const changes = book.update(later, w2.alerts, w2.countsOf);
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({
      change: "updated",
      incident: { id, root: { scope: { key: "global" } } },
    });
    // Nothing new: no change.
    expect(book.update(later + 60_000, w2.alerts, w2.countsOf)).toEqual([]);
    // Trunk B resolves: the incident still fires, with B listed as resolved.
    const w3 = new World()
      .set(G, rule, 2000, 400)
      .set(A, rule, 1000, 200)
      .fire(A, rule)
      .fire(G, rule, { since: NOW - 60_000 });
    expect(book.update(later + 120_000, w3.alerts, w3.countsOf).map((c) => c.change)).toEqual([
      "updated",
    ]);
    expect(book.incidents()[0]!.members.find((m) => m.scope.key === "trunk:B")?.status).toBe(
      "resolved",
    );
    // All clear: one resolve, and the book is empty.
    const done = book.update(later + 180_000, [], w3.countsOf);
    expect(done.map((c) => [c.change, c.incident.id])).toEqual([["resolved", id]]);
    expect(done[0]!.incident.members.every((m) => m.status === "resolved")).toBe(true);
    expect(book.incidents()).toEqual([]);
    // Its state survives JSON.
    expect(
      new IncidentBook(defaultRules, JSON.parse(JSON.stringify(book.toJSON()))).incidents(),
    ).toEqual([]);
  });

  it("resolves the younger of two open incidents as merged into the older", () => {
    const rule = "sip-500";
    const book = new IncidentBook(defaultRules);
    // Two trunk spikes, each its own incident (global not firing).
    const w1 = new World()
      .set(A, rule, 1000, 200)
      .set(B, rule, 1000, 200)
      .fire(A, rule, { since: NOW - 240_000 })
      .fire(B, rule);
    expect(book.update(NOW, w1.alerts, w1.countsOf).map((c) => c.change)).toEqual([
      "opened",
      "opened",
    ]);
    const saved = JSON.parse(JSON.stringify(book.toJSON()));
    // Global fires at the same rate: one problem after all.
    const w2 = new World()
      .set(G, rule, 2000, 400)
      .set(A, rule, 1000, 200)
      .set(B, rule, 1000, 200)
      .fire(A, rule, { since: NOW - 240_000 })
      .fire(B, rule)
      .fire(G, rule, { since: NOW });
    const restored = new IncidentBook(defaultRules, saved);
    const changes = restored.update(NOW + 60_000, w2.alerts, w2.countsOf);
    const older = `sip-500:trunk:A:${NOW - 240_000}`;
    expect(changes.map((c) => [c.change, c.incident.id, c.incident.mergedInto])).toEqual([
      ["updated", older, undefined],
      ["resolved", `sip-500:trunk:B:${NOW - 180_000}`, older],
    ]);
  });

  it("resolves when its root's scope stops firing; members still firing trail off without a new incident", () => {
    const rule = "sip-500";
    const book = new IncidentBook(defaultRules);
    const w1 = new World()
      .set(G, rule, 2000, 400)
      .set(cust(1), rule, 100, 20)
      .fire(G, rule)
      .fire(cust(1), rule);
    const [opened] = book.update(NOW, w1.alerts, w1.countsOf);
    expect(opened!.incident.members.map((m) => m.role)).toEqual(["root", "affected"]);
    // Global clears; the thin customer's slower window still fires.
    const w2 = new World().set(cust(1), rule, 100, 20).fire(cust(1), rule);
    const changes = book.update(NOW + 60_000, w2.alerts, w2.countsOf);
    expect(changes.map((c) => c.change)).toEqual(["resolved"]);
    expect(book.update(NOW + 120_000, w2.alerts, w2.countsOf)).toEqual([]);
    expect(book.toJSON().trailing).toEqual([w2.alerts[0]!.incidentId]);
    // Once it ends it is forgotten; a new alert of that customer is a new incident.
    expect(book.update(NOW + 180_000, [], w2.countsOf)).toEqual([]);
    expect(book.toJSON().trailing).toBeUndefined();
    const w3 = new World()
      .set(cust(1), rule, 100, 20)
      .fire(cust(1), rule, { since: NOW + 200_000 });
    expect(book.update(NOW + 240_000, w3.alerts, w3.countsOf).map((c) => c.change)).toEqual([
      "opened",
    ]);
  });
});
