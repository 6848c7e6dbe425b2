import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorkers, type Target } from "./harness.ts";
import { defineApiSuite } from "./suite.ts";

// The same suite against src/worker.ts running in workerd (wrangler's unstable_startWorker).
defineApiSuite("Workers (workerd via wrangler)", () => startWorkers());

describe("Worker edge", () => {
  let worker: Target;
  beforeAll(async () => {
    worker = await startWorkers({ SIPCODES_RATE_LIMIT: "3" });
  });
  afterAll(async () => {
    await worker?.stop();
  });

  it("limits each client without a platform binding: 429 problem with Retry-After", async () => {
    const remaining: (string | null)[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await worker.request("/v1/q850/17");
      expect(res.status).toBe(200);
      remaining.push(res.headers.get("ratelimit-remaining"));
    }
    expect(remaining).toEqual(["2", "1", "0"]);
    const over = await worker.request("/v1/q850/17");
    expect(over.status).toBe(429);
    expect(over.headers.get("content-type")).toBe("application/problem+json");
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await over.json()) as { code: string }).code).toBe("too_many_requests");
    expect((await worker.request("/healthz")).status).toBe(200);
  });
});

describe("Worker edge with the platform's rate-limit binding", () => {
  let worker: Target;
  beforeAll(async () => {
    // The in-isolate counter would allow a million; the binding (workerd's own) allows 2.
    worker = await startWorkers(
      {},
      {
        RATE_LIMITER: { type: "ratelimit", namespace_id: "1001", simple: { limit: 2, period: 60 } },
      },
    );
  });
  afterAll(async () => {
    await worker?.stop();
  });

  it("asks the binding, and answers its refusal with a 429 problem", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await worker.request("/v1/q850/17")).status);
    expect(statuses.slice(0, 2)).toEqual([200, 200]);
    expect(statuses.slice(2)).toEqual([429, 429]);
    const over = await worker.request("/v1/q850/17");
    expect(over.headers.get("retry-after")).toBe("60");
    expect(over.headers.get("ratelimit-limit")).toBeNull();
    expect(((await over.json()) as { code: string }).code).toBe("too_many_requests");
  });
});
