import { Worker } from "node:worker_threads";
import type { Logger } from "pino";
import { Counter, Gauge, type Registry } from "prom-client";
import type { HepConfig } from "../config-hep.ts";
import type { CallRecord } from "../domain/event.ts";
import { type HepCallEvent, HepCallsSnapshot } from "../domain/hep-calls.ts";
import { type FromWorker, type ToWorker, workerEntry } from "./_hep-thread.ts";
import { type HepReceiverStats, PacketResults, startHepReceiver } from "./hep-receiver.ts";

/** The HEP listener's metrics, registered beside the alerter's own; `stats` is the receiver's latest. */
export function createHepMetrics(registry: Registry, stats: () => HepReceiverStats | undefined) {
  new Counter({
    name: "sipcodes_alerter_hep_packets_total",
    help: "HEP packets received, by transport and result: ok, unauthorized (no valid agent key and not from an allowed address), invalid (not HEP), not_sip.",
    labelNames: ["transport", "result"] as const,
    registers: [registry],
    collect() {
      const s = stats();
      this.reset();
      for (const transport of ["udp", "tcp"] as const)
        for (const result of PacketResults)
          this.inc({ transport, result }, s?.packets[transport][result] ?? 0);
    },
  });
  const dropped = new Counter({
    name: "sipcodes_alerter_hep_events_dropped_total",
    help: "Call events derived from HEP and dropped because the store fell more than hep.maxPendingEvents behind.",
    registers: [registry],
  });
  new Gauge({
    name: "sipcodes_alerter_hep_open_transactions",
    help: "INVITE transactions waiting for their final response.",
    registers: [registry],
    collect() {
      this.set(stats()?.open ?? 0);
    },
  });
  new Counter({
    name: "sipcodes_alerter_hep_transactions_total",
    help: "INVITE transactions by what became of them: invites (opened), finals, timeouts, evicted (above hep.maxOpenTransactions), orphans (final without its INVITE), repeats (retransmissions and copies), notCounted (left out by hep.count), unparsable.",
    labelNames: ["result"] as const,
    registers: [registry],
    collect() {
      const c = stats()?.calls;
      if (!c) return;
      this.reset();
      for (const [k, v] of Object.entries(c)) this.inc({ result: k }, v);
    },
  });
  return { dropped };
}
export type HepMetrics = ReturnType<typeof createHepMetrics>;

export interface HepListenerOptions {
  config: HepConfig;
  logger: Logger;
  metrics: HepMetrics;
  /** Stores and counts a batch (the engine's ingest); resolves after the commit. */
  ingest(events: CallRecord[]): Promise<unknown>;
  /**
   * A test clock. The receiver then runs on this thread, since a function
   * cannot cross to a worker; without one it runs in a worker thread.
   */
  now?: () => number;
  /** Called with every batch of events derived (tests, logs). */
  onEvents?: (events: readonly HepCallEvent[]) => void;
  /** Where open transactions are kept across restarts: read at start, written every `hep.saveOpenSeconds` and at close. */
  keep?: {
    load(): Promise<HepCallsSnapshot | undefined>;
    save(snapshot: HepCallsSnapshot): Promise<void>;
  };
}

export interface HepListener {
  udpPort: number | undefined;
  tcpPort: number | undefined;
  /** The receiver's counts as last reported. */
  stats(): HepReceiverStats;
  /** Resolves when every event derived so far is committed. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

const OPEN_KEY = "hep.open";

/** Keeps the open transactions in the store's own values (SQLite's state table). */
export function hepKeep(store: {
  readValue(key: string): Promise<string | undefined>;
  writeValue(key: string, value: string): Promise<void>;
}): NonNullable<HepListenerOptions["keep"]> {
  return {
    async load() {
      const text = await store.readValue(OPEN_KEY);
      return text === undefined ? undefined : HepCallsSnapshot.parse(JSON.parse(text));
    },
    save: (snapshot) => store.writeValue(OPEN_KEY, JSON.stringify(snapshot)),
  };
}

/** The receiver as the main thread drives it, in a worker or on this thread. */
interface Receiver {
  udpPort: number | undefined;
  tcpPort: number | undefined;
  stats(): HepReceiverStats;
  /** Resolves once every event completed so far was passed to `deliver`. */
  flush(): Promise<void>;
  snapshot(): Promise<HepCallsSnapshot>;
  /** Stops receiving; resolves with the transactions still open, after their last events were delivered. */
  close(): Promise<HepCallsSnapshot>;
}

interface ReceiverSetup {
  config: HepConfig;
  restore: HepCallsSnapshot | undefined;
  deliver(events: HepCallEvent[]): void;
  onError(message: string, error: unknown): void;
}

async function inlineReceiver(setup: ReceiverSetup, now: () => number): Promise<Receiver> {
  const r = await startHepReceiver({
    config: setup.config,
    restore: setup.restore,
    onEvents: setup.deliver,
    onError: setup.onError,
    now,
  });
  return {
    udpPort: r.udpPort,
    tcpPort: r.tcpPort,
    stats: r.stats,
    flush: async () => r.flush(),
    snapshot: async () => r.calls.snapshot(),
    close: async () => {
      await r.close();
      return r.calls.snapshot();
    },
  };
}

async function workerReceiver(setup: ReceiverSetup, logger: Logger): Promise<Receiver> {
  const worker = new Worker(workerEntry(import.meta.url), {
    workerData: { config: setup.config, restore: setup.restore },
  });
  let stats: HepReceiverStats | undefined;
  let nextId = 1;
  const replies = new Map<number, (m: FromWorker) => void>();
  let onClosed: ((snapshot: HepCallsSnapshot) => void) | undefined;
  let stopping = false;
  const ready = new Promise<{ udpPort: number | undefined; tcpPort: number | undefined }>(
    (resolve, reject) => {
      worker.on("message", (m: FromWorker) => {
        switch (m.type) {
          case "ready":
            resolve(m);
            break;
          case "failed":
            reject(new Error(m.message));
            break;
          case "events":
            stats = m.stats;
            setup.deliver(m.events);
            break;
          case "stats":
            stats = m.stats;
            break;
          case "error":
            setup.onError(m.message, m.error);
            break;
          case "flushed":
            stats = m.stats;
            replies.get(m.id)?.(m);
            break;
          case "snapshot":
            replies.get(m.id)?.(m);
            break;
          case "closed":
            stats = m.stats;
            onClosed?.(m.snapshot);
            break;
        }
      });
      worker.once("error", (error) => {
        reject(error);
        logger.error({ err: error }, "HEP worker failed; HEP is no longer received");
      });
      worker.once("exit", (code) => {
        reject(new Error(`HEP worker exited with ${code} before listening`));
        if (!stopping) logger.error({ code }, "HEP worker exited; HEP is no longer received");
      });
    },
  );
  const ports = await ready.catch(async (error) => {
    await worker.terminate();
    throw error;
  });
  const ask = (type: "flush" | "snapshot") => {
    const id = nextId++;
    return new Promise<FromWorker>((resolve) => {
      replies.set(id, (m) => {
        replies.delete(id);
        resolve(m);
      });
      worker.postMessage({ type, id } satisfies ToWorker);
    });
  };
  const empty = (): HepReceiverStats["packets"]["udp"] => ({
    ok: 0,
    unauthorized: 0,
    invalid: 0,
    not_sip: 0,
  });
  return {
    ...ports,
    stats: () =>
      stats ?? {
        packets: { udp: empty(), tcp: empty() },
        calls: {
          invites: 0,
          repeats: 0,
          finals: 0,
          orphans: 0,
          timeouts: 0,
          evicted: 0,
          notCounted: 0,
          unparsable: 0,
        },
        open: 0,
      },
    flush: async () => {
      await ask("flush");
    },
    snapshot: async () => {
      const m = await ask("snapshot");
      if (m.type !== "snapshot") throw new Error("HEP worker answered a snapshot with " + m.type);
      return m.snapshot;
    },
    close: async () => {
      stopping = true;
      const snapshot = await new Promise<HepCallsSnapshot>((resolve) => {
        onClosed = resolve;
        worker.postMessage({ type: "close" } satisfies ToWorker);
      });
      await worker.terminate();
      return snapshot;
    },
  };
}

/**
 * UDP and TCP HEP listeners. A worker thread receives, authenticates,
 * decodes and pairs (hep-receiver.ts); completed calls come back in batches
 * (every 50 ms or 1,000 events) and go into the engine's ingest, the same
 * store and detector path as POST /v1/events. What is guaranteed: an event
 * handed to ingest is counted once it is committed (a restart replays it);
 * open transactions are saved at close (and every `hep.saveOpenSeconds`) and
 * taken back at start, their timeouts running on from each INVITE's receipt.
 * HEP itself has no acknowledgement, so a datagram the kernel drops is lost;
 * the metrics count both sides.
 */
export async function startHepListener(options: HepListenerOptions): Promise<HepListener> {
  const { config, logger, metrics } = options;
  let inFlight: Promise<void> = Promise.resolve();
  let waiting = 0;

  const deliver = (events: HepCallEvent[]) => {
    const batch: CallRecord[] = [];
    for (const e of events) {
      if (waiting + batch.length >= config.maxPendingEvents) {
        metrics.dropped.inc();
        continue;
      }
      const { diagnostics: _d, outcome: _o, ...record } = e;
      batch.push(record);
    }
    options.onEvents?.(events);
    if (batch.length === 0) return;
    waiting += batch.length;
    inFlight = inFlight.then(async () => {
      try {
        await options.ingest(batch);
      } catch (error) {
        logger.error({ err: error, events: batch.length }, "HEP events could not be stored");
      } finally {
        waiting -= batch.length;
      }
    });
  };

  let restore: HepCallsSnapshot | undefined;
  try {
    restore = await options.keep?.load();
  } catch (error) {
    logger.error(
      { err: error },
      "HEP: the saved open transactions could not be read; starting without them",
    );
  }
  const setup: ReceiverSetup = {
    config,
    restore,
    deliver,
    onError: (message, error) => logger.error({ err: error }, message),
  };
  const receiver = options.now
    ? await inlineReceiver(setup, options.now)
    : await workerReceiver(setup, logger);
  if (restore)
    logger.info(
      { open: restore.open.length },
      "HEP: open INVITE transactions taken back from the last run",
    );

  const save = async (snapshot: HepCallsSnapshot) => {
    try {
      await options.keep?.save(snapshot);
    } catch (error) {
      logger.error({ err: error }, "HEP: open transactions could not be saved");
    }
  };
  let saving: Promise<void> = Promise.resolve();
  const saver =
    options.keep && config.saveOpenSeconds > 0
      ? setInterval(() => {
          saving = saving.then(async () => save(await receiver.snapshot()));
        }, config.saveOpenSeconds * 1000)
      : undefined;
  saver?.unref();

  logger.info(
    {
      host: config.host,
      udpPort: receiver.udpPort,
      tcpPort: receiver.tcpPort,
      match: config.match,
    },
    "HEP listening",
  );

  let closed: Promise<void> | undefined;
  return {
    udpPort: receiver.udpPort,
    tcpPort: receiver.tcpPort,
    stats: () => receiver.stats(),
    async flush() {
      await receiver.flush();
      await inFlight;
    },
    close() {
      closed ??= (async () => {
        if (saver) clearInterval(saver);
        await saving;
        const snapshot = await receiver.close();
        await inFlight;
        if (options.keep) await save(snapshot);
        else if (snapshot.open.length > 0)
          logger.warn(
            { open: snapshot.open.length },
            "HEP: open INVITE transactions dropped at shutdown (this store cannot keep them)",
          );
      })();
      return closed;
    },
  };
}
