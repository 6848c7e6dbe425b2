import { Histogram, Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { Metrics } from "./metrics.ts";

/** The duration lines of a /metrics text (the default process metrics vary from run to run). */
const durations = (text: string) =>
  text
    .split("\n")
    .filter((l) => l.includes("sipcodes_http_request_duration_seconds"))
    .join("\n");

describe("Metrics", () => {
  it("writes the same text as prom-client's own Histogram fed the same samples", async () => {
    const ours = new Metrics();
    const registry = new Registry();
    const theirs = new Histogram({
      name: "sipcodes_http_request_duration_seconds",
      help: "Time from request to the end of the answer, by route template, method and status; its _count is the request count.",
      labelNames: ["route", "method", "status"] as const,
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    });
    const routes = ["/v1/codes/{code}", "/healthz", "unmatched"];
    const methods = ["GET", "HEAD", "POST"];
    const statuses = [200, 304, 404, 429];
    // Deterministic pseudo-random samples, including bucket edges and values past the last bucket.
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const edges = [0.0005, 0.001, 0.01, 2.5, 3, 0];
    for (let i = 0; i < 500; i++) {
      const route = routes[Math.floor(next() * routes.length)] as string;
      const method = methods[Math.floor(next() * methods.length)] as string;
      const status = statuses[Math.floor(next() * statuses.length)] as number;
      const seconds = i % 10 === 0 ? (edges[i % edges.length] as number) : next() ** 4 * 3;
      ours.observe(route, method, status, seconds);
      theirs.labels(route, method, String(status)).observe(seconds);
    }
    const expected = durations(await registry.metrics());
    expect(expected.split("\n").length).toBeGreaterThan(100);
    expect(durations(await ours.text())).toBe(expected);
  });

  it("keeps the process metrics beside the request durations", async () => {
    const text = await new Metrics().text();
    expect(text).toMatch(/^sipcodes_process_cpu_user_seconds_total \d/m);
    expect(text).toContain("# TYPE sipcodes_http_request_duration_seconds histogram");
  });
});
