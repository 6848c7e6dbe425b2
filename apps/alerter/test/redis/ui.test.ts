import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Alerter, startAlerter } from "../../src/alerter.ts";
import { parseConfig } from "../../src/config.ts";
import { quietLogger, Receiver, scenario, sendEvents, tempDir, waitFor } from "../helpers.ts";
import { clusterConfig, INGEST_SECRET } from "./cluster-config.ts";
import { hasRedis, RedisServer } from "./redis-server.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const TOKEN = "api-token-shared-0123456789";
const FORM = "application/x-www-form-urlencoded";

describe.skipIf(!hasRedis)("the status page in Redis mode", () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await RedisServer.start();
  });
  afterAll(() => server?.destroy());

  it("shows the shared outbox, silences and the committed incident on every node, and the sparklines on the evaluator", async () => {
    const receiver = await Receiver.start();
    cleanups.push(() => receiver.close());
    const config = parseConfig(clusterConfig(receiver.url, server.url, "ui"));
    const nodes: Alerter[] = [];
    for (const node of ["a", "b"]) {
      const tmp = tempDir();
      const alerter = await startAlerter({
        config,
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
      nodes.push(alerter);
    }
    const leader = await waitFor(() => nodes.find((x) => x.redis?.leading), "an evaluator");
    const standby = nodes.find((x) => x !== leader)!;
    await sendEvents(standby.url, INGEST_SECRET, [...scenario.baseline(), ...scenario.spike()]);
    await waitFor(() => receiver.deliveredById().size >= 1, "the firing notice", 60_000);

    // One login serves every node: the session key comes from the shared management token.
    const login = await fetch(`${standby.url}/ui/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": FORM },
      body: new URLSearchParams({ token: TOKEN }).toString(),
    });
    expect(login.status).toBe(303);
    const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
    const page = (node: Alerter, path: string) =>
      fetch(`${node.url}${path}`, { headers: { cookie } }).then(async (r) => {
        expect(r.status, `${path} on ${node.url}`).toBe(200);
        return r.text();
      });

    const onLeader = await page(leader, "/ui");
    expect(onLeader).toContain('sip-603 on <span class="mono">trunk:T1</span>');
    expect(onLeader).toMatch(/<path class="rate" d="M[\d.]+ [\d.]+L/);
    // The standby shows the incident the evaluator committed (without the evaluator's sparklines).
    const onStandby = await page(standby, "/ui");
    expect(onStandby).toMatch(/This node is a standby/);
    expect(onStandby).toContain('sip-603 on <span class="mono">trunk:T1</span>');
    for (const node of nodes) {
      expect(await page(node, "/ui/notifications")).toMatch(
        /hook<\/td><td>[^<]+<\/td><td class="state state-firing">firing<\/td><td class="state state-delivered">delivered/,
      );
    }

    // A silence made on the standby's page is in the shared store, listed by the evaluator.
    const silencesPage = await page(standby, "/ui/silences");
    const csrf = /name="csrf" value="([^"]+)"/.exec(silencesPage)![1]!;
    const made = await fetch(`${standby.url}/ui/silences`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": FORM, cookie },
      body: new URLSearchParams({
        csrf,
        "m0.name": "trunk",
        "m0.op": "=",
        "m0.value": "T1",
        duration: "60",
        createdBy: "ops",
        comment: "maintenance",
      }).toString(),
    });
    expect(made.status).toBe(303);
    const id = /created=(sil_[0-9a-f-]+)/.exec(made.headers.get("location")!)![1]!;
    const listed = (await (
      await fetch(`${leader.url}/v1/silences`, { headers: { authorization: `Bearer ${TOKEN}` } })
    ).json()) as { silences: { id: string }[] };
    expect(listed.silences.map((s) => s.id)).toEqual([id]);
    expect(await page(leader, "/ui/silences")).toContain(`data-silence="${id}"`);
  }, 120_000);
});
