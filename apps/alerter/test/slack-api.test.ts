import { afterEach, describe, expect, it } from "vitest";
import { FakeSlack } from "./_slack.ts";
import { e2eConfig, scenario, sendEvents, startTestAlerter, tempDir, waitFor } from "./helpers.ts";

const TOKEN = "xoxb-1111-2222-test";
const CHANNEL = "C0123456789";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(token = TOKEN) {
  const tmp = tempDir();
  cleanups.push(tmp.cleanup);
  const slack = await FakeSlack.start(TOKEN, [CHANNEL]);
  cleanups.push(() => slack.close());
  const config = e2eConfig("http://127.0.0.1:1", {
    destinations: [{ name: "slack", type: "slack-api", url: slack.url, token, channel: CHANNEL }],
  });
  const start = async () => {
    const started = await startTestAlerter(tmp.dir, config);
    cleanups.push(() => started.alerter.close());
    return started;
  };
  return { slack, start };
}

/** The calls in order, as `post`, `update` or `reply` with the ts each names. */
const shape = (slack: FakeSlack) =>
  slack.calls.map((c) => {
    if (c.method === "chat.update") return `update ${c.args.ts}`;
    return c.args.thread_ts === undefined ? "post" : `reply ${c.args.thread_ts}`;
  });

describe("Slack Web API destination", () => {
  it("posts an incident once, then edits that message and replies in its thread when it resolves", async () => {
    const { slack, start } = await setup();
    const { alerter, secrets } = await start();
    await sendEvents(alerter.url, secrets.ingestSecret, [
      ...scenario.baseline(),
      ...scenario.spike(),
      ...scenario.recovery(),
    ]);
    await waitFor(() => slack.calls.length === 3, "post, update and reply");
    const ts = String(slack.calls[0]!.answer.ts);
    expect(shape(slack)).toEqual(["post", `update ${ts}`, `reply ${ts}`]);
    expect(slack.calls.every((c) => c.status === 200 && c.answer.ok === true)).toBe(true);
    expect(slack.calls.map((c) => c.args.channel)).toEqual([CHANNEL, CHANNEL, CHANNEL]);
    expect(String(slack.calls[0]!.args.text)).toMatch(/^\[FIRING:1\]/);
    expect(String(slack.calls[1]!.args.text)).toMatch(/^\[RESOLVED\]/);
    expect(String(slack.calls[2]!.args.text)).toMatch(/^\*:large_green_circle: Resolved\* /);
    // One message in the channel, edited once, with one reply in its thread.
    expect(slack.topLevel()).toHaveLength(1);
    expect(slack.topLevel()[0]!.edits).toBe(1);
    expect([...slack.messages.values()].filter((m) => m.threadTs === ts)).toHaveLength(1);
    // Slack has answered the last call; the outbox marks it delivered just after.
    await waitFor(
      async () => (await alerter.store.counts()).delivered === 2,
      "both notices recorded as delivered",
    );
    expect(await alerter.store.counts()).toMatchObject({ delivered: 2, dead: 0, pending: 0 });
  });

  it("edits the message posted before a restart, found by the ts kept in the store", async () => {
    const { slack, start } = await setup();
    const first = await start();
    await sendEvents(first.alerter.url, first.secrets.ingestSecret, [
      ...scenario.baseline(),
      ...scenario.spike(),
    ]);
    await waitFor(() => slack.calls.length === 1, "the first post");
    await waitFor(
      async () => (await first.alerter.store.counts()).delivered === 1,
      "the post recorded",
    );
    await first.alerter.close();

    const second = await start();
    await sendEvents(second.alerter.url, second.secrets.ingestSecret, scenario.recovery());
    await waitFor(() => slack.calls.length === 3, "update and reply after the restart");
    const ts = String(slack.calls[0]!.answer.ts);
    expect(shape(slack)).toEqual(["post", `update ${ts}`, `reply ${ts}`]);
    expect(slack.topLevel()).toHaveLength(1);
  });

  it("waits out Slack's Retry-After on a ratelimited answer, then delivers", async () => {
    const { slack, start } = await setup();
    slack.override = (_method, index) =>
      index === 0
        ? {
            status: 429,
            headers: { "retry-after": "1" },
            answer: { ok: false, error: "ratelimited" },
          }
        : undefined;
    const { alerter, secrets } = await start();
    await sendEvents(alerter.url, secrets.ingestSecret, [
      ...scenario.baseline(),
      ...scenario.spike(),
    ]);
    await waitFor(() => slack.calls.length === 2, "the retried post");
    const [limited, retried] = slack.calls;
    expect(limited!.status).toBe(429);
    expect(retried!.answer.ok).toBe(true);
    // The backoff alone is at most 300 ms here: the gap is Slack's second.
    expect(retried!.at - limited!.at).toBeGreaterThanOrEqual(1000);
    await waitFor(async () => (await alerter.store.counts()).delivered === 1, "delivered");
    expect(slack.topLevel()).toHaveLength(1);
  });

  it("retries a rate-limited thread reply without editing the message again", async () => {
    const { slack, start } = await setup();
    slack.override = (_method, index) =>
      index === 2
        ? {
            status: 429,
            headers: { "retry-after": "1" },
            answer: { ok: false, error: "ratelimited" },
          }
        : undefined;
    const { alerter, secrets } = await start();
    await sendEvents(alerter.url, secrets.ingestSecret, [
      ...scenario.baseline(),
      ...scenario.spike(),
      ...scenario.recovery(),
    ]);
    await waitFor(() => slack.calls.length === 4, "post, update, limited reply, reply");
    const ts = String(slack.calls[0]!.answer.ts);
    expect(shape(slack)).toEqual(["post", `update ${ts}`, `reply ${ts}`, `reply ${ts}`]);
    expect(slack.calls.map((c) => c.status)).toEqual([200, 200, 429, 200]);
    expect(slack.topLevel()[0]!.edits).toBe(1);
    await waitFor(async () => (await alerter.store.counts()).delivered === 2, "both delivered");
  });

  it("posts a new message when the one to edit was deleted in Slack (message_not_found)", async () => {
    const { slack, start } = await setup();
    const { alerter, secrets } = await start();
    await sendEvents(alerter.url, secrets.ingestSecret, [
      ...scenario.baseline(),
      ...scenario.spike(),
    ]);
    await waitFor(() => slack.calls.length === 1, "the first post");
    const ts = String(slack.calls[0]!.answer.ts);
    slack.messages.clear(); // someone deleted it
    await sendEvents(alerter.url, secrets.ingestSecret, scenario.recovery());
    await waitFor(() => slack.calls.length === 3, "update refused, then a new post");
    expect(shape(slack)).toEqual(["post", `update ${ts}`, "post"]);
    expect(slack.calls[1]!.answer).toEqual({ ok: false, error: "message_not_found" });
    expect(String(slack.calls[2]!.args.text)).toMatch(/^\[RESOLVED\]/);
    await waitFor(async () => (await alerter.store.counts()).delivered === 2, "both delivered");
  });

  it("dead-letters on invalid_auth with Slack's error code as the reason, without retrying", async () => {
    const { slack, start } = await setup("xoxb-9999-wrong");
    const { alerter, secrets } = await start();
    await sendEvents(alerter.url, secrets.ingestSecret, [
      ...scenario.baseline(),
      ...scenario.spike(),
    ]);
    const [dead] = await waitFor(async () => {
      const list = await alerter.store.list("dead", 10);
      return list.length ? list : undefined;
    }, "the dead letter");
    expect(dead!.lastError).toBe("chat.postMessage: invalid_auth");
    expect(dead!.attempts).toBe(1);
    expect(slack.calls.map((c) => c.answer)).toEqual([{ ok: false, error: "invalid_auth" }]);
  });
});
