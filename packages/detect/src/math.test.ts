import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { isDetectError } from "./errors.ts";
import {
  chiSquareQuantile,
  fireThreshold,
  normalQuantile,
  poissonTail,
  shrinkRate,
  wilsonLower,
  zForConfidence,
} from "./math.ts";

describe("wilsonLower", () => {
  // Newcombe (1998), "Two-sided confidence intervals for the single proportion", table I:
  // 81/263 → 0.2553–0.3662 and 1/10 → 0.0179–0.4042 at 95 %.
  test("matches Newcombe's published 95 % Wilson intervals", () => {
    expect(wilsonLower(81, 263, 1.959964)).toBeCloseTo(0.2553, 4);
    expect(wilsonLower(1, 10, 1.959964)).toBeCloseTo(0.0179, 4);
    expect(wilsonLower(5, 10, 1.959964)).toBeCloseTo(0.2366, 4);
  });

  test("matches values computed at 99 % (z = 2.5758) with the closed form", () => {
    // (p + z²/2n − z·√(p(1−p)/n + z²/4n²)) / (1 + z²/n), evaluated independently in Python.
    expect(wilsonLower(49, 300, 2.5758293035489)).toBeCloseTo(0.1157547, 6);
    expect(wilsonLower(5, 25, 2.5758293035489)).toBeCloseTo(0.0692288, 6);
    expect(wilsonLower(4, 20, 2.5758293035489)).toBeCloseTo(0.0615611, 6);
  });

  test("is 0 with no failures or no calls, and n / (n + z²) when every call failed", () => {
    expect(wilsonLower(0, 500, 2.58)).toBe(0);
    expect(wilsonLower(0, 0, 2.58)).toBe(0);
    expect(wilsonLower(20, 20, 2)).toBeCloseTo(20 / 24, 12);
  });

  test("refuses a count above n or a negative z with invalid_argument", () => {
    for (const call of [() => wilsonLower(5, 4, 2), () => wilsonLower(1, 4, -1)]) {
      expect(call).toThrowError(expect.objectContaining({ code: "invalid_argument" }));
    }
  });

  test("stays within [0, rate] and falls as z grows", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 5, noNaN: true }),
        fc.double({ min: 0, max: 5, noNaN: true }),
        (n, share, z1, z2) => {
          const count = Math.floor(share * n);
          const [low, high] = z1 < z2 ? [z1, z2] : [z2, z1];
          const lower = wilsonLower(count, n, low);
          expect(lower).toBeGreaterThanOrEqual(0);
          expect(lower).toBeLessThanOrEqual(count / n + 1e-12);
          expect(wilsonLower(count, n, high)).toBeLessThanOrEqual(lower + 1e-12);
        },
      ),
    );
  });
});

describe("zForConfidence and normalQuantile", () => {
  test("give the two-sided z of common confidences", () => {
    expect(zForConfidence(0.99)).toBeCloseTo(2.5758293, 6);
    expect(zForConfidence(0.95)).toBeCloseTo(1.959964, 6);
    expect(zForConfidence(0.9)).toBeCloseTo(1.6448536, 6);
  });

  test("give the quantile in both tails and the middle", () => {
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.3263479, 6);
    expect(normalQuantile(0.999)).toBeCloseTo(3.0902323, 6);
    expect(normalQuantile(1e-9)).toBeCloseTo(-5.997807, 5);
  });

  test("refuse probabilities outside (0, 1)", () => {
    for (const p of [0, 1, -0.1, Number.NaN]) {
      let error: unknown;
      try {
        normalQuantile(p);
      } catch (e) {
        error = e;
      }
      expect(isDetectError(error) && error.code).toBe("invalid_argument");
    }
    expect(() => zForConfidence(1)).toThrow(/confidence/);
  });
});

describe("chiSquareQuantile", () => {
  test("is within 1 % of the tables' upper quantiles", () => {
    // Upper quantiles of chi-square (df, p): the standard tables.
    const table: [number, number, number][] = [
      [1, 0.99, 6.6349],
      [2, 0.99, 9.2103],
      [5, 0.95, 11.0705],
      [23, 0.99, 41.6384],
      [100, 0.99, 135.807],
    ];
    for (const [df, p, exact] of table)
      expect(Math.abs(chiSquareQuantile(df, p) / exact - 1)).toBeLessThan(0.01);
  });

  test("refuses no degrees of freedom", () => {
    expect(() => chiSquareQuantile(0, 0.99)).toThrow(/df > 0/);
  });
});

describe("fireThreshold", () => {
  const sip603 = { lift: 2, delta: 0.05, floor: 0.05 };
  const sip500 = { lift: 3, delta: 0.02, floor: 0.02 };

  test("takes the largest of lift × baseline, baseline + delta, and floor", () => {
    expect(fireThreshold(0.01, sip603)).toBeCloseTo(0.06, 12); // delta wins
    expect(fireThreshold(0.1, sip603)).toBeCloseTo(0.2, 12); // lift wins
    expect(fireThreshold(0, sip603)).toBe(0.05); // floor wins
    expect(fireThreshold(0.01, sip500)).toBeCloseTo(0.03, 12);
    expect(fireThreshold(0.002, sip500)).toBeCloseTo(0.022, 12);
  });
});

describe("shrinkRate", () => {
  test("takes the parent's rate with no history and its own with a lot", () => {
    expect(shrinkRate(0, 0, 0.02, 1000)).toBe(0.02);
    expect(shrinkRate(100, 1000, 0.02, 1000)).toBeCloseTo((100 + 20) / 2000, 12);
    expect(shrinkRate(10_000, 100_000, 0.5, 1000)).toBeCloseTo(0.1039604, 6);
    expect(shrinkRate(3, 30, 0.5, 0)).toBe(0.1);
  });
});

describe("poissonTail", () => {
  test("matches 1 − the cdf where that is exact, and keeps tiny tails", () => {
    // 1 − Σ_{i<k} e^−λ λ^i / i!, evaluated independently in Python.
    expect(poissonTail(2, 3)).toBeCloseTo(0.3233235838169365, 12);
    expect(poissonTail(0.3, 4)).toBeCloseTo(0.0002658111900217808, 12);
    expect(poissonTail(0.15, 4) / 1.8714139662479035e-5).toBeCloseTo(1, 6);
    expect(poissonTail(0.15, 1)).toBeCloseTo(1 - Math.exp(-0.15), 12);
    // Far in the tail, where 1 − cdf would round to 0.
    expect(poissonTail(0.01, 10)).toBeGreaterThan(0);
    const first = (Math.exp(-0.01) * 0.01 ** 10) / 3628800; // e^−λ λ^10 / 10!, then the next two
    const expected = first * (1 + 0.01 / 11 + 0.01 ** 2 / (11 * 12));
    expect(poissonTail(0.01, 10) / expected).toBeCloseTo(1, 8);
  });

  test("is 1 for k ≤ 0, 0 for λ = 0, and refuses a negative λ", () => {
    expect(poissonTail(3, 0)).toBe(1);
    expect(poissonTail(0, 2)).toBe(0);
    expect(() => poissonTail(-1, 2)).toThrowError(
      expect.objectContaining({ code: "invalid_argument" }),
    );
  });
});
