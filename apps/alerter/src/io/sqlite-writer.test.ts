import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { storeContract } from "../../test/store-contract.ts";
import { parseEventBody } from "../domain/event.ts";
import { SqliteStore } from "./sqlite-store.ts";
import type { RawBatch } from "./store.ts";

const dir = mkdtempSync(join(tmpdir(), "alerter-writer-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = () => join(dir, `w${n++}.db`);

// Each store starts a thread (under tsx here, about half a second): fewer property runs than the
// in-thread store's 25, which cover the same insert code.
storeContract(
  "SqliteStore with a writer thread",
  async () => new SqliteStore(file(), { writerThread: true }),
  { propertyRuns: 6 },
);

const encode = (text: string): ArrayBuffer => {
  const bytes = new TextEncoder().encode(text);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
};

/** Parses a body as the ingest route does, and the raw batch that goes with it. */
const read = (text: string, ndjson: boolean) => {
  const parsed = parseEventBody(text, ndjson);
  if (!parsed) throw new Error("the test body does not parse");
  const raw: RawBatch = { bytes: encode(text), ndjson };
  return { events: parsed.events, raw };
};

describe("SqliteStore writer thread", () => {
  const bodies: [string, string, boolean][] = [
    [
      "NDJSON, one parse",
      '{"id":"a1","time":1000,"code":603,"trunk":"T1","direction":"inbound"}\n{"id":"a2","time":1001,"code":200,"customer":"c9","phrase":"OK"}\n',
      true,
    ],
    [
      "NDJSON with CRLF, a bad line and an RFC 3339 time",
      '{"id":"b1","time":"2026-01-01T00:00:00Z","code":486}\r\nnot json\r\n{"id":"b2","time":5,"code":500,"reason":"Q.850;cause=41"}\r\n',
      true,
    ],
    [
      "a JSON array",
      '[{"id":"c1","time":7,"code":503},{"id":"c2","time":8,"code":200,"trunk":"T2"}]',
      false,
    ],
    ["one object", '{"id":"d1","time":9,"code":404}', false],
    ["non-ASCII labels", '{"id":"e1","time":10,"code":603,"trunk":"Zürich-Ω"}\n', true],
  ];

  it.each(bodies)(
    "stores what the main thread read from %s, with the same seqs and fields",
    async (_name, text, ndjson) => {
      const here = new SqliteStore(file());
      const there = new SqliteStore(file(), { writerThread: true });
      try {
        const plain = read(text, ndjson);
        const viaRaw = read(text, ndjson);
        const a = await here.insertEvents(plain.events, 42);
        const b = await there.insertEvents(viaRaw.events, 42, viaRaw.raw);
        expect(b).toEqual(a);
        expect(a.inserted.length).toBeGreaterThan(0);
        expect(await there.eventsAfter(0, 100)).toEqual(await here.eventsAfter(0, 100));
      } finally {
        await here.close();
        await there.close();
      }
    },
  );

  it("keeps call order with many batches in flight, repeats across them included", async () => {
    const here = new SqliteStore(file());
    const there = new SqliteStore(file(), { writerThread: true });
    try {
      const batches = Array.from({ length: 24 }, (_, b) =>
        Array.from({ length: 120 }, (_, i) => ({
          id: `id-${(b * 70 + i) % 900}`,
          time: b * 1000 + i,
          code: i % 9 === 0 ? 603 : 200,
        })),
      );
      const expected = [];
      for (const batch of batches) expected.push(await here.insertEvents(batch, 1));
      // Every batch sent before the first answer; half as raw bodies, half as events.
      const got = await Promise.all(
        batches.map((batch, b) => {
          if (b % 2) return there.insertEvents(batch, 1);
          const { events, raw } = read(batch.map((e) => JSON.stringify(e)).join("\n"), true);
          return there.insertEvents(events, 1, raw);
        }),
      );
      expect(got).toEqual(expected);
    } finally {
      await here.close();
      await there.close();
    }
  });

  it("refuses a body that reads as other events than the ones given, and stores none of it", async () => {
    const store = new SqliteStore(file(), { writerThread: true });
    try {
      const { events } = read(
        '{"id":"x1","time":1,"code":200}\n{"id":"x2","time":2,"code":200}',
        true,
      );
      const other = read('{"id":"y1","time":1,"code":200}', true).raw;
      await expect(store.insertEvents(events, 1, other)).rejects.toThrow(/read 1 events/);
      expect(await store.eventsAfter(0, 10)).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it("fails an unreadable batch alone when it shares a transaction with others", async () => {
    const store = new SqliteStore(file(), { writerThread: true });
    try {
      const good = (id: string) => read(`{"id":"${id}","time":1,"code":500}`, true);
      const bad = read('{"id":"m1","time":1,"code":200}\n{"id":"m2","time":2,"code":200}', true);
      const a = good("g1");
      const c = good("g2");
      // Sent together, so the thread takes the three in one group.
      const [first, broken, last] = await Promise.allSettled([
        store.insertEvents(a.events, 1, a.raw),
        store.insertEvents(bad.events, 1, good("m3").raw),
        store.insertEvents(c.events, 1, c.raw),
      ]);
      expect(first).toMatchObject({ status: "fulfilled", value: { duplicates: 0 } });
      expect(broken).toMatchObject({ status: "rejected" });
      expect(last).toMatchObject({ status: "fulfilled", value: { duplicates: 0 } });
      expect((await store.eventsAfter(0, 10)).map((e) => [e.id, e.seq])).toEqual([
        ["g1", 1],
        ["g2", 2],
      ]);
    } finally {
      await store.close();
    }
  });

  it("answers store_unavailable once the thread is gone, and says so once", async () => {
    const failures: Error[] = [];
    const store = new SqliteStore(file(), {
      writerThread: true,
      onWriterFailure: (error) => failures.push(error),
    });
    try {
      await store.insertEvents([{ id: "z1", time: 1, code: 200 }], 1);
      const worker = (store as unknown as { writer: { worker: { terminate(): Promise<number> } } })
        .writer.worker;
      await worker.terminate();
      await expect(store.insertEvents([{ id: "z2", time: 2, code: 200 }], 1)).rejects.toMatchObject(
        {
          code: "store_unavailable",
        },
      );
      expect(failures).toHaveLength(1);
      // What was committed before is still there for the replay after a restart.
      expect((await store.eventsAfter(0, 10)).map((e) => e.id)).toEqual(["z1"]);
    } finally {
      await store.close();
    }
  });
});
