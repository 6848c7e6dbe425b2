import { describe, expect, it } from "vitest";
import { searchQueries } from "../test/search-queries.ts";
import { searchCodes } from "./search.ts";

// Floors for the share of the query set whose code ranks first / in the top
// three. BENCHMARKS.md records the measured figures; raise the floors when the
// ranking gets better, and a change that makes it worse fails here.
const TOP1_FLOOR = 0.95;
const TOP3_FLOOR = 1;

const rankOf = (query: string, code: number, profile?: string) =>
  searchCodes(query, profile === undefined ? {} : { profile })
    .slice(0, 10)
    .findIndex((hit) => hit.code === code);

describe("searchCodes on the query set", () => {
  it("holds at least 40 realistic queries", () => {
    expect(searchQueries.length).toBeGreaterThanOrEqual(40);
  });

  it.each(searchQueries.map((q) => [q.query, q.code, q.profile] as const))(
    "ranks %j → %i in the top 3",
    (query, code, profile) => {
      const rank = rankOf(query, code, profile);
      expect(rank, `${code} is ${rank < 0 ? "missing" : `at ${rank + 1}`}`).toBeGreaterThanOrEqual(
        0,
      );
      expect(rank).toBeLessThan(3);
    },
  );

  it("measures the share first and in the top 3 against the floors", () => {
    const ranks = searchQueries.map((q) => rankOf(q.query, q.code, q.profile));
    const top1 = ranks.filter((r) => r === 0).length / ranks.length;
    const top3 = ranks.filter((r) => r >= 0 && r < 3).length / ranks.length;
    console.log(
      `search query set: ${ranks.length} queries, top-1 ${(top1 * 100).toFixed(1)}%, top-3 ${(top3 * 100).toFixed(1)}%`,
    );
    expect(top1).toBeGreaterThanOrEqual(TOP1_FLOOR);
    expect(top3).toBeGreaterThanOrEqual(TOP3_FLOOR);
  });
});

describe("searchCodes", () => {
  it("puts an exact code first", () => {
    expect(searchCodes("486")[0]?.code).toBe(486);
  });

  it("finds nothing for words no entry uses", () => {
    expect(searchCodes("zebra giraffe")).toEqual([]);
  });

  it("ranks a code whose phrase holds the whole query above one that holds a word of it", () => {
    const hits = searchCodes("busy here");
    expect(hits[0]?.code).toBe(486);
  });

  it("meets a keyword of several words as a keyword only when the query holds all of it", () => {
    // 489's keyword "busy lamp" is about the lamp: "busy" alone finds the busy codes, not 489.
    expect(searchCodes("busy").map((hit) => hit.code)).not.toContain(489);
    expect(searchCodes("busy lamp")[0]?.code).toBe(489);
    expect(searchCodes("all circuits busy")[0]?.code).toBe(503);
  });

  it("shows the standard text unless a profile's own words match clearly better", () => {
    expect(searchCodes("busy")[0]).toMatchObject({ code: 486, profile: "rfc" });
    expect(searchCodes("no route")[0]).toMatchObject({ code: 404, profile: "jola" });
  });

  it("searches only one profile's meanings when asked", () => {
    expect(searchCodes("maxpeak", { profile: "rfc" })).toEqual([]);
    expect(searchCodes("maxpeak", { profile: "jola" })[0]?.code).toBe(603);
  });
});
