// The storm measured in issue 12, on the real detector: Poisson-like traffic
// (seeded), two trunks each carrying one direction, 40 customers; a spike of
// 500 on all traffic, then one on trunk A only. Alerts per scope vs incidents.
import { describe, expect, it } from "vitest";
import { createDetector } from "./detector.ts";
import { replay } from "./replay.ts";
import type { CallEvent } from "./types.ts";

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 5, 0, 0);

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

/** `perMinute` calls a minute for `minutes`; `rate(minute, trunk)` is the share answered 500. */
function traffic(
  minutes: number,
  perMinute: number,
  rate: (minute: number, trunk: string) => number,
  seed = 7,
): CallEvent[] {
  const random = mulberry32(seed);
  const out: CallEvent[] = [];
  for (let m = 0; m < minutes; m++) {
    for (let i = 0; i < perMinute; i++) {
      const customer = `c${Math.floor(random() * 40)}`;
      const trunk = random() < 0.5 ? "A" : "B";
      const code = random() < rate(m, trunk) ? 500 : random() < 0.01 ? 603 : 200;
      out.push({
        time: T0 + m * MIN + Math.floor(random() * MIN),
        code,
        trunk,
        direction: trunk === "A" ? "outbound" : "inbound",
        customer,
      });
    }
  }
  return out.sort((a, b) => a.time - b.time);
}

const config = {
  baselineMinutes: 120,
  minBaselineCalls: 1000,
  customers: { minCalls: 100 },
};

describe("incidents on the real detector", () => {
  it("one global 500 spike: dozens of alerting scopes, one incident rooted at global, resolved once", () => {
    const events = traffic(300, 200, (m) => (m >= 200 && m < 220 ? 0.2 : 0.005));
    const { transitions, incidents } = replay(createDetector(config), events, 60);
    const fired = new Set(transitions.filter((t) => t.to === "firing").map((t) => t.incidentId));
    expect(fired.size).toBeGreaterThan(20); // the storm the issue measured
    const opened = incidents.filter((c) => c.change === "opened");
    expect(opened).toHaveLength(1);
    const resolved = incidents.filter((c) => c.change === "resolved");
    expect(resolved).toHaveLength(1);
    const last = resolved[0]!.incident;
    expect(last.root.scope.key).toBe("global");
    expect(last.id).toBe(opened[0]!.incident.id);
    expect(last.members.length).toBeGreaterThanOrEqual(fired.size);
    // Trunk × direction alerts of one-direction trunks are the trunk's alert twice.
    expect(
      last.members
        .filter((m) => m.scope.kind === "trunk_direction")
        .every((m) => m.role === "duplicate"),
    ).toBe(true);
  });

  it("one trunk's 500 spike: one incident rooted at the trunk, global explained by it", () => {
    const events = traffic(300, 200, (m, trunk) =>
      trunk === "A" && m >= 200 && m < 220 ? 0.2 : 0.005,
    );
    const { transitions, incidents } = replay(createDetector(config), events, 60);
    const scopes = new Set(transitions.filter((t) => t.to === "firing").map((t) => t.scope.key));
    expect(scopes.has("global")).toBe(true);
    const opened = incidents.filter((c) => c.change === "opened");
    expect(opened.map((c) => c.incident.root.scope.key)).toEqual(["trunk:A"]);
    const final = incidents.filter((c) => c.change === "resolved").map((c) => c.incident);
    expect(final).toHaveLength(1);
    const g = final[0]!.members.find((m) => m.scope.key === "global");
    expect(g?.role).toBe("explained");
    expect(final[0]!.members.some((m) => m.scope.key.startsWith("trunk:B"))).toBe(false);
  });
});
