import { describe, expect, it } from "vitest";
import { listCodeEntries } from "../catalogue/index.ts";
import { explain } from "../explain/index.ts";
import { parseProfile } from "../profiles/load.ts";
import { createRegistry } from "../profiles/registry.ts";
import { listCodes } from "./codes.ts";

describe("listCodes", () => {
  it("lists every catalogue code in code order with the standard text", () => {
    const rows = listCodes();
    expect(rows.map((r) => r.code)).toEqual(listCodeEntries().map((e) => e.code));
    expect(rows.find((r) => r.code === 486)).toEqual({
      code: 486,
      phrase: "Busy Here",
      class: "4xx",
      registered: true,
      outcome: "busy",
      summary: explain(486).summary,
    });
  });

  it("shows a profile's phrase, outcome and summary beside the standard phrase", () => {
    const row = listCodes({ profile: "jola", class: "6xx" }).find((r) => r.code === 603);
    const e = explain(603, { profile: "jola" });
    expect(row).toMatchObject({
      phrase: "Decline",
      profilePhrase: "MaxPeak Cost Exceeded",
      outcome: e.outcome,
      summary: e.summary,
    });
  });

  it("filters by class and by registration", () => {
    expect(listCodes({ class: "6xx" }).map((r) => r.code)).toEqual([600, 603, 604, 606, 607, 608]);
    const registered = listCodes({ registered: true });
    expect(registered.length).toBeGreaterThan(0);
    expect(registered.length).toBeLessThan(listCodes().length);
    expect(registered.every((r) => r.registered)).toBe(true);
  });

  it("keeps only the codes a profile changes with changedOnly, every code for the standard one", () => {
    expect(listCodes({ profile: "jola", changedOnly: true }).map((r) => r.code)).toEqual([
      200, 404, 486, 487, 500, 603,
    ]);
    expect(listCodes({ profile: "rfc", changedOnly: true })).toEqual(listCodes());
  });

  it("returns search hits best first with their score and profile, at most `limit`", () => {
    const hits = listCodes({ query: "codec", limit: 3 });
    expect(hits[0]).toMatchObject({ code: 488, matchedIn: "rfc" });
    expect(hits[0]?.score).toBeGreaterThan(0);
    expect(hits.length).toBeLessThanOrEqual(3);
    const cost = listCodes({ query: "cost" });
    expect(cost[0]).toMatchObject({ code: 603, matchedIn: "jola" });
  });

  it("fills `limit` after a class filter rather than cutting the hits first", () => {
    const all = listCodes({ query: "busy", limit: 100 });
    const sixes = all.filter((r) => r.class === "6xx");
    expect(sixes.length).toBeGreaterThan(0);
    expect(listCodes({ query: "busy", class: "6xx", limit: 1 }).map((r) => r.code)).toEqual([
      sixes[0]?.code,
    ]);
  });

  it("reads a user's profile through its own registry", () => {
    const acme = parseProfile(
      "id: acme\nname: Acme\ndescription: Acme's trunk overlays.\nextends: jola\ncodes:\n  '480':\n    phrase: Account Suspended\n",
    );
    const registry = createRegistry([acme]);
    const rows = listCodes({ profile: "acme", registry, changedOnly: true });
    expect(rows.map((r) => r.code)).toContain(480);
    expect(rows.map((r) => r.code)).toContain(603);
    expect(rows.find((r) => r.code === 480)?.profilePhrase).toBe("Account Suspended");
    expect(() => listCodes({ profile: "acme" })).toThrow(/unknown profile "acme"/);
  });
});
