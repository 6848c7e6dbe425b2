import { describe, expect, it } from "vitest";
import { BoundedMap, etagFor, etagMatches, RepresentationCache } from "./http.ts";

describe("etagFor", () => {
  it("is a strong tag of the bytes: one changed character changes it, the same bytes never do", () => {
    const body = '{"code":486,"summary":"The called party is busy."}';
    expect(etagFor(body, "application/json")).toMatch(/^"[0-9a-z]+"$/);
    expect(etagFor(body, "application/json")).toBe(etagFor(body, "application/json"));
    expect(etagFor(body.replace("busy", "Busy"), "application/json")).not.toBe(
      etagFor(body, "application/json"),
    );
    expect(etagFor(body, "text/plain")).not.toBe(etagFor(body, "application/json"));
  });

  it("gives 10,000 distinct bodies 10,000 distinct tags", () => {
    const tags = new Set(
      Array.from({ length: 10_000 }, (_, i) => etagFor(`{"n":${i}}`, "application/json")),
    );
    expect(tags.size).toBe(10_000);
  });
});

describe("etagMatches", () => {
  const tag = '"2026.11.1-abc"';
  it.each([
    [tag, true],
    ["*", true],
    [`W/${tag}`, true],
    [`"x", ${tag}`, true],
    [`"x",W/${tag}`, true],
    ['"2026.11.1-abd"', false],
    ["2026.11.1-abc", false],
    ["", false],
  ])("If-None-Match %j matches: %s", (header, expected) => {
    expect(etagMatches(header, tag)).toBe(expected);
  });
});

describe("RepresentationCache", () => {
  it("never holds more than maxEntries, dropping the oldest first", () => {
    const cache = new RepresentationCache({ maxAge: 60, maxEntries: 3 });
    for (let i = 0; i < 100; i++) cache.get(`k${i}`, () => `body ${i}`, "text/plain", undefined);
    expect(cache.size).toBe(3);
    let rendered = 0;
    cache.get("k99", () => String(++rendered), "text/plain", undefined);
    cache.get("k0", () => String(++rendered), "text/plain", undefined);
    expect(rendered).toBe(1);
  });

  it("serialises once and sends Content-Length, ETag and Cache-Control (CORS is the edge's)", () => {
    const cache = new RepresentationCache({ maxAge: 60, maxEntries: 10 });
    const rep = cache.get("k", () => "héllo", "text/plain", "Accept");
    expect(rep.headers).toMatchObject({
      "content-length": "6",
      "cache-control": "public, max-age=60, stale-while-revalidate=60",
      vary: "Accept",
      etag: rep.etag,
    });
    expect(rep.headers["access-control-allow-origin"]).toBeUndefined();
    const mine = cache.get("p", () => "héllo", "text/plain", "Accept, User-Agent", "private");
    expect(mine.headers["cache-control"]).toBe("private, max-age=60");
    expect(rep.notModified["content-length"]).toBeUndefined();
    expect(cache.get("k", () => "other", "text/plain", "Accept")).toBe(rep);
  });
});

describe("BoundedMap", () => {
  it("keeps at most max entries and replaces an existing key in place", () => {
    const map = new BoundedMap<number, number>(2);
    map.set(1, 1);
    map.set(2, 2);
    map.set(2, 20);
    expect(map.size).toBe(2);
    map.set(3, 3);
    expect(map.size).toBe(2);
    expect(map.get(1)).toBeUndefined();
    expect(map.get(2)).toBe(20);
  });
});
