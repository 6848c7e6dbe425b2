import { describe, expect, it } from "vitest";
import { AnswerCache, answerKey, keepable } from "./answer-cache.ts";

const ok = {
  "content-type": "application/json",
  etag: '"abc"',
  "cache-control": "public, max-age=3600",
  vary: "Accept, User-Agent",
};
const bytes = (n: number) => new Uint8Array(n).fill(65);

describe("answerKey", () => {
  it("keys a plain GET by Host and target", () => {
    expect(answerKey("GET", "/v1/codes/486?x=1", { host: "a" })).toBe("a /v1/codes/486?x=1");
  });

  it("leaves other methods, conditional, range and body-carrying requests to the app", () => {
    expect(answerKey("HEAD", "/", { host: "a" })).toBeUndefined();
    expect(answerKey("POST", "/", { host: "a" })).toBeUndefined();
    for (const name of [
      "if-none-match",
      "if-modified-since",
      "range",
      "content-length",
      "authorization",
      "cookie",
    ])
      expect(answerKey("GET", "/", { host: "a", [name]: "1" }), name).toBeUndefined();
    expect(answerKey("GET", "/", { host: "a", "cache-control": "no-cache" })).toBeUndefined();
  });
});

describe("keepable", () => {
  it("keeps a 200 with a strong ETag that may be stored", () => {
    expect(keepable(200, ok)).toBe(true);
    expect(keepable(200, { ...ok, ETag: '"x"', etag: undefined as unknown as string })).toBe(true);
  });

  it("keeps nothing else", () => {
    expect(keepable(404, ok)).toBe(false);
    expect(keepable(200, { ...ok, etag: 'W/"abc"' })).toBe(false);
    const { etag: _etag, ...noTag } = ok;
    expect(keepable(200, noTag)).toBe(false);
    expect(keepable(200, { ...ok, "cache-control": "no-store" })).toBe(false);
    expect(keepable(200, { ...ok, vary: "*" })).toBe(false);
    expect(keepable(200, { ...ok, "set-cookie": ["a=b"] })).toBe(false);
    expect(keepable(200, { ...ok, "Transfer-Encoding": "chunked" })).toBe(false);
  });
});

describe("AnswerCache", () => {
  it("answers only requests whose Vary headers match the kept answer's", () => {
    const cache = new AnswerCache({ maxEntries: 10, maxBytes: 1 << 20 });
    cache.set("k", { accept: "application/json" }, 200, ok, bytes(10));
    expect(cache.get("k", { accept: "application/json" })).toBeDefined();
    expect(cache.get("k", { accept: "application/json", "user-agent": "curl/8" })).toBeUndefined();
    expect(cache.get("k", {})).toBeUndefined();
    // A second set of Vary values beside the first.
    cache.set("k", { "user-agent": "curl/8" }, 200, ok, bytes(20));
    expect(cache.get("k", { "user-agent": "curl/8" })?.body.byteLength).toBe(20);
    expect(cache.get("k", { accept: "application/json" })?.body.byteLength).toBe(10);
    expect(cache.snapshot()).toMatchObject({ hits: 3, misses: 2, entries: 2, bytes: 30 });
  });

  it("writes the kept body's own length, whatever the app left to Node", () => {
    const cache = new AnswerCache({ maxEntries: 10, maxBytes: 1 << 20 });
    cache.set("k", {}, 200, { ...ok, "Content-Length": "999" }, bytes(7));
    const kept = cache.get("k", {});
    expect(kept?.headers["content-length"]).toBe("7");
    expect(Object.keys(kept?.headers ?? {}).filter((n) => /length/i.test(n))).toEqual([
      "content-length",
    ]);
  });

  it("stays within its entry and byte bounds, the oldest out first", () => {
    const cache = new AnswerCache({ maxEntries: 3, maxBytes: 1600 });
    for (let i = 0; i < 5; i++) cache.set(`k${i}`, {}, 200, ok, bytes(100));
    expect(cache.snapshot()).toMatchObject({ entries: 3, bytes: 300 });
    expect(cache.get("k0", {})).toBeUndefined();
    expect(cache.get("k4", {})).toBeDefined();
    // Bodies over a sixteenth of the bytes are not kept at all.
    cache.set("big", {}, 200, ok, bytes(101));
    expect(cache.get("big", {})).toBeUndefined();
    for (let i = 0; i < 20; i++) cache.set(`m${i}`, {}, 200, ok, bytes(100));
    expect(cache.snapshot().bytes).toBeLessThanOrEqual(1600);
    // The same request answered twice replaces its entry, not adds one.
    const before = cache.snapshot().entries;
    cache.set("m19", {}, 200, ok, bytes(50));
    expect(cache.snapshot().entries).toBe(before);
  });
});
