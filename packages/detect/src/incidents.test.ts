import fc from "fast-check";
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
    opts: {
      trunks?: [string, number][];
      since?: number;
      /** The alert's id when it is not `${rule}:${scope}:${since}` (a re-fire within the cooldown). */
      id?: string;
      /** Matching responses and calls since the sequential test's change point. */
      change?: [number, number];
    } = {},
  ): this {
    const c = this.counts.get(`${scope.key}|${rule}`)!;
    const since = opts.since ?? NOW - 3 * 60_000;
    this.alerts.push({
      rule,
      scope,
      state: "firing",
      incidentId: opts.id ?? `${rule}:${scope.key}:${since}`,
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
        ...(opts.change ? { changeCount: opts.change[0], changeCalls: opts.change[1] } : {}),
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
  it("folds a thin customer that drew its failures early in a step into the global incident", () => {
    // One minute into a global step: global's 5-minute window is diluted (12 %), its rate since
    // the change point is 25 %. Customer c9 drew 12 failures in 25 calls: clearly worse than the
    // rest of global's window (its 99.9 % lower bound, 21 %, is above the rest's upper bound,
    // 15 %), but not than the problem itself.
    const rule = "sip-500";
    const world = (change: [number, number]) =>
      new World()
        .set(G, rule, 1000, 120)
        .set(cust(9), rule, 25, 12)
        .fire(G, rule, { change })
        .fire(cust(9), rule);
    const w = world([100, 400]);
    const changes = new IncidentBook(defaultRules).update(NOW, w.alerts, w.countsOf);
    expect(changes.map((c) => c.change)).toEqual(["opened"]);
    expect(changes[0]!.incident.members.map((m) => [m.scope.key, m.role])).toEqual([
      ["global", "root"],
      ["customer:c9", "affected"],
    ]);
    // Had global's problem been a rise to 15 %, c9 at 48 % would be a problem of its own.
    const apart = world([60, 400]);
    const two = new IncidentBook(defaultRules).update(NOW, apart.alerts, apart.countsOf);
    expect(two.map((c) => [c.change, c.incident.root.scope.key])).toEqual([
      ["opened", "customer:c9"],
      ["opened", "global"],
    ]);
  });

  it("folds a thin trunk into the open global incident when the rest of global is too thin to tell", () => {
    // Global fires on a slow ramp; then trunk A fires with 4 failures in 107 calls while trunk B
    // had none in 128. A's lower bound (0.8 %) is above B's rate (0 %) but not above what B's
    // 128 calls allow (its upper bound, 7.8 %): the same problem, not a second one.
    const rule = "sip-500";
    const book = new IncidentBook(defaultRules);
    const w1 = new World().set(G, rule, 235, 4).fire(G, rule);
    const [opened] = book.update(NOW, w1.alerts, w1.countsOf);
    const w2 = new World()
      .set(G, rule, 235, 4)
      .set(A, rule, 107, 4)
      .fire(G, rule)
      .fire(A, rule, { since: NOW });
    const changes = book.update(NOW + 60_000, w2.alerts, w2.countsOf);
    expect(changes.map((c) => [c.change, c.incident.id])).toEqual([
      ["updated", opened!.incident.id],
    ]);
    expect(changes[0]!.incident.members.find((m) => m.scope.key === "trunk:A")?.role).toBe(
      "affected",
    );
  });

  it("explains a trunk by a spiking customer spread over both trunks, less its share on the trunk", () => {
    // c7 (half its calls on each trunk) fails half its calls and opens its incident. Trunk A then
    // fires: 110 failures in 1000 calls, of which c7's 50 failures and (by its share) 100 calls;
    // the other 900 calls fail at 6.7 %, whose lower bound is under the 6 % threshold.
    const rule = "sip-603";
    const c7 = cust(7);
    const trunks: [string, number][] = [
      ["A", 50],
      ["B", 50],
    ];
    const book = new IncidentBook(defaultRules);
    const w1 = new World().set(c7, rule, 200, 100).fire(c7, rule, { trunks });
    const [opened] = book.update(NOW, w1.alerts, w1.countsOf);
    expect(opened!.incident.root.scope.key).toBe("customer:c7");
    const w2 = new World()
      .set(c7, rule, 200, 100)
      .set(A, rule, 1000, 110)
      .fire(c7, rule, { trunks })
      .fire(A, rule, { since: NOW });
    const changes = book.update(NOW + 60_000, w2.alerts, w2.countsOf);
    expect(changes.map((c) => [c.change, c.incident.id])).toEqual([
      ["updated", opened!.incident.id],
    ]);
    const a = changes[0]!.incident.members.find((m) => m.scope.key === "trunk:A")!;
    expect(a.role).toBe("explained");
    expect(a.explainedBy).toEqual(["customer:c7"]);

    // A trunk still breaching without the customer's share is a problem of its own.
    const w3 = new World()
      .set(c7, rule, 200, 100)
      .set(A, rule, 1000, 200)
      .fire(c7, rule, { trunks })
      .fire(A, rule, { since: NOW });
    const other = new IncidentBook(defaultRules);
    other.update(NOW, w1.alerts, w1.countsOf);
    const apart = other.update(NOW + 60_000, w3.alerts, w3.countsOf);
    expect(apart.map((c) => [c.change, c.incident.root.scope.key])).toEqual([
      ["opened", "trunk:A"],
    ]);
  });

  it("compares a child with the rest of its parent on consistent counts, whatever the estimates", () => {
    // The customer sits under trunk A (38 of its 40 failures are there) but its 200 calls are
    // spread over trunks, while trunk A's window holds 230: the rest of A, taken as A less the
    // whole customer, would be 60 failures in 30 calls. It is capped at all of them failing.
    const rule = "sip-500";
    const c = cust(4);
    const w = new World()
      .set(A, rule, 230, 100)
      .set(c, rule, 200, 40)
      .fire(A, rule)
      .fire(c, rule, {
        trunks: [
          ["A", 38],
          ["B", 2],
        ],
      });
    const changes = new IncidentBook(defaultRules).update(NOW, w.alerts, w.countsOf);
    expect(changes.map((x) => x.change)).toEqual(["opened"]);
    expect(changes[0]!.incident.members.map((m) => [m.scope.key, m.role])).toEqual([
      ["trunk:A", "root"],
      ["customer:c4", "affected"],
    ]);
  });

  it("opens its own incident for a customer spiking while its trunk and global are normal", () => {
    const rule = "sip-603";
    const w = new World()
      .set(cust(3), rule, 200, 100)
      .set(A, rule, 1000, 110)
      .fire(cust(3), rule, { trunks: [["A", 100]] });
    const changes = new IncidentBook(defaultRules).update(NOW, w.alerts, w.countsOf);
    expect(changes.map((c) => [c.change, c.incident.root.scope.key, c.incident.id])).toEqual([
      ["opened", "customer:c3", `sip-603:customer:c3:${NOW - 180_000}`],
    ]);
  });

  it("names a new incident after its root's episode, not an alert id reused within the cooldown", () => {
    const rule = "sip-500";
    const first = NOW - 40 * 60_000;
    const reused = `${rule}:trunk:A:${first}`;
    const run = () => {
      const book = new IncidentBook(defaultRules);
      const w1 = new World().set(A, rule, 1000, 200).fire(A, rule, { since: first });
      const out = [
        ...book.update(NOW - 30 * 60_000, w1.alerts, w1.countsOf),
        ...book.update(NOW - 20 * 60_000, [], w1.countsOf),
      ];
      // 20 minutes after it resolved the trunk fires again; the detector gives the alert the
      // resolved one's id (cooldown), and its episode started at NOW.
      const w2 = new World().set(A, rule, 1000, 200).fire(A, rule, { since: NOW, id: reused });
      out.push(...book.update(NOW + 60_000, w2.alerts, w2.countsOf));
      return out.map((c) => [c.change, c.incident.id, c.incident.root.alertId]);
    };
    expect(run()).toEqual([
      ["opened", reused, reused],
      ["resolved", reused, reused],
      ["opened", `${rule}:trunk:A:${NOW}`, reused],
    ]);
    expect(run()).toEqual(run());
  });

  it("never throws on counts that disagree between a scope and its children", () => {
    // Window counts of parents and children are read at different moments and shares are
    // estimates: whatever they say, the book folds without an invalid_argument.
    const counts = fc.tuple(
      fc.integer({ min: 1, max: 500 }),
      fc.double({ min: 0, max: 1, noNaN: true }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(G, A, B, Aout, Bin, cust(1), cust(2)), counts), {
          minLength: 1,
          maxLength: 7,
        }),
        fc.integer({ min: 0, max: 100 }),
        fc.option(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 1, max: 50 }))),
        (scopes, onA, change) => {
          const w = new World();
          const seen = new Set<string>();
          for (const [scope, [calls, share]] of scopes) {
            if (seen.has(scope.key)) continue;
            seen.add(scope.key);
            w.set(scope, "sip-500", calls, Math.round(calls * share));
            const count = Math.round(calls * share);
            w.fire(scope, "sip-500", {
              trunks: [
                ["A", Math.round((count * onA) / 100)],
                ["B", count - Math.round((count * onA) / 100)],
              ],
              ...(change ? { change: [Math.min(...change), Math.max(...change)] } : {}),
            });
          }
          const book = new IncidentBook(defaultRules);
          const changes = book.update(NOW, w.alerts, w.countsOf);
          const members = changes.flatMap((c) => c.incident.members.map((m) => m.alertId));
          expect(new Set(members).size).toBe(w.alerts.length);
        },
      ),
    );
  });
});
