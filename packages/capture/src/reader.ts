import { concat, u16be, u32be } from "./_bytes.ts";
import { type CaptureFormat, describeNonCapture, detectCapture, looksLikeHepV2 } from "./detect.ts";
import { CaptureError, type CaptureWarning, type CaptureWarningCode } from "./errors.ts";
import { type FileParser, PcapngParser, PcapParser, type RawFrame } from "./files.ts";
import { decodeHep, type HepPacket } from "./hep.ts";
import { Defragmenter, decodeIp, type IpPacket } from "./ip.ts";
import { decodeLink } from "./link.ts";
import type { Endpoint, SipMessage } from "./message.ts";
import { splitDatagram } from "./sip-framing.ts";
import { TcpReassembler } from "./tcp.ts";

export interface CaptureReaderOptions {
  /** Warnings kept per code before the rest are only counted (default 20). */
  maxWarningsPerCode?: number;
}

/**
 * Incremental reader: feed a capture in chunks of any size with `push`, get
 * the SIP messages completed so far, then call `end` once. Memory stays flat
 * (one record plus open TCP streams), so a 100 MB file can be streamed.
 */
export interface CaptureReader {
  /** Known once enough bytes were pushed to tell. */
  readonly format: CaptureFormat | undefined;
  /** Throws `CaptureError` (`not_a_capture`) as soon as the first bytes rule out every format. */
  push(chunk: Uint8Array): SipMessage[];
  /** Flushes what the end of input completes; throws `not_a_capture` or `truncated_capture` when there never was a capture. */
  end(): SipMessage[];
  /** Non-fatal problems so far. */
  readonly warnings: readonly CaptureWarning[];
  /** Packets (pcap/pcapng records or HEP packets) read so far. */
  readonly frames: number;
}

export interface CaptureResult {
  format: CaptureFormat;
  messages: SipMessage[];
  warnings: CaptureWarning[];
  frames: number;
}

interface Flow {
  src: Endpoint;
  dst: Endpoint;
  frame: number;
  time: number;
}

class Reader implements CaptureReader {
  format: CaptureFormat | undefined;
  frames = 0;
  readonly warnings: CaptureWarning[] = [];
  private parser: FileParser | undefined;
  private rest: Uint8Array = new Uint8Array(0);
  private base = 0;
  private stopped = false;
  private finished = false;
  private readonly counts = new Map<CaptureWarningCode, number>();
  private readonly maxPerCode: number;
  private readonly defrag = new Defragmenter();
  private readonly tcp = new TcpReassembler(65_536, (key) => this.flows.delete(key));
  private readonly flows = new Map<string, Flow>();
  private readonly unsupported = new Set<number>();
  private out: SipMessage[] = [];

  constructor(options: CaptureReaderOptions) {
    this.maxPerCode = options.maxWarningsPerCode ?? 20;
  }

  private warn(w: CaptureWarning): void {
    const n = (this.counts.get(w.code) ?? 0) + 1;
    this.counts.set(w.code, n);
    if (n <= this.maxPerCode) this.warnings.push(w);
  }

  push(chunk: Uint8Array): SipMessage[] {
    if (this.finished) throw new CaptureError("reader_finished", "push() after end()");
    if (this.stopped || chunk.length === 0) return [];
    let buf = concat(this.rest, chunk);
    if (!this.format) {
      if (buf.length < 12) {
        this.rest = buf === chunk ? chunk.slice() : buf;
        return [];
      }
      this.start(buf);
    }
    buf = this.consume(buf, false);
    this.rest = buf.length > 0 ? buf.slice() : new Uint8Array(0);
    return this.take();
  }

  private start(buf: Uint8Array): void {
    const format = detectCapture(buf);
    if (!format) throw new CaptureError("not_a_capture", describeNonCapture(buf), 0);
    this.format = format;
    if (format === "pcap") this.parser = new PcapParser();
    else if (format === "pcapng") this.parser = new PcapngParser();
  }

  /** Reads what `buf` holds; returns the unread tail. */
  private consume(buf: Uint8Array, atEnd: boolean): Uint8Array {
    if (this.parser) {
      const r = this.parser.step(buf, this.base, (f) => this.frame(f));
      if (r.kind === "stop") {
        this.warn(r.warning);
        this.stopped = true;
        return new Uint8Array(0);
      }
      this.base += r.consumed;
      return buf.subarray(r.consumed);
    }
    // HEP: HEPv3 packets back to back (a HEP-over-TCP stream or a dump of one);
    // a HEPv1/v2 packet has no length field, so it must be the whole input.
    let at = 0;
    while (buf.length - at >= 6) {
      if (
        buf[at] === 0x48 &&
        buf[at + 1] === 0x45 &&
        buf[at + 2] === 0x50 &&
        buf[at + 3] === 0x33
      ) {
        const total = u16be(buf, at + 4);
        if (total < 6) break; // decodeHep reports it below
        if (buf.length - at < total) break;
        this.hep(
          decodeOrWarn(buf, at, (w) => this.warn({ ...w, offset: this.base + at })),
          this.base + at,
        );
        at += total;
        continue;
      }
      if (atEnd && looksLikeHepV2(buf.subarray(at))) {
        this.hep(
          decodeOrWarn(buf, at, (w) => this.warn({ ...w, offset: this.base + at })),
          this.base + at,
        );
        at = buf.length;
        break;
      }
      if (!atEnd && looksLikeHepV2(buf.subarray(at))) break;
      this.warn({
        code: "invalid_block",
        message: `bytes at ${this.base + at} are not a HEP packet (first: ${u32be(buf, at).toString(16).padStart(8, "0")}); stopped reading`,
        offset: this.base + at,
      });
      this.stopped = true;
      return new Uint8Array(0);
    }
    if (buf.length - at >= 6 && u16be(buf, at + 4) < 6 && buf[at] === 0x48) {
      this.warn({
        code: "invalid_block",
        message: `HEP3 packet at byte ${this.base + at} has a length under 6`,
        offset: this.base + at,
      });
      this.stopped = true;
      return new Uint8Array(0);
    }
    this.base += at;
    return buf.subarray(at);
  }

  private hep(p: HepPacket | undefined, offset: number): void {
    this.frames++;
    if (!p) return;
    const r = hepMessages(p, this.frames);
    for (const w of r.warnings) this.warn({ ...w, offset });
    for (const m of r.messages) this.out.push(m);
  }

  private take(): SipMessage[] {
    const o = this.out;
    this.out = [];
    return o;
  }

  private frame(f: RawFrame): void {
    this.frames = f.number;
    if (f.linkType < 0) {
      this.warn({
        code: "invalid_block",
        message: `packet ${f.number} names an interface that was not described`,
        frame: f.number,
        offset: f.offset,
      });
      return;
    }
    const link = decodeLink(f.linkType, f.data);
    if (link.kind === "unsupported") {
      if (!this.unsupported.has(f.linkType)) {
        this.unsupported.add(f.linkType);
        this.warn({
          code: "unsupported_link_type",
          message: `link type ${f.linkType} is not supported; its packets were skipped`,
          frame: f.number,
        });
      }
      return;
    }
    if (link.kind === "malformed") {
      this.warn({
        code: "malformed_packet",
        message: `packet ${f.number}: ${link.what}`,
        frame: f.number,
        offset: f.offset,
      });
      return;
    }
    if (link.kind === "other") return;
    const cut = f.data.length < f.originalLength;
    const ip = decodeIp(link.ip);
    if (ip.kind === "malformed") {
      this.warn({
        code: "malformed_packet",
        message: `packet ${f.number}: ${ip.what}`,
        frame: f.number,
        offset: f.offset,
      });
      return;
    }
    if (ip.kind === "other") return;
    let packet: IpPacket | undefined;
    if (ip.kind === "fragment") {
      packet = this.defrag.add(ip.key, ip.offset, ip.more, ip.packet);
      if (!packet) return;
    } else packet = ip.packet;
    this.transport(packet, f, cut);
  }

  private transport(p: IpPacket, f: RawFrame, cut: boolean): void {
    const b = p.payload;
    if (p.protocol === 17) {
      if (b.length < 8) return;
      const ulen = u16be(b, 4);
      const payload = b.subarray(8, ulen >= 8 && ulen <= b.length ? ulen : b.length);
      const { texts, incomplete } = splitDatagram(payload);
      if (texts.length === 0) return;
      if (cut || incomplete) {
        this.warn({
          code: cut ? "packet_cut_by_snaplen" : "sip_message_incomplete",
          message: `packet ${f.number}: the SIP message is ${cut ? "cut short by the capture's snap length" : "shorter than its Content-Length"}`,
          frame: f.number,
        });
      }
      const src = { ip: p.src, port: u16be(b, 0) };
      const dst = { ip: p.dst, port: u16be(b, 2) };
      for (const text of texts)
        this.out.push({ frame: f.number, time: f.time, src, dst, transport: "udp", text });
      return;
    }
    if (p.protocol === 6) {
      if (b.length < 20) return;
      const off = ((b[12] ?? 0) >> 4) * 4;
      if (off < 20 || off > b.length) return;
      const flags = b[13] ?? 0;
      const sport = u16be(b, 0);
      const dport = u16be(b, 2);
      const key = `${p.src}|${sport}|${p.dst}|${dport}`;
      let flow = this.flows.get(key);
      if (!flow) {
        flow = {
          src: { ip: p.src, port: sport },
          dst: { ip: p.dst, port: dport },
          frame: f.number,
          time: f.time,
        };
        this.flows.set(key, flow);
      }
      flow.frame = f.number;
      flow.time = f.time;
      if (cut && b.length > off) {
        this.warn({
          code: "packet_cut_by_snaplen",
          message: `packet ${f.number}: TCP data cut short by the capture's snap length`,
          frame: f.number,
        });
      }
      const texts = this.tcp.push(key, {
        seq: u32be(b, 4),
        syn: (flags & 0x02) !== 0,
        fin: (flags & 0x01) !== 0,
        rst: (flags & 0x04) !== 0,
        data: b.subarray(off),
      });
      for (const text of texts) {
        this.out.push({
          frame: f.number,
          time: f.time,
          src: flow.src,
          dst: flow.dst,
          transport: "tcp",
          text,
        });
      }
    }
  }

  end(): SipMessage[] {
    if (this.finished) throw new CaptureError("reader_finished", "end() called twice");
    this.finished = true;
    if (!this.format) {
      const buf = this.rest;
      if (buf.length === 0) throw new CaptureError("not_a_capture", describeNonCapture(buf), 0);
      const format = detectCapture(buf);
      if (!format) {
        if (buf.length >= 4 && u32be(buf, 0) === 0x0a0d0d0a) {
          throw new CaptureError(
            "truncated_capture",
            `pcapng section header cut short after ${buf.length} bytes`,
            0,
          );
        }
        throw new CaptureError("not_a_capture", describeNonCapture(buf), 0);
      }
      this.start(buf);
    }
    if (!this.stopped && this.rest.length > 0) {
      const tail = this.consume(this.rest, true);
      if (tail.length > 0 && !this.stopped) {
        if (this.format !== "hep" && this.frames === 0 && this.base === 0) {
          throw new CaptureError(
            "truncated_capture",
            `the ${this.format} file header is cut short (${tail.length} bytes)`,
            0,
          );
        }
        this.warn({
          code: "truncated_capture",
          message: `the capture ends inside a record: ${tail.length} bytes at byte ${this.base} were not a whole packet`,
          offset: this.base,
        });
      }
    }
    this.rest = new Uint8Array(0);
    const { reports, late } = this.tcp.finish();
    for (const { key, texts } of late) {
      const flow = this.flows.get(key);
      if (!flow) continue;
      for (const text of texts) {
        this.out.push({
          frame: flow.frame,
          time: flow.time,
          src: flow.src,
          dst: flow.dst,
          transport: "tcp",
          text,
        });
      }
    }
    if (this.tcp.droppedWithData > 0) {
      this.warn({
        code: "tcp_gap",
        message: `${this.tcp.droppedWithData} TCP stream(s) were dropped with an unfinished message, to stay under 65,536 open streams`,
      });
    }
    for (const r of reports) {
      const flow = this.flows.get(r.key);
      const name = flow
        ? `${flow.src.ip}:${flow.src.port} -> ${flow.dst.ip}:${flow.dst.port}`
        : r.key;
      if (r.gaps > 0) {
        this.warn({
          code: "tcp_gap",
          message: `TCP ${name}: ${r.gaps} gap(s) in the stream were not in the capture; messages across them are lost`,
        });
      }
      if (r.partialBytes > 0) {
        this.warn({
          code: "sip_message_incomplete",
          message: `TCP ${name}: the capture ends inside a SIP message (${r.partialBytes} bytes)`,
        });
      }
      if (r.skippedBytes > 0) {
        this.warn({
          code: "tcp_stream_not_sip",
          message: `TCP ${name}: ${r.skippedBytes} bytes between SIP messages were not SIP and were skipped`,
        });
      }
    }
    if (this.defrag.incomplete + this.defrag.dropped > 0) {
      this.warn({
        code: "ip_fragments_incomplete",
        message: `${this.defrag.incomplete + this.defrag.dropped} fragmented IP datagram(s) never had all their pieces in the capture`,
      });
    }
    for (const [code, n] of this.counts) {
      if (n > this.maxPerCode) {
        this.warnings.push({
          code,
          message: `${n - this.maxPerCode} more warnings like this (${code}) were left out`,
        });
      }
    }
    return this.take();
  }
}

function decodeOrWarn(
  b: Uint8Array,
  at: number,
  warn: (w: CaptureWarning) => void,
): HepPacket | undefined {
  try {
    return decodeHep(b, at);
  } catch (e) {
    if (e instanceof CaptureError) {
      warn({ code: "invalid_block", message: e.message, offset: at });
      return undefined;
    }
    throw e;
  }
}

export function createCaptureReader(options: CaptureReaderOptions = {}): CaptureReader {
  return new Reader(options);
}

/**
 * Reads a whole capture held in memory. Throws `CaptureError` when the bytes
 * are not a capture at all; everything else comes back as warnings next to
 * every message that could be read.
 */
export function readCapture(bytes: Uint8Array, options: CaptureReaderOptions = {}): CaptureResult {
  const r = createCaptureReader(options);
  const messages = r.push(bytes);
  // No spread: end() can return many messages, more than a call takes arguments.
  for (const m of r.end()) messages.push(m);
  return {
    format: r.format as CaptureFormat,
    messages,
    warnings: [...r.warnings],
    frames: r.frames,
  };
}

export type SafeCaptureResult =
  | { success: true; data: CaptureResult }
  | { success: false; error: CaptureError };

/** Like `readCapture`, but returns the error instead of throwing. */
export function safeReadCapture(
  bytes: Uint8Array,
  options: CaptureReaderOptions = {},
): SafeCaptureResult {
  try {
    return { success: true, data: readCapture(bytes, options) };
  } catch (e) {
    if (e instanceof CaptureError) return { success: false, error: e };
    throw e;
  }
}

/**
 * The SIP messages one HEP packet carries (none for RTCP, logs and other
 * protocol types), with its capture agent and correlation ids attached.
 * `frame` is the packet's index in its stream or file.
 */
export function hepMessages(
  p: HepPacket,
  frame = 1,
): { messages: SipMessage[]; warnings: CaptureWarning[] } {
  const warnings: CaptureWarning[] = [];
  if (p.protocolType !== undefined && p.protocolType !== 1) return { messages: [], warnings };
  if (p.compressed) {
    warnings.push({
      code: "hep_compressed_payload",
      message: `HEP packet ${frame} has a compressed payload, which is not decoded`,
      frame,
    });
    return { messages: [], warnings };
  }
  const { texts, incomplete } = splitDatagram(p.payload);
  if (texts.length === 0) {
    if (p.payload.length > 0)
      warnings.push({
        code: "hep_not_sip",
        message: `HEP packet ${frame} does not carry a SIP message`,
        frame,
      });
    return { messages: [], warnings };
  }
  if (incomplete)
    warnings.push({
      code: "sip_message_incomplete",
      message: `HEP packet ${frame}: the SIP message is shorter than its Content-Length`,
      frame,
    });
  // Built field by field: spreads of optional fields in a literal cost more than the decoding (a live HEP feed calls this per packet).
  const messages: SipMessage[] = [];
  for (const text of texts) {
    const m: SipMessage = {
      frame,
      time: p.time,
      src: p.src,
      dst: p.dst,
      transport: p.transport,
      text,
    };
    if (p.agentId !== undefined) m.agentId = p.agentId;
    if (p.correlationId !== undefined) m.correlationId = p.correlationId;
    messages.push(m);
  }
  return { messages, warnings };
}
