import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startAlerter } from "../../src/alerter.ts";
import { parseConfig } from "../../src/config.ts";
import { FakeSlack } from "../_slack.ts";
import { quietLogger, scenario, sendEvents, tempDir, waitFor } from "../helpers.ts";
import { clusterConfig, INGEST_SECRET } from "./cluster-config.ts";
import { hasRedis, RedisServer } from "./redis-server.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const TOKEN = "xoxb-1111-2222-test";
const CHANNEL = "C0123456789";

describe.skipIf(!hasRedis)("Slack Web API destination in Redis mode", () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await RedisServer.start();
  });
  afterAll(() => server?.destroy());

  it("edits the message another node posted, found by the ts kept in Redis", async () => {
    const slack = await FakeSlack.start(TOKEN, [CHANNEL]);
    cleanups.push(() => slack.close());
    const config = parseConfig({
      ...clusterConfig("http://127.0.0.1:1", server.url, "slack"),
      destinations: [
        { name: "slack", type: "slack-api", url: slack.url, token: TOKEN, channel: CHANNEL },
      ],
    });
    const node = async (id: string) => {
      const tmp = tempDir();
      const alerter = await startAlerter({
        config,
        dataDir: tmp.dir,
        logger: quietLogger(),
        port: 0,
        host: "127.0.0.1",
        nodeId: id,
      });
      const close = async () => {
        await alerter.close();
        tmp.cleanup();
      };
      cleanups.push(close);
      return { alerter, close };
    };
    const a = await node("a");
    await waitFor(() => a.alerter.redis?.leading, "a leads");
    await sendEvents(a.alerter.url, INGEST_SECRET, [...scenario.baseline(), ...scenario.spike()]);
    await waitFor(() => slack.calls.length === 1, "the first post", 60_000);
    await waitFor(
      async () => (await a.alerter.store.counts()).delivered === 1,
      "the post recorded",
    );
    await a.close();

    // A node with an empty data directory: only Redis knows the message.
    const b = await node("b");
    await waitFor(() => b.alerter.redis?.leading, "b leads", 60_000);
    await sendEvents(b.alerter.url, INGEST_SECRET, scenario.recovery());
    await waitFor(() => slack.calls.length === 3, "update and reply on the other node", 60_000);
    const ts = String(slack.calls[0]!.answer.ts);
    expect(slack.calls.map((c) => [c.method, c.args.ts ?? c.args.thread_ts ?? null])).toEqual([
      ["chat.postMessage", null],
      ["chat.update", ts],
      ["chat.postMessage", ts],
    ]);
    expect(slack.topLevel()).toHaveLength(1);
    expect(slack.calls.every((c) => c.answer.ok === true)).toBe(true);
  });
});
