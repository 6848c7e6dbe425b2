import type { Logger } from "pino";
import { Counter, Gauge, type Registry } from "prom-client";
import type { HepConfig } from "../config-hep.ts";
import { type CallRecord, parseEventBody } from "../domain/event.ts";
import { encodeHepBatch } from "../domain/hep-batch.ts";
import { HepCallsSnapshot } from "../domain/hep-calls.ts";
import type { HepWorkerHealth } from "../domain/readiness.ts";
import type { HepWorkerFault } from "./_hep-thread.ts";
import { type HepReceiverStats, PacketResults, startHepReceiver } from "./hep-receiver.ts";
import { startSupervisedWorker } from "./hep-supervisor.ts";
import type { RawBatch } from "./store.ts";

/**
 * The HEP listener's metrics, registered beside the alerter's own; `stats` is
 * the receiver's latest. The worker's up and restarts are exported only when
 * HEP is `enabled` (an "up 0" with HEP off would read as an outage).
 */
export function createHepMetrics(
  registry: Registry,
  stats: () => HepReceiverStats | undefined,
  enabled = true,
) {
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
    help: "INVITE transactions by what became of them: invites (opened), finals, timeouts, evicted (above hep.maxOpenTransactions), orphans (final without its INVITE), repeats (retransmissions and copies), notCounted (left out by hep.count), unparsable, challenges (401/407 answered by a retry: not calls).",
    labelNames: ["result"] as const,
    registers: [registry],
    collect() {
      const c = stats()?.calls;
      if (!c) return;
      this.reset();
      for (const [k, v] of Object.entries(c)) this.inc({ result: k }, v);
    },
  });
  const restarts = new Counter({
    name: "sipcodes_alerter_hep_worker_restarts_total",
    help: "Restart attempts of the HEP worker thread, by what took it down: error (uncaught), exit, stalled (no heartbeat for hep.workerStallSeconds).",
    labelNames: ["cause"] as const,
    registers: enabled ? [registry] : [],
  });
  // Every cause starts at 0, so that increase() in a dashboard sees the first restart too.
  if (enabled)
    for (const cause of ["error", "exit", "stalled"] as const) restarts.inc({ cause }, 0);
  const up = new Gauge({
    name: "sipcodes_alerter_hep_worker_up",
    help: "1 while the HEP worker thread runs and reports, 0 while it is down or restarting.",
    registers: enabled ? [registry] : [],
  });
  return { dropped, restarts, up };
}
export type HepMetrics = ReturnType<typeof createHepMetrics>;

export interface HepListenerOptions {
  config: HepConfig;
  logger: Logger;
  metrics: HepMetrics;
  /**
   * Stores and counts a batch (the engine's ingest); resolves after the
   * commit. `raw`, when given, holds the bytes the events were read from.
   */
  ingest(events: CallRecord[], raw?: RawBatch): Promise<unknown>;
  /**
   * A test clock. The receiver then runs on this thread, since a function
   * cannot cross to a worker; without one it runs in a worker thread.
   */
  now?: () => number;
  /** SIPCODES_FAULT for the first worker thread (restart tests only). */
  fault?: HepWorkerFault | undefined;
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
  /** The worker thread's state (always up when the receiver runs on this thread). */
  health(): HepWorkerHealth;
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
  health(): HepWorkerHealth;
  /** Resolves once every event completed so far was passed to `deliver`. */
  flush(): Promise<void>;
  /** undefined while a worker is down. */
  snapshot(): Promise<HepCallsSnapshot | undefined>;
  /**
   * Stops receiving; resolves with the transactions still open, after their
   * last events were delivered; undefined if the worker was down (the saved ones stand).
   */
  close(): Promise<HepCallsSnapshot | undefined>;
}

const UP: HepWorkerHealth = {
  state: "up",
  downSince: null,
  reason: null,
  attempt: 0,
  nextAttemptAt: null,
};

const emptyStats = (): HepReceiverStats => {
  const packets = () => ({ ok: 0, unauthorized: 0, invalid: 0, not_sip: 0 });
  return {
    packets: { udp: packets(), tcp: packets() },
    calls: {
      invites: 0,
      repeats: 0,
      finals: 0,
      orphans: 0,
      timeouts: 0,
      evicted: 0,
      notCounted: 0,
      unparsable: 0,
      challenges: 0,
    },
    open: 0,
  };
};

const utf8 = new TextDecoder();

interface ReceiverSetup {
  config: HepConfig;
  restore: HepCallsSnapshot | undefined;
  /** A batch of completed calls, encoded by domain/hep-batch.ts. */
  deliver(batch: ArrayBuffer): void;
  onError(message: string, error: unknown): void;
  onWarning(message: string, detail: Record<string, unknown>): void;
}

async function inlineReceiver(setup: ReceiverSetup, now: () => number): Promise<Receiver> {
  const r = await startHepReceiver({
    config: setup.config,
    restore: setup.restore,
    onEvents: (events) => setup.deliver(encodeHepBatch(events)),
    onError: setup.onError,
    onWarning: setup.onWarning,
    now,
  });
  return {
    udpPort: r.udpPort,
    tcpPort: r.tcpPort,
    stats: r.stats,
    health: () => UP,
    flush: async () => r.flush(),
    snapshot: async () => r.calls.snapshot(),
    close: async () => {
      await r.close();
      return r.calls.snapshot();
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
 * the metrics count both sides. A worker that dies or stalls is restarted on
 * the same ports with the saved transactions (hep-supervisor.ts); `health()`
 * says so to /readyz meanwhile.
 */
export async function startHepListener(options: HepListenerOptions): Promise<HepListener> {
  const { config, logger, metrics } = options;
  let inFlight: Promise<void> = Promise.resolve();
  let waiting = 0;

  const deliver = (bytes: ArrayBuffer) => {
    // Read as a request body is (domain/hep-batch.ts made it one), so that the writer thread,
    // reading the same bytes again, finds the same events.
    const parsed = parseEventBody(utf8.decode(bytes), false);
    let events = parsed?.events ?? [];
    if (!parsed || parsed.rejected.length > 0)
      logger.error(
        { rejected: parsed ? parsed.rejected.slice(0, 3) : "not JSON" },
        "HEP: call events the event schema refuses were left out (a bug: they are fitted to it)",
      );
    let raw: RawBatch | undefined = parsed ? { bytes, ndjson: false } : undefined;
    const room = Math.max(0, config.maxPendingEvents - waiting);
    if (events.length > room) {
      metrics.dropped.inc(events.length - room);
      events = events.slice(0, room);
      raw = undefined; // no longer the events the bytes hold
    }
    if (events.length === 0) return;
    const batch = events;
    waiting += batch.length;
    inFlight = inFlight.then(async () => {
      try {
        await options.ingest(batch, raw);
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
    onWarning: (message, detail) => logger.warn(detail, message),
  };
  const receiver: Receiver = options.now
    ? await inlineReceiver(setup, options.now).then((r) => {
        metrics.up.set(1); // on this thread: up as long as the alerter
        return r;
      })
    : await (async () => {
        const w = await startSupervisedWorker({
          ...setup,
          logger,
          reload: async () => options.keep?.load(),
          metrics,
          fault: options.fault,
        });
        return { ...w, stats: () => w.stats() ?? emptyStats() };
      })();
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
          saving = saving.then(async () => {
            const snapshot = await receiver.snapshot().catch(() => undefined);
            // A worker that is down has nothing newer than what is saved.
            if (snapshot) await save(snapshot);
          });
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
    health: () => receiver.health(),
    async flush() {
      await receiver.flush();
      await inFlight;
    },
    close() {
      closed ??= (async () => {
        if (saver) clearInterval(saver);
        await saving;
        const snapshot = await receiver.close();
        metrics.up.set(0);
        await inFlight;
        if (snapshot === undefined) return;
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
