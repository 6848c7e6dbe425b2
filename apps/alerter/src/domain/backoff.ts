/** What one delivery attempt came to. */
export type AttemptResult =
  | {
      kind: "response";
      status: number;
      retryAfterMs?: number | undefined;
      /** The answer's body (first 64 KiB), when the caller asked for it. */
      body?: string | undefined;
    }
  | { kind: "error"; message: string; permanent: boolean };

export type Verdict =
  | { outcome: "delivered" }
  | { outcome: "retry"; delayMs: number; reason: string }
  | { outcome: "dead"; reason: string };

export interface BackoffConfig {
  backoffBaseMs: number;
  backoffMaxMs: number;
}

/** A Retry-After value is honoured up to this long. */
const MAX_RETRY_AFTER_MS = 3600_000;

/**
 * Exponential backoff with full jitter (AWS architecture blog): a delay drawn
 * uniformly from [0, min(max, base × 2^(attempt−1))). A server's Retry-After
 * is a floor: the delay is never shorter than what it asked for.
 */
export function retryDelay(
  attempt: number,
  config: BackoffConfig,
  random: () => number,
  retryAfterMs?: number,
): number {
  const ceiling = Math.min(
    config.backoffMaxMs,
    config.backoffBaseMs * 2 ** Math.min(attempt - 1, 40),
  );
  const jitter = Math.floor(random() * ceiling);
  if (retryAfterMs === undefined) return jitter;
  return Math.max(jitter, Math.min(retryAfterMs, MAX_RETRY_AFTER_MS));
}

/** Reads a Retry-After header (seconds, or an HTTP date) as ms from `now`. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/**
 * Decides what happens after an attempt: 2xx delivered; 408, 425, 429, 5xx
 * and network errors retried; redirects (never followed) and other 4xx are
 * dead letters, as is anything still failing past its deadline.
 */
export function judgeAttempt(
  result: AttemptResult,
  context: { attempt: number; now: number; deadline: number; random: () => number },
  config: BackoffConfig,
): Verdict {
  let reason: string;
  let retryAfterMs: number | undefined;
  if (result.kind === "response") {
    const { status } = result;
    if (status >= 200 && status < 300) return { outcome: "delivered" };
    if (status >= 300 && status < 400)
      return { outcome: "dead", reason: `HTTP ${status}: redirects are not followed` };
    const retryable = status === 408 || status === 425 || status === 429 || status >= 500;
    if (!retryable) return { outcome: "dead", reason: `HTTP ${status}` };
    reason = `HTTP ${status}`;
    retryAfterMs = result.retryAfterMs;
  } else {
    if (result.permanent) return { outcome: "dead", reason: result.message };
    reason = result.message;
  }
  const delayMs = retryDelay(context.attempt, config, context.random, retryAfterMs);
  if (context.now + delayMs > context.deadline) {
    return { outcome: "dead", reason: `${reason} (gave up: past the dead-letter age)` };
  }
  return { outcome: "retry", delayMs, reason };
}
