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
