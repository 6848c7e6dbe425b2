import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { Receiver, scenario, sendEvents, tempDir, waitFor } from "../helpers.ts";
import { clusterConfig, INGEST_SECRET } from "./cluster-config.ts";
import { DIST, ensureBuilt, kill, type Node, spawnNode } from "./processes.ts";
import { hasRedis, RedisServer } from "./redis-server.ts";

const API = "api-token-shared-0123456789";
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const get = async (n: Node, path: string) => {
  const res = await fetch(`${await n.url}${path}`, {
    headers: { authorization: `Bearer ${API}` },
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

interface Alerts {
  active: { rule: string; scope: { key: string }; state: string }[];
  groups: unknown[];
  incidents: { id: string; status: string }[];
  role?: string;
  source?: string;
  leader?: string | null;
  lastEvaluation?: string | null;
}

const alerts = async (n: Node) => (await get(n, "/v1/alerts")).body as unknown as Alerts;
const roleOf = async (n: Node) => (await get(n, "/healthz")).body.role;

/** The alert gauge of `state` in a node's /metrics. */
async function gauge(n: Node, state: string): Promise<number | undefined> {
  const text = await (await fetch(`${await n.url}/metrics`)).text();
  const line = text
    .split("\n")
    .find((l) => l.startsWith(`sipcodes_alerter_alerts{state="${state}"}`));
  return line === undefined ? undefined : Number(line.split(" ").at(-1));
}

describe.skipIf(!hasRedis)("what a node that does not evaluate shows (two built processes)", () => {
  let server: RedisServer;
  beforeAll(async () => {
    ensureBuilt();
    server = await RedisServer.start();
  }, 180_000);
  afterAll(() => server?.destroy());

  it("answers /v1/alerts, /healthz, /metrics and the status page from the evaluator's committed state, names the evaluator, and refuses to evaluate", async () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    const receiver = await Receiver.start();
    cleanups.push(() => receiver.close());
    const configFile = join(tmp.dir, "alerter.yaml");
    writeFileSync(configFile, stringify(clusterConfig(receiver.url, server.url, "view")));
    const a = spawnNode("node-a", join(tmp.dir, "a"), configFile, server.url);
    const nodes = [a];
    cleanups.push(() => Promise.all(nodes.map((n) => kill(n))).then(() => undefined));
    await a.url;
    await waitFor(async () => (await roleOf(a)) === "evaluator", "node-a evaluating");
    const b = spawnNode("node-b", join(tmp.dir, "b"), configFile, server.url);
    nodes.push(b);
    await b.url;
    expect(await roleOf(b)).toBe("standby");

    // Nothing evaluated yet: an empty list, and the answer says so (no evaluation, which node leads).
    const before = await alerts(b);
    expect(before).toMatchObject({
      active: [],
      role: "standby",
      source: "committed",
      leader: "node-a",
      lastEvaluation: null,
    });

    const events = [...scenario.baseline(), ...scenario.spike()];
    await sendEvents(await a.url, INGEST_SECRET, events);
    // The evaluator has counted (and evaluated) every event: its answer no longer moves.
    await waitFor(
      async () =>
        Number(((await get(a, "/healthz")).body.stream as { counted?: number })?.counted ?? 0) >=
        events.length,
      "the evaluator through every event",
    );
    const firing = await alerts(a);
    expect(firing.active.some((x) => x.state === "firing")).toBe(true);
    expect(firing.source).toBe("engine");
    expect(firing.incidents.length).toBeGreaterThan(0);

    // The standby shows what the evaluator committed: the same alerts, groups and incidents.
    const seen = await waitFor(async () => {
      const v = await alerts(b);
      return v.lastEvaluation === firing.lastEvaluation ? v : undefined;
    }, "the standby at the evaluator's last evaluation");
    expect(seen.active).toEqual(firing.active);
    expect(seen.groups).toEqual(firing.groups);
    expect(seen.incidents).toEqual(firing.incidents);
    expect(seen).toMatchObject({ role: "standby", source: "committed", leader: "node-a" });

    const [ha, hb] = [(await get(a, "/healthz")).body, (await get(b, "/healthz")).body];
    expect(hb).toMatchObject({
      role: "standby",
      leader: "node-a",
      lastEvaluation: ha.lastEvaluation,
      scopes: ha.scopes,
      warmingUp: ha.warmingUp,
    });
    expect(hb.lastEvaluation).not.toBeNull();

    const firingCount = firing.active.filter((x) => x.state === "firing").length;
    expect(await gauge(a, "firing")).toBe(firingCount);
    await waitFor(
      async () => (await gauge(b, "firing")) === firingCount,
      "the standby's alert gauge at the committed count",
    );

    const page = await fetch(`${await b.url}/ui`, {
      headers: { authorization: `Basic ${Buffer.from(`:${API}`).toString("base64")}` },
    });
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain("node node-a");
    expect(html).not.toContain("No incident is firing");
    for (const i of firing.incidents) expect(html).toContain(i.id);

    // Evaluating is the evaluator's job: the standby refuses and names it.
    const refused = await fetch(`${await b.url}/v1/admin/evaluate`, {
      method: "POST",
      headers: { authorization: `Bearer ${API}`, "content-type": "application/json" },
      body: JSON.stringify({ now: firing.lastEvaluation }),
    });
    expect(refused.status).toBe(409);
    const problem = (await refused.json()) as { code: string; detail: string };
    expect(problem.code).toBe("not_evaluator");
    expect(problem.detail).toContain("node-a");

    // Redis unreachable: the standby says it cannot know, never "no alerts".
    await server.stop();
    const down = await fetch(`${await b.url}/v1/alerts`, {
      headers: { authorization: `Bearer ${API}` },
    });
    expect(down.status).toBe(503);
    expect(down.headers.get("retry-after")).toBe("1");
    expect(((await down.json()) as { code: string }).code).toBe("state_unavailable");
    await server.start();

    // The evaluator dies: the other node takes over and shows the same alerts from its own engine.
    await kill(a);
    await waitFor(async () => (await roleOf(b)) === "evaluator", "node-b evaluating", 30_000);
    const after = await alerts(b);
    expect(after).toMatchObject({ role: "evaluator", source: "engine", leader: "node-b" });
    expect(after.active).toEqual(firing.active);
    expect(after.incidents).toEqual(firing.incidents);
  }, 180_000);

  it("refuses at start-up a warm standby asked for with the event clock, naming both keys", async () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    const configFile = join(tmp.dir, "alerter.yaml");
    const config = clusterConfig("http://127.0.0.1:9", server.url, "refuse");
    writeFileSync(
      configFile,
      stringify({
        ...config,
        evaluation: { clock: "event" },
        store: { redis: { ...config.store?.redis, standby: true } },
      }),
    );
    const child = spawn(process.execPath, [DIST], {
      env: {
        ...process.env,
        PORT: "0",
        SIPCODES_DATA_DIR: join(tmp.dir, "data"),
        SIPCODES_ALERTER_CONFIG: configFile,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const code = await new Promise<number | null>((r) => child.once("exit", r));
    expect(code).toBe(78);
    expect(stderr).toContain("store.redis.standby");
    expect(stderr).toContain("evaluation.clock");
  }, 60_000);
});
