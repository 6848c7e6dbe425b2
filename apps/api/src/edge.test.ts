import { describe, expect, it } from "vitest";
import { newRequestId, requestIdOf } from "./edge.ts";

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("request ids", () => {
  it("makes UUID-shaped (version 4, RFC 9562 variant) ids that never repeat", () => {
    const ids = Array.from({ length: 10_000 }, newRequestId);
    for (const id of ids) expect(id).toMatch(UUID_V4);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("keeps a sane X-Request-Id and replaces one that is not a token", () => {
    expect(requestIdOf("ticket-42.a:b")).toBe("ticket-42.a:b");
    expect(requestIdOf("has spaces")).toMatch(UUID_V4);
    expect(requestIdOf("x".repeat(129))).toMatch(UUID_V4);
    expect(requestIdOf(undefined)).toMatch(UUID_V4);
  });
});
