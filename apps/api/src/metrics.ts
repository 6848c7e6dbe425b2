/**
 * Prometheus metrics of the Node server (GET /metrics): requests by route
 * template, method and status, and their latency. Node only: a Worker's
 * requests are counted by the platform.
 *
 * A request is counted in plain numbers (a bucket array per series, found
 * through nested maps by the route, method and status values themselves),
 * and prom-client reads them only when /metrics is scraped: prom-client's own
 * Histogram hashes the label set on every observe, the largest cost the edge
 * added to the hottest route (see BENCHMARKS.md).
 */
import { Counter, collectDefaultMetrics, Gauge, type Metric, Registry } from "prom-client";
import type { AnswerCacheStats } from "./answer-cache.ts";
import type { CompressionStats } from "./compression.ts";

const NAME = "sipcodes_http_request_duration_seconds";
const HELP =
  "Time from request to the end of the answer, by route template, method and status; its _count is the request count.";
const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] as const;

interface Series {
  labels: { route: string; method: string; status: string };
  /** Per bucket, the samples that fell in it (not cumulative; made cumulative when read). */
  counts: number[];
  sum: number;
  count: number;
}

interface Sample {
  metricName: string;
  labels: Record<string, string | number>;
  value: number;
}

export class Metrics {
  readonly registry = new Registry();
  readonly #series = new Map<string, Map<string, Map<number, Series>>>();
  /** Every series in the order first seen, the order prom-client writes them. */
  readonly #all: Series[] = [];

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: "sipcodes_" });
    // A prom-client metric in all but storage: the registry formats what it returns.
    const durations = {
      name: NAME,
      help: HELP,
      type: "histogram",
      aggregator: "sum",
      get: async () => ({ name: NAME, help: HELP, type: "histogram", values: this.#samples() }),
      getForPromString: async () => ({
        name: NAME,
        help: HELP,
        type: "histogram",
        values: this.#samples(),
      }),
      reset: () => {
        this.#series.clear();
        this.#all.length = 0;
      },
    };
    this.registry.registerMetric(durations as unknown as Metric);
  }

  observe(route: string, method: string, status: number, seconds: number): void {
    let byMethod = this.#series.get(route);
    if (!byMethod) {
      byMethod = new Map();
      this.#series.set(route, byMethod);
    }
    let byStatus = byMethod.get(method);
    if (!byStatus) {
      byStatus = new Map();
      byMethod.set(method, byStatus);
    }
    let series = byStatus.get(status);
    if (!series) {
      series = {
        labels: { route, method, status: String(status) },
        counts: BUCKETS.map(() => 0),
        sum: 0,
        count: 0,
      };
      byStatus.set(status, series);
      this.#all.push(series);
    }
    series.count++;
    series.sum += seconds;
    for (let i = 0; i < BUCKETS.length; i++) {
      if (seconds <= (BUCKETS[i] as number)) {
        (series.counts[i] as number)++;
        break;
      }
    }
  }

  /** The series as Prometheus samples, in the order and label order prom-client's Histogram writes. */
  #samples(): Sample[] {
    const out: Sample[] = [];
    for (const s of this.#all) {
      let cumulative = 0;
      BUCKETS.forEach((le, i) => {
        cumulative += s.counts[i] ?? 0;
        out.push({ metricName: `${NAME}_bucket`, labels: { le, ...s.labels }, value: cumulative });
      });
      out.push({
        metricName: `${NAME}_bucket`,
        labels: { le: "+Inf", ...s.labels },
        value: s.count,
      });
      out.push({ metricName: `${NAME}_sum`, labels: { ...s.labels }, value: s.sum });
      out.push({ metricName: `${NAME}_count`, labels: { ...s.labels }, value: s.count });
    }
    return out;
  }

  /**
   * Exposes the whole-answer cache, read when scraped:
   * `sipcodes_http_answer_cache_total{result="hit|miss"}` (GET requests it could
   * answer or keep), and the entries and bytes it keeps.
   */
  watchAnswers(read: () => AnswerCacheStats): void {
    this.#watchCache(
      {
        name: "sipcodes_http_answer_cache_total",
        help: "GET requests the whole-answer cache was asked about, by whether it held the answer (hit) or the app answered (miss).",
        label: "result",
        values: () => {
          const { hits, misses } = read();
          return { hit: hits, miss: misses };
        },
      },
      [
        {
          name: "sipcodes_http_answer_cache_entries",
          help: "Answers kept by the whole-answer cache.",
          value: () => read().entries,
        },
        {
          name: "sipcodes_http_answer_cache_bytes",
          help: "Body bytes kept by the whole-answer cache.",
          value: () => read().bytes,
        },
      ],
    );
  }

  /**
   * Exposes the compressed-body cache, read when scraped:
   * `sipcodes_http_compressions_total{cache="hit|miss|uncached"}` and the bytes it keeps.
   */
  watchCompression(read: () => CompressionStats): void {
    this.#watchCache(
      {
        name: "sipcodes_http_compressions_total",
        help: "Answers sent compressed, by whether the compressed body came from the cache (hit), was made and kept (miss), or was made for an answer without a strong ETag (uncached).",
        label: "cache",
        values: () => {
          const { hits, misses, uncached } = read();
          return { hit: hits, miss: misses, uncached };
        },
      },
      [
        {
          name: "sipcodes_http_compressed_cache_bytes",
          help: "Bytes of compressed bodies kept for answers with a strong ETag.",
          value: () => read().bytes,
        },
      ],
    );
  }

  /** A cache's counter by one label, and its gauges, each read from the cache when scraped. */
  #watchCache(
    counter: { name: string; help: string; label: string; values: () => Record<string, number> },
    gauges: { name: string; help: string; value: () => number }[],
  ): void {
    new Counter({
      name: counter.name,
      help: counter.help,
      labelNames: [counter.label],
      registers: [this.registry],
      collect() {
        const values = counter.values();
        this.reset();
        for (const [value, count] of Object.entries(values))
          this.inc({ [counter.label]: value }, count);
      },
    });
    for (const gauge of gauges) {
      new Gauge({
        name: gauge.name,
        help: gauge.help,
        registers: [this.registry],
        collect() {
          this.set(gauge.value());
        },
      });
    }
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
