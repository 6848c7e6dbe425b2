import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { storeContract } from "../../test/store-contract.ts";
import { SqliteStore } from "./sqlite-store.ts";

const dir = mkdtempSync(join(tmpdir(), "alerter-store-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
storeContract("SqliteStore", async () => new SqliteStore(join(dir, `s${n++}.db`)));
