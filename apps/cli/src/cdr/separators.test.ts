import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { INDEX_INPUT_BYTES, separatorIndex } from "./separators.ts";

/** The positions a plain loop finds, from `from` up to `stop`. */
function naive(buf: Uint8Array, from: number, stop: number, sep: number): number[] {
  const out: number[] = [];
  for (let p = from; p < stop; p++) if (buf[p] === sep || buf[p] === 10) out.push(p - from);
  return out;
}

describe("the SIMD separator index", () => {
  const index = separatorIndex();

  it("is there on this Node", () => {
    expect(index).not.toBeNull();
  });

  it("finds every separator and line feed below its stop, which leaves fewer than 16 bytes", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 3000 }),
        fc.nat(40),
        fc.constantFrom(44, 59, 9, 124),
        (bytes, skip, sep) => {
          if (!index) return;
          const from = Math.min(skip, bytes.length);
          index.index(bytes, from, sep);
          expect(index.base).toBe(from);
          expect(bytes.length - index.stop).toBeLessThan(16);
          expect(index.stop).toBeGreaterThanOrEqual(from);
          expect(Array.from(index.positions.subarray(0, index.count))).toEqual(
            naive(bytes, from, index.stop, sep),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it("indexes a chunk read into its read buffer where it lies, and leaves the buffer alone when copying", () => {
    if (!index) return;
    const read = index.readBuffer();
    const text = Buffer.from("a,b\n".repeat(2000));
    text.copy(read, 100);
    const chunk = read.subarray(100, 100 + text.length);
    index.index(chunk, 3, 44);
    expect(Array.from(index.positions.subarray(0, index.count), (p) => p + index.base)).toEqual(
      naive(text, 3, index.stop, 44).map((p) => p + 3),
    );
    // Indexing another buffer copies it elsewhere: the read buffer keeps its bytes.
    index.index(Buffer.from("x;y\n".repeat(2000)), 0, 59);
    expect(chunk.equals(text)).toBe(true);
  });

  it("stops early when the positions would not fit, and takes no more than its input", () => {
    if (!index) return;
    const all = new Uint8Array(INDEX_INPUT_BYTES + 100).fill(44);
    index.index(all, 0, 44);
    expect(index.count).toBe(index.stop);
    expect(index.stop).toBeLessThan(INDEX_INPUT_BYTES);
    expect(index.positions[index.count - 1]).toBe(index.stop - 1);
    const plain = new Uint8Array(INDEX_INPUT_BYTES + 100).fill(65);
    plain[INDEX_INPUT_BYTES + 50] = 10;
    index.index(plain, 0, 44);
    expect(index.count).toBe(0);
    expect(index.stop).toBe(INDEX_INPUT_BYTES);
  });
});
