import { DetectError } from "./errors.ts";

/**
 * Lower end of the Wilson score interval for `count` successes in `n` trials
 * with normal quantile `z` (2.5758 for a 99 % two-sided interval). Returns 0
 * when `n` is 0. Unlike `count / n - z·se`, it stays inside [0, 1] and is
 * honest for small `n`, which is what keeps a trunk that made 20 calls from
 * paging anyone.
 */
export function wilsonLower(count: number, n: number, z: number): number {
  if (!(n >= 0) || !(count >= 0) || count > n || !(z >= 0) || !Number.isFinite(n + z)) {
    throw new DetectError(
      "invalid_argument",
      `wilsonLower needs 0 ≤ count ≤ n and z ≥ 0 (got count ${count}, n ${n}, z ${z})`,
    );
  }
  if (n === 0) return 0;
  const p = count / n;
  const z2n = (z * z) / n;
  const center = p + z2n / 2;
  const margin = z * Math.sqrt((p * (1 - p)) / n + z2n / (4 * n));
  const lower = (center - margin) / (1 + z2n);
  return Math.max(0, lower);
}

/** Upper end of the Wilson score interval (1 when `n` is 0: nothing is known). */
export function wilsonUpper(count: number, n: number, z: number): number {
  if (!(n >= 0) || !(count >= 0) || count > n || !(z >= 0) || !Number.isFinite(n + z)) {
    throw new DetectError(
      "invalid_argument",
      `wilsonUpper needs 0 ≤ count ≤ n and z ≥ 0 (got count ${count}, n ${n}, z ${z})`,
    );
  }
  if (n === 0) return 1;
  const p = count / n;
  const z2n = (z * z) / n;
  const center = p + z2n / 2;
  const margin = z * Math.sqrt((p * (1 - p)) / n + z2n / (4 * n));
  return Math.min(1, (center + margin) / (1 + z2n));
}

// Acklam's rational approximation of the normal quantile (relative error < 1.2e-9).
const A = [
  -39.69683028665376, 220.9460984245205, -275.928510446969, 138.357751867269, -30.66479806614716,
  2.506628277459239,
] as const;
const B = [
  -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
] as const;
const C = [
  -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734,
  4.374664141464968, 2.938163982698783,
] as const;
const D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416] as const;
const P_LOW = 0.02425;

function tail(q: number): number {
  return (
    (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) /
    ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1)
  );
}

/** The standard normal quantile: the z with P(Z ≤ z) = p, for 0 < p < 1. */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) {
    throw new DetectError("invalid_argument", `normalQuantile needs 0 < p < 1 (got ${p})`);
  }
  if (p < P_LOW) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - P_LOW) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) /
    (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1)
  );
}

/**
 * The z of a two-sided interval at `confidence`: 0.99 → 2.5758, 0.95 → 1.96.
 * The detector compares the lower end of that interval with the threshold, so
 * a breach is claimed with at least (1 + confidence) / 2 one-sided confidence.
 */
export function zForConfidence(confidence: number): number {
  if (!(confidence > 0 && confidence < 1)) {
    throw new DetectError(
      "invalid_argument",
      `confidence must be between 0 and 1 (got ${confidence})`,
    );
  }
  return normalQuantile(1 - (1 - confidence) / 2);
}

/**
 * The upper `p` quantile of a chi-square distribution with `df` degrees of
 * freedom (Wilson–Hilferty: within 1 % of the exact value from df = 1 at the
 * 0.99 quantile, closer as df grows).
 */
export function chiSquareQuantile(df: number, p: number): number {
  if (!(df > 0))
    throw new DetectError("invalid_argument", `chiSquareQuantile needs df > 0 (got ${df})`);
  const z = normalQuantile(p);
  const v = 2 / (9 * df);
  const root = 1 - v + z * Math.sqrt(v);
  return root <= 0 ? 0 : df * root * root * root;
}

/** The rate a scope must exceed: `max(lift × baseline, baseline + delta, floor)`. */
export function fireThreshold(
  baseline: number,
  rule: {
    readonly lift: number;
    readonly delta: number;
    readonly floor: number;
    readonly maxDelta?: number;
  },
): number {
  // The lift's effect is capped at maxDelta points, so a high baseline (603 at
  // 30 %) is not given a threshold it can hardly reach (60 %): 40 % instead.
  const lifted = baseline + Math.min((rule.lift - 1) * baseline, rule.maxDelta ?? Infinity);
  return Math.max(lifted, baseline + rule.delta, rule.floor);
}

/**
 * Empirical-Bayes shrinkage of a scope's own rate toward its parent's:
 * `(count + priorCalls × parentRate) / (calls + priorCalls)`. A scope with no
 * history takes the parent's rate; one with many calls keeps its own.
 */
export function shrinkRate(
  count: number,
  calls: number,
  parentRate: number,
  priorCalls: number,
): number {
  const denominator = calls + priorCalls;
  return denominator > 0 ? (count + priorCalls * parentRate) / denominator : parentRate;
}

/**
 * P(X ≥ k) for X Poisson with mean `lambda`, summed from k upward (no
 * 1 − cdf cancellation, so tiny tails stay exact). 1 when k ≤ 0.
 */
export function poissonTail(lambda: number, k: number): number {
  if (!(lambda >= 0) || !Number.isFinite(lambda) || !Number.isInteger(k)) {
    throw new DetectError(
      "invalid_argument",
      `poissonTail needs a finite lambda ≥ 0 and a whole k (got lambda ${lambda}, k ${k})`,
    );
  }
  if (k <= 0) return 1;
  if (lambda === 0) return 0;
  // The k-th term, e^-λ λ^k / k!, in logs; then the terms after it until they stop counting.
  let logTerm = -lambda;
  for (let i = 1; i <= k; i++) logTerm += Math.log(lambda / i);
  let term = Math.exp(logTerm);
  let sum = term;
  for (let i = k + 1; i < k + 1000; i++) {
    term *= lambda / i;
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return Math.min(1, sum);
}

/** ln(n!) for n < LOG_FACTORIALS.length, summed once. */
const LOG_FACTORIALS = (() => {
  const t = new Float64Array(1024);
  for (let i = 2; i < t.length; i++) t[i] = t[i - 1]! + Math.log(i);
  return t;
})();

/** ln(n!): the table, then Stirling's series (its error is under 1e-15 there). */
function logFactorial(n: number): number {
  if (n < LOG_FACTORIALS.length) return LOG_FACTORIALS[n]!;
  const inv = 1 / n;
  const inv2 = inv * inv;
  return (
    n * Math.log(n) -
    n +
    0.5 * Math.log(2 * Math.PI * n) +
    inv * (1 / 12 - inv2 * (1 / 360 - inv2 / 1260))
  );
}

/**
 * P(X ≥ k) for X binomial with `n` trials of probability `p`: what chance
 * alone gives `k` or more failures in `n` calls at a rate `p`. Summed from
 * the k-th term away from the mode (terms only shrink that way, so a few
 * dozen are enough whatever `n`): upward above the mode, and as 1 − P(X < k)
 * at or below it, where the tail is large and no precision is lost.
 */
export function binomialTail(n: number, p: number, k: number): number {
  if (!Number.isInteger(n) || n < 0 || !(p >= 0 && p <= 1) || !Number.isInteger(k)) {
    throw new DetectError(
      "invalid_argument",
      `binomialTail needs a whole n ≥ 0, 0 ≤ p ≤ 1 and a whole k (got n ${n}, p ${p}, k ${k})`,
    );
  }
  if (k <= 0) return 1;
  if (k > n || p === 0) return 0;
  if (p === 1) return 1;
  const logP = Math.log(p);
  const logQ = Math.log1p(-p);
  const logPmf = (i: number) =>
    logFactorial(n) - logFactorial(i) - logFactorial(n - i) + i * logP + (n - i) * logQ;
  const odds = p / (1 - p);
  if (k > Math.floor((n + 1) * p)) {
    let term = Math.exp(logPmf(k));
    let sum = term;
    for (let i = k + 1; i <= n; i++) {
      term *= ((n - i + 1) / i) * odds;
      sum += term;
      if (term <= sum * 1e-17) break;
    }
    return Math.min(1, sum);
  }
  let term = Math.exp(logPmf(k - 1));
  let below = term;
  for (let i = k - 1; i > 0; i--) {
    term *= i / (n - i + 1) / odds;
    below += term;
    if (term <= below * 1e-17) break;
  }
  return Math.max(0, Math.min(1, 1 - below));
}
