import { timingSafeEqual } from "node:crypto";
import dgram from "node:dgram";
import net, { BlockList, isIP } from "node:net";
import { type HepPacket, hepMessages, safeDecodeHep } from "@sipcodes/capture";
import type { HepConfig } from "../config-hep.ts";
import {
  type HepCallEvent,
  HepCalls,
  type HepCallsCounters,
  type HepCallsSnapshot,
} from "../domain/hep-calls.ts";

/**
 * The receiving half of HEP ingest: UDP and TCP sockets, authentication,
 * decoding and pairing, with completed calls handed out in batches. It runs
 * in the HEP worker thread (hep-worker.ts) so that the store and the detector
 * on the main thread never keep the socket waiting; it knows nothing of
 * threads itself.
 */

export const PacketResults = ["ok", "unauthorized", "invalid", "not_sip"] as const;
export type PacketResult = (typeof PacketResults)[number];
export type PacketCounts = Record<"udp" | "tcp", Record<PacketResult, number>>;

/** What the receiver has seen so far (absolute counts), for the metrics. */
export interface HepReceiverStats {
  packets: PacketCounts;
  calls: HepCallsCounters;
  open: number;
}

export interface HepReceiverOptions {
  config: HepConfig;
  /** Completed calls, at most every 50 ms or 1,000 events. */
  onEvents(events: HepCallEvent[]): void;
  onError(message: string, error: unknown): void;
  /** Something worth a warning at start (the UDP receive buffer the kernel granted). */
  onWarning?(message: string, detail: Record<string, unknown>): void;
  /** Open transactions saved by a previous run. */
  restore?: HepCallsSnapshot | undefined;
  now?: () => number;
}

export interface HepReceiver {
  udpPort: number | undefined;
  tcpPort: number | undefined;
  calls: HepCalls;
  stats(): HepReceiverStats;
  /** Hands out the events completed so far now. */
  flush(): void;
  /** Stops both listeners and hands out what is pending; open transactions stay in `calls`. */
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

const zeroCounts = (): Record<PacketResult, number> => ({
  ok: 0,
  unauthorized: 0,
  invalid: 0,
  not_sip: 0,
});

export async function startHepReceiver(options: HepReceiverOptions): Promise<HepReceiver> {
  const { config } = options;
  const now = options.now ?? Date.now;
  const calls = new HepCalls({
    match: config.match,
    timeoutMs: config.timeoutSeconds * 1000,
    challengeMs: config.challengeSeconds * 1000,
    maxOpen: config.maxOpenTransactions,
    count: config.count,
    rules: config.rules,
  });
  if (options.restore) calls.restore(options.restore);
  const auth = new HepAuth(config);
  const packets: PacketCounts = { udp: zeroCounts(), tcp: zeroCounts() };
  let pending: HepCallEvent[] = [];
  let timer: NodeJS.Timeout | undefined;

  const flush = () => {
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    options.onEvents(batch);
  };

  const emit = (events: HepCallEvent[]) => {
    if (events.length === 0) return;
    for (const e of events) pending.push(e);
    if (pending.length >= FLUSH_EVENTS) flush();
    else timer ??= setTimeout(flush, FLUSH_MS);
  };

  const onPacket = (bytes: Uint8Array, source: string, transport: "udp" | "tcp") => {
    const c = packets[transport];
    const r = safeDecodeHep(bytes);
    if (!r.success) {
      c.invalid++;
      return;
    }
    if (!auth.check(r.data, source)) {
      c.unauthorized++;
      return;
    }
    const { messages } = hepMessages(r.data);
    if (messages.length === 0) {
      c.not_sip++;
      return;
    }
    c.ok++;
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
  // Restored transactions whose timeout passed during the downtime close first.
  setImmediate(() => emit(calls.expire(now())));

  let udp: dgram.Socket | undefined;
  if (config.udpPort !== null) {
    const socket = dgram.createSocket({
      type: isIP(config.host) === 6 ? "udp6" : "udp4",
      recvBufferSize: config.udpReceiveBufferBytes,
    });
    socket.on("message", (msg, rinfo) => onPacket(msg, rinfo.address, "udp"));
    socket.on("error", (error) => options.onError("HEP UDP socket error", error));
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once("error", reject);
        socket.bind(config.udpPort ?? 0, config.host, () => {
          socket.off("error", reject);
          resolve();
        });
      });
    } catch (error) {
      // The same clean-up as a TCP bind failure: no timer left behind.
      clearInterval(expiry);
      socket.close();
      throw error;
    }
    udp = socket;
    // Linux reports twice what it grants (the other half is its bookkeeping) and caps the ask at rmem_max.
    const granted = socket.getRecvBufferSize() / 2;
    if (granted < config.udpReceiveBufferBytes)
      options.onWarning?.(
        "HEP: the UDP receive buffer is smaller than hep.udpReceiveBufferBytes asks (raise the sysctl net.core.rmem_max); bursts beyond it are dropped by the kernel",
        { asked: config.udpReceiveBufferBytes, granted },
      );
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
            packets.tcp.invalid++;
            sock.destroy();
            return;
          }
          const len = buf.readUInt16BE(at + 4);
          if (len < 6) {
            packets.tcp.invalid++;
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
    try {
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(config.tcpPort ?? 0, config.host, () => {
          server.off("error", reject);
          resolve();
        });
      });
    } catch (error) {
      clearInterval(expiry);
      udp?.close();
      throw error;
    }
    tcp = server;
  }

  let closed: Promise<void> | undefined;
  return {
    udpPort: udp?.address().port,
    tcpPort: tcp ? (tcp.address() as net.AddressInfo).port : undefined,
    calls,
    stats: () => ({ packets, calls: { ...calls.counters }, open: calls.openCount }),
    flush,
    close() {
      closed ??= (async () => {
        clearInterval(expiry);
        if (udp) await new Promise<void>((r) => udp?.close(() => r()));
        if (tcp) {
          for (const c of conns) c.destroy();
          await new Promise<void>((r) => tcp?.close(() => r()));
        }
        flush();
      })();
      return closed;
    },
  };
}
