import type { Incident, IncidentChange, IncidentMember } from "@sipcodes/detect";
import type { AlertView, PlannedNotification } from "./grouping.ts";
import { labelsOf } from "./grouping.ts";
import type { LabelName } from "./labels.ts";
import { type AlertLabels, type Matcher, matches } from "./silence.ts";

/** An inhibit rule as the notices apply it (the config's `inhibitRules`). */
export interface Inhibition {
  sourceMatchers: readonly Matcher[];
  targetMatchers: readonly Matcher[];
  equal: readonly LabelName[];
}

/** Whether `target` is inhibited by another firing incident among `open`. */
export function isInhibited(
  target: Incident,
  open: readonly Incident[],
  rules: readonly Inhibition[],
): boolean {
  if (rules.length === 0) return false;
  const t = incidentLabels(target);
  for (const rule of rules) {
    if (!rule.targetMatchers.every((m) => matches(m, t))) continue;
    for (const source of open) {
      if (source.id === target.id || source.status !== "firing") continue;
      const s = incidentLabels(source);
      if (!rule.sourceMatchers.every((m) => matches(m, s))) continue;
      if (rule.equal.every((name) => (s[name] ?? "") === (t[name] ?? ""))) return true;
    }
  }
  return false;
}

/**
 * When incidents are announced (grouping by incident, the default): one
 * notice when an incident has been open `groupWaitMs` (so alerts that fire
 * together, and a parent that fires a minute after its child, are in it), one
 * when it resolves, and a reminder every `repeatIntervalMs` while it fires.
 * While an inhibit rule holds, the incident is not announced (nor reminded of);
 * a resolve is still sent for one that was announced.
 * Members joining or leaving update the incident in place (the management
 * API and the closing notice show them) without a notice of their own. An
 * incident whose root is silenced is never announced. Pure: time comes in.
 */
export interface IncidentNoticeConfig {
  groupWaitMs: number;
  repeatIntervalMs: number;
  inhibitRules?: readonly Inhibition[];
}

/** What was announced about an open incident. */
export interface AnnouncedIncident {
  id: string;
  notifiedAt: number | null;
  lastNotifiedAt: number | null;
}

export interface IncidentNoticeState {
  announced: AnnouncedIncident[];
}

function memberView(m: IncidentMember): AlertView {
  return {
    incidentId: m.alertId,
    rule: m.rule,
    scope: m.scope,
    labels: labelsOf(m.rule, m.scope),
    status: m.status,
    since: m.since,
    firedAt: m.firedAt ?? m.since,
    resolvedAt: m.resolvedAt,
    evaluatedAt: m.evaluatedAt,
    reading: m.reading,
    contributors: m.contributors,
    phrases: m.phrases,
    role: m.role,
    ...(m.explainedBy ? { explainedBy: m.explainedBy } : {}),
  };
}

/** The labels an incident is silenced, routed and titled by: its root's. */
export function incidentLabels(i: Incident): AlertLabels {
  return labelsOf(i.root.rule, i.root.scope);
}

export class IncidentNotices {
  private readonly announced = new Map<string, AnnouncedIncident>();

  constructor(
    readonly config: IncidentNoticeConfig,
    saved?: IncidentNoticeState,
  ) {
    for (const a of saved?.announced ?? []) this.announced.set(a.id, a);
  }

  toJSON(): IncidentNoticeState {
    return { announced: [...this.announced.values()] };
  }

  /**
   * Decides the notices at `now` from the incidents still open and the
   * changes of this evaluation (resolved incidents are only in `changes`).
   */
  flush(
    now: number,
    open: readonly Incident[],
    changes: readonly IncidentChange[],
    isSilenced: (labels: AlertLabels) => boolean,
  ): PlannedNotification[] {
    const out: PlannedNotification[] = [];
    for (const c of changes) {
      if (c.change !== "resolved") continue;
      const seen = this.announced.get(c.incident.id);
      this.announced.delete(c.incident.id);
      if (!seen?.notifiedAt) continue; // never announced: nothing to close
      out.push(this.notice(c.incident, now, "resolved", "update"));
    }
    for (const i of open) {
      let a = this.announced.get(i.id);
      if (!a) {
        a = { id: i.id, notifiedAt: null, lastNotifiedAt: null };
        this.announced.set(i.id, a);
      }
      if (isSilenced(incidentLabels(i))) continue;
      if (isInhibited(i, open, this.config.inhibitRules ?? [])) continue;
      if (a.notifiedAt === null) {
        if (now - i.openedAt < this.config.groupWaitMs) continue;
        out.push(this.notice(i, now, "firing", "new"));
        a.notifiedAt = now;
        a.lastNotifiedAt = now;
      } else if (now - (a.lastNotifiedAt ?? a.notifiedAt) >= this.config.repeatIntervalMs) {
        out.push(this.notice(i, now, "firing", "repeat"));
        a.lastNotifiedAt = now;
      }
    }
    return out.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  }

  private notice(
    i: Incident,
    now: number,
    status: "firing" | "resolved",
    reason: PlannedNotification["reason"],
  ): PlannedNotification {
    const labels = incidentLabels(i);
    return {
      id: `${i.id}@${new Date(now).toISOString()}`,
      groupKey: i.id,
      groupLabels: labels,
      status,
      reason,
      time: now,
      alerts: i.members.map(memberView),
      incident: {
        id: i.id,
        root: i.root,
        rules: i.rules,
        codes: i.codes,
        openedAt: i.openedAt,
        resolvedAt: i.resolvedAt,
        ...(i.mergedInto ? { mergedInto: i.mergedInto } : {}),
      },
    };
  }
}
