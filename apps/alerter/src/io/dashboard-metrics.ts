import type { ActiveAlert, ObserveResult } from "@sipcodes/detect";
import { Counter, Gauge, type Registry } from "prom-client";
import type { CallRecord } from "../domain/event.ts";
import { NamedKeys } from "../domain/named-keys.ts";
import type { DestinationState } from "../domain/readiness.ts";

export interface DashboardSources {
  active(): ActiveAlert[];
  lastEvaluation(): number | null;
  destinations(): ReadonlyMap<string, DestinationState>;
  watchedCodes(): ReadonlySet<number>;
  now(): number;
}

/**
 * Metrics for dashboards: final responses per scope (global, each trunk, the
 * busiest customers, the rest `other`) by code class and by the codes the
 * rules watch; the numbers of each active alert; the last evaluation; the
 * health of each destination. Label values are bounded (`maxTrunks`,
 * `maxCustomers`), so the series count is too.
 */
export function createDashboardMetrics(
  registry: Registry,
  sources: DashboardSources,
  limits: { maxTrunks: number; maxCustomers: number; customerMinCalls: number },
) {
  const responses = new Counter({
    name: "sipcodes_alerter_responses_total",
    help: "Final responses counted by the detector, by scope (global, trunk, customer), key (the trunk or customer; other beyond the limits) and class (2xx..6xx).",
    labelNames: ["scope", "key", "class"] as const,
    registers: [registry],
  });
  const watched = new Counter({
    name: "sipcodes_alerter_watched_responses_total",
    help: "Final responses with a code some rule watches, by scope, key and code.",
    labelNames: ["scope", "key", "code"] as const,
    registers: [registry],
  });
  const trunks = new NamedKeys(limits.maxTrunks, 1);
  const customers = new NamedKeys(limits.maxCustomers, limits.customerMinCalls);
  const children = new Map<string, { inc(): void }>();
  const child = (c: typeof responses | typeof watched, scope: string, key: string, x: string) => {
    const id = `${c === responses ? "r" : "w"}|${scope}|${key}|${x}`;
    let ch = children.get(id);
    if (!ch) {
      ch = c.labels(scope, key, x);
      children.set(id, ch);
    }
    return ch;
  };

  const alertLabels = ["rule", "scope_kind", "scope_key"] as const;
  const set = (g: Gauge<(typeof alertLabels)[number]>, pick: (a: ActiveAlert) => number | null) => {
    g.reset();
    for (const a of sources.active()) {
      const v = pick(a);
      if (v !== null) g.set({ rule: a.rule, scope_kind: a.scope.kind, scope_key: a.scope.key }, v);
    }
  };
  new Gauge({
    name: "sipcodes_alerter_alert_rate",
    help: "Rate of the watched codes in the window of each pending or firing alert, at its last evaluation (0-1).",
    labelNames: alertLabels,
    registers: [registry],
    collect() {
      set(this, (a) => a.reading.rate);
    },
  });
  new Gauge({
    name: "sipcodes_alerter_alert_threshold",
    help: "Fire threshold of each pending or firing alert (0-1).",
    labelNames: alertLabels,
    registers: [registry],
    collect() {
      set(this, (a) => a.reading.threshold);
    },
  });
  new Gauge({
    name: "sipcodes_alerter_alert_firing",
    help: "1 for each firing alert, 0 for each pending one.",
    labelNames: alertLabels,
    registers: [registry],
    collect() {
      set(this, (a) => (a.state === "firing" ? 1 : 0));
    },
  });
  new Gauge({
    name: "sipcodes_alerter_last_evaluation_timestamp_seconds",
    help: "Time of the last evaluation (evaluation clock), seconds since the epoch; 0 before the first.",
    registers: [registry],
    collect() {
      this.set((sources.lastEvaluation() ?? 0) / 1000);
    },
  });
  new Gauge({
    name: "sipcodes_alerter_destination_failing_seconds",
    help: "Seconds each destination has failed every attempt (0 while it delivers).",
    labelNames: ["destination"] as const,
    registers: [registry],
    collect() {
      this.reset();
      const now = sources.now();
      for (const [name, d] of sources.destinations())
        this.set(
          { destination: name },
          d.failingSince === null ? 0 : (now - d.failingSince) / 1000,
        );
    },
  });

  return {
    /** Counts one event the detector judged. */
    observe(e: CallRecord, result: ObserveResult): void {
      if (result !== "accepted") return;
      const cls = `${Math.floor(e.code / 100)}xx`;
      const code = sources.watchedCodes().has(e.code) ? String(e.code) : undefined;
      const scopes: [string, string][] = [["global", "all"]];
      if (e.trunk !== undefined) scopes.push(["trunk", trunks.label(e.trunk)]);
      if (e.customer !== undefined) scopes.push(["customer", customers.label(e.customer)]);
      for (const [scope, key] of scopes) {
        child(responses, scope, key, cls).inc();
        if (code) child(watched, scope, key, code).inc();
      }
    },
  };
}
