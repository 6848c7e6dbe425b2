// The backtest's HTML report in a real browser (the system Chromium through
// playwright-core): the charts the page draws against the same run's --json,
// and axe in light and dark.
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import AxeBuilder from "@axe-core/playwright";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumMissing, launchChromium } from "../../api/test/browser.ts";
import { spikeCsv } from "./_spike.ts";

const bin = fileURLToPath(new URL("../dist/sipcode.cjs", import.meta.url));
const missing = chromiumMissing();
if (missing) {
  if (process.env.CI) throw new Error(`CI must run the browser tests: ${missing}`);
  console.warn(`skipping the browser tests: ${missing}`);
}

interface Transition {
  to: string;
  time: number;
  incidentId: string;
}

/** The built binary with --json and --html on one file: the JSON and the page's URL. */
async function backtest(
  csv: string,
): Promise<{ out: { incidents: number; transitions: Transition[] }; url: string }> {
  const dir = mkdtempSync(join(tmpdir(), "sipcode-report-"));
  const file = join(dir, "calls.csv");
  const page = join(dir, "report.html");
  writeFileSync(file, csv);
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile(
      process.execPath,
      [bin, "alerts", "backtest", file, "--json", "--html", page],
      { maxBuffer: 64 << 20 },
      (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)),
    ),
  );
  return { out: JSON.parse(stdout), url: pathToFileURL(page).href };
}

describe.skipIf(missing !== undefined)("the backtest report in Chromium", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("draws, per incident, rate, threshold and baseline paths with a point per evaluation", async () => {
    // A spike on every trunk, then a later one on one trunk: two incidents.
    const csv = spikeCsv({ minutes: 300, from: 150, to: 170 });
    const second = spikeCsv({ minutes: 300, from: 240, to: 260, trunk: "trunk-1" });
    const lines = second.trimEnd().split("\n");
    const merged = csv
      .trimEnd()
      .split("\n")
      .map((line, i) => (i > 240 * 60 ? lines[i]! : line))
      .join("\n");
    const { out, url } = await backtest(`${merged}\n`);
    expect(out.incidents).toBe(2);
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(url);
    const charts = await page.locator("svg.chart").evaluateAll((svgs) =>
      svgs.map((svg) => ({
        alert: svg.getAttribute("data-alert"),
        label: svg.getAttribute("aria-labelledby"),
        title: svg.querySelector("title")?.textContent ?? "",
        paths: Object.fromEntries(
          [...svg.querySelectorAll("path.series")].map((p) => [
            p.getAttribute("data-series"),
            {
              points: Number(p.getAttribute("data-points")),
              // Vertices of the path as the browser parsed it.
              vertices: (p.getAttribute("d") ?? "").match(/[ML]/g)?.length ?? 0,
              length: (p as unknown as { getTotalLength(): number }).getTotalLength(),
            },
          ]),
        ),
        marks: [...svg.querySelectorAll("g.mark")].map((g) => g.getAttribute("data-state")),
      })),
    );
    expect(charts).toHaveLength(out.incidents);
    for (const chart of charts) {
      expect(chart.title).toMatch(/^Incident \d: sip-603 on /);
      expect(chart.label).toMatch(/-t .*-d$/);
      const mine = out.transitions.filter((t) => t.incidentId === chart.alert);
      const pending = mine.find((t) => t.to === "pending")!;
      const resolved = mine.find((t) => t.to === "resolved")!;
      const judged = (resolved.time - pending.time) / 60_000 + 1;
      for (const name of ["rate", "threshold", "baseline"]) {
        const path = chart.paths[name]!;
        expect(path.vertices).toBe(path.points);
        expect(path.length).toBeGreaterThan(0);
      }
      // The levels span the rate's lead-in and tail too (the levels the alert was judged by).
      expect(chart.paths.rate!.points).toBeGreaterThan(judged);
      expect(chart.paths.threshold!.points).toBe(chart.paths.rate!.points);
      expect(chart.paths.baseline!.points).toBe(chart.paths.rate!.points);
      expect(chart.marks).toEqual(["firing", "resolved"]);
    }
    await context.close();
  });

  it("has no serious or critical axe violation, in light and in dark", async () => {
    const { url } = await backtest(spikeCsv());
    for (const colorScheme of ["light", "dark"] as const) {
      const context = await browser.newContext({ colorScheme });
      const page = await context.newPage();
      await page.goto(url);
      const result = await new AxeBuilder({ page }).analyze();
      const bad = result.violations
        .filter((v) => v.impact === "serious" || v.impact === "critical")
        .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
      expect(bad, colorScheme).toEqual([]);
      await context.close();
    }
  });
});
