import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Alerter, startAlerter } from "../../src/alerter.ts";
import { type AlerterConfigInput, ConfigError, parseConfig } from "../../src/config.ts";
import type { NotificationPayload } from "../../src/domain/notification.ts";
import {
  e2eConfig,
  quietLogger,
  Receiver,
  scenario,
  sendEvents,
  startTestAlerter,
  tempDir,
  waitFor,
} from "../helpers.ts";
import { hasRedis, RedisServer } from "./redis-server.ts";

export const INGEST_SECRET = `whsec_${Buffer.from("ingest-secret-shared-by-nodes!!!").toString("base64")}`;

/** e2eConfig plus what Redis mode needs: shared secrets and the store. */
export function clusterConfig(
  receiverUrl: string,
  redisUrl: string,
  prefix: string,
): AlerterConfigInput {
  return {
    ...e2eConfig(receiverUrl),
    ingest: { secret: INGEST_SECRET, tokens: ["ingest-token-shared-0123456789"] },
    api: { token: "api-token-shared-0123456789" },
    store: { redis: { url: redisUrl, keyPrefix: prefix, leaseMs: 1000, pollMs: 50 } },
  };
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The webhook-ids one uninterrupted single-node (SQLite) run delivers for the standard scenario. */
async function singleNodeIds(): Promise<Set<string>> {
  const tmp = tempDir();
  const receiver = await Receiver.start();
  const { alerter, secrets } = await startTestAlerter(tmp.dir, e2eConfig(receiver.url));
  try {
    await sendEvents(alerter.url, secrets.ingestSecret, [
      ...scenario.baseline(),
      ...scenario.spike(),
      ...scenario.recovery(),
    ]);
    await waitFor(() => receiver.deliveredById().size >= 2, "the single-node notices");
    await new Promise((r) => setTimeout(r, 300));
    return new Set(receiver.deliveredById().keys());
  } finally {
    await alerter.close();
    await receiver.close();
    tmp.cleanup();
  }
}

describe.skipIf(!hasRedis)("three alerter nodes on one redis-server", () => {
  let server: RedisServer;
  let n = 0;
  beforeAll(async () => {
    server = await RedisServer.start();
  });
  afterAll(() => server?.destroy());

  const startNode = async (config: AlerterConfigInput, node: string): Promise<Alerter> => {
    const tmp = tempDir();
    const alerter = await startAlerter({
      config: parseConfig(config),
      dataDir: tmp.dir,
      logger: quietLogger(),
      port: 0,
      host: "127.0.0.1",
      nodeId: node,
    });
    cleanups.push(async () => {
      await alerter.close();
      tmp.cleanup();
    });
    return alerter;
  };

  it("refuses to start in Redis mode without shared secrets, naming each", async () => {
    const config = parseConfig({
      ...e2eConfig("http://127.0.0.1:9"),
      destinations: [{ name: "hook", type: "webhook", url: "http://127.0.0.1:9/x" }],
      store: { redis: { url: server.url } },
    });
    const started = startAlerter({
      config,
      dataDir: tempDir().dir,
      logger: quietLogger(),
      port: 0,
    });
    await expect(started).rejects.toBeInstanceOf(ConfigError);
    await expect(started).rejects.toThrow(
      /ingest\.secret[\s\S]*ingest\.tokens[\s\S]*api\.token[\s\S]*destinations\[0\]\.secret/,
    );
  });

  it("takes events through any node, evaluates on one, and delivers the single-node set of webhook-ids after the evaluator leaves", async () => {
    const expected = await singleNodeIds();
    expect(expected.size).toBe(2);
    const receiver = await Receiver.start();
    cleanups.push(() => receiver.close());
    const config = clusterConfig(receiver.url, server.url, `c${n++}`);
    const nodes = await Promise.all(["a", "b", "c"].map((id) => startNode(config, id)));
    const leader = await waitFor(() => nodes.find((x) => x.redis?.leading), "an evaluator");
    expect(nodes.filter((x) => x.redis?.leading)).toHaveLength(1);

    // Batches go round the nodes, as a load balancer would send them.
    const send = async (to: readonly Alerter[], events: readonly object[]) => {
      for (let i = 0, k = 0; i < events.length; i += 500, k++)
        await sendEvents(to[k % to.length]!.url, INGEST_SECRET, events.slice(i, i + 500), 500);
    };
    await send(nodes, [...scenario.baseline(), ...scenario.spike()]);
    await waitFor(() => receiver.deliveredById().size >= 1, "the firing notice", 60_000);

    // The evaluator leaves; another node takes the lease and resolves the same incident.
    await leader.close();
    const rest = nodes.filter((x) => x !== leader);
    const next = await waitFor(() => rest.find((x) => x.redis?.leading), "a new evaluator");
    await send(rest, scenario.recovery());
    await waitFor(() => receiver.deliveredById().size >= 2, "the resolved notice", 60_000);
    await new Promise((r) => setTimeout(r, 500));

    const got = receiver.deliveredById();
    expect(new Set(got.keys())).toEqual(expected);
    for (const list of got.values()) expect(new Set(list.map((r) => r.body)).size).toBe(1);
    const statuses = [...got.values()].map(
      (l) => (JSON.parse(l[0]!.body) as NotificationPayload).status,
    );
    expect(statuses.sort()).toEqual(["firing", "resolved"]);
    const health = (await (await fetch(`${next.url}/healthz`)).json()) as { role: string };
    expect(health.role).toBe("evaluator");
  });
});
