/**
 * Where the separators and line feeds of a chunk are, found sixteen bytes at
 * a time with WebAssembly SIMD (compare each byte with both, one bit per
 * byte, then the set bits in order). The reader's byte path then steps from
 * one position to the next instead of testing every byte in JavaScript: on
 * a plain CSV most bytes are neither, and a JavaScript loop costs about as
 * much per byte as the rest of a row's work (see BENCHMARKS.md).
 *
 * The module is a few dozen instructions, assembled below with the opcode
 * of each (WebAssembly core spec section 5.4, SIMD section 5.4.8); no
 * toolchain or build step. Where WebAssembly SIMD is missing, there is no
 * index and the reader tests the bytes itself, to the same result.
 */

/** Bytes of input one call can take: a read-file chunk (4 MB) and a carried-over line. */
export const INDEX_INPUT_BYTES = 0x410000;
/** What readBuffer() holds (the size of read-file's reads), and where it lies in the module's memory. */
export const READ_BYTES = 4 * 1024 * 1024;
const READ_AT = INDEX_INPUT_BYTES;
/** Where the positions start in the module's memory, and how many fit. */
const OUT = READ_AT + READ_BYTES;
const OUT_SLOTS = 0x100000;
/** Where the module writes the offset it stopped at. */
const STOP = OUT + OUT_SLOTS * 4;
const PAGES = Math.ceil((STOP + 4) / 65536);

/** Signed LEB128, as i32.const takes its operand. */
function sleb(value: number): number[] {
  const out: number[] = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}
const uleb = (value: number): number[] => {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    const byte = v & 0x7f;
    v >>>= 7;
    out.push(v === 0 ? byte : byte | 0x80);
  } while (v !== 0);
  return out;
};
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];

// Opcodes.
const BLOCK = 0x02;
const LOOP = 0x03;
const VOID = 0x40;
const END = 0x0b;
const BR = 0x0c;
const BR_IF = 0x0d;
const GET = 0x20;
const SET = 0x21;
const TEE = 0x22;
const STORE = [0x36, 0x02, 0x00]; // i32.store align=4 offset=0
const CONST = 0x41;
const EQZ = 0x45;
const GT_U = 0x4b;
const GE_U = 0x4f;
const CTZ = 0x68;
const ADD = 0x6a;
const SUB = 0x6b;
const AND = 0x71;
const SHR_U = 0x76;
const V128_LOAD = [0xfd, 0x00, 0x04, 0x00]; // align=16 offset=0
const I8X16_SPLAT = [0xfd, 0x0f];
const I8X16_EQ = [0xfd, 0x23];
const V128_OR = [0xfd, 0x50];
const I8X16_BITMASK = [0xfd, 0x64];

// scan(start, len, sep) -> count: positions (memory offsets) of the separators
// and line feeds in [start, start + len), whole 16-byte blocks only.
// Locals: 0 start, 1 len, 2 sep, 3 i, 4 mask, 5 out, 6 end, 7 seps, 8 feeds, 9 block.
// biome-ignore format: one instruction a line
const body = [
  ...[2, 4, 0x7f, 3, 0x7b], // four i32 locals, three v128
  GET, 2, ...I8X16_SPLAT, SET, 7,
  CONST, 10, ...I8X16_SPLAT, SET, 8,
  CONST, ...sleb(OUT), SET, 5,
  GET, 0, SET, 3,
  GET, 0, GET, 1, CONST, ...sleb(-16), AND, ADD, SET, 6, // the tail is the caller's
  BLOCK, VOID,
  LOOP, VOID,
  GET, 3, GET, 6, GE_U, BR_IF, 1,
  GET, 5, CONST, ...sleb(STOP - 64), GT_U, BR_IF, 1, // room for one more block's positions
  GET, 3, ...V128_LOAD, TEE, 9,
  GET, 7, ...I8X16_EQ,
  GET, 9, GET, 8, ...I8X16_EQ,
  ...V128_OR, ...I8X16_BITMASK, SET, 4,
  BLOCK, VOID,
  LOOP, VOID,
  GET, 4, EQZ, BR_IF, 1,
  GET, 5, GET, 3, GET, 4, CTZ, ADD, ...STORE,
  GET, 5, CONST, 4, ADD, SET, 5,
  GET, 4, GET, 4, CONST, 1, SUB, AND, SET, 4, // clear the lowest set bit
  BR, 0,
  END,
  END,
  GET, 3, CONST, 16, ADD, SET, 3,
  BR, 0,
  END,
  END,
  CONST, ...sleb(STOP), GET, 3, ...STORE,
  GET, 5, CONST, ...sleb(OUT), SUB, CONST, 2, SHR_U,
  END,
];
const MODULE = new Uint8Array([
  ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
  ...section(1, [1, 0x60, 3, 0x7f, 0x7f, 0x7f, 1, 0x7f]), // (i32, i32, i32) -> i32
  ...section(3, [1, 0]),
  ...section(5, [1, 0, ...uleb(PAGES)]),
  ...section(7, [2, 1, 0x6d, 2, 0, 4, 0x73, 0x63, 0x61, 0x6e, 0, 0]), // "m" memory, "scan" func
  ...section(10, [1, ...uleb(body.length), ...body]),
]);

/** The part of the WebAssembly API used here (the CLI's TypeScript libs do not declare it). */
interface Wasm {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: Record<string, unknown> };
}
interface Exports {
  m: { buffer: ArrayBuffer };
  scan: (start: number, len: number, sep: number) => number;
}

export class SeparatorIndex {
  /** Offsets (less `base`) of every separator and line feed of the indexed bytes, ascending. */
  readonly positions: Int32Array<ArrayBuffer>;
  /** How many of `positions` hold offsets. */
  count = 0;
  /** Added to a position, gives the offset in the indexed buffer. */
  base = 0;
  /** Chunk offset below which every separator and line feed is in `positions`. */
  stop = 0;
  readonly #bytes: Uint8Array<ArrayBuffer>;
  readonly #stop: Int32Array<ArrayBuffer>;
  readonly #scan: Exports["scan"];

  constructor(exports: Exports) {
    this.#bytes = new Uint8Array(exports.m.buffer);
    this.positions = new Int32Array(exports.m.buffer, OUT, OUT_SLOTS);
    this.#stop = new Int32Array(exports.m.buffer, STOP, 1);
    this.#scan = exports.scan;
  }

  /**
   * A buffer over the module's input memory, for reading a file into: a
   * chunk read there is indexed where it lies, with no copy.
   */
  readBuffer(): Buffer {
    return Buffer.from(this.#bytes.buffer, READ_AT, READ_BYTES);
  }

  /** Indexes `buf` from `from` on (at most INDEX_INPUT_BYTES of it) for the separator byte `sep`. */
  index(buf: Uint8Array, from: number, sep: number): void {
    let start = 0;
    let len: number;
    if (buf.buffer === this.#bytes.buffer && buf.byteOffset >= READ_AT) {
      // Already in the module's memory (read into readBuffer()).
      start = buf.byteOffset + from;
      len = Math.min(buf.length - from, READ_AT + READ_BYTES - start);
      this.base = -buf.byteOffset;
    } else {
      len = Math.min(buf.length - from, INDEX_INPUT_BYTES);
      this.#bytes.set(buf.subarray(from, from + len), 0);
      this.base = from;
    }
    this.count = this.#scan(start, len, sep);
    this.stop = (this.#stop[0] as number) + this.base;
  }
}

let shared: SeparatorIndex | null | undefined;

/** The index, made once per thread; null where WebAssembly SIMD is not there. */
export function separatorIndex(): SeparatorIndex | null {
  if (shared !== undefined) return shared;
  const wasm = (globalThis as { WebAssembly?: Wasm }).WebAssembly;
  try {
    shared =
      wasm?.validate(MODULE) === true
        ? new SeparatorIndex(
            new wasm.Instance(new wasm.Module(MODULE)).exports as unknown as Exports,
          )
        : null;
  } catch {
    shared = null;
  }
  return shared;
}
