// Memory in the number of events: 10 M events across 10,000 scopes (2,000
// trunks × {trunk, inbound, outbound} + 4,000 customers) fed in-process
// through the engine (detector, grouping, evaluation every simulated minute),
// with a store that keeps nothing, so RSS shows the engine's own footprint.
// Prints one JSON line: RSS and heap after each million events.
import pino from "pino";
import { parseConfig } from "../src/config.ts";
import type { CallRecord } from "../src/domain/event.ts";
import { Engine } from "../src/io/engine.ts";
import { createMetrics } from "../src/io/metrics.ts";
import type { EventStore, InsertResult, SavedState } from "../src/io/store.ts";

const TOTAL = Number(process.env.BENCH_EVENTS ?? 10_000_000);
const TRUNKS = 2000;
const CUSTOMERS = 4000;
const PER_MINUTE = 7000; // 10 M events ≈ 24 simulated hours
const BATCH = 1000;

let seq = 0;
const store: EventStore = {
  async insertEvents(events: readonly CallRecord[]): Promise<InsertResult> {
    return { inserted: events.map((e) => ({ ...e, seq: ++seq })), duplicates: 0 };
  },
  async eventsAfter() {
    return [];
  },
  async loadState(): Promise<SavedState> {
    return { snapshot: null, lastSeq: 0, groups: [] };
  },
  async commit() {},
  async addSilence() {},
  async listSilences() {
    return [];
  },
  async expireSilence() {
    return false;
  },
  async close() {},
};

const config = parseConfig({ evaluation: { clock: "event" }, detector: { maxScopes: 20_000 } });
const metrics = createMetrics({ alertsByState: () => ({}), outboxCounts: async () => ({}) });
const engine = await Engine.open({ config, store, logger: pino({ level: "silent" }), metrics });
// Skip snapshots: this bench is about the engine's memory, not the store's serialisation.
(engine as unknown as { persist: () => Promise<void> }).persist = async () => {};

const t0 = Date.UTC(2026, 0, 1);
const gc = (globalThis as { gc?: () => void }).gc;
const samples: { events: number; rssMiB: number; heapMiB: number; seconds: number }[] = [];
const start = performance.now();
let x = 12345;
/** mulberry32: a small seeded PRNG with good low bits (an LCG's low bits would hit few trunks). */
const rand = () => {
  x = (x + 0x6d2b79f5) | 0;
  let t = Math.imul(x ^ (x >>> 15), 1 | x);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return (t ^ (t >>> 14)) >>> 0;
};
for (let n = 0; n < TOTAL; ) {
  const batch: CallRecord[] = [];
  for (let i = 0; i < BATCH; i++, n++) {
    const r = rand();
    const trunk = r % TRUNKS;
    batch.push({
      id: String(n),
      time: t0 + Math.floor((n / PER_MINUTE) * 60_000),
      code: (r >>> 11) % 100 < 2 ? 603 : (r >>> 11) % 100 < 3 ? 500 : 200,
      direction: (r >>> 20) & 1 ? "inbound" : "outbound",
      trunk: `trunk-${trunk}`,
      customer: `cust-${rand() % CUSTOMERS}`,
    });
  }
  await engine.ingest(batch);
  if (n % 1_000_000 === 0) {
    gc?.();
    const m = process.memoryUsage();
    samples.push({
      events: n,
      rssMiB: Math.round(m.rss / 2 ** 20),
      heapMiB: Math.round(m.heapUsed / 2 ** 20),
      seconds: Math.round((performance.now() - start) / 100) / 10,
    });
    process.stderr.write(`${JSON.stringify(samples.at(-1))}\n`);
  }
}
const stats = engine.detector.stats();
// What a wall-clock evaluation also pays: serialising the snapshot it commits.
const snapStart = performance.now();
const snapshotBytes = JSON.stringify(engine.detector.snapshot()).length;
const snapshotMs = Math.round(performance.now() - snapStart);
console.log(
  JSON.stringify({
    events: TOTAL,
    scopes: stats.scopes,
    buckets: stats.buckets,
    simulatedHours: Math.round((TOTAL / PER_MINUTE / 60) * 10) / 10,
    evaluations: Math.floor(TOTAL / PER_MINUTE),
    alertsActive: engine.detector.active().length,
    eventsPerSecond: Math.round(TOTAL / ((performance.now() - start) / 1000)),
    snapshotMiB: Math.round((snapshotBytes / 2 ** 20) * 10) / 10,
    snapshotMs,
    samples,
  }),
);
