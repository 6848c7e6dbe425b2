import { u16, u32, u32be } from "./_bytes.ts";
import type { CaptureWarning } from "./errors.ts";

/** One captured packet as the file stored it. */
export interface RawFrame {
  /** 1-based packet number, counted as tshark counts frames. */
  number: number;
  /** Capture time, microseconds since the Unix epoch (finer resolutions are truncated). */
  time: number;
  linkType: number;
  data: Uint8Array;
  /** Length on the wire; more than `data.length` when the snap length cut it. */
  originalLength: number;
  /** Byte offset of the record in the file. */
  offset: number;
}

export type StepResult =
  | { kind: "ok"; consumed: number }
  /** The file is damaged from here on: stop reading. */
  | { kind: "stop"; warning: CaptureWarning };

/** Sane upper bound for one record: a damaged length field must not make us wait for gigabytes. */
const MAX_RECORD = 64 * 1024 * 1024;

/**
 * A parser for one capture file format, fed from a buffer the caller keeps.
 * `step` reads as many whole records as `buf` holds from 0 and says how many
 * bytes it used; the caller keeps the rest and calls again with more.
 */
export interface FileParser {
  step(buf: Uint8Array, base: number, emit: (f: RawFrame) => void): StepResult;
  readonly name: "pcap" | "pcapng";
}

export class PcapParser implements FileParser {
  readonly name = "pcap";
  private header = false;
  private le = false;
  private nano = false;
  private linkType = 0;
  private count = 0;

  step(buf: Uint8Array, base: number, emit: (f: RawFrame) => void): StepResult {
    let pos = 0;
    if (!this.header) {
      if (buf.length < 24) return { kind: "ok", consumed: 0 };
      const magic = u32be(buf, 0);
      this.le = magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1;
      this.nano = magic === 0xa1b23c4d || magic === 0x4d3cb2a1;
      // The link type's upper bits may carry FCS information (pcap-savefile(5)).
      this.linkType = u32(buf, 20, this.le) & 0x0fffffff;
      this.header = true;
      pos = 24;
    }
    while (buf.length - pos >= 16) {
      const sec = u32(buf, pos, this.le);
      const frac = u32(buf, pos + 4, this.le);
      const incl = u32(buf, pos + 8, this.le);
      const orig = u32(buf, pos + 12, this.le);
      if (incl > MAX_RECORD) {
        return {
          kind: "stop",
          warning: {
            code: "truncated_capture",
            message: `record at byte ${base + pos} claims ${incl} bytes; the file is damaged from here`,
            offset: base + pos,
          },
        };
      }
      if (buf.length - pos - 16 < incl) break;
      const time = sec * 1_000_000 + (this.nano ? Math.floor(frac / 1000) : frac);
      emit({
        number: ++this.count,
        time,
        linkType: this.linkType,
        data: buf.subarray(pos + 16, pos + 16 + incl),
        originalLength: orig,
        offset: base + pos,
      });
      pos += 16 + incl;
    }
    return { kind: "ok", consumed: pos };
  }
}

interface Interface {
  linkType: number;
  snapLen: number;
  /** Units per second as a base-10 exponent, or a base-2 exponent when `pow2`. */
  resol: number;
  pow2: boolean;
  /** if_tsoffset, seconds. */
  offsetSec: number;
}

const SHB = 0x0a0d0d0a;
const IDB = 1;
const PB = 2; // obsolete Packet Block
const SPB = 3;
const EPB = 6;

export class PcapngParser implements FileParser {
  readonly name = "pcapng";
  private le = false;
  private interfaces: Interface[] = [];
  private count = 0;

  step(buf: Uint8Array, base: number, emit: (f: RawFrame) => void): StepResult {
    let pos = 0;
    while (buf.length - pos >= 12) {
      const type = u32(buf, pos, this.le);
      if (type === SHB) {
        const bom = u32be(buf, pos + 8);
        if (bom === 0x1a2b3c4d) this.le = false;
        else if (bom === 0x4d3c2b1a) this.le = true;
        else return this.damaged(base + pos, "a section header with no byte-order magic");
        this.interfaces = [];
      }
      const len = u32(buf, pos + 4, this.le);
      if (len < 12 || len % 4 !== 0 || len > MAX_RECORD) {
        return this.damaged(base + pos, `a block of length ${len}`);
      }
      if (buf.length - pos < len) break;
      const body = buf.subarray(pos + 8, pos + len - 4);
      if (u32(buf, pos + len - 4, this.le) !== len) {
        return this.damaged(
          base + pos,
          "a block whose trailing length differs from its leading one",
        );
      }
      if (type === IDB) this.addInterface(body);
      else if (type === EPB || type === PB || type === SPB)
        this.packet(type, body, base + pos, emit);
      pos += len;
    }
    return { kind: "ok", consumed: pos };
  }

  private damaged(offset: number, what: string): StepResult {
    return {
      kind: "stop",
      warning: {
        code: "truncated_capture",
        message: `pcapng damaged at byte ${offset}: ${what}`,
        offset,
      },
    };
  }

  private addInterface(body: Uint8Array): void {
    const iface: Interface = {
      linkType: u16(body, 0, this.le),
      snapLen: u32(body, 4, this.le),
      resol: 6,
      pow2: false,
      offsetSec: 0,
    };
    // Options: code u16, length u16, value padded to 4 bytes.
    for (let at = 8; at + 4 <= body.length; ) {
      const code = u16(body, at, this.le);
      const olen = u16(body, at + 2, this.le);
      if (code === 0) break;
      const v = at + 4;
      if (v + olen > body.length) break;
      if (code === 9 && olen >= 1) {
        const r = body[v] ?? 6;
        iface.pow2 = (r & 0x80) !== 0;
        iface.resol = r & 0x7f;
      } else if (code === 14 && olen >= 8) {
        const hi = u32(body, v + (this.le ? 4 : 0), this.le);
        const lo = u32(body, v + (this.le ? 0 : 4), this.le);
        iface.offsetSec = (hi | 0) * 4294967296 + lo;
      }
      at = v + Math.ceil(olen / 4) * 4;
    }
    this.interfaces.push(iface);
  }

  private micros(iface: Interface, hi: number, lo: number): number {
    let t: number;
    if (!iface.pow2 && iface.resol === 6) t = hi * 4294967296 + lo;
    else {
      const units = (BigInt(hi) << 32n) | BigInt(lo);
      if (iface.pow2) t = Number((units * 1_000_000n) >> BigInt(iface.resol));
      else if (iface.resol < 6) t = Number(units * 10n ** BigInt(6 - iface.resol));
      else t = Number(units / 10n ** BigInt(iface.resol - 6));
    }
    return t + iface.offsetSec * 1_000_000;
  }

  private packet(
    type: number,
    body: Uint8Array,
    offset: number,
    emit: (f: RawFrame) => void,
  ): void {
    let ifaceId = 0;
    let hi = 0;
    let lo = 0;
    let cap: number;
    let orig: number;
    let dataAt: number;
    if (type === SPB) {
      if (body.length < 4) return;
      orig = u32(body, 0, this.le);
      const snap = this.interfaces[0]?.snapLen || Number.MAX_SAFE_INTEGER;
      cap = Math.min(orig, snap, body.length - 4);
      dataAt = 4;
    } else {
      const hdr = 20;
      if (body.length < hdr) return;
      ifaceId = type === EPB ? u32(body, 0, this.le) : u16(body, 0, this.le);
      hi = u32(body, 4, this.le);
      lo = u32(body, 8, this.le);
      cap = u32(body, 12, this.le);
      orig = u32(body, 16, this.le);
      dataAt = hdr;
    }
    const iface = this.interfaces[ifaceId];
    const number = ++this.count;
    if (!iface || dataAt + cap > body.length) {
      // Counted like tshark counts it, but there is nothing to decode.
      emit({ number, time: 0, linkType: -1, data: new Uint8Array(0), originalLength: 0, offset });
      return;
    }
    emit({
      number,
      time: type === SPB ? 0 : this.micros(iface, hi, lo),
      linkType: iface.linkType,
      data: body.subarray(dataAt, dataAt + cap),
      originalLength: orig,
      offset,
    });
  }
}
