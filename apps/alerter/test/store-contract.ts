import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Silence } from "../src/domain/silence.ts";
import type { EventStore, NewMessage, Outbox } from "../src/io/store.ts";

export type ContractStore = EventStore & Outbox;

/** Opens a fresh, empty store that may commit (for Redis: a fenced view holding the lease). */
export type OpenStore = () => Promise<ContractStore>;

const message = (id: string, createdAt: number, over: Partial<NewMessage> = {}): NewMessage => ({
  id,
  notificationId: `n-${id}`,
  destination: "ops",
  kind: "webhook",
  stream: `ops|${id}`,
  state: "firing",
  body: JSON.stringify({ id }),
  createdAt,
  deadline: createdAt + 60_000,
  ...over,
});

const state = (lastSeq: number) => ({ snapshot: null, lastSeq, groups: [] });

async function using<T>(open: OpenStore, f: (s: ContractStore) => Promise<T>): Promise<T> {
  const store = await open();
  try {
    return await f(store);
  } finally {
    await store.close();
  }
}

/**
 * What every store behind `EventStore` and `Outbox` must do, run against
 * SQLite and against Redis. Each test opens its own empty store.
 */
export function storeContract(
  name: string,
  open: OpenStore,
  options: { propertyRuns?: number } = {},
): void {
  describe(`${name}: store contract`, () => {
    it("stores each id once, in order, across chunk boundaries and repeats inside a batch (property)", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.integer({ min: 0, max: 150 }), { maxLength: 260 }),
          fc.array(fc.integer({ min: 0, max: 150 }), { maxLength: 130 }),
          (a, b) =>
            using(open, async (store) => {
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
            }),
        ),
        { numRuns: options.propertyRuns ?? 25 },
      );
    });

    it("reads the log after a seq, in pages, with every field back", () =>
      using(open, async (store) => {
        const events = Array.from({ length: 30 }, (_, i) => ({
          id: `e${i}`,
          time: 1000 + i,
          code: i % 2 ? 603 : 200,
          direction: "inbound" as const,
          customer: `c${i % 3}`,
        }));
        const { inserted } = await store.insertEvents(events, 5);
        const page = await store.eventsAfter(inserted[9]!.seq, 5);
        expect(page.map((e) => e.id)).toEqual(["e10", "e11", "e12", "e13", "e14"]);
        expect(page[0]).toEqual({ ...events[10], seq: inserted[10]!.seq });
        expect(await store.eventsAfter(inserted[29]!.seq, 5)).toEqual([]);
      }));

    it("commits state and messages together, keeps the log after lastSeq, and ignores a message id committed twice", () =>
      using(open, async (store) => {
        const { inserted } = await store.insertEvents(
          Array.from({ length: 10 }, (_, i) => ({ id: `x${i}`, time: i, code: 200 })),
          1,
        );
        const groups = [{ key: "g" }] as never;
        await store.commit(
          { snapshot: null, lastSeq: inserted[4]!.seq, groups },
          [message("m1", 10)],
          0,
        );
        await store.commit(state(inserted[4]!.seq), [message("m1", 10, { body: "changed" })], 0);
        const saved = await store.loadState();
        expect(saved.lastSeq).toBe(inserted[4]!.seq);
        expect(saved.groups).toEqual([]);
        expect((await store.eventsAfter(saved.lastSeq, 100)).map((e) => e.id)).toEqual([
          "x5",
          "x6",
          "x7",
          "x8",
          "x9",
        ]);
        const m = await store.get("m1");
        expect(m).toMatchObject({
          status: "pending",
          attempts: 0,
          body: JSON.stringify({ id: "m1" }),
        });
        expect(await store.counts()).toEqual({ pending: 1, delivered: 0, dead: 0, superseded: 0 });
      }));

    it("an empty store loads as nothing saved", () =>
      using(open, async (store) => {
        expect(await store.loadState()).toEqual({ snapshot: null, lastSeq: 0, groups: [] });
        expect(await store.nextDue()).toBeNull();
      }));

    it("moves messages through retry, delivered, dead and replay, and only from the right status", () =>
      using(open, async (store) => {
        await store.commit(state(0), [message("a", 100), message("b", 200), message("c", 300)], 0);
        expect(await store.nextDue()).toBe(100);
        const due = await store.due(250, 10);
        expect(due.map((m) => m.id)).toEqual(["a", "b"]);

        await store.markRetry("a", 5000, "HTTP 503", 503);
        expect(await store.get("a")).toMatchObject({
          status: "pending",
          attempts: 1,
          nextAttemptAt: 5000,
          lastError: "HTTP 503",
          lastStatus: 503,
        });
        await store.markDelivered("b", 260, 200);
        expect(await store.get("b")).toMatchObject({
          status: "delivered",
          attempts: 1,
          deliveredAt: 260,
          lastStatus: 200,
          lastError: null,
        });
        await store.markDead("c", 400, "HTTP 410", 410);
        expect(await store.get("c")).toMatchObject({
          status: "dead",
          deadAt: 400,
          lastStatus: 410,
        });
        // A delivered or dead message is not marked again.
        await store.markRetry("b", 9000, "late", null);
        expect((await store.get("b"))?.status).toBe("delivered");
        expect(await store.counts()).toEqual({ pending: 1, delivered: 1, dead: 1, superseded: 0 });
        expect((await store.list("dead", 10)).map((m) => m.id)).toEqual(["c"]);
        expect(await store.due(4999, 10)).toEqual([]);

        expect(await store.replay("b", 500, 90_000)).toBe(false);
        expect(await store.replay("c", 500, 90_000)).toBe(true);
        expect(await store.get("c")).toMatchObject({
          status: "pending",
          nextAttemptAt: 500,
          deadline: 90_000,
          deadAt: null,
        });
        expect((await store.due(600, 10)).map((m) => m.id)).toEqual(["c"]);
        expect(await store.get("nope")).toBeUndefined();
      }));

    it("lists messages newest first, up to the limit", () =>
      using(open, async (store) => {
        await store.commit(state(0), [message("old", 1), message("mid", 2), message("new", 3)], 0);
        expect((await store.list("pending", 2)).map((m) => m.id)).toEqual(["new", "mid"]);
      }));

    it("keeps silences, hides expired ones unless asked, and expires one by id", () =>
      using(open, async (store) => {
        const s = (id: string, startsAt: number, endsAt: number): Silence => ({
          id,
          matchers: [{ name: "trunk", value: "T1", op: "=" }],
          startsAt,
          endsAt,
          createdBy: "ops",
          comment: "maintenance",
          createdAt: startsAt,
        });
        await store.addSilence(s("s2", 20, 100));
        await store.addSilence(s("s1", 10, 50));
        expect((await store.listSilences(60, false)).map((x) => x.id)).toEqual(["s2"]);
        expect((await store.listSilences(60, true)).map((x) => x.id)).toEqual(["s1", "s2"]);
        expect(await store.listSilences(60, false)).toEqual([s("s2", 20, 100)]);
        expect(await store.expireSilence("s2", 70)).toBe(true);
        expect(await store.expireSilence("missing", 70)).toBe(false);
        expect(await store.listSilences(70, false)).toEqual([]);
      }));
  });

  describe(`${name}: outbox streams`, () => {
    const state = { snapshot: null, lastSeq: 0, groups: [] };
    const msg = (
      id: string,
      stream: string,
      st: "firing" | "resolved",
      at: number,
      dest = "d",
    ) => ({
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
      const store = await open();
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
      const store = await open();
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

    it("names the newer message a stream delivered after a dead letter, and supersedes the replayed letter by it", async () => {
      const store = await open();
      try {
        await store.commit(state, [msg("t1", "k", "firing", 1), msg("q", "calm", "firing", 1)], 0);
        await store.commit(state, [msg("r1", "k", "resolved", 2)], 0);
        await store.markDead("t1", 3, "410", 410);
        expect(await store.newerDelivered!("t1")).toBeNull(); // r1 is not delivered yet
        await store.markDelivered("r1", 4, 200);
        expect(await store.newerDelivered!("t1")).toBe("r1");
        expect(await store.newerDelivered!("r1")).toBeNull();
        expect(await store.newerDelivered!("q")).toBeNull();
        expect(await store.newerDelivered!("nope")).toBeNull();
        expect(await store.replay("t1", 5, 1e6)).toBe(true);
        expect((await store.due(10, 10)).map((m) => m.id).sort()).toEqual(["q", "t1"]);
        await store.markSuperseded!("t1", "r1", 6);
        expect(await store.get("t1")).toMatchObject({
          status: "superseded",
          supersededBy: "r1",
          deadAt: 6,
        });
        expect((await store.due(10, 10)).map((m) => m.id)).toEqual(["q"]);
        expect(await store.counts()).toEqual({ pending: 1, delivered: 1, dead: 0, superseded: 1 });
        // Only a pending message is superseded.
        await store.markSuperseded!("r1", "t1", 7);
        expect((await store.get("r1"))?.status).toBe("delivered");
      } finally {
        await store.close();
      }
    });
  });
}
