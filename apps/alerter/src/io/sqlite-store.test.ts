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
