import type { Destination } from "../config.ts";
import type { SlackApiBody } from "../domain/render.ts";
import { judgeSlack, type SlackAnswer } from "../domain/slack-api.ts";
import { postJson } from "./http-client.ts";
import type { AllowList } from "./ssrf.ts";
import type { OutboxMessage, SlackThread, SlackThreads } from "./store.ts";

type SlackApiDestination = Extract<Destination, { type: "slack-api" }>;

/** Threads not touched for this long are forgotten (a later notice then posts a new message). */
const THREAD_KEEP_MS = 30 * 24 * 3600_000;

export interface SlackApiOptions {
  threads: SlackThreads;
  allow: AllowList;
  timeoutMs: number;
  signal: AbortSignal;
  now: () => number;
}

/** What one attempt at a Slack message came to: delivered, or the failed call's answer. */
export type SlackOutcome =
  | { kind: "delivered" }
  | Extract<SlackAnswer, { kind: "retry" | "dead" }>
  | { kind: "aborted" };

/**
 * Delivers one outbox message to a Slack Web API destination. The stream's
 * first message is posted (`chat.postMessage`) and its channel and `ts`
 * saved; each later one edits that message (`chat.update`) and then posts
 * its one-line reply in the thread (`thread_ts`). The progress is saved
 * after each call, so a retry (or a restart) neither edits twice nor skips
 * the reply; a crash between a call and its save repeats that call only.
 * A message deleted in Slack (`message_not_found`) is posted anew. After a
 * resolve, a firing notice of the same stream (grouping by labels) starts
 * a new message.
 */
export async function deliverSlackApi(
  dest: SlackApiDestination,
  m: OutboxMessage,
  options: SlackApiOptions,
): Promise<SlackOutcome> {
  const body = JSON.parse(m.body) as SlackApiBody;
  const { threads, now } = options;
  const save = (t: Omit<SlackThread, "destination" | "stream" | "updatedAt">) =>
    threads.saveSlackThread(
      { ...t, destination: dest.name, stream: m.stream, updatedAt: now() },
      now() - THREAD_KEEP_MS,
    );
  const post = async (): Promise<SlackOutcome> => {
    const answer = await call(
      dest,
      "chat.postMessage",
      {
        channel: dest.channel,
        text: body.text,
        blocks: body.blocks,
      },
      options,
    );
    if (answer.kind === "aborted" || answer.kind === "retry" || answer.kind === "dead")
      return answer;
    if (answer.kind === "missing") return { kind: "dead", reason: answer.reason };
    await save({
      channel: answer.channel,
      ts: answer.ts,
      messageId: m.id,
      step: "done",
      state: m.state,
    });
    return { kind: "delivered" };
  };

  const thread = await threads.slackThread(dest.name, m.stream);
  if (!thread) return post();
  if (thread.messageId === m.id && thread.step === "done") return { kind: "delivered" };
  const reopened = thread.state === "resolved" && m.state === "firing" && thread.messageId !== m.id;
  if (reopened) return post();
  if (!(thread.messageId === m.id && thread.step === "updated")) {
    const answer = await call(
      dest,
      "chat.update",
      {
        channel: thread.channel,
        ts: thread.ts,
        text: body.text,
        blocks: body.blocks,
      },
      options,
    );
    if (answer.kind === "missing") return post();
    if (answer.kind !== "ok") return answer;
    await save({
      channel: thread.channel,
      ts: thread.ts,
      messageId: m.id,
      step: "updated",
      state: m.state,
    });
  }
  const reply = await call(
    dest,
    "chat.postMessage",
    {
      channel: thread.channel,
      thread_ts: thread.ts,
      text: body.reply,
    },
    options,
  );
  if (reply.kind === "missing") return { kind: "dead", reason: reply.reason };
  if (reply.kind !== "ok") return reply;
  await save({
    channel: thread.channel,
    ts: thread.ts,
    messageId: m.id,
    step: "done",
    state: m.state,
  });
  return { kind: "delivered" };
}

/** One Web API call: JSON body, the bot token as a Bearer header. */
async function call(
  dest: SlackApiDestination,
  method: "chat.postMessage" | "chat.update",
  args: Record<string, unknown>,
  options: SlackApiOptions,
): Promise<SlackAnswer | { kind: "aborted" }> {
  const base = dest.url.endsWith("/") ? dest.url : `${dest.url}/`;
  const result = await postJson(new URL(method, base).toString(), JSON.stringify(args), {
    timeoutMs: options.timeoutMs,
    allow: options.allow,
    headers: {
      "content-type": "application/json; charset=utf-8",
      authorization: `Bearer ${dest.token}`,
    },
    signal: options.signal,
    readBody: true,
  });
  if (options.signal.aborted) return { kind: "aborted" };
  return judgeSlack(method, result);
}
