import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { storeContract } from "../../test/store-contract.ts";
import { SqliteStore } from "./sqlite-store.ts";

const dir = mkdtempSync(join(tmpdir(), "alerter-store-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
storeContract("SqliteStore", async () => new SqliteStore(join(dir, `s${n++}.db`)));

describe("SqliteStore migrations", () => {
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

describe("SqliteStore seqs and checkpoints", () => {
  const events = (from: number, n: number) =>
    Array.from({ length: n }, (_, i) => ({ id: `q${from + i}`, time: from + i, code: 200 }));

  it("never hands out a seq again, even after the log was forgotten down to nothing and the file reopened", async () => {
    const file = join(dir, "seqs.db");
    let store = new SqliteStore(file);
    const first = (await store.insertEvents(events(0, 120), 1)).inserted;
    const last = first.at(-1)!.seq;
    // Everything counted and older than the horizon: the table is emptied.
    await store.commit({ snapshot: null, lastSeq: last, groups: [] }, [], 10);
    expect(await store.eventsAfter(0, 1000)).toEqual([]);
    await store.close();
    store = new SqliteStore(file);
    try {
      const again = (await store.insertEvents(events(1000, 3), 20)).inserted;
      expect(again.map((e) => e.seq)).toEqual([last + 1, last + 2, last + 3]);
      // A chunk of 50 with ids seen before keeps the others, each with the seq it reads back as.
      const mixed = [...events(1000, 3), ...events(2000, 47)];
      const r = await store.insertEvents(mixed, 20);
      expect(r.duplicates).toBe(3);
      expect(r.inserted.map((e) => e.id)).toEqual(events(2000, 47).map((e) => e.id));
      const back = await store.eventsAfter(last + 3, 100);
      expect(back.map((e) => [e.seq, e.id])).toEqual(r.inserted.map((e) => [e.seq, e.id]));
    } finally {
      await store.close();
    }
  });

  it("checkpoints the WAL into the database file from its own thread", async () => {
    const file = join(dir, "ckpt.db");
    const { statSync } = await import("node:fs");
    const store = new SqliteStore(file);
    try {
      const before = statSync(file).size;
      // A few hundred pages: far under the writer's own automatic checkpoint (10,000 pages).
      for (let b = 0; b < 20; b++) await store.insertEvents(events(b * 1000, 1000), 1);
      const deadline = Date.now() + 10_000;
      while (statSync(file).size <= before + 500_000 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      expect(statSync(file).size).toBeGreaterThan(before + 500_000);
    } finally {
      await store.close();
    }
  });
});
