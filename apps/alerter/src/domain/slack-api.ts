import { type AttemptResult, type BackoffConfig, retryDelay, type Verdict } from "./backoff.ts";

/**
 * Slack Web API answers, judged. Slack answers most failures with HTTP 200
 * and `{"ok": false, "error": "<code>"}`; rate limits come as HTTP 429 with
 * a Retry-After header (and `error: "ratelimited"` in the body).
 */
export type SlackAnswer =
  | { kind: "ok"; channel: string; ts: string }
  /** `chat.update` on a message that is gone (deleted in Slack): post a new one. */
  | { kind: "missing"; reason: string }
  | { kind: "retry"; reason: string; retryAfterMs?: number | undefined }
  | { kind: "dead"; reason: string };

/** Error codes that say "try again later"; every other code is a dead letter. */
const TRANSIENT = new Set([
  "ratelimited",
  "rate_limited",
  "internal_error",
  "fatal_error",
  "service_unavailable",
  "request_timeout",
  "team_added_to_org",
]);

/** Error codes of `chat.update` that mean the message to edit no longer exists. */
const GONE = new Set(["message_not_found"]);

function slackError(
  body: string | undefined,
): { ok: boolean; error?: string; ts?: unknown; channel?: unknown } | undefined {
  if (!body) return undefined;
  try {
    const json: unknown = JSON.parse(body);
    if (json && typeof json === "object" && typeof (json as { ok?: unknown }).ok === "boolean")
      return json as { ok: boolean };
  } catch {
    // not JSON: judged below as "not a Slack answer"
  }
  return undefined;
}

/** Judges one Web API call's result. `method` names the call in reasons (`chat.update`). */
export function judgeSlack(method: string, result: AttemptResult): SlackAnswer {
  if (result.kind === "error") {
    return result.permanent
      ? { kind: "dead", reason: result.message }
      : { kind: "retry", reason: result.message };
  }
  const { status } = result;
  const json = slackError(result.body);
  const code = json && !json.ok && typeof json.error === "string" ? json.error : undefined;
  if (status === 429) {
    return {
      kind: "retry",
      reason: `${method}: ${code ?? "ratelimited"} (HTTP 429)`,
      retryAfterMs: result.retryAfterMs,
    };
  }
  if (status === 408 || status === 425 || status >= 500)
    return { kind: "retry", reason: `${method}: HTTP ${status}` };
  if (status >= 300 && status < 400)
    return { kind: "dead", reason: `${method}: HTTP ${status}: redirects are not followed` };
  if (status < 200 || status >= 300)
    return { kind: "dead", reason: `${method}: HTTP ${status}${code ? ` ${code}` : ""}` };
  if (!json) return { kind: "dead", reason: `${method}: the answer is not a Slack API response` };
  if (code !== undefined) {
    if (TRANSIENT.has(code))
      return { kind: "retry", reason: `${method}: ${code}`, retryAfterMs: result.retryAfterMs };
    if (GONE.has(code)) return { kind: "missing", reason: `${method}: ${code}` };
    return { kind: "dead", reason: `${method}: ${code}` };
  }
  if (!json.ok) return { kind: "dead", reason: `${method}: ok false without an error code` };
  if (typeof json.ts !== "string" || typeof json.channel !== "string")
    return { kind: "dead", reason: `${method}: ok without the message's channel and ts` };
  return { kind: "ok", channel: json.channel, ts: json.ts };
}

/** The outbox verdict of a failed call: the same backoff and dead-letter age as every destination. */
export function slackVerdict(
  answer: Extract<SlackAnswer, { kind: "retry" | "dead" }>,
  context: { attempt: number; now: number; deadline: number; random: () => number },
  config: BackoffConfig,
): Verdict {
  if (answer.kind === "dead") return { outcome: "dead", reason: answer.reason };
  const delayMs = retryDelay(context.attempt, config, context.random, answer.retryAfterMs);
  if (context.now + delayMs > context.deadline)
    return { outcome: "dead", reason: `${answer.reason} (gave up: past the dead-letter age)` };
  return { outcome: "retry", delayMs, reason: answer.reason };
}
