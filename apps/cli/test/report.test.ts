// `sipcode alerts backtest --html` on the built binary: the page's numbers
// against the same run's --json, escaping, an empty run, thinning and errors.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { spikeCsv } from "./_spike.ts";

const bin = fileURLToPath(new URL("../dist/sipcode.cjs", import.meta.url));

function sipcode(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { env: { PATH: process.env.PATH ?? "" }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) =>
        resolve({
          code: error ? (typeof error.code === "number" ? error.code : 1) : 0,
          stdout,
          stderr,
        }),
    );
  });
}

interface Transition {
  rule: string;
  scope: { key: string };
  from: string;
  to: string;
  time: number;
  incidentId: string;
  rate: number;
  wilsonLower: number;
  baseline: number;
  threshold: number;
  resolveThreshold: number;
}

/** Runs the backtest with --json and --html in one run: the JSON, the page and stderr. */
async function backtest(csv: string, ...extra: string[]) {
  const dir = mkdtempSync(join(tmpdir(), "sipcode-report-"));
  const file = join(dir, "calls.csv");
  const page = join(dir, "report.html");
  writeFileSync(file, csv);
  const r = await sipcode(["alerts", "backtest", file, "--json", "--html", page, ...extra]);
  expect(r.code).toBe(0);
  return { out: JSON.parse(r.stdout), html: readFileSync(page, "utf8"), stderr: r.stderr, file };
}

const attrs = (tag: string) =>
  Object.fromEntries([...tag.matchAll(/([\w-]+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));

interface Path {
  points: number;
  vertices: [number, number][];
}

/** Each chart: its attributes, its paths' vertices by series, its marks' attributes. */
function charts(html: string) {
  return [...html.matchAll(/<svg class="chart"[^>]*>[\s\S]*?<\/svg>/g)].map(([svg]) => {
    const paths: Record<string, Path> = Object.fromEntries(
      [...svg.matchAll(/<path class="series [^"]*"[^>]*>/g)].map(([tag]) => {
        const a = attrs(tag);
        const vertices = [...(a.d ?? "").matchAll(/[ML]([\d.]+) ([\d.]+)/g)].map(
          (m): [number, number] => [Number(m[1]), Number(m[2])],
        );
        return [a["data-series"], { points: Number(a["data-points"]), vertices }];
      }),
    );
    const marks = [...svg.matchAll(/<g class="mark[^>]*>/g)].map(([tag]) => attrs(tag));
    return { svg: attrs(svg.slice(0, svg.indexOf(">") + 1)), paths, marks };
  });
}

describe("sipcode alerts backtest --html", () => {
  it("draws one chart per incident, through the detector's numbers of the same run's --json", async () => {
    const { out, html, stderr } = await backtest(spikeCsv());
    const found = charts(html);
    expect(out.incidents).toBeGreaterThan(0);
    expect(found).toHaveLength(out.incidents);
    for (const chart of found) {
      const alert = chart.svg["data-alert"];
      const mine = (out.transitions as Transition[]).filter((t) => t.incidentId === alert);
      const pending = mine.find((t) => t.to === "pending")!;
      const resolved = mine.find((t) => t.to === "resolved")!;
      // Every evaluation from pending to resolved (one a minute) has the detector's reading, and
      // the rate a lead-in before pending and a tail after resolving besides.
      const judged = (resolved.time - pending.time) / 60_000 + 1;
      const points = chart.paths.rate!.points;
      expect(chart.paths.rate?.vertices).toHaveLength(points);
      expect(points).toBeGreaterThan(judged);
      // The levels span the lead-in and the tail too: those the alert was judged by.
      for (const name of ["threshold", "resolve-threshold", "baseline"]) {
        expect(chart.paths[name]?.points).toBe(points);
        expect(chart.paths[name]?.vertices).toHaveLength(points);
      }
      // The marks carry the transitions' numbers exactly.
      const marks = mine.filter((t) => t.to === "firing" || t.to === "resolved");
      expect(chart.marks.map((m) => m["data-state"])).toEqual(marks.map((t) => t.to));
      marks.forEach((t, i) => {
        const m = chart.marks[i]!;
        expect(m["data-time"]).toBe(new Date(t.time).toISOString().replace(".000Z", "Z"));
        expect(Number(m["data-rate"])).toBe(t.rate);
        expect(Number(m["data-wilson"])).toBe(t.wilsonLower);
        expect(Number(m["data-threshold"])).toBe(t.threshold);
        expect(Number(m["data-baseline"])).toBe(t.baseline);
      });
      // The paths go through those numbers on the chart's own scale.
      const yMax = Number(chart.svg["data-y-max"]);
      const t0 = Number(chart.svg["data-t0"]);
      const t1 = Number(chart.svg["data-t1"]);
      const x = (t: number) => 64 + ((t - t0) / (t1 - t0)) * (760 - 64 - 16);
      const y = (v: number) => 18 + (260 - 18 - 40) - (v / yMax) * (260 - 18 - 40);
      for (const t of marks) {
        const at = (name: string) =>
          chart.paths[name]!.vertices.find(([vx]) => Math.abs(vx! - x(t.time)) < 0.06);
        expect(at("rate")?.[1]).toBeCloseTo(y(t.rate), 0);
        expect(at("wilson")?.[1]).toBeCloseTo(y(t.wilsonLower), 0);
        expect(at("threshold")?.[1]).toBeCloseTo(y(t.threshold), 0);
        expect(at("resolve-threshold")?.[1]).toBeCloseTo(y(t.resolveThreshold), 0);
        expect(at("baseline")?.[1]).toBeCloseTo(y(t.baseline), 0);
      }
      // Before pending, at the chart's first evaluation: the levels of the pending reading.
      const [first] = chart.paths.threshold!.vertices;
      expect(first?.[0]).toBeCloseTo(64, 0);
      expect(first?.[1]).toBeCloseTo(y(pending.threshold), 0);
      expect(chart.paths.baseline!.vertices[0]?.[1]).toBeCloseTo(y(pending.baseline), 0);
    }
    // The summary table holds the run's figures.
    expect(html).toContain(
      `<th scope="row">Rows read</th><td>${out.rowsRead.toLocaleString("en-US")}</td>`,
    );
    expect(html).toContain(`<th scope="row">Incidents</th><td>${out.incidents}</td>`);
    expect(html).toMatch(/<html lang="en">/);
    expect(html).not.toMatch(/<script|<link|src=|href="http/);
    // The reader's choice, on stderr and in the JSON, as sipcode stats prints it.
    expect(out.detected).toMatchObject({ format: "generic", auto: true });
    expect(stderr).toContain(`format generic (auto: ${out.detected.why})`);
  });

  it("escapes every label taken from the data", async () => {
    const evil = `<img src=x onerror="alert('&')">`;
    const { out, html } = await backtest(
      spikeCsv({ trunks: ["trunk-0", "trunk-1", evil], trunk: evil }),
    );
    expect(out.transitions.some((t: Transition) => t.scope.key === `trunk:${evil}`)).toBe(true);
    expect(html).not.toContain("<img");
    expect(html).toContain("trunk:&lt;img src=x onerror=&quot;alert(&#39;&amp;&#39;)&quot;&gt;");
  });

  it("says so when nothing fired", async () => {
    const { out, html, stderr } = await backtest(spikeCsv({ from: 0, to: 0 }));
    expect(out.incidents).toBe(0);
    expect(charts(html)).toHaveLength(0);
    expect(html).toContain(
      "No incident: with these rules, no alert would have fired on this file.",
    );
    expect(stderr).toMatch(/report written to .*report\.html/);
  });

  it("thins a long incident to a bounded number of points, keeping every state change", async () => {
    // Eight hours of firing at one evaluation a minute: 480 evaluations.
    const { out, html } = await backtest(spikeCsv({ minutes: 660, from: 150, to: 630 }));
    const [chart] = charts(html);
    expect(chart).toBeDefined();
    const pending = (out.transitions as Transition[]).find(
      (t) => t.incidentId === chart!.svg["data-alert"] && t.to === "pending",
    )!;
    expect(out.transitions.length).toBeGreaterThan(0);
    for (const path of Object.values(chart!.paths)) {
      expect(path.vertices).toHaveLength(path.points);
      expect(path.points).toBeLessThanOrEqual(300 + 4);
    }
    expect(chart!.paths.threshold!.points).toBeGreaterThan(100);
    expect(chart!.marks.map((m) => m["data-state"])).toContain("firing");
    expect(pending).toBeDefined();
    expect(html).toMatch(/of [\d,]+ evaluations shown/);
    expect(Buffer.byteLength(html)).toBeLessThan(200_000);
  });

  it("refuses a report path it cannot write, before reading the file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sipcode-report-"));
    const file = join(dir, "calls.csv");
    writeFileSync(file, spikeCsv({ minutes: 5 }));
    for (const [page, why] of [
      [join(dir, "missing", "r.html"), "no such folder"],
      [dir, "is a directory"],
    ] as const) {
      const r = await sipcode(["alerts", "backtest", file, "--html", page]);
      expect([r.code, r.stdout]).toEqual([2, ""]);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toContain(why);
    }
  });
});
