import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import type { NotificationPayload } from "../../src/domain/notification.ts";
import { Receiver, scenario, sendEvents, tempDir, waitFor } from "../helpers.ts";
import { clusterConfig, INGEST_SECRET, singleNodeIds } from "./cluster-config.ts";
import { ensureBuilt, kill, type Node, pidOfLocalPort, spawnNode } from "./processes.ts";
import { hasRedis, RedisServer } from "./redis-server.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Health {
  role?: string;
}

const roleOf = async (n: Node): Promise<string | undefined> => {
  try {
    const res = await fetch(`${await n.url}/healthz`);
    return ((await res.json()) as Health).role;
  } catch {
    return undefined;
  }
};

const alive = (n: Node) => n.process.exitCode === null && n.process.signalCode === null;

async function evaluatorOf(nodes: readonly Node[], not?: Node): Promise<Node> {
  return waitFor(
    async () => {
      for (const n of nodes)
        if (n !== not && alive(n) && (await roleOf(n)) === "evaluator") return n;
      return undefined;
    },
    "an evaluator",
    30_000,
  );
}

/** Posts batches round the live nodes; a batch answered 503 (or refused) is sent again elsewhere. */
async function send(nodes: readonly Node[], events: readonly object[]): Promise<void> {
  for (let i = 0, k = 0; i < events.length; i += 500) {
    const batch = events.slice(i, i + 500);
    for (let tries = 0; ; tries++, k++) {
      const live = nodes.filter(alive);
      const n = live[k % live.length]!;
      try {
        await sendEvents(await n.url, INGEST_SECRET, batch, 500);
        k++;
        break;
      } catch (error) {
        if (tries > 200) throw error;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }
}

describe.skipIf(!hasRedis)(
  "three built alerter processes on one redis-server, under faults",
  () => {
    let server: RedisServer;
    beforeAll(async () => {
      ensureBuilt();
      server = await RedisServer.start();
    }, 180_000);
    afterAll(() => server?.destroy());

    it("kill -9 of a delivery worker mid-POST and of the evaluator, a SIGSTOP past the lease, and a Redis restart lose and add no page", async () => {
      const expected = await singleNodeIds();
      const tmp = tempDir();
      cleanups.push(tmp.cleanup);
      const receiver = await Receiver.start();
      cleanups.push(() => receiver.close());
      // The very first attempt is held open: its sender is killed mid-POST.
      receiver.behave = (_r, i) => (i === 0 ? "hold" : { status: 200 });
      const configFile = join(tmp.dir, "alerter.yaml");
      const config = clusterConfig(receiver.url, server.url, "faults");
      writeFileSync(configFile, stringify(config));
      const nodes: Node[] = ["a", "b", "c"].map((name) =>
        spawnNode(name, join(tmp.dir, name), configFile, server.url),
      );
      cleanups.push(() => Promise.all(nodes.map((n) => kill(n))).then(() => undefined));
      await Promise.all(nodes.map((n) => n.url));
      const first = await evaluatorOf(nodes);

      await send(nodes, [...scenario.baseline(), ...scenario.spike()]);
      const held = await waitFor(() => receiver.requests[0], "the first attempt, held");
      const pids = nodes.map((n) => n.process.pid!);
      const senderPid = pidOfLocalPort(held.port!, pids);
      expect(senderPid).toBeDefined();
      const sender = nodes.find((n) => n.process.pid === senderPid)!;
      await kill(sender); // a delivery worker dies mid-POST
      if (sender !== first) await kill(first); // and the evaluator dies too
      // Which node's worker took the held job is up to BullMQ: when it was not the evaluator, two
      // nodes are gone now. A replacement joins, as an operator's supervisor would start one, so
      // at least two live nodes remain for the lease hand-over below, whichever node held the POST.
      const replacement = spawnNode("d", join(tmp.dir, "d"), configFile, server.url);
      nodes.push(replacement);
      await replacement.url;
      expect(nodes.filter(alive).length).toBeGreaterThanOrEqual(2);

      // The held message comes back from another node, same id and body, once its BullMQ job lock
      // runs out (the stalled check hands the job to a live worker).
      const again = await waitFor(
        () => receiver.deliveredById().get(String(held.headers["webhook-id"])),
        "the held message delivered by another node",
        60_000,
      );
      expect(again[0]!.body).toBe(held.body);

      // Pause the evaluator past its lease; another node takes over.
      const second = await evaluatorOf(nodes);
      second.process.kill("SIGSTOP");
      const paused = second;
      cleanups.push(() => {
        paused.process.kill("SIGCONT");
      });
      const third = await evaluatorOf(nodes, second);
      expect(third).not.toBe(second);

      // Redis restarts (AOF): ingest answers 503 while it is down.
      await server.stop("SIGKILL");
      const down = await fetch(`${await third.url}/v1/events`, {
        method: "POST",
        headers: {
          authorization: "Bearer ingest-token-shared-0123456789",
          "content-type": "application/x-ndjson",
        },
        body: JSON.stringify({ id: "during-outage", time: 1, code: 200 }),
      });
      expect(down.status).toBe(503);
      expect(down.headers.get("retry-after")).toBe("1");
      await server.start();

      // The paused node wakes up believing it leads: its commits are refused.
      second.process.kill("SIGCONT");
      await send([third, second], scenario.recovery());
      await waitFor(() => receiver.deliveredById().size >= expected.size, "every notice", 90_000);
      await new Promise((r) => setTimeout(r, 1500));

      const got = receiver.deliveredById();
      expect(new Set(got.keys())).toEqual(expected);
      for (const id of got.keys()) {
        const bodies = new Set(
          receiver.requests.filter((r) => r.headers["webhook-id"] === id).map((r) => r.body),
        );
        expect(bodies.size).toBe(1); // any repeat carries the same body
      }
      const statuses = [...got.values()].map(
        (l) => (JSON.parse(l[0]!.body) as NotificationPayload).status,
      );
      expect(statuses.sort()).toEqual(["firing", "resolved"]);
      // The node paused past its lease stepped down instead of committing.
      expect(second.log.some((l) => l.includes("stepped down as the evaluator"))).toBe(true);
    }, 240_000);

    it.each(["crash-before-commit", "crash-after-commit"])(
      "the evaluator killed (-9) at %s: the next one sends exactly the single-node set",
      async (fault) => {
        const expected = await singleNodeIds();
        const tmp = tempDir();
        cleanups.push(tmp.cleanup);
        const receiver = await Receiver.start();
        cleanups.push(() => receiver.close());
        const configFile = join(tmp.dir, "alerter.yaml");
        writeFileSync(configFile, stringify(clusterConfig(receiver.url, server.url, fault)));
        // Node a starts alone, so it is the evaluator, and carries the fault.
        const a = spawnNode("a", join(tmp.dir, "a"), configFile, server.url, {
          SIPCODES_FAULT: fault,
        });
        const nodes = [a];
        cleanups.push(() => Promise.all(nodes.map((n) => kill(n))).then(() => undefined));
        await a.url;
        expect(await evaluatorOf(nodes)).toBe(a);
        for (const name of ["b", "c"])
          nodes.push(spawnNode(name, join(tmp.dir, name), configFile, server.url));
        await Promise.all(nodes.map((n) => n.url));

        await send(nodes, [...scenario.baseline(), ...scenario.spike(), ...scenario.recovery()]);
        await waitFor(() => receiver.deliveredById().size >= expected.size, "every notice", 90_000);
        await new Promise((r) => setTimeout(r, 1500));
        expect(a.process.signalCode).toBe("SIGKILL"); // the fault did fire
        // Another node took over after the crash.
        expect(
          nodes.slice(1).some((n) => n.log.some((l) => l.includes("became the evaluator"))),
        ).toBe(true);
        const got = receiver.deliveredById();
        expect(new Set(got.keys())).toEqual(expected);
        for (const id of got.keys()) {
          const bodies = new Set(
            receiver.requests.filter((r) => r.headers["webhook-id"] === id).map((r) => r.body),
          );
          expect(bodies.size).toBe(1);
        }
      },
      180_000,
    );
  },
);
