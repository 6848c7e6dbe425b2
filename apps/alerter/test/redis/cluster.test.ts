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
  tempDir,
  waitFor,
} from "../helpers.ts";
import { clusterConfig, INGEST_SECRET, singleNodeIds } from "./cluster-config.ts";
import { hasRedis, RedisServer } from "./redis-server.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

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

  it("a silence made through a standby node silences the evaluator's next tick", async () => {
    const receiver = await Receiver.start();
    cleanups.push(() => receiver.close());
    const config = clusterConfig(receiver.url, server.url, `s${n++}`);
    const nodes = await Promise.all(["a", "b", "c"].map((id) => startNode(config, id)));
    const leader = await waitFor(() => nodes.find((x) => x.redis?.leading), "an evaluator");
    const standby = nodes.find((x) => x !== leader)!;
    const api = {
      authorization: "Bearer api-token-shared-0123456789",
      "content-type": "application/json",
    };
    const made = await fetch(`${standby.url}/v1/silences`, {
      method: "POST",
      headers: api,
      body: JSON.stringify({
        matchers: [{ name: "trunk", value: "T1" }],
        startsAt: 0,
        endsAt: Date.UTC(2030, 0, 1),
        createdBy: "ops",
        comment: "maintenance on T1",
      }),
    });
    expect(made.status).toBe(201);
    // Every node lists it (one store).
    const listed = (await (await fetch(`${leader.url}/v1/silences`, { headers: api })).json()) as {
      silences: { id: string }[];
    };
    expect(listed.silences).toHaveLength(1);

    await sendEvents(
      standby.url,
      INGEST_SECRET,
      [...scenario.baseline(), ...scenario.spike()],
      500,
    );
    // The evaluator sees the spike (an alert fires) but sends nothing about a silenced trunk.
    await waitFor(
      () => leader.engine.detector.active().some((a) => a.state === "firing"),
      "the alert firing on the evaluator",
      60_000,
    );
    await new Promise((r) => setTimeout(r, 1500));
    expect(receiver.requests).toHaveLength(0);
  });
});
