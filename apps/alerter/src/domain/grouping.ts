import {
  type ActiveAlert,
  type Contributor,
  episodeId,
  type Incident,
  type MemberRole,
  type PhraseCount,
  type Reading,
  readingOf,
  type ScopeRef,
  type Transition,
} from "@sipcodes/detect";
import type { LabelName } from "./labels.ts";
import type { AlertLabels } from "./silence.ts";

/** One alert as notifications show it: one episode of it, from going pending to its resolve. */
export interface AlertView {
  /** The alert's id, which a re-fire within the rule's cooldown keeps (`episodeId` does not). */
  incidentId: string;
  rule: string;
  scope: ScopeRef;
  labels: AlertLabels;
  status: "firing" | "resolved";
  since: number;
  firedAt: number;
  resolvedAt: number | null;
  /** Time of the evaluation the numbers come from. */
  evaluatedAt: number;
  reading: Reading;
  contributors: Contributor[];
  /** The (code, phrase, Reason) texts seen, most first; absent in state saved before they were tracked. */
  phrases?: PhraseCount[];
  /** With grouping by incident: how the alert belongs to the incident. */
  role?: MemberRole;
  /** For `explained`: the scopes whose traffic accounts for it. */
  explainedBy?: string[];
}

/** Alerts sharing the values of the `groupBy` labels: one notification stream. */
export interface GroupState {
  key: string;
  labels: AlertLabels;
  alerts: AlertView[];
  /**
   * Episodes (detect's `episodeId`) the last notification announced as firing.
   * State saved before held the alerts' incident ids, which are the same but
   * for an alert that re-fired within its cooldown.
   */
  notified: string[];
  lastNotifiedAt: number | null;
  /** When the group was created (its first alert fired); absent in state saved before group wait existed. */
  createdAt?: number;
}

export interface GroupingConfig {
  groupBy: readonly LabelName[];
  /** How long a new group waits before its first notice, gathering alerts that fire together. */
  groupWaitMs?: number;
  groupIntervalMs: number;
  repeatIntervalMs: number;
}

/** A notification decided for a group, before it is rendered per destination. */
export interface PlannedNotification {
  /** Stable: the group key and the evaluation time. */
  id: string;
  groupKey: string;
  groupLabels: AlertLabels;
  status: "firing" | "resolved";
  /** `new`: first notice of the group; `update`: alerts joined or resolved; `repeat`: still firing. */
  reason: "new" | "update" | "repeat";
  time: number;
  alerts: AlertView[];
  /** With grouping by incident: the incident the notice is about (its id is the group key). */
  incident?: NoticeIncident;
}

/** The incident of a notice: its root cause and everything involved. */
export interface NoticeIncident {
  id: string;
  root: Incident["root"];
  rules: string[];
  codes: number[];
  openedAt: number;
  resolvedAt: number | null;
  mergedInto?: string;
}

export function labelsOf(rule: string, scope: ScopeRef): AlertLabels {
  const labels: AlertLabels = { rule, scope: scope.kind };
  if (scope.trunk !== undefined) labels.trunk = scope.trunk;
  if (scope.direction !== undefined) labels.direction = scope.direction;
  if (scope.customer !== undefined) labels.customer = scope.customer;
  return labels;
}

export function groupKeyOf(
  labels: AlertLabels,
  groupBy: readonly LabelName[],
): {
  key: string;
  labels: AlertLabels;
} {
  const picked: AlertLabels = {};
  const parts: string[] = [];
  for (const name of groupBy) {
    const value = labels[name];
    if (value !== undefined) picked[name] = value;
    parts.push(`${name}=${value ?? ""}`);
  }
  return { key: parts.join(","), labels: picked };
}

/**
 * The alert groups, as Alertmanager keeps them: firing alerts join their
 * group, resolved ones stay until the notice that says so, and `flush`
 * decides when each group is notified (group interval, repeat interval,
 * silences). An alert is followed by episode: one that resolves and fires
 * again within its cooldown (keeping its incident id) is a resolved episode
 * and a new one, both in the next notice. Pure: time comes in, nothing is
 * read from outside.
 */
export class GroupBook {
  readonly groups = new Map<string, GroupState>();

  constructor(
    readonly config: GroupingConfig,
    saved: readonly GroupState[] = [],
  ) {
    for (const g of saved) this.groups.set(g.key, g);
  }

  toJSON(): GroupState[] {
    return [...this.groups.values()];
  }

  private find(episode: string): { group: GroupState; index: number } | undefined {
    for (const group of this.groups.values()) {
      const index = group.alerts.findIndex((a) => episodeId(a) === episode);
      if (index >= 0) return { group, index };
    }
    return undefined;
  }

  /** Takes the state changes of one evaluation. */
  apply(transitions: readonly Transition[]): void {
    for (const t of transitions) {
      if (t.to === "firing") {
        const labels = labelsOf(t.rule, t.scope);
        const view: AlertView = {
          incidentId: t.incidentId,
          rule: t.rule,
          scope: t.scope,
          labels,
          status: "firing",
          since: t.since,
          firedAt: t.time,
          resolvedAt: null,
          evaluatedAt: t.time,
          reading: readingOf(t),
          contributors: t.contributors,
          phrases: t.phrases,
        };
        const found = this.find(episodeId(t));
        if (found) {
          found.group.alerts[found.index] = view;
          continue;
        }
        const { key, labels: groupLabels } = groupKeyOf(labels, this.config.groupBy);
        let group = this.groups.get(key);
        if (!group) {
          group = {
            key,
            labels: groupLabels,
            alerts: [],
            notified: [],
            lastNotifiedAt: null,
            createdAt: t.time,
          };
          this.groups.set(key, group);
        }
        group.alerts.push(view);
      } else if (t.to === "resolved") {
        const episode = episodeId(t);
        const found = this.find(episode);
        if (!found) continue;
        const { group, index } = found;
        if (!group.notified.includes(episode)) {
          // Never announced (silenced, or resolved before its group was due): drop quietly.
          group.alerts.splice(index, 1);
          if (group.alerts.length === 0) this.groups.delete(group.key);
          continue;
        }
        const prev = group.alerts[index]!;
        group.alerts[index] = {
          ...prev,
          status: "resolved",
          resolvedAt: t.time,
          evaluatedAt: t.time,
          reading: readingOf(t),
          contributors: t.contributors,
        };
      }
    }
  }

  /** Refreshes the numbers of firing alerts from the detector's last evaluation. */
  refresh(active: readonly ActiveAlert[]): void {
    const byEpisode = new Map(active.map((a) => [episodeId(a), a]));
    for (const group of this.groups.values()) {
      group.alerts = group.alerts.map((a) => {
        const now = a.status === "firing" ? byEpisode.get(episodeId(a)) : undefined;
        return now
          ? {
              ...a,
              evaluatedAt: now.evaluatedAt,
              reading: now.reading,
              contributors: now.contributors,
              phrases: now.phrases,
            }
          : a;
      });
    }
  }

  /**
   * Decides which groups are notified at `now`. A group with news (an alert
   * newly firing, or resolved after being announced) is notified the first
   * time once its group wait has passed (so alerts that fire together go out
   * in one notice), then at most every group interval; a group with nothing new
   * but still firing is notified again every repeat interval. Silenced
   * alerts are left out; a group with nothing left to say is not notified.
   */
  flush(now: number, isSilenced: (labels: AlertLabels) => boolean): PlannedNotification[] {
    const out: PlannedNotification[] = [];
    for (const group of [...this.groups.values()]) {
      const firing = group.alerts.filter((a) => a.status === "firing" && !isSilenced(a.labels));
      const resolved = group.alerts.filter(
        (a) => a.status === "resolved" && group.notified.includes(episodeId(a)),
      );
      const fresh = firing.some((a) => !group.notified.includes(episodeId(a)));
      const news = fresh || resolved.length > 0;
      const last = group.lastNotifiedAt;
      const waiting =
        last === null &&
        group.createdAt !== undefined &&
        now - group.createdAt < (this.config.groupWaitMs ?? 0);
      if (waiting) continue;
      let reason: PlannedNotification["reason"] | undefined;
      if (news && (last === null || now - last >= this.config.groupIntervalMs)) {
        reason = last === null ? "new" : "update";
      } else if (
        !news &&
        firing.length > 0 &&
        last !== null &&
        now - last >= this.config.repeatIntervalMs
      ) {
        reason = "repeat";
      }
      if (reason === undefined) continue;
      out.push({
        id: `${group.key}@${new Date(now).toISOString()}`,
        groupKey: group.key,
        groupLabels: group.labels,
        status: firing.length > 0 ? "firing" : "resolved",
        reason,
        time: now,
        alerts: [...firing, ...resolved],
      });
      group.notified = firing.map(episodeId);
      group.lastNotifiedAt = now;
      group.alerts = group.alerts.filter((a) => !resolved.includes(a));
      if (group.alerts.length === 0) this.groups.delete(group.key);
    }
    return out;
  }
}
