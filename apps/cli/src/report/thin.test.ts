import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { escapeHtml } from "./escape.ts";
import { thin } from "./thin.ts";

const series = fc
  .array(fc.record({ rate: fc.double({ min: 0, max: 1, noNaN: true }), pinned: fc.boolean() }), {
    maxLength: 2000,
  })
  .map((xs) => xs.map((x, i) => ({ ...x, time: i * 60_000 })));

describe("thin", () => {
  it("keeps input points only, in order, with the ends, every pinned one and the extremes", () => {
    fc.assert(
      fc.property(series, fc.integer({ min: 4, max: 400 }), (points, target) => {
        const out = thin(points, target);
        for (const p of out) expect(points).toContain(p);
        expect(out.map((p) => p.time)).toEqual([...out.map((p) => p.time)].sort((a, b) => a - b));
        expect(new Set(out).size).toBe(out.length);
        if (points.length <= target) {
          expect(out).toEqual(points);
          return;
        }
        const pinned = points.filter((p) => p.pinned).length;
        expect(out.length).toBeLessThanOrEqual(target + pinned);
        expect(out[0]).toBe(points[0]);
        expect(out.at(-1)).toBe(points.at(-1));
        for (const p of points) if (p.pinned) expect(out).toContain(p);
        const rates = points.map((p) => p.rate);
        expect(Math.max(...out.map((p) => p.rate))).toBe(Math.max(...rates));
        expect(Math.min(...out.map((p) => p.rate))).toBe(Math.min(...rates));
      }),
    );
  });
});

describe("escapeHtml", () => {
  it("leaves no markup or attribute quote in any text", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const out = escapeHtml(text);
        expect(out).not.toMatch(/[<>"']/);
        expect(out.replace(/&(amp|lt|gt|quot|#39);/g, "")).not.toContain("&");
        const back = out
          .replace(/&lt;/g, "<")
          .replace(/&gt;/g, ">")
          .replace(/&quot;/g, '"')
          .replace(/&#39;/g, "'")
          .replace(/&amp;/g, "&");
        expect(back).toBe(text);
      }),
    );
  });
});
