import { describe, expect, test } from "vitest";
import { FALSE_PER_DAY, minCountFor } from "./min-count.ts";

const rule = { minCount: 5, minCountFloor: 3 };

describe("minCountFor", () => {
  test("four failures fire on a 2 calls/min platform at 0.5 %: 30 calls expect 0.15 in 15 minutes", () => {
    // P(X ≥ 4) = 1.9e-5 is under 0.01 / 96 windows a day = 1.0e-4; P(X ≥ 3) = 5.0e-4 is not.
    expect(FALSE_PER_DAY).toBe(0.01);
    expect(minCountFor(rule, 30 * 0.005, 1, 15)).toBe(4);
  });

  test("forty customers at 5 calls/min and 1 % keep five: 25 calls, 5 minutes, 40 scopes", () => {
    // P(X ≥ 4) at 0.25 is 1.1e-4, far over 0.01 / 288 / 40 = 8.7e-7.
    expect(minCountFor(rule, 25 * 0.01, 40, 5)).toBe(5);
  });

  test("goes down to the floor for a scope that almost never fails, and never below it", () => {
    expect(minCountFor(rule, 30 * 0.0001, 1, 15)).toBe(3);
    expect(minCountFor({ minCount: 5, minCountFloor: 1 }, 0, 1, 15)).toBe(1);
  });

  test("a busy scope keeps minCount (its window expects more than minCount by chance)", () => {
    expect(minCountFor(rule, 1000 * 0.005, 1, 5)).toBe(5);
  });

  test("a floor at or above minCount turns it off", () => {
    expect(minCountFor({ minCount: 5, minCountFloor: 5 }, 0, 1, 15)).toBe(5);
    expect(minCountFor({ minCount: 2, minCountFloor: 3 }, 0, 1, 15)).toBe(2);
  });
});
