import { Worker } from "node:worker_threads";
import type { Logger } from "pino";
import type { Counter, Gauge } from "prom-client";
import type { HepConfig } from "../config-hep.ts";
import type { HepCallsSnapshot } from "../domain/hep-calls.ts";
import type { HepWorkerHealth } from "../domain/readiness.ts";
import { type FromWorker, type HepWorkerFault, type ToWorker, workerEntry } from "./_hep-thread.ts";
import type { HepReceiverStats } from "./hep-receiver.ts";

/** Restart delays: 1 s, doubling, at most 30 s. */
export const RESTART_FIRST_MS = 1000;
export const RESTART_MAX_MS = 30_000;
/** A worker that stayed up this long starts its next outage's backoff again at 1 s. */
const STABLE_MS = 60_000;

/** Counts of a dead worker added to those before it, so the counters never go back. */
function addStats(
  a: HepReceiverStats | undefined,
  b: HepReceiverStats | undefined,
): HepReceiverStats | undefined {
  if (!a || !b) return a ?? b;
  const sum = <T extends object>(x: T, y: T): T => {
    const out: Record<string, number> = { ...(x as Record<string, number>) };
    for (const [k, v] of Object.entries(y as Record<string, number>)) out[k] = (out[k] ?? 0) + v;
    return out as T;
  };
  return {
    packets: { udp: sum(a.packets.udp, b.packets.udp), tcp: sum(a.packets.tcp, b.packets.tcp) },
    calls: sum(a.calls, b.calls),
    open: b.open,
  };
}

/** The delay before restart attempt `step` (1-based) of a run of failures. */
export function restartDelayMs(step: number): number {
  return Math.min(RESTART_MAX_MS, RESTART_FIRST_MS * 2 ** Math.max(0, step - 1));
}

export type WorkerCause = "error" | "exit" | "stalled";

export interface SupervisorOptions {
  config: HepConfig;
  logger: Logger;
  restore: HepCallsSnapshot | undefined;
  /** Reads the saved open transactions again for a restarted worker. */
  reload(): Promise<HepCallsSnapshot | undefined>;
  /** A batch of completed calls, encoded by domain/hep-batch.ts. */
  deliver(batch: ArrayBuffer): void;
  onError(message: string, error: unknown): void;
  onWarning?(message: string, detail: Record<string, unknown>): void;
  metrics: { restarts: Counter<"cause">; up: Gauge };
  /** Test-only fault for the first worker (SIPCODES_FAULT); restarted workers never get it. */
  fault?: HepWorkerFault | undefined;
}

/** One worker thread, from its start to its death. */
interface Generation {
  udpPort: number | undefined;
  tcpPort: number | undefined;
  stats: HepReceiverStats | undefined;
  lastMessageAt: number;
  startedAt: number;
  ask(type: "flush" | "snapshot"): Promise<FromWorker | undefined>;
  /** Asks for a clean stop; undefined if the worker died instead. */
  close(): Promise<HepCallsSnapshot | undefined>;
  terminate(): Promise<void>;
}

function spawn(
  options: SupervisorOptions,
  config: HepConfig,
  restore: HepCallsSnapshot | undefined,
  fault: HepWorkerFault | undefined,
  onDeath: (gen: Generation, cause: WorkerCause, detail: string) => void,
  startMs: number,
): Promise<Generation> {
  const worker = new Worker(workerEntry(import.meta.url), {
    workerData: { config, restore, ...(fault ? { fault } : {}) },
  });
  let nextId = 1;
  const replies = new Map<number, (m: FromWorker | undefined) => void>();
  let onClosed: ((snapshot: HepCallsSnapshot | undefined) => void) | undefined;
  let started = false;
  let dead = false;
  const gen: Generation = {
    udpPort: undefined,
    tcpPort: undefined,
    stats: undefined,
    lastMessageAt: Date.now(),
    startedAt: Date.now(),
    ask(type) {
      if (dead) return Promise.resolve(undefined);
      const id = nextId++;
      return new Promise((resolve) => {
        replies.set(id, (m) => {
          replies.delete(id);
          resolve(m);
        });
        worker.postMessage({ type, id } satisfies ToWorker);
      });
    },
    async close() {
      if (dead) return undefined;
      const snapshot = await new Promise<HepCallsSnapshot | undefined>((resolve) => {
        onClosed = resolve;
        worker.postMessage({ type: "close" } satisfies ToWorker);
      });
      dead = true;
      await worker.terminate();
      return snapshot;
    },
    async terminate() {
      dead = true;
      await worker.terminate();
    },
  };
  // A dead worker answers nothing: whoever waits on it gets undefined.
  const died = (cause: WorkerCause, detail: string) => {
    if (!started) return;
    const wasDead = dead;
    dead = true;
    for (const r of [...replies.values()]) r(undefined);
    onClosed?.(undefined);
    if (!wasDead) onDeath(gen, cause, detail);
  };
  return new Promise<Generation>((resolve, reject) => {
    // A worker that never says it listens is as good as stalled.
    const slow = setTimeout(() => {
      reject(new Error(`no answer within ${Math.round(startMs / 1000)} s of its start`));
      void worker.terminate();
    }, startMs);
    worker.on("message", (m: FromWorker) => {
      gen.lastMessageAt = Date.now();
      switch (m.type) {
        case "ready":
          started = true;
          gen.udpPort = m.udpPort;
          gen.tcpPort = m.tcpPort;
          gen.startedAt = Date.now();
          clearTimeout(slow);
          resolve(gen);
          break;
        case "failed":
          clearTimeout(slow);
          reject(new Error(m.message));
          void worker.terminate();
          break;
        case "events":
          gen.stats = m.stats;
          options.deliver(m.bytes);
          break;
        case "stats":
          gen.stats = m.stats;
          break;
        case "error":
          options.onError(m.message, m.error);
          break;
        case "warning":
          options.onWarning?.(m.message, m.detail);
          break;
        case "flushed":
          gen.stats = m.stats;
          replies.get(m.id)?.(m);
          break;
        case "snapshot":
          replies.get(m.id)?.(m);
          break;
        case "closed":
          gen.stats = m.stats;
          onClosed?.(m.snapshot);
          break;
      }
    });
    worker.on("error", (error) => {
      clearTimeout(slow);
      reject(error);
      died("error", error instanceof Error ? error.message : String(error));
    });
    worker.on("exit", (code) => {
      clearTimeout(slow);
      reject(new Error(`HEP worker exited with ${code} before listening`));
      died("exit", `exited with code ${code}`);
    });
  });
}

/** The receiver in a worker thread, watched: restarted when it dies or stops reporting. */
export interface SupervisedWorker {
  udpPort: number | undefined;
  tcpPort: number | undefined;
  stats(): HepReceiverStats | undefined;
  health(): HepWorkerHealth;
  flush(): Promise<void>;
  /** The open transactions; undefined while the worker is down. */
  snapshot(): Promise<HepCallsSnapshot | undefined>;
  /** Stops it; the open transactions, or undefined if it was down (the saved ones stand). */
  close(): Promise<HepCallsSnapshot | undefined>;
}

/**
 * Starts the HEP worker and keeps it running. The worker posts its stats
 * every second; no message for `hep.workerStallSeconds` counts as a stall,
 * and the worker is terminated. A worker that throws, exits or stalls is
 * restarted after 1 s, doubling to 30 s while restarts keep failing, on the
 * same UDP/TCP ports, with the open transactions last saved in the store.
 * The first start is not retried: its failure (a port in use) is the
 * caller's.
 */
export async function startSupervisedWorker(options: SupervisorOptions): Promise<SupervisedWorker> {
  const { logger, metrics } = options;
  const stallMs = options.config.workerStallSeconds * 1000;
  // Starting takes longer than a heartbeat (loading the bundle, binding, restoring).
  const startMs = Math.max(stallMs, 30_000);
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let restarting: Promise<void> | undefined;
  /** Failures in a row, for the backoff; reset by a worker that stays up STABLE_MS. */
  let step = 0;
  let health: HepWorkerHealth = {
    state: "up",
    downSince: null,
    reason: null,
    attempt: 0,
    nextAttemptAt: null,
  };
  /** What the workers before this one counted (their last report). */
  let before: HepReceiverStats | undefined;

  const onDeath = (gen: Generation, cause: WorkerCause, detail: string) => {
    if (gen !== current || stopping) return;
    current = undefined;
    before = addStats(before, gen.stats && { ...gen.stats, open: 0 });
    void gen.terminate();
    metrics.up.set(0);
    if (Date.now() - gen.startedAt >= STABLE_MS) step = 0;
    const reason = cause === "stalled" ? detail : `${cause}: ${detail}`;
    health = { state: "down", downSince: Date.now(), reason, attempt: 0, nextAttemptAt: null };
    logger.error(
      { cause, reason: detail },
      "HEP worker down: HEP is not received until it is restarted",
    );
    schedule(cause);
  };

  const schedule = (cause: WorkerCause) => {
    step += 1;
    const delay = restartDelayMs(step);
    health = { ...health, nextAttemptAt: Date.now() + delay };
    timer = setTimeout(() => {
      restarting = restart(cause);
    }, delay);
  };

  const restart = async (cause: WorkerCause) => {
    if (stopping) return;
    const attempt = health.attempt + 1;
    health = { ...health, state: "restarting", attempt, nextAttemptAt: null };
    metrics.restarts.inc({ cause });
    try {
      let restore: HepCallsSnapshot | undefined;
      try {
        restore = await options.reload();
      } catch (error) {
        logger.error({ err: error }, "HEP: the saved open transactions could not be read");
      }
      // The same ports as the first worker chose (0 in the config picked them once).
      const config = { ...options.config, udpPort: ports.udp, tcpPort: ports.tcp };
      const gen = await spawn(options, config, restore, undefined, onDeath, startMs);
      if (stopping) {
        await gen.close();
        return;
      }
      current = gen;
      metrics.up.set(1);
      logger.info(
        {
          attempt,
          downSeconds: (Date.now() - (health.downSince ?? Date.now())) / 1000,
          open: restore?.open.length ?? 0,
        },
        "HEP worker restarted",
      );
      health = { state: "up", downSince: null, reason: null, attempt: 0, nextAttemptAt: null };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      health = {
        ...health,
        state: "down",
        reason: `restart attempt ${attempt} failed: ${message}`,
      };
      logger.error({ attempt, reason: message }, "HEP worker restart failed");
      schedule(cause);
    }
  };

  let current: Generation | undefined = await spawn(
    options,
    options.config,
    options.restore,
    options.fault,
    onDeath,
    startMs,
  );
  const ports = { udp: current.udpPort ?? null, tcp: current.tcpPort ?? null };
  metrics.up.set(1);

  // Heartbeat: the worker posts stats every second. A main thread that was
  // itself held up (a late tick) judges nothing until it has caught up.
  let lastTick = Date.now();
  const watch = setInterval(() => {
    const now = Date.now();
    const late = now - lastTick > 2000;
    lastTick = now;
    if (late || !current) return;
    const silentMs = now - current.lastMessageAt;
    if (silentMs > stallMs)
      onDeath(current, "stalled", `stalled: no heartbeat for ${Math.round(silentMs / 1000)} s`);
  }, 1000);
  watch.unref();

  return {
    udpPort: ports.udp ?? undefined,
    tcpPort: ports.tcp ?? undefined,
    stats: () => addStats(before, current?.stats),
    health: () => health,
    flush: async () => {
      await current?.ask("flush");
    },
    snapshot: async () => {
      const m = await current?.ask("snapshot");
      return m?.type === "snapshot" ? m.snapshot : undefined;
    },
    close: async () => {
      stopping = true;
      clearInterval(watch);
      if (timer) clearTimeout(timer);
      await restarting; // an attempt under way sees `stopping` and stops its worker
      const gen = current;
      current = undefined;
      metrics.up.set(0);
      return gen?.close();
    },
  };
}
