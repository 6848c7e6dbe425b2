import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { SqliteStore } from "./sqlite-store.ts";

const dir = mkdtempSync(join(tmpdir(), "alerter-store-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("SqliteStore.insertEvents", () => {
  it("stores each id once, in order, across chunk boundaries and repeats inside a batch (property)", async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 150 }), { maxLength: 260 }),
        fc.array(fc.integer({ min: 0, max: 150 }), { maxLength: 130 }),
        async (a, b) => {
          const store = new SqliteStore(join(dir, `p${n++}.db`));
          try {
            const ev = (k: number) => ({
              id: `id-${k}`,
              time: k,
              code: 200,
              trunk: k % 2 ? "T1" : undefined,
            });
            const first = await store.insertEvents(a.map(ev), 1);
            const second = await store.insertEvents(b.map(ev), 2);
            const seen = new Set<number>();
            const expected: number[] = [];
            let dup = 0;
            for (const k of [...a, ...b]) {
              if (seen.has(k)) dup++;
              else {
                seen.add(k);
                expected.push(k);
              }
            }
            const got = [...first.inserted, ...second.inserted];
            expect(got.map((e) => e.id)).toEqual(expected.map((k) => `id-${k}`));
            expect(first.duplicates + second.duplicates).toBe(dup);
            const seqs = got.map((e) => e.seq);
            expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
            const replay = await store.eventsAfter(0, 10_000);
            expect(replay.map((e) => [e.seq, e.id, e.trunk])).toEqual(
              got.map((e) => [e.seq, e.id, e.trunk]),
            );
          } finally {
            await store.close();
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe("SqliteStore outbox streams", () => {
  const state = { snapshot: null, lastSeq: 0, groups: [] };
  const msg = (id: string, stream: string, st: "firing" | "resolved", at: number, dest = "d") => ({
    id,
    notificationId: `n-${id}`,
    destination: dest,
    kind: "webhook",
    stream: `${dest}|${stream}`,
    state: st,
    body: "{}",
    createdAt: at,
    deadline: at + 1e6,
  });

  it("offers only the oldest pending message of each stream, and the next once it is delivered or dead", async () => {
    const store = new SqliteStore(join(dir, "streams.db"));
    try {
      await store.commit(state, [msg("f1", "k1", "firing", 1), msg("f2", "k2", "firing", 1)], 0);
      await store.commit(
        state,
        [msg("r1", "k1", "resolved", 2), msg("r2", "k2", "resolved", 2)],
        0,
      );
      // A retry pushes the trigger of k1 later than its resolve: the resolve still waits.
      await store.markRetry("f1", 100, "503", 503);
      expect((await store.due(50, 10)).map((m) => m.id)).toEqual(["f2"]);
      expect(await store.nextDue()).toBe(1);
      await store.markDelivered("f2", 3, 200);
      expect((await store.due(50, 10)).map((m) => m.id)).toEqual(["r2"]);
      expect((await store.due(100, 10)).map((m) => m.id)).toEqual(["r2", "f1"]);
      expect((await store.due(100, 10, { streams: ["d|k1"] })).map((m) => m.id)).toEqual(["r2"]);
      expect((await store.due(100, 10, { destinations: ["d"] })).map((m) => m.id)).toEqual([]);
      await store.markDead("f1", 101, "410", 410);
      expect((await store.due(100, 10)).map((m) => m.id)).toEqual(["r1", "r2"]);
    } finally {
      await store.close();
    }
  });

  it("supersedes the newest run of undelivered messages announcing the same state, never across a change", async () => {
    const store = new SqliteStore(join(dir, "supersede.db"));
    try {
      await store.commit(state, [msg("a", "k", "firing", 1)], 0);
      await store.commit(state, [msg("b", "k", "resolved", 2)], 0);
      await store.commit(state, [msg("c", "k", "firing", 3)], 0);
      await store.commit(state, [msg("d", "k", "firing", 4)], 0);
      await store.commit(state, [msg("x", "other", "firing", 4)], 0);
      const pending = (await store.list("pending", 10)).map((m) => m.id).sort();
      expect(pending).toEqual(["a", "b", "d", "x"]);
      const gone = await store.get("c");
      expect(gone).toMatchObject({ status: "superseded", supersededBy: "d", deadAt: 4 });
      expect((await store.counts()).superseded).toBe(1);
      // Queued again after a restart (same id): nothing changes.
      await store.commit(state, [msg("d", "k", "firing", 4)], 0);
      expect((await store.counts()).pending).toBe(4);
      // An attempt that was in flight when it was superseded still records its delivery.
      await store.markDelivered("c", 5, 200);
      expect((await store.get("c"))?.status).toBe("delivered");
    } finally {
      await store.close();
    }
  });

  it("migrates an outbox written before streams: each old message is a stream of its own", async () => {
    const file = join(dir, "old.db");
    const Database = (await import("better-sqlite3")).default;
    const old = new Database(file);
    old.exec(`CREATE TABLE outbox (id TEXT PRIMARY KEY, notification_id TEXT NOT NULL, destination TEXT NOT NULL,
      kind TEXT NOT NULL, body TEXT NOT NULL, created_at INTEGER NOT NULL, deadline INTEGER NOT NULL,
      status TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL,
      last_error TEXT, last_status INTEGER, delivered_at INTEGER, dead_at INTEGER)`);
    const ins = old.prepare(
      "INSERT INTO outbox (id, notification_id, destination, kind, body, created_at, deadline, next_attempt_at) VALUES (?, 'n', 'd', 'webhook', '{}', 1, 999, 1)",
    );
    ins.run("old1");
    ins.run("old2");
    old.close();
    const store = new SqliteStore(file);
    try {
      expect((await store.due(10, 10)).map((m) => [m.id, m.stream])).toEqual([
        ["old1", "d|old1"],
        ["old2", "d|old2"],
      ]);
    } finally {
      await store.close();
    }
  });
});
