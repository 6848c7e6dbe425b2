import { timingSafeEqual } from "node:crypto";
import dgram from "node:dgram";
import net, { BlockList, isIP } from "node:net";
import { type HepPacket, hepMessages, safeDecodeHep } from "@sipcodes/capture";
import type { Logger } from "pino";
import { Counter, Gauge, type Registry } from "prom-client";
import type { HepConfig } from "../config-hep.ts";
import type { CallRecord } from "../domain/event.ts";
import { type HepCallEvent, HepCalls, type HepCallsCounters } from "../domain/hep-calls.ts";

/** The HEP listener's metrics, registered beside the alerter's own. */
export function createHepMetrics(registry: Registry, calls: () => HepCalls | undefined) {
  const packets = new Counter({
    name: "sipcodes_alerter_hep_packets_total",
    help: "HEP packets received, by transport and result: ok, unauthorized (no valid agent key and not from an allowed address), invalid (not HEP), not_sip.",
    labelNames: ["transport", "result"] as const,
    registers: [registry],
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
      this.set(calls()?.openCount ?? 0);
    },
  });
  new Counter({
    name: "sipcodes_alerter_hep_transactions_total",
    help: "INVITE transactions by what became of them: invites (opened), finals, timeouts, evicted (above hep.maxOpenTransactions), orphans (final without its INVITE), repeats (retransmissions and copies), notCounted (left out by hep.count), unparsable.",
    labelNames: ["result"] as const,
    registers: [registry],
    collect() {
      const c = calls()?.counters;
      if (!c) return;
      this.reset();
      for (const [k, v] of Object.entries(c) as [keyof HepCallsCounters, number][])
        this.inc({ result: k }, v);
    },
  });
  return { packets, dropped };
}
export type HepMetrics = ReturnType<typeof createHepMetrics>;

export interface HepListenerOptions {
  config: HepConfig;
  logger: Logger;
  metrics: HepMetrics;
  /** Stores and counts a batch (the engine's ingest); resolves after the commit. */
  ingest(events: CallRecord[]): Promise<unknown>;
  now?: () => number;
  /** Called with every batch of events derived (tests, logs). */
  onEvents?: (events: readonly HepCallEvent[]) => void;
}

export interface HepListener {
  udpPort: number | undefined;
  tcpPort: number | undefined;
  calls: HepCalls;
  /** Resolves when every event derived so far is committed. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

const FLUSH_MS = 50;
const FLUSH_EVENTS = 1000;
const MAX_TCP_BUFFER = 1 << 20;

/** Source address in the plain form BlockList checks (no `::ffff:` for IPv4 over a v6 socket). */
function plainIp(address: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return m ? m[1]! : address;
}

/** Decides whether a HEP packet may be counted: a known agent with its password, or an allowed source. */
export class HepAuth {
  private readonly allow = new BlockList();
  private readonly agents = new Map<number, Buffer>();
  private readonly anyAllowed: boolean;

  constructor(config: Pick<HepConfig, "agents" | "allowFrom">) {
    for (const a of config.agents) this.agents.set(a.id, Buffer.from(a.password, "utf8"));
    for (const entry of config.allowFrom) {
      const [addr = "", bits] = entry.split("/");
      const type = isIP(addr) === 4 ? "ipv4" : "ipv6";
      if (bits === undefined) this.allow.addAddress(addr, type);
      else this.allow.addSubnet(addr, Number(bits), type);
    }
    this.anyAllowed = config.allowFrom.length > 0;
  }

  /** Verdicts of allowFrom per source address (a few senders, many packets); bounded. */
  private readonly sources = new Map<string, boolean>();

  private allowed(source: string): boolean {
    let ok = this.sources.get(source);
    if (ok === undefined) {
      const ip = plainIp(source);
      const family = isIP(ip);
      ok = family !== 0 && this.allow.check(ip, family === 4 ? "ipv4" : "ipv6");
      if (this.sources.size >= 4096) this.sources.clear();
      this.sources.set(source, ok);
    }
    return ok;
  }

  check(packet: HepPacket, source: string): boolean {
    if (this.anyAllowed && this.allowed(source)) return true;
    if (packet.agentId === undefined || packet.authKey === undefined) return false;
    const want = this.agents.get(packet.agentId);
    if (!want) return false;
    const got = Buffer.from(packet.authKey, "utf8");
    return got.length === want.length && timingSafeEqual(got, want);
  }
}

/**
 * UDP and TCP HEP listeners. Each authorised SIP message goes through the
 * pure `HepCalls` pairing; completed calls are batched (every 50 ms or 1,000
 * events) into the engine's ingest, the same store and detector path as
 * POST /v1/events. What is guaranteed: an event handed to ingest is counted
 * once it is committed (a restart replays it); HEP itself has no
 * acknowledgement, so a datagram the kernel drops, and transactions still
 * open when the process stops, are lost; the metrics count both sides.
 */
export async function startHepListener(options: HepListenerOptions): Promise<HepListener> {
  const { config, logger, metrics } = options;
  const now = options.now ?? Date.now;
  const calls = new HepCalls({
    match: config.match,
    timeoutMs: config.timeoutSeconds * 1000,
    maxOpen: config.maxOpenTransactions,
    count: config.count,
    rules: config.rules,
  });
  const auth = new HepAuth(config);
  let pending: HepCallEvent[] = [];
  let inFlight: Promise<void> = Promise.resolve();
  let waiting = 0;
  let timer: NodeJS.Timeout | undefined;

  const toRecord = (e: HepCallEvent): CallRecord => {
    const { diagnostics: _d, outcome: _o, ...record } = e;
    return record;
  };

  const flush = (): Promise<void> => {
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (pending.length === 0) return inFlight;
    const batch = pending;
    pending = [];
    waiting += batch.length;
    options.onEvents?.(batch);
    inFlight = inFlight.then(async () => {
      try {
        await options.ingest(batch.map(toRecord));
      } catch (error) {
        logger.error({ err: error, events: batch.length }, "HEP events could not be stored");
      } finally {
        waiting -= batch.length;
      }
    });
    return inFlight;
  };

  const emit = (events: HepCallEvent[]) => {
    if (events.length === 0) return;
    for (const e of events) {
      if (waiting + pending.length >= config.maxPendingEvents) {
        metrics.dropped.inc();
        continue;
      }
      pending.push(e);
    }
    if (pending.length >= FLUSH_EVENTS) void flush();
    else timer ??= setTimeout(() => void flush(), FLUSH_MS);
  };

  // Counters bound to their labels once: the per-packet path does no label lookups.
  const counter = (transport: "udp" | "tcp") => ({
    invalid: metrics.packets.labels(transport, "invalid"),
    unauthorized: metrics.packets.labels(transport, "unauthorized"),
    notSip: metrics.packets.labels(transport, "not_sip"),
    ok: metrics.packets.labels(transport, "ok"),
  });
  const counters = { udp: counter("udp"), tcp: counter("tcp") };

  const onPacket = (bytes: Uint8Array, source: string, transport: "udp" | "tcp") => {
    const c = counters[transport];
    const r = safeDecodeHep(bytes);
    if (!r.success) {
      c.invalid.inc();
      return;
    }
    if (!auth.check(r.data, source)) {
      c.unauthorized.inc();
      return;
    }
    const { messages } = hepMessages(r.data);
    if (messages.length === 0) {
      c.notSip.inc();
      return;
    }
    c.ok.inc();
    const at = now();
    for (const m of messages) {
      emit(
        calls.observe(
          {
            time: Math.floor(m.time / 1000) || at,
            src: m.src,
            dst: m.dst,
            agentId: m.agentId,
            text: m.text,
          },
          at,
        ),
      );
    }
  };

  const expiry = setInterval(() => emit(calls.expire(now())), 1000);
  expiry.unref();

  let udp: dgram.Socket | undefined;
  if (config.udpPort !== null) {
    const socket = dgram.createSocket({
      type: isIP(config.host) === 6 ? "udp6" : "udp4",
      recvBufferSize: 8 * 1024 * 1024,
    });
    socket.on("message", (msg, rinfo) => onPacket(msg, rinfo.address, "udp"));
    socket.on("error", (error) => logger.error({ err: error }, "HEP UDP socket error"));
    await new Promise<void>((resolve, reject) => {
      socket.once("error", reject);
      socket.bind(config.udpPort ?? 0, config.host, () => {
        socket.off("error", reject);
        resolve();
      });
    });
    udp = socket;
  }

  let tcp: net.Server | undefined;
  const conns = new Set<net.Socket>();
  if (config.tcpPort !== null) {
    const server = net.createServer((sock) => {
      conns.add(sock);
      sock.on("close", () => conns.delete(sock));
      sock.on("error", () => sock.destroy());
      let buf: Buffer = Buffer.alloc(0);
      const source = sock.remoteAddress ?? "";
      sock.on("data", (chunk: Buffer) => {
        buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
        let at = 0;
        while (buf.length - at >= 6) {
          // HEPv3 framing: "HEP3" then the packet's total length (16 bits).
          if (buf.readUInt32BE(at) !== 0x48455033) {
            counters.tcp.invalid.inc();
            sock.destroy();
            return;
          }
          const len = buf.readUInt16BE(at + 4);
          if (len < 6) {
            counters.tcp.invalid.inc();
            sock.destroy();
            return;
          }
          if (buf.length - at < len) break;
          onPacket(buf.subarray(at, at + len), source, "tcp");
          at += len;
        }
        buf = at === 0 ? buf : buf.subarray(at);
        if (buf.length > MAX_TCP_BUFFER) sock.destroy();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(config.tcpPort ?? 0, config.host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    tcp = server;
  }

  const udpPort = udp?.address().port;
  const tcpPort = tcp ? (tcp.address() as net.AddressInfo).port : undefined;
  logger.info({ host: config.host, udpPort, tcpPort, match: config.match }, "HEP listening");

  let closed: Promise<void> | undefined;
  return {
    udpPort,
    tcpPort,
    calls,
    flush: () => flush(),
    close() {
      closed ??= (async () => {
        clearInterval(expiry);
        if (udp) await new Promise<void>((r) => udp?.close(() => r()));
        if (tcp) {
          for (const c of conns) c.destroy();
          await new Promise<void>((r) => tcp?.close(() => r()));
        }
        await flush();
        if (calls.openCount > 0)
          logger.warn(
            { open: calls.openCount },
            "HEP: open INVITE transactions dropped at shutdown",
          );
      })();
      return closed;
    },
  };
}
