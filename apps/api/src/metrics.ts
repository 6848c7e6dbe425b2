/**
 * Prometheus metrics of the Node server (GET /metrics): requests by route
 * template, method and status, and their latency. Node only: a Worker's
 * requests are counted by the platform.
 */
import { collectDefaultMetrics, Histogram, Registry } from "prom-client";

export class Metrics {
  readonly registry = new Registry();
  readonly #duration = new Histogram({
    name: "sipcodes_http_request_duration_seconds",
    help: "Time from request to the end of the answer, by route template, method and status; its _count is the request count.",
    labelNames: ["route", "method", "status"] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: "sipcodes_" });
  }

  /** One histogram child per label set, so a sample costs one Map lookup, not a label hash. */
  readonly #children = new Map<string, { observe(value: number): void }>();

  observe(route: string, method: string, status: number, seconds: number): void {
    const key = `${route} ${method} ${status}`;
    let child = this.#children.get(key);
    if (!child) {
      child = this.#duration.labels(route, method, String(status));
      this.#children.set(key, child);
    }
    child.observe(seconds);
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
