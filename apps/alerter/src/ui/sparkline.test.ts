import type { JSXNode } from "hono/jsx";
import { describe, expect, it } from "vitest";
import {
  percent,
  SPARK_HEIGHT,
  SPARK_WIDTH,
  Sparkline,
  sparkPath,
  sparkTop,
} from "./sparkline.tsx";

describe("sparkPath", () => {
  it("draws one point per value, bottom at 0 and top at the scale", () => {
    expect(sparkPath([0, 0.5, 1], 1)).toBe(
      `M2.0 ${SPARK_HEIGHT - 2}.0L${SPARK_WIDTH / 2}.0 24.0L238.0 2.0`,
    );
  });

  it("breaks the line at unknown values instead of joining across them", () => {
    const d = sparkPath([0.1, 0.1, null, null, 0.2, 0.2], 0.4);
    expect(d.match(/M/g)).toHaveLength(2);
    expect(d.match(/L/g)).toHaveLength(2);
  });

  it("clips values above the scale to the top and draws nothing without values", () => {
    expect(sparkPath([2], 1)).toBe("M2.0 2.0");
    expect(sparkPath([null, null], 1)).toBe("");
    expect(sparkPath([], 1)).toBe("");
  });
});

describe("Sparkline", () => {
  it("is an image named by its sentence, with the rate and threshold as separate paths", () => {
    const points = [
      { minute: 1, rate: 0.01, threshold: 0.06 },
      { minute: 2, rate: 0.5, threshold: 0.06 },
    ];
    expect(sparkTop(points)).toBeCloseTo(0.55, 12);
    const svg = (
      Sparkline({ id: "s", label: "sip-603 on trunk:T1", points }) as unknown as JSXNode
    ).toString();
    expect(svg).toMatch(
      /^<svg class="spark"[^>]* role="img" aria-labelledby="s-title" data-points="2">/,
    );
    expect(svg).toContain('<title id="s-title">sip-603 on trunk:T1</title>');
    expect(svg).toMatch(/<path class="threshold" d="M2.0 [\d.]+L238.0 [\d.]+"/);
    // 0.5 of a 0.55 scale over 44 px of height: 40 px up from the bottom (46).
    expect(svg).toMatch(/<path class="rate" d="M2.0 [\d.]+L238.0 6.0"/);
    expect(svg).not.toContain("style=");
  });

  it("writes rates as percentages", () => {
    expect(percent(0.4812)).toBe("48.1 %");
    expect(percent(null)).toBe("unknown");
  });
});
