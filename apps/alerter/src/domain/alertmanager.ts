import type { ActiveAlert, Reading, Rule, ScopeRef, Transition } from "@sipcodes/detect";
import { type Explainer, pct, scopeText } from "./notification.ts";

/**
 * Alerts for Prometheus Alertmanager's `POST /api/v2/alerts` (the
 * `postableAlerts` schema: labels, annotations, startsAt, endsAt,
 * generatorURL). Alertmanager groups, routes, silences and repeats on its
 * own, so this bypasses the alerter's grouping: every firing alert is sent
 * at each change and re-sent every `resendMs` with `endsAt` a few resends
 * ahead (on the wall clock), the way Prometheus does, so an alerter that stops talking lets its
 * alerts expire instead of firing for ever; a resolved alert is sent once
 * with `endsAt` at its resolve time. Pure: time comes in as `now`.
 */

export interface AlertmanagerAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL?: string;
}

export interface AlertmanagerContext {
  rules: readonly Rule[];
  explainer: Explainer;
  /** Only these rule ids (a destination's `rules` filter); undefined: every rule. */
  ruleFilter?: readonly string[] | undefined;
  /** The alerter's external URL, for `generatorURL`. */
  alerterUrl?: string | undefined;
  /** Re-send interval of firing alerts. */
  resendMs: number;
}

/** `endsAt` of a firing alert: this many resends ahead (Prometheus uses 4 × its resend delay). */
export const ENDS_AFTER_RESENDS = 4;

const iso = (ms: number) => new Date(ms).toISOString();

/** Labels that identify an alert: the same while it fires and when it resolves (one fingerprint). */
export function alertmanagerLabels(
  rule: string,
  codes: readonly number[],
  scope: ScopeRef,
  profile: string,
): Record<string, string> {
  const labels: Record<string, string> = {
    alertname: `sipcodes_${rule.replace(/[^A-Za-z0-9_]/g, "_")}`,
    rule,
    code: codes.join("|"),
    scope_kind: scope.kind,
    scope_key: scope.key,
    profile,
    source: "sipcodes-alerter",
  };
  if (scope.trunk !== undefined) labels.trunk = scope.trunk;
  if (scope.direction !== undefined) labels.direction = scope.direction;
  if (scope.customer !== undefined) labels.customer = scope.customer;
  return labels;
}

function annotations(
  codes: readonly number[],
  scope: ScopeRef,
  reading: Reading,
  ctx: AlertmanagerContext,
  resolved: boolean,
): Record<string, string> {
  const e = codes[0] === undefined ? undefined : ctx.explainer.get(codes[0], scope.direction);
  const name = e ? `${codes.join("/")} ${e.profilePhrase ?? e.phrase}` : codes.join("/");
  const summary = resolved
    ? `Resolved: ${name} on ${scopeText(scope)} back to ${pct(reading.rate)} of ${reading.calls} calls in ${reading.windowMinutes} min`
    : `${name} on ${scopeText(scope)}: ${reading.count} of ${reading.calls} calls (${pct(reading.rate)}) in ${reading.windowMinutes} min, above ${pct(reading.threshold)} (baseline ${pct(reading.baseline)})`;
  const out: Record<string, string> = {
    summary,
    calls: String(reading.calls),
    count: String(reading.count),
    rate: String(reading.rate),
    wilson_lower: String(reading.wilsonLower),
    threshold: reading.threshold === null ? "" : String(reading.threshold),
    baseline: reading.baseline === null ? "" : String(reading.baseline),
    window_minutes: String(reading.windowMinutes),
  };
  if (e?.summary) out.meaning = e.summary;
  const actions = (e?.operator?.actions ?? []).map((a) => a.text);
  if (actions.length > 0) out.action = actions.join("\n");
  for (const k of Object.keys(out)) if (out[k] === "") delete out[k];
  return out;
}

function codesOf(ctx: AlertmanagerContext, rule: string): number[] {
  return [...(ctx.rules.find((r) => r.id === rule)?.codes ?? [])];
}

function generator(ctx: AlertmanagerContext, incidentId: string): { generatorURL?: string } {
  if (!ctx.alerterUrl) return {};
  return {
    generatorURL: `${ctx.alerterUrl.replace(/\/$/, "")}/v1/alerts?incident=${encodeURIComponent(incidentId)}`,
  };
}

/**
 * The alerts to post at the evaluation at `now`, or [] when nothing is due:
 * something fired or resolved in `transitions`, or `resendMs` passed since
 * `lastSent` while alerts fire.
 */
export function alertmanagerBatch(input: {
  /** Evaluation time. */
  now: number;
  /** Wall-clock time: `endsAt` of firing alerts counts from it (Alertmanager runs on the wall clock). */
  wallNow: number;
  lastSent: number | undefined;
  active: readonly ActiveAlert[];
  transitions: readonly Transition[];
  ctx: AlertmanagerContext;
}): AlertmanagerAlert[] {
  const { now, lastSent, ctx } = input;
  const wanted = (rule: string) => !ctx.ruleFilter || ctx.ruleFilter.includes(rule);
  const firing = input.active.filter((a) => a.state === "firing" && wanted(a.rule));
  const resolved = input.transitions.filter(
    (t) => t.to === "resolved" && t.from === "firing" && wanted(t.rule),
  );
  const changed =
    resolved.length > 0 || input.transitions.some((t) => t.to === "firing" && wanted(t.rule));
  const resendDue = firing.length > 0 && (lastSent === undefined || now - lastSent >= ctx.resendMs);
  if (!changed && !resendDue) return [];
  const profile = ctx.explainer.profile;
  const out: AlertmanagerAlert[] = [];
  for (const a of firing) {
    const codes = codesOf(ctx, a.rule);
    out.push({
      labels: alertmanagerLabels(a.rule, codes, a.scope, profile),
      annotations: annotations(codes, a.scope, a.reading, ctx, false),
      startsAt: iso(a.since),
      endsAt: iso(input.wallNow + ENDS_AFTER_RESENDS * ctx.resendMs),
      ...generator(ctx, a.incidentId),
    });
  }
  for (const t of resolved) {
    const codes = codesOf(ctx, t.rule);
    out.push({
      labels: alertmanagerLabels(t.rule, codes, t.scope, profile),
      annotations: annotations(codes, t.scope, t, ctx, true),
      startsAt: iso(t.since),
      endsAt: iso(t.time),
      ...generator(ctx, t.incidentId),
    });
  }
  return out;
}
