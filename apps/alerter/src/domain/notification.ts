import { type Explanation, explain } from "@sipcodes/core";
import type { Contributor, Reading, Rule, ScopeRef } from "@sipcodes/detect";
import type { AlertView, PlannedNotification } from "./grouping.ts";
import type { AlertLabels } from "./silence.ts";

/** The numbers behind a decision, as notifications carry them (rates are fractions 0–1). */
export type AlertNumbers = Omit<Reading, "status">;

export interface AlertPayload {
  incidentId: string;
  status: "firing" | "resolved";
  rule: string;
  codes: number[];
  labels: AlertLabels;
  scope: ScopeRef;
  /** One line a person reads first. */
  summary: string;
  since: string;
  firedAt: string;
  resolvedAt: string | null;
  evaluatedAt: string;
  numbers: AlertNumbers;
  contributors: Contributor[];
  /** The core's explanation of each code of the rule, under the configured profile. */
  explanations: Explanation[];
}

/** The generic webhook's JSON body; the chat and paging formats are rendered from it. */
export interface NotificationPayload {
  version: "1";
  type: "alert.firing" | "alert.resolved";
  id: string;
  status: "firing" | "resolved";
  reason: PlannedNotification["reason"];
  groupKey: string;
  groupLabels: AlertLabels;
  time: string;
  profile: string;
  alerts: AlertPayload[];
}

export const pct = (x: number | null): string => (x === null ? "n/a" : `${(x * 100).toFixed(1)}%`);
const iso = (ms: number) => new Date(ms).toISOString();

export function scopeText(scope: ScopeRef): string {
  switch (scope.kind) {
    case "global":
      return "all traffic";
    case "trunk":
      return `trunk ${scope.trunk}`;
    case "trunk_direction":
      return `trunk ${scope.trunk} (${scope.direction})`;
    case "customer":
      return `customer ${scope.customer}`;
  }
}

/** Explains codes under one profile, cached: the same few codes come back every evaluation. */
export class Explainer {
  private readonly cache = new Map<string, Explanation>();
  constructor(readonly profile: string) {
    explain(200, { profile }); // fails now, not at the first alert, on an unknown profile
  }
  get(code: number, direction?: "inbound" | "outbound"): Explanation {
    const key = `${code}:${direction ?? ""}`;
    let e = this.cache.get(key);
    if (!e) {
      e = explain(code, { profile: this.profile, ...(direction ? { direction } : {}) });
      this.cache.set(key, e);
    }
    return e;
  }
}

function alertSummary(
  a: AlertView,
  codes: readonly number[],
  first: Explanation | undefined,
): string {
  const r = a.reading;
  const name = first
    ? `${codes.join("/")} ${first.profilePhrase ?? first.phrase}`
    : codes.join("/");
  if (a.status === "resolved") {
    return `Resolved: ${name} on ${scopeText(a.scope)} back to ${pct(r.rate)} of ${r.calls} calls in ${r.windowMinutes} min`;
  }
  return (
    `${name} on ${scopeText(a.scope)}: ${r.count} of ${r.calls} calls (${pct(r.rate)}) in ${r.windowMinutes} min, ` +
    `99% lower bound ${pct(r.wilsonLower)} > threshold ${pct(r.threshold)} (baseline ${pct(r.baseline)})`
  );
}

/** Builds the generic payload of a planned notification: alerts with their explanations and numbers. */
export function buildPayload(
  n: PlannedNotification,
  rules: readonly Rule[],
  explainer: Explainer,
): NotificationPayload {
  const alerts = n.alerts.map((a): AlertPayload => {
    const codes = [...(rules.find((r) => r.id === a.rule)?.codes ?? [])];
    const explanations = codes.map((c) => explainer.get(c, a.scope.direction));
    return {
      incidentId: a.incidentId,
      status: a.status,
      rule: a.rule,
      codes,
      labels: a.labels,
      scope: a.scope,
      summary: alertSummary(a, codes, explanations[0]),
      since: iso(a.since),
      firedAt: iso(a.firedAt),
      resolvedAt: a.resolvedAt === null ? null : iso(a.resolvedAt),
      evaluatedAt: iso(a.evaluatedAt),
      numbers: { ...a.reading },
      contributors: a.contributors,
      explanations,
    };
  });
  return {
    version: "1",
    type: n.status === "firing" ? "alert.firing" : "alert.resolved",
    id: n.id,
    status: n.status,
    reason: n.reason,
    groupKey: n.groupKey,
    groupLabels: n.groupLabels,
    time: iso(n.time),
    profile: explainer.profile,
    alerts,
  };
}
