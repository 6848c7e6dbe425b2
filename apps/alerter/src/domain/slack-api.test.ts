import { describe, expect, it } from "vitest";
import type { AttemptResult } from "./backoff.ts";
import { judgeSlack, slackVerdict } from "./slack-api.ts";

const ok200 = (body: object, retryAfterMs?: number): AttemptResult => ({
  kind: "response",
  status: 200,
  body: JSON.stringify(body),
  retryAfterMs,
});

describe("judgeSlack", () => {
  it.each([
    [
      "ok with channel and ts",
      ok200({ ok: true, channel: "C1", ts: "1.000001" }),
      { kind: "ok", channel: "C1", ts: "1.000001" },
    ],
    [
      "invalid_auth",
      ok200({ ok: false, error: "invalid_auth" }),
      { kind: "dead", reason: "chat.postMessage: invalid_auth" },
    ],
    [
      "channel_not_found",
      ok200({ ok: false, error: "channel_not_found" }),
      { kind: "dead", reason: "chat.postMessage: channel_not_found" },
    ],
    [
      "ratelimited in a 200 body",
      ok200({ ok: false, error: "ratelimited" }, 2000),
      { kind: "retry", reason: "chat.postMessage: ratelimited", retryAfterMs: 2000 },
    ],
    [
      "internal_error",
      ok200({ ok: false, error: "internal_error" }),
      { kind: "retry", reason: "chat.postMessage: internal_error" },
    ],
    [
      "message_not_found",
      ok200({ ok: false, error: "message_not_found" }),
      { kind: "missing", reason: "chat.postMessage: message_not_found" },
    ],
    [
      "ok without ts",
      ok200({ ok: true }),
      { kind: "dead", reason: "chat.postMessage: ok without the message's channel and ts" },
    ],
    [
      "HTTP 429 with Retry-After",
      {
        kind: "response",
        status: 429,
        retryAfterMs: 3000,
        body: '{"ok":false,"error":"ratelimited"}',
      },
      { kind: "retry", reason: "chat.postMessage: ratelimited (HTTP 429)", retryAfterMs: 3000 },
    ],
    [
      "HTTP 503",
      { kind: "response", status: 503, body: "" },
      { kind: "retry", reason: "chat.postMessage: HTTP 503" },
    ],
    [
      "HTTP 302",
      { kind: "response", status: 302 },
      { kind: "dead", reason: "chat.postMessage: HTTP 302: redirects are not followed" },
    ],
    [
      "HTTP 404 unknown_method",
      { kind: "response", status: 404, body: '{"ok":false,"error":"unknown_method"}' },
      { kind: "dead", reason: "chat.postMessage: HTTP 404 unknown_method" },
    ],
    [
      "a 200 that is not JSON",
      { kind: "response", status: 200, body: "ok" },
      { kind: "dead", reason: "chat.postMessage: the answer is not a Slack API response" },
    ],
    [
      "a refused address",
      { kind: "error", message: "private address", permanent: true },
      { kind: "dead", reason: "private address" },
    ],
    [
      "a reset connection",
      { kind: "error", message: "ECONNRESET", permanent: false },
      { kind: "retry", reason: "ECONNRESET" },
    ],
  ] as [string, AttemptResult, object][])("judges %s", (_name, result, expected) => {
    expect(judgeSlack("chat.postMessage", result)).toEqual(expected);
  });
});

describe("slackVerdict", () => {
  const config = { backoffBaseMs: 100, backoffMaxMs: 1000 };
  const context = { attempt: 1, now: 0, deadline: 60_000, random: () => 0 };
  it("waits at least the Retry-After Slack asked for", () => {
    const v = slackVerdict({ kind: "retry", reason: "r", retryAfterMs: 5000 }, context, config);
    expect(v).toEqual({ outcome: "retry", delayMs: 5000, reason: "r" });
  });
  it("gives up when the wait passes the dead-letter age", () => {
    const v = slackVerdict({ kind: "retry", reason: "r", retryAfterMs: 120_000 }, context, config);
    expect(v).toEqual({ outcome: "dead", reason: "r (gave up: past the dead-letter age)" });
  });
});
