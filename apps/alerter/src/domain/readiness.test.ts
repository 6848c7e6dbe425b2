import { describe, expect, it } from "vitest";
import { DestinationHealth, type ReadinessFacts, readiness } from "./readiness.ts";

const limits = {
  maxEvaluationAgeMs: 180_000,
  maxDestinationFailingMs: 900_000,
  maxDeadLetters: 10,
};
const base: ReadinessFacts = {
  now: 1_000_000,
  clock: "wall",
  startedAt: 900_000,
  lastEvaluation: 960_000,
  storeError: undefined,
  deadLetters: 0,
  destinations: new Map(),
};

describe("readiness", () => {
  const cases: { name: string; facts: Partial<ReadinessFacts>; failed: string[] }[] = [
    { name: "is ready when every check passes", facts: {}, failed: [] },
    {
      name: "fails the store check when a write fails",
      facts: { storeError: "SQLITE_READONLY" },
      failed: ["store"],
    },
    {
      name: "fails when the last evaluation is too old",
      facts: { lastEvaluation: 800_000 },
      failed: ["evaluation"],
    },
    {
      name: "counts from the start before the first evaluation",
      facts: { lastEvaluation: null, startedAt: 990_000 },
      failed: [],
    },
    {
      name: "ignores evaluation age with the event clock",
      facts: { clock: "event", lastEvaluation: 1 },
      failed: [],
    },
    {
      name: "fails above the dead-letter threshold",
      facts: { deadLetters: 11 },
      failed: ["deadLetters"],
    },
    {
      name: "fails when a destination has failed longer than allowed",
      facts: { destinations: new Map([["hook", { failingSince: 50_000, lastError: "HTTP 500" }]]) },
      failed: ["destinations"],
    },
    {
      name: "tolerates a destination failing for a short while",
      facts: {
        destinations: new Map([["hook", { failingSince: 950_000, lastError: "HTTP 500" }]]),
      },
      failed: [],
    },
    {
      name: "passes the hep check while the HEP worker is up",
      facts: {
        hep: { state: "up", downSince: null, reason: null, attempt: 0, nextAttemptAt: null },
      },
      failed: [],
    },
    {
      name: "fails the hep check while the HEP worker is down",
      facts: {
        hep: {
          state: "down",
          downSince: 990_000,
          reason: "exit: exited with code 1",
          attempt: 0,
          nextAttemptAt: 991_000,
        },
      },
      failed: ["hep"],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(readiness({ ...base, ...c.facts }, limits).failed).toEqual(c.failed);
    });
  }

  it("says since when the HEP worker is down and which restart attempt runs", () => {
    const down = {
      state: "down" as const,
      downSince: 990_000,
      reason: "stalled: no heartbeat for 10 s",
      attempt: 0,
      nextAttemptAt: 1_001_000,
    };
    const since = new Date(990_000).toISOString();
    expect(readiness({ ...base, hep: down }, limits).checks.hep).toMatchObject({
      ok: false,
      worker: "down",
      reason: "stalled: no heartbeat for 10 s",
      error: `worker down since ${since}; next attempt in 1 s`,
      downSeconds: 10,
    });
    const restarting = { ...down, state: "restarting" as const, attempt: 3, nextAttemptAt: null };
    expect(readiness({ ...base, hep: restarting }, limits).checks.hep).toMatchObject({
      ok: false,
      error: `worker down since ${since}; restarting, attempt 3`,
      attempt: 3,
    });
    expect(readiness(base, limits).checks.hep).toEqual({ ok: true, note: "HEP is not enabled" });
  });

  it("starts a failure run at the first failure after a success and ends it at the next success", () => {
    const h = new DestinationHealth(["hook"]);
    h.record("hook", "retry", 10, "HTTP 503");
    h.record("hook", "retry", 20, "timeout");
    expect(h.states.get("hook")).toEqual({ failingSince: 10, lastError: "timeout" });
    h.record("hook", "delivered", 30);
    expect(h.states.get("hook")).toEqual({ failingSince: null, lastError: null });
  });
});
