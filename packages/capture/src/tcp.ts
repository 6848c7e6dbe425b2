import { concat } from "./_bytes.ts";
import { decodeText, frameMessage, skipLineEnds, startsSip } from "./sip-framing.ts";

/** Bytes of out-of-order data kept per stream while waiting for a gap to fill. */
const MAX_OUT_OF_ORDER = 1 << 20;
/** Bytes kept per stream while waiting for a message's end. */
const MAX_BUFFER = 1 << 20;

interface StreamState {
  /** Initial sequence number, once a SYN was seen. */
  isn: number | undefined;
  nextSeq: number | undefined;
  buf: Uint8Array;
  /** seq -> data, segments ahead of nextSeq. */
  ahead: Map<number, Uint8Array>;
  aheadBytes: number;
  /** True once a SIP message came out of this stream. */
  sip: boolean;
  gaps: number;
  skipped: number;
  closed: boolean;
}

export interface TcpSegment {
  seq: number;
  syn: boolean;
  fin: boolean;
  rst: boolean;
  data: Uint8Array;
}

export interface StreamReport {
  key: string;
  /** Gaps given up on (lost segments in the capture). */
  gaps: number;
  /** Bytes that arrived out of order and never fitted. */
  unfilledBytes: number;
  /** Bytes at the end that began a SIP message that never completed. */
  partialBytes: number;
  /** Non-SIP bytes skipped in a stream that otherwise carried SIP. */
  skippedBytes: number;
}

/** Signed distance a - b in 32-bit sequence space (RFC 9293 §3.4). */
function seqDiff(a: number, b: number): number {
  return (a - b) | 0;
}

/**
 * Reassembles each direction of each TCP connection by sequence number and
 * frames SIP messages out of it by Content-Length. Retransmissions and
 * overlaps are trimmed; segments ahead of a gap wait (bounded) until it fills.
 */
export class TcpReassembler {
  /** Least recently used first: every push moves its stream to the end. */
  private readonly streams = new Map<string, StreamState>();
  /** Streams forgotten to stay under `maxStreams` while they held unfinished data. */
  droppedWithData = 0;

  /**
   * @param maxStreams connection directions tracked at once; beyond it the
   *   least recently used is forgotten (`onEvict` says which), so memory stays
   *   bounded on captures with very many connections.
   */
  constructor(
    private readonly maxStreams = 65_536,
    private readonly onEvict?: (key: string) => void,
  ) {}

  private evict(): void {
    while (this.streams.size > this.maxStreams) {
      const first = this.streams.entries().next().value;
      if (!first) break;
      const [key, st] = first;
      if (st.buf.length > 0 || st.aheadBytes > 0) this.droppedWithData++;
      this.streams.delete(key);
      this.onEvict?.(key);
    }
  }

  /** Feeds one segment of the stream `key` (one direction); returns the SIP texts it completed. */
  push(key: string, seg: TcpSegment): string[] {
    let s = this.streams.get(key);
    const newConnection =
      s !== undefined &&
      seg.syn &&
      (s.isn !== undefined ? s.isn !== seg.seq : s.nextSeq !== undefined);
    if (s && !seg.syn && s.closed) return []; // after a RST: stale copies
    if (s && !newConnection) {
      this.streams.delete(key);
      this.streams.set(key, s);
    }
    if (!s || newConnection) {
      // A SYN with another ISN is a new connection on the same ports; the
      // same SYN again is a retransmission (or the same packet seen on a
      // second interface) and changes nothing.
      s = {
        isn: undefined,
        nextSeq: undefined,
        buf: new Uint8Array(0),
        ahead: new Map(),
        aheadBytes: 0,
        sip: false,
        gaps: 0,
        skipped: 0,
        closed: false,
      };
      this.streams.delete(key);
      this.streams.set(key, s);
      this.evict();
    }
    let seq = seg.seq;
    if (seg.syn) {
      seq = (seq + 1) >>> 0;
      if (s.isn === undefined) {
        s.isn = seg.seq;
        if (s.nextSeq === undefined) s.nextSeq = seq;
      }
    }
    const out: string[] = [];
    if (seg.data.length > 0) {
      if (s.nextSeq === undefined) s.nextSeq = seq; // capture started mid-connection
      this.accept(s, seq, seg.data);
      this.frame(s, out);
    }
    if (seg.rst) {
      // Free the buffers but remember the connection, so copies of its
      // segments that come later (a second interface) are not a new stream.
      s.closed = true;
      s.buf = new Uint8Array(0);
      s.ahead.clear();
      s.aheadBytes = 0;
    }
    return out;
  }

  private accept(s: StreamState, seq: number, data: Uint8Array): void {
    const next = s.nextSeq ?? seq;
    const d = seqDiff(seq, next);
    if (d > 0) {
      if (s.aheadBytes + data.length <= MAX_OUT_OF_ORDER) {
        if (!s.ahead.has(seq)) {
          s.ahead.set(seq, data.slice());
          s.aheadBytes += data.length;
        }
        return;
      }
      // Too much waiting behind a hole: the hole was lost from the capture. Skip it.
      s.gaps++;
      s.buf = new Uint8Array(0);
      s.nextSeq = this.lowestAhead(s) ?? seq;
      this.drain(s);
      this.accept(s, seq, data);
      return;
    }
    const overlap = -d;
    if (overlap < data.length) {
      s.buf = concat(s.buf, data.subarray(overlap));
      s.nextSeq = (next + data.length - overlap) >>> 0;
    }
    this.drain(s);
  }

  private lowestAhead(s: StreamState): number | undefined {
    let best: number | undefined;
    for (const k of s.ahead.keys()) if (best === undefined || seqDiff(k, best) < 0) best = k;
    return best;
  }

  private drain(s: StreamState): void {
    for (let progress = true; progress && s.ahead.size > 0; ) {
      progress = false;
      for (const [k, v] of s.ahead) {
        const next = s.nextSeq ?? k;
        const d = seqDiff(k, next);
        if (d > 0) continue;
        s.ahead.delete(k);
        s.aheadBytes -= v.length;
        if (-d < v.length) {
          s.buf = concat(s.buf, v.subarray(-d));
          s.nextSeq = (next + v.length + d) >>> 0;
        }
        progress = true;
      }
    }
  }

  private frame(s: StreamState, out: string[]): void {
    let at = 0;
    const b = s.buf;
    for (;;) {
      at = skipLineEnds(b, at);
      if (at >= b.length) break;
      const f = frameMessage(b, at, false);
      if (f.kind === "message") {
        out.push(decodeText(b.subarray(f.start, f.end)));
        s.sip = true;
        at = f.end;
        continue;
      }
      if (f.kind === "more") {
        if (b.length - f.start > MAX_BUFFER) {
          s.skipped += b.length - f.start;
          at = b.length;
        }
        break;
      }
      // Not a SIP start line here: resynchronise at the next line that is one.
      const resync = this.nextStart(b, at);
      if (resync < 0) {
        // Keep a possibly partial last line; drop the rest.
        const lastLf = b.lastIndexOf(0x0a);
        const keepFrom = lastLf >= at ? lastLf + 1 : Math.max(at, b.length - 256);
        if (s.sip) s.skipped += keepFrom - at;
        at = keepFrom;
        if (startsSip(b, at) === "no") {
          if (s.sip) s.skipped += b.length - at;
          at = b.length;
        }
        break;
      }
      if (s.sip) s.skipped += resync - at;
      at = resync;
    }
    s.buf = at >= b.length ? new Uint8Array(0) : at > 0 ? b.slice(at) : b;
  }

  private nextStart(b: Uint8Array, from: number): number {
    for (let i = b.indexOf(0x0a, from); i >= 0 && i + 1 < b.length; i = b.indexOf(0x0a, i + 1)) {
      const r = startsSip(b, i + 1);
      if (r === "sip") return i + 1;
    }
    return -1;
  }

  /**
   * Call once at the end of the capture. Gaps that never filled are skipped
   * so the messages after them still come out (`late`), and what stayed
   * unfinished in each stream is reported.
   */
  finish(): { reports: StreamReport[]; late: { key: string; texts: string[] }[] } {
    const reports: StreamReport[] = [];
    const late: { key: string; texts: string[] }[] = [];
    for (const [key, s] of this.streams) {
      const unfilled = s.aheadBytes;
      const texts: string[] = [];
      while (s.ahead.size > 0) {
        s.gaps++;
        s.buf = new Uint8Array(0);
        s.nextSeq = this.lowestAhead(s);
        this.drain(s);
        this.frame(s, texts);
      }
      if (texts.length) late.push({ key, texts });
      const partial =
        s.buf.length > 0 && startsSip(s.buf, skipLineEnds(s.buf, 0)) !== "no" ? s.buf.length : 0;
      if (s.gaps || unfilled || partial || s.skipped) {
        reports.push({
          key,
          gaps: s.gaps,
          unfilledBytes: unfilled,
          partialBytes: partial,
          skippedBytes: s.skipped,
        });
      }
    }
    this.streams.clear();
    return { reports, late };
  }
}
