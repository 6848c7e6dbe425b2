import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { judgeAttempt, parseRetryAfter, retryDelay } from "./backoff.ts";

const cfg = { backoffBaseMs: 1000, backoffMaxMs: 60_000 };

describe("retryDelay", () => {
  it("draws from [0, min(max, base × 2^(attempt−1))) and never below Retry-After", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100 }),
        fc.double({ min: 0, max: 0.999999, noNaN: true }),
        fc.option(fc.integer({ min: 0, max: 10_000_000 })),
        (attempt, r, after) => {
          const ceiling = Math.min(cfg.backoffMaxMs, cfg.backoffBaseMs * 2 ** (attempt - 1));
          const d = retryDelay(attempt, cfg, () => r, after ?? undefined);
          if (after === null) {
            expect(d).toBeGreaterThanOrEqual(0);
            expect(d).toBeLessThan(ceiling);
          } else {
            expect(d).toBeGreaterThanOrEqual(Math.min(after, 3600_000));
          }
        },
      ),
    );
  });
  it("uses full jitter: the random draw spans the whole range", () => {
    expect(retryDelay(3, cfg, () => 0)).toBe(0);
    expect(retryDelay(3, cfg, () => 0.5)).toBe(2000);
  });
});

describe("parseRetryAfter", () => {
  it("reads seconds and HTTP dates", () => {
    expect(parseRetryAfter("120", 0)).toBe(120_000);
    expect(parseRetryAfter("Thu, 01 Jan 1970 00:01:00 GMT", 30_000)).toBe(30_000);
    expect(parseRetryAfter("soon", 0)).toBeUndefined();
    expect(parseRetryAfter(undefined, 0)).toBeUndefined();
  });
});

describe("judgeAttempt", () => {
  const ctx = { attempt: 1, now: 0, deadline: 3600_000, random: () => 0.5 };
  it("delivers on 2xx, retries 408/425/429/5xx and network errors, dead-letters redirects and other 4xx", () => {
    expect(judgeAttempt({ kind: "response", status: 204 }, ctx, cfg).outcome).toBe("delivered");
    for (const status of [408, 425, 429, 500, 502, 503]) {
      expect(judgeAttempt({ kind: "response", status }, ctx, cfg).outcome).toBe("retry");
    }
    for (const status of [301, 302, 307, 400, 401, 403, 404, 410]) {
      expect(judgeAttempt({ kind: "response", status }, ctx, cfg).outcome).toBe("dead");
    }
    expect(
      judgeAttempt({ kind: "error", message: "ECONNRESET", permanent: false }, ctx, cfg).outcome,
    ).toBe("retry");
    expect(
      judgeAttempt({ kind: "error", message: "blocked", permanent: true }, ctx, cfg).outcome,
    ).toBe("dead");
  });
  it("gives up once the next try would be past the deadline", () => {
    const v = judgeAttempt(
      { kind: "response", status: 503, retryAfterMs: 120_000 },
      { ...ctx, deadline: 60_000 },
      cfg,
    );
    expect(v).toMatchObject({ outcome: "dead" });
  });
});
