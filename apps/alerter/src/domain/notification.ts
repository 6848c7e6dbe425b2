import { type Explanation, explain } from "@sipcodes/core";
import {
  type Contributor,
  type Direction,
  episodeId,
  type PhraseCount,
  type Reading,
  type Rule,
  type ScopeRef,
} from "@sipcodes/detect";
import type { AlertView, PlannedNotification } from "./grouping.ts";
import type { AlertLabels } from "./silence.ts";

/** The numbers behind a decision, as notifications carry them (rates are fractions 0–1). */
export type AlertNumbers = Omit<Reading, "status">;

export interface AlertPayload {
  /** The alert's id: `${rule}:${scope key}:${time it went pending}`, kept by a re-fire within the rule's cooldown. */
  incidentId: string;
  /**
   * This episode's own id, `${rule}:${scope key}:${since}` (ms): the same as
   * `incidentId` unless the alert re-fired within its cooldown, never reused.
   * With grouping by labels it is the PagerDuty `dedup_key`.
   */
  episodeId: string;
  status: "firing" | "resolved";
  rule: string;
  codes: number[];
  labels: AlertLabels;
  scope: ScopeRef;
  /** One line a person reads first. */
  summary: string;
  /** With grouping by incident: root, overlap, duplicate, affected or explained. */
  role?: string;
  explainedBy?: string[];
  since: string;
  firedAt: string;
  resolvedAt: string | null;
  evaluatedAt: string;
  numbers: AlertNumbers;
  contributors: Contributor[];
  /**
   * The response texts behind the alert, most first: code, reason phrase and
   * Reason header as received (null when the events did not say), with how
   * many matching responses in the window carried them.
   */
  phrases: PhraseText[];
  /**
   * The core's explanation of each (code, phrase) seen, in the order of
   * `phrases`: a profile's meaning is used only when the phrase received is
   * that profile's (603 "MaxPeak Cost Exceeded" under jola), the standard one
   * when the phrase is the standard one. Codes seen without a phrase are
   * explained under the configured profile; with no texts tracked at all,
   * every code of the rule is. Advice follows the calls' direction.
   */
  explanations: Explanation[];
}

/** One response text of an alert, as payloads carry it. */
export interface PhraseText {
  code: number;
  phrase: string | null;
  reasons: string[];
  direction: Direction | null;
  count: number;
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
  /** With grouping by incident (the default): the incident; its `id` is the PagerDuty dedup key. */
  incident?: {
    id: string;
    root: { alertId: string; rule: string; scope: ScopeRef };
    rules: string[];
    codes: number[];
    openedAt: string;
    resolvedAt: string | null;
    mergedInto?: string;
    /** One line: the root's summary and how many scopes are affected. */
    summary: string;
  };
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
  get(code: number, direction?: Direction, phrase?: string): Explanation {
    const key = `${code}:${direction ?? ""}:${phrase ?? ""}`;
    let e = this.cache.get(key);
    if (!e) {
      // A status line with the phrase received lets the core pick whose meaning applies.
      const input = phrase === undefined ? code : `SIP/2.0 ${code} ${phrase}`;
      e = explain(input, { profile: this.profile, ...(direction ? { direction } : {}) });
      if (this.cache.size >= 2048) this.cache.clear(); // phrases come from traffic: stay bounded
      this.cache.set(key, e);
    }
    return e;
  }
}

/**
 * Merges the detector's (code, phrase, Reason, direction) counts into one
 * entry per (code, phrase), most first, with the Reasons seen and the
 * dominant direction.
 */
export function phraseTexts(phrases: readonly PhraseCount[]): PhraseText[] {
  const byKey = new Map<string, PhraseText & { dirs: Map<string, number> }>();
  for (const p of phrases) {
    const key = `${p.code}\u0000${p.phrase ?? ""}`;
    let t = byKey.get(key);
    if (!t) {
      t = {
        code: p.code,
        phrase: p.phrase,
        reasons: [],
        direction: null,
        count: 0,
        dirs: new Map(),
      };
      byKey.set(key, t);
    }
    t.count += p.count;
    if (p.reason !== null && !t.reasons.includes(p.reason)) t.reasons.push(p.reason);
    if (p.direction !== null) t.dirs.set(p.direction, (t.dirs.get(p.direction) ?? 0) + p.count);
  }
  return [...byKey.values()]
    .map(({ dirs, ...t }) => {
      const top = [...dirs].sort((a, b) => b[1] - a[1])[0];
      // Only a clear majority makes the advice directional.
      const direction = top && top[1] * 10 >= t.count * 9 ? (top[0] as Direction) : null;
      return { ...t, direction };
    })
    .sort((a, b) => b.count - a.count || a.code - b.code);
}

/** What a text is called in a summary: the phrase received, never a profile phrase it did not carry. */
function textName(t: PhraseText): string {
  return t.phrase === null ? String(t.code) : `${t.code} ${t.phrase}`;
}

function alertSummary(
  a: AlertView,
  codes: readonly number[],
  texts: readonly PhraseText[],
  first: Explanation | undefined,
): string {
  const r = a.reading;
  let name: string;
  if (texts.length === 0) {
    // Nothing tracked (state from before phrases): the rule's codes, under the profile.
    name = first ? `${codes.join("/")} ${first.profilePhrase ?? first.phrase}` : codes.join("/");
  } else if (texts.length === 1) {
    name = textName(texts[0]!);
  } else {
    name = texts
      .slice(0, 3)
      .map((t) => `${textName(t)} (${t.count})`)
      .join(", ");
  }
  if (a.status === "resolved") {
    return `Resolved: ${name} on ${scopeText(a.scope)} back to ${pct(r.rate)} of ${r.calls} calls in ${r.windowMinutes} min`;
  }
  return `${name} on ${scopeText(a.scope)}: ${evidenceText(r)}`;
}

/**
 * Why it fired, in the test's own terms: the window's bound over the
 * threshold, or (when the bound is not over it) the sequential test's
 * evidence since the change point it found.
 */
export function evidenceText(r: AlertView["reading"]): string {
  const window = `${r.count} of ${r.calls} calls (${pct(r.rate)}) in ${r.windowMinutes} min`;
  const threshold = r.threshold ?? Number.NaN;
  if (!(r.wilsonLower > threshold) && r.llr !== undefined && r.changeMinutes) {
    const rate = r.changeCalls ? r.changeCount! / r.changeCalls : 0;
    return (
      `${r.changeCount} of ${r.changeCalls} calls (${pct(rate)}) in the ${r.changeMinutes} min since it rose, ` +
      `log-likelihood ${r.llr.toFixed(1)} for a rate over ${pct(r.threshold)} against the baseline ${pct(r.baseline)} ` +
      `(${window})`
    );
  }
  return `${window}, 99% lower bound ${pct(r.wilsonLower)} > threshold ${pct(r.threshold)} (baseline ${pct(r.baseline)})`;
}

/** Builds the generic payload of a planned notification: alerts with their explanations and numbers. */
export function buildPayload(
  n: PlannedNotification,
  rules: readonly Rule[],
  explainer: Explainer,
): NotificationPayload {
  const alerts = n.alerts.map((a): AlertPayload => {
    const ruleCodes = [...(rules.find((r) => r.id === a.rule)?.codes ?? [])];
    const texts = phraseTexts(a.phrases ?? []);
    // The codes actually seen, most first; the rule's when nothing was tracked.
    const codes = texts.length ? [...new Set(texts.map((t) => t.code))] : ruleCodes;
    const explanations = texts.length
      ? texts.map((t) =>
          explainer.get(
            t.code,
            a.scope.direction ?? t.direction ?? undefined,
            t.phrase ?? undefined,
          ),
        )
      : codes.map((c) => explainer.get(c, a.scope.direction));
    return {
      incidentId: a.incidentId,
      episodeId: episodeId(a),
      status: a.status,
      rule: a.rule,
      codes,
      labels: a.labels,
      scope: a.scope,
      summary: alertSummary(a, codes, texts, explanations[0]),
      ...(a.role ? { role: a.role } : {}),
      ...(a.explainedBy ? { explainedBy: a.explainedBy } : {}),
      since: iso(a.since),
      firedAt: iso(a.firedAt),
      resolvedAt: a.resolvedAt === null ? null : iso(a.resolvedAt),
      evaluatedAt: iso(a.evaluatedAt),
      numbers: { ...a.reading },
      contributors: a.contributors,
      phrases: texts,
      explanations,
    };
  });
  const inc = n.incident;
  const rootAlert = alerts.find((a) => a.role === "root") ?? alerts[0];
  const others = alerts.length - 1;
  return {
    version: "1",
    type: n.status === "firing" ? "alert.firing" : "alert.resolved",
    ...(inc
      ? {
          incident: {
            id: inc.id,
            root: inc.root,
            rules: inc.rules,
            codes: inc.codes,
            openedAt: iso(inc.openedAt),
            resolvedAt: inc.resolvedAt === null ? null : iso(inc.resolvedAt),
            ...(inc.mergedInto ? { mergedInto: inc.mergedInto } : {}),
            summary: `${rootAlert?.summary ?? inc.root.scope.key}${
              others > 0
                ? ` (+${others} related alert${others === 1 ? "" : "s"}: ${inc.rules.join(", ")})`
                : ""
            }${inc.mergedInto ? ` — merged into ${inc.mergedInto}` : ""}`,
          },
        }
      : {}),
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
