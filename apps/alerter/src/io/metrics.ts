import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

export interface MetricSources {
  alertsByState(): Record<string, number>;
  outboxCounts(): Promise<Record<string, number>>;
}

/** The alerter's Prometheus metrics, in their own registry (so tests can run several alerters). */
export function createMetrics(sources: MetricSources) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "sipcodes_alerter_" });
  const events = new Counter({
    name: "sipcodes_alerter_events_total",
    help: "Events received, by result: accepted (counted by the detector), ignored (1xx), late (older than any window), future (too far ahead), invalid, duplicate (id seen before), rejected (invalid line).",
    labelNames: ["result", "source"] as const,
    registers: [registry],
  });
  const unauthorized = new Counter({
    name: "sipcodes_alerter_unauthorized_requests_total",
    help: "Ingest requests refused with 401 (missing, bad or old signature or token); nothing in them is counted.",
    labelNames: ["source"] as const,
    registers: [registry],
  });
  const throttled = new Counter({
    name: "sipcodes_alerter_throttled_requests_total",
    help: "Ingest requests refused under overload, by status (429 rate, 503 busy).",
    labelNames: ["status"] as const,
    registers: [registry],
  });
  new Gauge({
    name: "sipcodes_alerter_alerts",
    help: "Alerts by state (pending, firing) at the last evaluation.",
    labelNames: ["state"] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [state, n] of Object.entries(sources.alertsByState())) this.set({ state }, n);
    },
  });
  const transitions = new Counter({
    name: "sipcodes_alerter_alert_transitions_total",
    help: "Alert state changes, by the state entered.",
    labelNames: ["state"] as const,
    registers: [registry],
  });
  const notifications = new Counter({
    name: "sipcodes_alerter_notifications_total",
    help: "Notifications decided, by reason (new, update, repeat).",
    labelNames: ["reason"] as const,
    registers: [registry],
  });
  const deliveries = new Counter({
    name: "sipcodes_alerter_deliveries_total",
    help: "Delivery attempts by destination and outcome (delivered, retry, dead).",
    labelNames: ["destination", "outcome"] as const,
    registers: [registry],
  });
  new Gauge({
    name: "sipcodes_alerter_outbox_messages",
    help: "Outbox messages by status (pending = outbox depth, dead = dead letters).",
    labelNames: ["status"] as const,
    registers: [registry],
    async collect() {
      const counts = await sources.outboxCounts();
      this.reset();
      for (const [status, n] of Object.entries(counts)) this.set({ status }, n);
    },
  });
  const evaluation = new Histogram({
    name: "sipcodes_alerter_evaluation_seconds",
    help: "Time of one evaluation of every rule and scope, including its commit.",
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [registry],
  });
  const streamLag = new Histogram({
    name: "sipcodes_alerter_stream_lag_seconds",
    help: "Redis mode, on the evaluator: from an event's append to the stream (the ingest node's clock) to the evaluator counting it; the oldest event of each batch counted.",
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
    registers: [registry],
  });
  return {
    registry,
    events,
    streamLag,
    unauthorized,
    throttled,
    transitions,
    notifications,
    deliveries,
    evaluation,
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
