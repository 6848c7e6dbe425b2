import { describe, expect, it } from "vitest";
import { RESTART_MAX_MS, restartDelayMs } from "./hep-supervisor.ts";

describe("restartDelayMs", () => {
  it("waits 1 s before the first restart, doubling each failure up to 30 s", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map(restartDelayMs)).toEqual([
      1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000,
    ]);
    expect(restartDelayMs(1000)).toBe(RESTART_MAX_MS);
  });
});
