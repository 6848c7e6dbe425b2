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
  // Plain tallies per event (scope → key → class or code), read into the counters at each
  // scrape: a prom-client label lookup per event cost as much as the detector at ingest rates.
  const scopes = ["global", "trunk", "customer"] as const;
  const byClass = new Map<string, Map<string, number[]>>(scopes.map((s) => [s, new Map()]));
  const byCode = new Map<string, Map<string, Map<number, number>>>(
    scopes.map((s) => [s, new Map()]),
  );
  new Counter({
    name: "sipcodes_alerter_responses_total",
    help: "Final responses counted by the detector, by scope (global, trunk, customer), key (the trunk or customer; other beyond the limits) and class (2xx..6xx).",
    labelNames: ["scope", "key", "class"] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [scope, keys] of byClass)
        for (const [key, counts] of keys)
          counts.forEach((n, c) => {
            if (n > 0) this.inc({ scope, key, class: `${c}xx` }, n);
          });
    },
  });
  new Counter({
    name: "sipcodes_alerter_watched_responses_total",
    help: "Final responses with a code some rule watches, by scope, key and code.",
    labelNames: ["scope", "key", "code"] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [scope, keys] of byCode)
        for (const [key, codes] of keys)
          for (const [code, n] of codes) this.inc({ scope, key, code: String(code) }, n);
    },
  });
  const tally = (scope: string, key: string, cls: number, code: number | undefined) => {
    const keys = byClass.get(scope)!;
    let counts = keys.get(key);
    if (!counts) {
      counts = [0, 0, 0, 0, 0, 0, 0];
      keys.set(key, counts);
    }
    counts[cls] = (counts[cls] ?? 0) + 1;
    if (code === undefined) return;
    const codeKeys = byCode.get(scope)!;
    let codes = codeKeys.get(key);
    if (!codes) {
      codes = new Map();
      codeKeys.set(key, codes);
    }
    codes.set(code, (codes.get(code) ?? 0) + 1);
  };
  const trunks = new NamedKeys(limits.maxTrunks, 1);
  const customers = new NamedKeys(limits.maxCustomers, limits.customerMinCalls);

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
      const cls = Math.floor(e.code / 100);
      const code = sources.watchedCodes().has(e.code) ? e.code : undefined;
      tally("global", "all", cls, code);
      if (e.trunk !== undefined) tally("trunk", trunks.label(e.trunk), cls, code);
      if (e.customer !== undefined) tally("customer", customers.label(e.customer), cls, code);
    },
  };
}
