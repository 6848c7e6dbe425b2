// Incidents: one per root cause. Firing alerts are folded together when they
// describe the same problem, and the incident is what a consumer notifies.
//
// Scopes form a tree: global > trunk > trunk × direction, and a customer sits
// under the trunk carrying (nearly) all its matching responses, else under
// global. At each evaluation, over the firing alerts:
//
// - overlap: alerts of rules sharing a code (sip-603, sip-6xx-reject) on one
//   scope are one problem;
// - duplicate: a trunk × direction whose trunk carries only that direction
//   is the trunk's alert twice;
// - affected: an alert not clearly worse than its nearest firing ancestor
//   (its Wilson lower bound at 99.9 % not above both the upper bound of the
//   rest of the ancestor's traffic and the ancestor's rate since its change
//   point) is part of the ancestor's problem;
// - explained: an alert whose traffic, less that of the firing descendants
//   worse than it (lower bound above the rest's rate), no longer breaches its
//   threshold is explained by them (a trunk spike seen diluted at global; a
//   trunk carrying part of a spiking customer's calls, less that part);
// - an alert in an open incident stays in it while it fires (no flapping).
//
// Linked alerts form one incident; its root is the highest scope that is not
// explained (the largest excess over expected breaks ties). An incident is
// named after the episode of the alert it opened with and keeps that id, also
// when its root changes; when two open incidents merge, the younger one
// resolves as merged into the older. Pure and deterministic: time and counts
// come in.
import type { Rule } from "./config.ts";
import { wilsonLower, wilsonUpper, zForConfidence } from "./math.ts";
import {
  type Contributor,
  type PhraseCount,
  type Reading,
  readingOf,
  type ScopeRef,
} from "./reading.ts";
import { KIND_RANK } from "./scope.ts";
import type { ActiveAlert, Detector, Transition, WindowCounts } from "./types.ts";

/** How an alert belongs to its incident. */
export type MemberRole = "root" | "overlap" | "duplicate" | "affected" | "explained";

export interface IncidentMember {
  /** The alert's own incident id (detect's `${rule}:${scope}:${since}`). */
  alertId: string;
  rule: string;
  scope: ScopeRef;
  role: MemberRole;
  /** For `explained`: the scope keys whose traffic accounts for the breach. */
  explainedBy?: string[];
  status: "firing" | "resolved";
  since: number;
  firedAt: number | null;
  resolvedAt: number | null;
  evaluatedAt: number;
  reading: Reading;
  contributors: Contributor[];
  phrases: PhraseCount[];
  /** Matching responses above what the baseline expects: count − baseline × calls. */
  excess: number;
}

export interface Incident {
  /**
   * Stable for the incident's life: `${rule}:${scope key}:${since}` of the alert it opened with
   * (its id, unless that alert re-fired within its rule's cooldown and so kept the id of an
   * incident that already resolved).
   */
  id: string;
  status: "firing" | "resolved";
  openedAt: number;
  updatedAt: number;
  resolvedAt: number | null;
  /** The root cause: the highest scope not explained by others. */
  root: { alertId: string; rule: string; scope: ScopeRef };
  /** Every rule and code involved, in rule order. */
  rules: string[];
  codes: number[];
  /** Root first, then by excess over expected (the contributors ranked). */
  members: IncidentMember[];
  /** When it resolved because it merged into another incident. */
  mergedInto?: string;
}

export interface IncidentChange {
  /** `opened`: new; `updated`: its root or firing members changed; `resolved`: over (or merged). */
  change: "opened" | "updated" | "resolved";
  incident: Incident;
}

/** The open incidents, as plain JSON. */
export interface IncidentBookState {
  version: 1;
  incidents: Incident[];
  /** Alerts still firing after their incident's root resolved: they open nothing until they end. */
  trailing?: string[];
}

export type CountsOf = (
  scopeKey: string,
  rule: string,
  minutes: number,
) => WindowCounts | undefined;

/** Share of a customer's matching responses its top trunk must carry to sit under that trunk. */
const DOMINANT = 0.9;
/**
 * A child is worse than its parent only when its rate's lower bound at this
 * quantile (99.9 % two-sided) is above the parent's rate: with 40 customers
 * under one parent, the rule's own 99 % would find a "worse" one by chance.
 */
const Z_WORSE = 3.2905;

function overlaps(a: Rule, b: Rule): boolean {
  return a.codes.some((c) => b.codes.includes(c));
}

function excessOf(r: Reading): number {
  return r.baseline === null ? r.count : r.count - r.baseline * r.calls;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

class UnionFind {
  private readonly parent = new Map<string, string>();
  find(x: string): string {
    let p = this.parent.get(x) ?? x;
    if (p === x) return x;
    p = this.find(p);
    this.parent.set(x, p);
    return p;
  }
  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return;
    // The smaller id becomes the representative (deterministic, whatever the order of unions).
    const [lo, hi] = ra < rb ? [ra, rb] : [rb, ra];
    this.parent.set(hi, lo);
  }
}

/** The keys of a scope's ancestors, nearest first. */
function ancestors(a: ActiveAlert): string[] {
  const s = a.scope;
  switch (s.kind) {
    case "global":
      return [];
    case "trunk":
      return ["global"];
    case "trunk_direction":
      return [`trunk:${s.trunk}`, "global"];
    case "customer": {
      const trunks = a.contributors.filter((c) => c.kind === "trunk");
      const top = trunks[0];
      return top && top.count >= DOMINANT * a.reading.count
        ? [`trunk:${top.key}`, "global"]
        : ["global"];
    }
  }
}

/**
 * `${rule}:${scope key}:${since}`: the id of one episode of an alert (from the
 * time it went pending to its resolve), the id it would have had had this
 * episode opened it. Unlike the alert's incident id, which a re-fire within
 * the rule's cooldown keeps, it is never reused.
 */
export function episodeId(a: { rule: string; scope: ScopeRef; since: number }): string {
  return `${a.rule}:${a.scope.key}:${a.since}`;
}

/**
 * The part of descendant `d`'s traffic that runs through `a`'s scope: all of it, except for a
 * customer spread over trunks, seen from one of them: the share of its matching responses on
 * that trunk (its calls taken to split the same way, an estimate: a customer failing mostly on
 * this trunk is credited with more of its calls here, which leaves less of the trunk explained).
 */
function shareOn(d: ActiveAlert, a: ActiveAlert): number {
  if (a.scope.kind !== "trunk" || d.scope.kind !== "customer") return 1;
  if (ancestors(d).includes(a.scope.key)) return 1;
  const on = d.contributors.find((c) => c.kind === "trunk" && c.key === a.scope.trunk)?.count ?? 0;
  return d.reading.count > 0 ? Math.min(1, on / d.reading.count) : 0;
}

/** An incident change in one flat line: what logs, the backtest and parity tests show. */
export interface IncidentChangeLine {
  change: IncidentChange["change"];
  id: string;
  /** The evaluation time (RFC 3339). */
  time: string;
  root: string;
  rules: string[];
  codes: number[];
  /** `alertId role status`, root first, then by excess. */
  members: string[];
  mergedInto?: string;
}

export function describeIncidentChange(c: IncidentChange): IncidentChangeLine {
  const i = c.incident;
  return {
    change: c.change,
    id: i.id,
    time: new Date(i.updatedAt).toISOString(),
    root: i.root.scope.key,
    rules: i.rules,
    codes: i.codes,
    members: i.members.map((m) => `${m.alertId} ${m.role} ${m.status}`),
    ...(i.mergedInto ? { mergedInto: i.mergedInto } : {}),
  };
}

/**
 * Incidents of one detector: call `update(now, transitions)` after each
 * `evaluate(now)`, with the transitions it returned (a member whose alert
 * resolved reports the numbers of its resolve).
 */
export interface IncidentTracker {
  readonly book: IncidentBook;
  update(now: number, transitions: readonly Transition[]): IncidentChange[];
}

export function trackIncidents(detector: Detector, saved?: IncidentBookState): IncidentTracker {
  const book = new IncidentBook(detector.config.rules, saved);
  const counts: CountsOf = (key, rule, minutes) => detector.windowCounts(key, rule, minutes);
  return {
    book,
    update: (now, transitions) => book.update(now, detector.active(), counts, transitions),
  };
}

export class IncidentBook {
  private readonly open = new Map<string, Incident>();
  private readonly trailing = new Set<string>();
  private readonly ruleById: Map<string, Rule>;
  private readonly ruleIndex: Map<string, number>;

  constructor(
    readonly rules: readonly Rule[],
    saved?: IncidentBookState,
  ) {
    this.ruleById = new Map(rules.map((r) => [r.id, r]));
    this.ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
    for (const i of saved?.incidents ?? []) if (i.status === "firing") this.open.set(i.id, i);
    for (const id of saved?.trailing ?? []) this.trailing.add(id);
  }

  toJSON(): IncidentBookState {
    return {
      version: 1,
      incidents: [...this.open.values()],
      ...(this.trailing.size ? { trailing: [...this.trailing].sort() } : {}),
    };
  }

  /** The open incidents, by id. */
  incidents(): Incident[] {
    return [...this.open.values()].sort((a, b) => compareText(a.id, b.id));
  }

  /** The open incident an alert (by its id) belongs to. */
  incidentOf(alertId: string): Incident | undefined {
    for (const i of this.open.values())
      if (i.members.some((m) => m.alertId === alertId && m.status === "firing")) return i;
    return undefined;
  }

  /**
   * Folds the firing alerts of the evaluation at `now` into incidents.
   * `active` is the detector's `active()`, `counts` its `windowCounts`,
   * `transitions` what the evaluation returned: a member whose alert resolved
   * there takes the numbers its resolve was decided on (else it keeps those
   * of its last firing evaluation).
   */
  update(
    now: number,
    active: readonly ActiveAlert[],
    counts: CountsOf,
    transitions: readonly Transition[] = [],
  ): IncidentChange[] {
    const resolves = new Map<string, Transition>();
    for (const t of transitions) if (t.to === "resolved") resolves.set(t.incidentId, t);
    const ended = (m: IncidentMember): IncidentMember => {
      if (m.status === "resolved") return m;
      const t = resolves.get(m.alertId);
      return t && t.since === m.since
        ? { ...m, status: "resolved", resolvedAt: now, evaluatedAt: t.time, reading: readingOf(t) }
        : { ...m, status: "resolved", resolvedAt: now };
    };
    const all = active.filter((a) => a.state === "firing" && this.ruleById.has(a.rule));
    // Nothing firing and nothing open (most evaluations): nothing to fold, open or resolve.
    if (all.length === 0 && this.open.size === 0) {
      this.trailing.clear();
      return [];
    }
    // An alert that outlived its incident's root stays out until it ends.
    const stillTrailing = new Set(
      all.map((a) => a.incidentId).filter((id) => this.trailing.has(id)),
    );
    this.trailing.clear();
    for (const id of stillTrailing) this.trailing.add(id);
    // An incident is over when nothing on its root's scope fires: members still firing
    // only because their own windows are slower to clear trail off.
    const firingIds = new Set(all.map((a) => a.incidentId));
    for (const inc of this.open.values()) {
      const rootKey = inc.root.scope.key;
      const live = inc.members.filter((m) => m.status === "firing" && firingIds.has(m.alertId));
      if (live.length > 0 && !live.some((m) => m.scope.key === rootKey)) {
        for (const m of live) this.trailing.add(m.alertId);
      }
    }
    const firing = all.filter((a) => !this.trailing.has(a.incidentId));
    const byId = new Map(firing.map((a) => [a.incidentId, a]));
    const byScope = new Map<string, ActiveAlert[]>();
    for (const a of firing) {
      const list = byScope.get(a.scope.key) ?? [];
      list.push(a);
      byScope.set(a.scope.key, list);
    }
    const uf = new UnionFind();
    const duplicate = new Set<string>();
    const explained = new Map<string, string[]>();

    // Sticky: an alert stays with its incident, in its role, while it fires; only
    // alerts new to the book (and alerts under a new parent) are placed afresh.
    const known = new Set<string>();
    for (const inc of this.open.values()) {
      const still = inc.members.filter((m) => m.status === "firing" && byId.has(m.alertId));
      for (const m of still.slice(1)) uf.union(still[0]!.alertId, m.alertId);
      for (const m of still) {
        known.add(m.alertId);
        if (m.role === "duplicate") duplicate.add(m.alertId);
        if (m.role === "explained") explained.set(m.alertId, m.explainedBy ?? []);
      }
    }

    const rule = (a: ActiveAlert) => this.ruleById.get(a.rule)!;
    /** Firing alerts on `key` whose rule shares a code with `a`'s, same rule first. */
    const related = (key: string, a: ActiveAlert) =>
      (byScope.get(key) ?? [])
        .filter((b) => overlaps(rule(a), rule(b)))
        .sort((x, y) => Number(y.rule === a.rule) - Number(x.rule === a.rule));
    /** The rest of the parent's traffic over the child's window: its siblings and the calls no child carries. */
    const restOf = (child: ActiveAlert, parent: ActiveAlert) => {
      const r = child.reading;
      const whole = counts(parent.scope.key, child.rule, r.windowMinutes);
      if (!whole) return undefined;
      // A customer spread over trunks, seen from one of them, takes only its share there.
      const part = shareOn(child, parent);
      const calls = whole.calls - r.calls * part;
      const count = Math.min(calls, Math.max(0, whole.count - r.count * part));
      return calls > 0 ? { calls, count } : undefined;
    };
    // No worse than the rest of the parent's traffic over the same minutes: a child that is half
    // its parent and holds all of its failures is worse even while a short window still dilutes
    // both. What makes a parent "explained" by its children.
    const noWorse = (child: ActiveAlert, parent: ActiveAlert) => {
      const rest = restOf(child, parent);
      const rate = rest ? rest.count / rest.calls : parent.reading.rate;
      return wilsonLower(child.reading.count, child.reading.calls, Z_WORSE) <= rate;
    };
    // Kept apart from its firing parent's incident only when clearly worse than both the rest of
    // the parent (its upper bound, so a thin child is not split off on the parent's noise) and
    // the parent's rate since its change point (the problem undiluted: in the first minutes of
    // a step both windows still hold the minutes before it, and a thin child that drew a few
    // failures early looks worse than the diluted parent without being so).
    const folds = (child: ActiveAlert, parent: ActiveAlert) => {
      const lower = wilsonLower(child.reading.count, child.reading.calls, Z_WORSE);
      const rest = restOf(child, parent);
      const restUpper = rest ? wilsonUpper(rest.count, rest.calls, Z_WORSE) : parent.reading.rate;
      const p = parent.reading;
      const since =
        p.changeCalls && p.changeCount !== undefined ? p.changeCount / p.changeCalls : 0;
      return lower <= Math.max(restUpper, since);
    };

    for (const a of firing) {
      const r = rule(a);
      const fresh = !known.has(a.incidentId);
      // Overlapping rules on one scope.
      for (const b of related(a.scope.key, a)) if (b !== a) uf.union(a.incidentId, b.incidentId);
      // Part of its nearest firing ancestor's problem (placed when either is new).
      for (const key of ancestors(a)) {
        const p = related(key, a)[0];
        if (!p) continue;
        if ((fresh || !known.has(p.incidentId)) && folds(a, p) && !duplicate.has(a.incidentId))
          uf.union(a.incidentId, p.incidentId);
        break;
      }
      if (!fresh) continue;
      // A trunk × direction that is all of its trunk's traffic.
      if (a.scope.kind === "trunk_direction") {
        const trunkKey = `trunk:${a.scope.trunk}`;
        const t = related(trunkKey, a)[0];
        const w = a.reading.windowMinutes;
        const mine = counts(a.scope.key, a.rule, w);
        const whole = counts(trunkKey, a.rule, w);
        if (t && mine && whole && mine.calls === whole.calls) {
          uf.union(a.incidentId, t.incidentId);
          duplicate.add(a.incidentId);
          continue;
        }
      }
      // Explained by worse descendants.
      const worse = this.worseDescendants(a, firing, related, noWorse);
      if (worse.length === 0 || a.reading.threshold === null) continue;
      const w = a.reading.windowMinutes;
      const own = counts(a.scope.key, a.rule, w);
      if (!own) continue;
      let calls = own.calls;
      let count = own.count;
      for (const d of worse) {
        const c = counts(d.scope.key, a.rule, w);
        if (c) {
          const part = shareOn(d, a);
          calls -= c.calls * part;
          count -= c.count * part;
        }
      }
      const z = zForConfidence(r.confidence);
      // Shares are estimates, and the counts of a scope and its descendants are read a moment apart.
      count = Math.min(count, calls);
      const breaches =
        count >= r.minCount && calls > 0 && wilsonLower(count, calls, z) > a.reading.threshold;
      if (!breaches) {
        const worst = [...worse].sort(
          (x, y) =>
            excessOf(y.reading) - excessOf(x.reading) || compareText(x.scope.key, y.scope.key),
        )[0]!;
        uf.union(a.incidentId, worst.incidentId);
        explained.set(a.incidentId, [...new Set(worse.map((d) => d.scope.key))].sort(compareText));
      }
    }

    // Classes of linked alerts.
    const classes = new Map<string, ActiveAlert[]>();
    for (const a of firing) {
      const k = uf.find(a.incidentId);
      const list = classes.get(k) ?? [];
      list.push(a);
      classes.set(k, list);
    }

    const changes: IncidentChange[] = [];
    const next = new Map<string, Incident>();
    const claimed = new Set<string>();
    const ordered = [...classes.values()].sort((x, y) => this.classOrder(x, y));
    for (const members of ordered) {
      const ids = new Set(members.map((m) => m.incidentId));
      const previous = [...this.open.values()]
        .filter((i) => !claimed.has(i.id) && i.members.some((m) => ids.has(m.alertId)))
        .sort((x, y) => x.openedAt - y.openedAt || compareText(x.id, y.id));
      const keep = previous[0];
      const picked = this.pickRoot(members, duplicate, explained);
      // The root only moves up the tree: an incident whose root stopped firing keeps naming it.
      const held = keep?.root;
      const root: Incident["root"] =
        held &&
        KIND_RANK[held.scope.kind] <= KIND_RANK[picked.scope.kind] &&
        held.alertId !== picked.incidentId
          ? held
          : { alertId: picked.incidentId, rule: picked.rule, scope: picked.scope };
      // A new incident is named after its root's episode (when that alert last went pending), not
      // the alert's id: an alert that fires again within its rule's cooldown reuses the id of the
      // incident that resolved, and receivers (PagerDuty's dedup_key, a Slack thread, the outbox's
      // ordered stream) would take the new incident for the old one. For any other alert the two
      // are the same.
      let id = keep?.id ?? episodeId(picked);
      // A split-off part whose root's id is taken by the part that kept the incident.
      if (!keep && (claimed.has(id) || this.open.has(id))) id = `${id}~${now}`;
      claimed.add(id);
      for (const gone of previous.slice(1)) {
        claimed.add(gone.id);
        changes.push({
          change: "resolved",
          incident: this.close(gone, now, ended, id),
        });
      }
      const role = (a: ActiveAlert): MemberRole =>
        a.incidentId === root.alertId
          ? "root"
          : duplicate.has(a.incidentId)
            ? "duplicate"
            : explained.has(a.incidentId)
              ? "explained"
              : a.scope.key === root.scope.key
                ? "overlap"
                : "affected";
      const live: IncidentMember[] = members.map((a) => {
        const m: IncidentMember = {
          alertId: a.incidentId,
          rule: a.rule,
          scope: a.scope,
          role: role(a),
          status: "firing",
          since: a.since,
          firedAt: a.firedAt,
          resolvedAt: null,
          evaluatedAt: a.evaluatedAt,
          reading: a.reading,
          contributors: a.contributors,
          phrases: a.phrases,
          excess: excessOf(a.reading),
        };
        const by = explained.get(a.incidentId);
        if (m.role === "explained" && by) m.explainedBy = by;
        return m;
      });
      // Members that stopped firing stay listed as resolved, for the closing notice.
      const gone: IncidentMember[] = [];
      for (const p of previous) {
        for (const m of p.members) {
          if (ids.has(m.alertId) || gone.some((g) => g.alertId === m.alertId)) continue;
          gone.push(ended(m));
        }
      }
      const incident = this.build(id, keep?.openedAt ?? now, now, root, [...live, ...gone]);
      const before = keep
        ? keep.members
            .filter((m) => m.status === "firing")
            .map((m) => m.alertId)
            .sort()
            .join()
        : "";
      const after = live
        .map((m) => m.alertId)
        .sort()
        .join();
      if (!keep) changes.push({ change: "opened", incident });
      else if (before !== after || keep.root.alertId !== root.alertId)
        changes.push({ change: "updated", incident });
      next.set(id, incident);
    }
    for (const inc of this.open.values()) {
      if (claimed.has(inc.id)) continue;
      changes.push({ change: "resolved", incident: this.close(inc, now, ended) });
    }
    this.open.clear();
    for (const [id, inc] of next) this.open.set(id, inc);
    return changes.sort((a, b) => compareText(a.incident.id, b.incident.id));
  }

  private worseDescendants(
    a: ActiveAlert,
    firing: readonly ActiveAlert[],
    related: (key: string, a: ActiveAlert) => ActiveAlert[],
    noWorse: (child: ActiveAlert, parent: ActiveAlert) => boolean,
  ): ActiveAlert[] {
    const worse = (d: ActiveAlert) => related(d.scope.key, a).includes(d) && !noWorse(d, a);
    const s = a.scope;
    const under = (d: ActiveAlert) => ancestors(d).includes(s.key);
    // One level of the tree at a time, so no call is subtracted twice.
    const levels: ((d: ActiveAlert) => boolean)[] =
      s.kind === "global"
        ? [(d) => d.scope.kind === "trunk", (d) => d.scope.kind === "customer"]
        : s.kind === "trunk"
          ? [
              (d) => d.scope.kind === "trunk_direction" && d.scope.trunk === s.trunk,
              (d) => d.scope.kind === "customer" && (under(d) || shareOn(d, a) > 0),
            ]
          : [];
    for (const level of levels) {
      const found = firing.filter((d) => d !== a && level(d) && worse(d));
      // One alert per scope (overlapping rules share their calls).
      const seen = new Set<string>();
      const unique = found.filter((d) => !seen.has(d.scope.key) && seen.add(d.scope.key));
      if (unique.length) return unique;
    }
    return [];
  }

  private pickRoot(
    members: readonly ActiveAlert[],
    duplicate: ReadonlySet<string>,
    explained: ReadonlyMap<string, string[]>,
  ): ActiveAlert {
    const candidates = members.filter(
      (m) => !duplicate.has(m.incidentId) && !explained.has(m.incidentId),
    );
    const pool = candidates.length ? candidates : members;
    return [...pool].sort(
      (x, y) =>
        KIND_RANK[x.scope.kind] - KIND_RANK[y.scope.kind] ||
        excessOf(y.reading) - excessOf(x.reading) ||
        this.ruleIndex.get(x.rule)! - this.ruleIndex.get(y.rule)! ||
        compareText(x.scope.key, y.scope.key),
    )[0]!;
  }

  private classOrder(x: readonly ActiveAlert[], y: readonly ActiveAlert[]): number {
    const first = (list: readonly ActiveAlert[]) =>
      [...list].map((a) => a.incidentId).sort(compareText)[0]!;
    return compareText(first(x), first(y));
  }

  private build(
    id: string,
    openedAt: number,
    now: number,
    root: Incident["root"],
    members: IncidentMember[],
  ): Incident {
    const order = (m: IncidentMember) => (m.role === "root" ? 0 : m.status === "firing" ? 1 : 2);
    members.sort(
      (a, b) => order(a) - order(b) || b.excess - a.excess || compareText(a.scope.key, b.scope.key),
    );
    const ruleIds = [...new Set(members.map((m) => m.rule))].sort(
      (a, b) => this.ruleIndex.get(a)! - this.ruleIndex.get(b)!,
    );
    const codes = [...new Set(ruleIds.flatMap((r) => this.ruleById.get(r)?.codes ?? []))];
    return {
      id,
      status: "firing",
      openedAt,
      updatedAt: now,
      resolvedAt: null,
      root,
      rules: ruleIds,
      codes,
      members,
    };
  }

  private close(
    inc: Incident,
    now: number,
    ended: (m: IncidentMember) => IncidentMember,
    mergedInto?: string,
  ): Incident {
    return {
      ...inc,
      status: "resolved",
      updatedAt: now,
      resolvedAt: now,
      members: inc.members.map(ended),
      ...(mergedInto !== undefined ? { mergedInto } : {}),
    };
  }
}
