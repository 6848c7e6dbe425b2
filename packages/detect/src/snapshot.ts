import { type Alert, copyAlert } from "./alert.ts";
import { type Direction, Directions, type ScopeKind, ScopeKinds } from "./config.ts";
import { type ConfigIssue, DetectError, formatIssue } from "./errors.ts";
import { HourProfile } from "./hours.ts";
import { type AlertState, AlertStates, type ObserveResult } from "./reading.ts";
import type { Scope } from "./scope.ts";
import { SKETCH } from "./sketch.ts";

/** One rule's alert state in one scope. */
export type AlertSnapshot = Alert;

/** `[minute, rule index, kind (0 trunk, 1 customer), position, key, count]`. */
export type ContributorEntry = [number, number, number, number, string, number];

/** `[minute, rule index, position, key, count]` of the phrase sketch (key: code, phrase, Reason). */
export type PhraseEntry = [number, number, number, string, number];

export interface ScopeSnapshot {
  kind: ScopeKind;
  trunk?: string;
  direction?: Direction;
  customer?: string;
  /** Newest event minute seen (minutes since epoch), -1 before the first. */
  lastMinute: number;
  /** Non-empty minute buckets, flattened: `minute, calls, count per rule…` repeated. */
  minutes: number[];
  /** Non-empty 15-minute buckets (index = minute / 15), flattened like `minutes`. */
  quarterHours: number[];
  contributors: ContributorEntry[];
  /** Absent in snapshots written before phrases were tracked. */
  phrases?: PhraseEntry[];
  /**
   * Written by versions whose drift test kept a running CUSUM; read and
   * ignored now (the sequential test reads the minute ring).
   */
  cusum?: { minute: number; values: number[] };
  /** Per rule of `DetectorSnapshot.rules`, null while it never left normal. */
  alerts: (AlertSnapshot | null)[];
  /**
   * The hour-of-week profile (version 2): the next quarter-hour to fold in,
   * and the non-empty slots flattened as `slot, week, calls, count per rule…`.
   * Absent (a version 1 snapshot, or a scope never judged): rebuilt from the
   * 15-minute buckets at the next evaluation.
   */
  hours?: { folded: number; slots: number[] };
}

/** The detector's whole state as plain JSON. Rules are matched by id and codes on restore. */
export interface DetectorSnapshot {
  /** 2 since the hour-of-week profile; version 1 snapshots are read and migrated (`migrateSnapshot`). */
  version: 2;
  /** `warmUntil`: for a rule added on restore, the first minute its baseline may be used. */
  rules: { id: string; codes: number[]; warmUntil?: number }[];
  lastEvaluation: number | null;
  events: Record<ObserveResult, number>;
  overflow: number;
  evicted: number;
  watchedCustomers: number;
  scopes: ScopeSnapshot[];
}

type Path = (string | number)[];
const MAX_ISSUES = 20;

class Reader {
  readonly issues: ConfigIssue[] = [];
  fail(path: Path, message: string): false {
    if (this.issues.length < MAX_ISSUES) this.issues.push({ path, message });
    return false;
  }
  record(value: unknown, path: Path): value is Record<string, unknown> {
    return (
      (typeof value === "object" && value !== null && !Array.isArray(value)) ||
      this.fail(path, "must be an object")
    );
  }
  array(value: unknown, path: Path): value is unknown[] {
    return Array.isArray(value) || this.fail(path, "must be an array");
  }
  count(value: unknown, path: Path): boolean {
    return (
      (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) ||
      this.fail(path, "must be a whole number ≥ 0")
    );
  }
  finite(value: unknown, path: Path): boolean {
    return (
      (typeof value === "number" && Number.isFinite(value)) ||
      this.fail(path, "must be a finite number")
    );
  }
  string(value: unknown, path: Path): boolean {
    return typeof value === "string" || this.fail(path, "must be a string");
  }
  nullable(value: unknown, path: Path, check: (v: unknown, p: Path) => boolean): boolean {
    return value === null || check(value, path);
  }
}

function checkReading(r: Reader, value: unknown, path: Path): void {
  if (!r.record(value, path)) return;
  if (!["ok", "insufficient_data", "no_baseline"].includes(value.status as string)) {
    r.fail([...path, "status"], "must be ok, insufficient_data or no_baseline");
  }
  for (const key of ["windowMinutes", "calls", "count"]) r.count(value[key], [...path, key]);
  for (const key of ["rate", "wilsonLower"]) r.finite(value[key], [...path, key]);
  for (const key of ["baseline", "threshold", "resolveThreshold"]) {
    r.nullable(value[key], [...path, key], (v, p) => r.finite(v, p));
  }
}

function checkAlert(r: Reader, value: unknown, path: Path): void {
  if (value === null || !r.record(value, path)) return;
  if (!AlertStates.includes(value.state as AlertState)) {
    r.fail([...path, "state"], `must be one of ${AlertStates.join(", ")}`);
  }
  r.count(value.streak, [...path, "streak"]);
  if (value.lastBreach !== undefined) {
    r.nullable(value.lastBreach, [...path, "lastBreach"], (v, p) => r.count(v, p));
  }
  for (const key of ["since", "firedAt", "resolvedAt", "frozenBaseline"]) {
    r.nullable(value[key], [...path, key], (v, p) => r.finite(v, p));
  }
  for (const key of ["incidentId", "resolvedIncidentId"]) {
    r.nullable(value[key], [...path, key], (v, p) => r.string(v, p));
  }
  const active = value.state === "pending" || value.state === "firing";
  if (
    active &&
    (value.since === null || value.incidentId === null || value.frozenBaseline === null)
  ) {
    r.fail(path, "a pending or firing alert needs since, incidentId and frozenBaseline");
  }
  const last = value.last;
  if (last === null || !r.record(last, [...path, "last"])) return;
  r.finite(last.evaluatedAt, [...path, "last", "evaluatedAt"]);
  checkReading(r, last.reading, [...path, "last", "reading"]);
  if (r.array(last.contributors, [...path, "last", "contributors"])) {
    last.contributors.forEach((c, i) => {
      const at = [...path, "last", "contributors", i];
      if (!r.record(c, at)) return;
      if (c.kind !== "trunk" && c.kind !== "customer")
        r.fail([...at, "kind"], "must be trunk or customer");
      r.string(c.key, [...at, "key"]);
      r.count(c.count, [...at, "count"]);
    });
  }
  if (last.phrases !== undefined && r.array(last.phrases, [...path, "last", "phrases"])) {
    last.phrases.forEach((p, i) => {
      const at = [...path, "last", "phrases", i];
      if (!r.record(p, at)) return;
      r.count(p.code, [...at, "code"]);
      r.nullable(p.phrase, [...at, "phrase"], (v, q) => r.string(v, q));
      r.nullable(p.reason, [...at, "reason"], (v, q) => r.string(v, q));
      r.nullable(p.direction, [...at, "direction"], (v, q) => r.string(v, q));
      r.count(p.count, [...at, "count"]);
    });
  }
}

function checkBuckets(r: Reader, value: unknown, path: Path, stride: number): void {
  if (!r.array(value, path)) return;
  if (value.length % stride !== 0) r.fail(path, `length must be a multiple of ${stride}`);
  for (const [i, v] of value.entries()) r.count(v, [...path, i]);
}

function checkScope(r: Reader, value: unknown, path: Path, ruleCount: number): void {
  if (!r.record(value, path)) return;
  const kind = value.kind as ScopeKind;
  if (!ScopeKinds.includes(kind)) {
    r.fail([...path, "kind"], `must be one of ${ScopeKinds.join(", ")}`);
    return;
  }
  const needs = {
    global: [],
    trunk: ["trunk"],
    trunk_direction: ["trunk", "direction"],
    customer: ["customer"],
  }[kind];
  for (const key of needs) {
    if (typeof value[key] !== "string" || value[key] === "")
      r.fail([...path, key], "must be a non-empty string");
  }
  if (kind === "trunk_direction" && !Directions.includes(value.direction as Direction)) {
    r.fail([...path, "direction"], "must be inbound or outbound");
  }
  if (value.lastMinute !== -1) r.count(value.lastMinute, [...path, "lastMinute"]);
  checkBuckets(r, value.minutes, [...path, "minutes"], ruleCount + 2);
  checkBuckets(r, value.quarterHours, [...path, "quarterHours"], ruleCount + 2);
  if (r.array(value.contributors, [...path, "contributors"])) {
    for (const [i, entry] of value.contributors.entries()) {
      const at = [...path, "contributors", i];
      if (!Array.isArray(entry) || entry.length !== 6) {
        r.fail(at, "must be [minute, rule, kind, position, key, count]");
        continue;
      }
      for (const j of [0, 1, 2, 3, 5]) r.count(entry[j], [...at, j]);
      r.string(entry[4], [...at, 4]);
      if ((entry[1] as number) >= ruleCount) r.fail([...at, 1], "names no rule");
    }
  }
  if (value.phrases !== undefined && r.array(value.phrases, [...path, "phrases"])) {
    for (const [i, entry] of value.phrases.entries()) {
      const at = [...path, "phrases", i];
      if (!Array.isArray(entry) || entry.length !== 5) {
        r.fail(at, "must be [minute, rule, position, key, count]");
        continue;
      }
      for (const j of [0, 1, 2, 4]) r.count(entry[j], [...at, j]);
      r.string(entry[3], [...at, 3]);
      if ((entry[1] as number) >= ruleCount) r.fail([...at, 1], "names no rule");
    }
  }
  if (value.cusum !== undefined && r.record(value.cusum, [...path, "cusum"])) {
    r.finite(value.cusum.minute, [...path, "cusum", "minute"]);
    if (r.array(value.cusum.values, [...path, "cusum", "values"])) {
      if (value.cusum.values.length !== ruleCount)
        r.fail([...path, "cusum", "values"], `must have one entry per rule (${ruleCount})`);
      for (const [i, v] of value.cusum.values.entries())
        r.finite(v, [...path, "cusum", "values", i]);
    }
  }
  if (value.hours !== undefined && r.record(value.hours, [...path, "hours"])) {
    const h = value.hours;
    if (h.folded !== -1) r.count(h.folded, [...path, "hours", "folded"]);
    if (r.array(h.slots, [...path, "hours", "slots"])) {
      if (h.slots.length % (ruleCount + 3) !== 0)
        r.fail([...path, "hours", "slots"], `length must be a multiple of ${ruleCount + 3}`);
      for (const [i, v] of h.slots.entries()) {
        const at = [...path, "hours", "slots", i];
        if (i % (ruleCount + 3) === 0) {
          if (!(Number.isInteger(v) && (v as number) >= 0 && (v as number) < 168))
            r.fail(at, "must be an hour of the week, 0–167");
        } else if (i % (ruleCount + 3) === 1) r.count(v, at);
        else if (!(typeof v === "number" && Number.isFinite(v) && v >= 0))
          r.fail(at, "must be a finite number ≥ 0");
      }
    }
  }
  if (r.array(value.alerts, [...path, "alerts"])) {
    if (value.alerts.length !== ruleCount)
      r.fail([...path, "alerts"], `must have one entry per rule (${ruleCount})`);
    for (const [i, a] of value.alerts.entries()) checkAlert(r, a, [...path, "alerts", i]);
  }
}

/** Checks that `value` has the shape of a `DetectorSnapshot`; throws `invalid_snapshot` naming the bad fields. */
export function checkSnapshot(value: unknown): DetectorSnapshot {
  const r = new Reader();
  if (r.record(value, [])) {
    if (value.version !== 1 && value.version !== 2) r.fail(["version"], "must be 1 or 2");
    let ruleCount = 0;
    if (r.array(value.rules, ["rules"])) {
      ruleCount = value.rules.length;
      value.rules.forEach((rule, i) => {
        if (!r.record(rule, ["rules", i])) return;
        r.string(rule.id, ["rules", i, "id"]);
        if (r.array(rule.codes, ["rules", i, "codes"])) {
          for (const [j, c] of rule.codes.entries()) r.count(c, ["rules", i, "codes", j]);
        }
        if (rule.warmUntil !== undefined) r.count(rule.warmUntil, ["rules", i, "warmUntil"]);
      });
    }
    r.nullable(value.lastEvaluation, ["lastEvaluation"], (v, p) => r.count(v, p));
    if (r.record(value.events, ["events"])) {
      for (const key of ["accepted", "ignored", "late", "future", "invalid"])
        r.count(value.events[key], ["events", key]);
    }
    for (const key of ["overflow", "evicted", "watchedCustomers"]) r.count(value[key], [key]);
    if (r.array(value.scopes, ["scopes"])) {
      for (const [i, scope] of value.scopes.entries())
        checkScope(r, scope, ["scopes", i], ruleCount);
      const globals = value.scopes.filter(
        (s) => (s as { kind?: unknown })?.kind === "global",
      ).length;
      if (globals !== 1) r.fail(["scopes"], "must hold exactly one global scope");
    }
  }
  if (r.issues.length) {
    throw new DetectError(
      "invalid_snapshot",
      `invalid detector snapshot: ${formatIssue(r.issues[0]!)}`,
      r.issues,
    );
  }
  return migrateSnapshot(value as unknown as DetectorSnapshot | DetectorSnapshotV1);
}

/** A snapshot written before the hour-of-week profile: no `hours` in its scopes. */
export type DetectorSnapshotV1 = Omit<DetectorSnapshot, "version"> & { version: 1 };

/**
 * Brings a checked snapshot to the current version. Version 1 has no
 * hour-of-week profiles; each scope's is rebuilt from its 15-minute buckets
 * (the last ~25 hours) at the first evaluation after the restore.
 */
export function migrateSnapshot(snap: DetectorSnapshot | DetectorSnapshotV1): DetectorSnapshot {
  if (snap.version === 2) return snap;
  return { ...snap, version: 2, scopes: snap.scopes.map(({ hours: _, ...scope }) => scope) };
}

/** A scope's counts, contributors and alerts as plain JSON. */
export function scopeSnapshot(s: Scope): ScopeSnapshot {
  const contributors: ContributorEntry[] = [];
  const sketch = s.sketch;
  if (sketch) {
    s.minuteStamp.forEach((minute, slot) => {
      if (minute < 0) return;
      for (const [r, d, i, key, count] of sketch.entries(minute, slot)) {
        contributors.push([minute, r, sketch.kinds[d] === "trunk" ? 0 : 1, i, key, count]);
      }
    });
  }
  const phrases: PhraseEntry[] = [];
  const texts = s.phrases;
  if (texts) {
    s.minuteStamp.forEach((minute, slot) => {
      if (minute < 0) return;
      for (const [r, , i, key, count] of texts.entries(minute, slot))
        phrases.push([minute, r, i, key, count]);
    });
  }
  const { trunk, direction, customer } = s.ref;
  return {
    kind: s.kind,
    ...(trunk !== undefined ? { trunk } : {}),
    ...(direction !== undefined ? { direction } : {}),
    ...(customer !== undefined ? { customer } : {}),
    lastMinute: s.lastMinute,
    minutes: s.flatten("minutes"),
    quarterHours: s.flatten("quarters"),
    contributors,
    phrases,
    ...(s.hours ? { hours: { folded: s.hours.folded, slots: s.hours.flatten() } } : {}),
    alerts: Array.from({ length: s.geometry.rules }, (_, r) => {
      const a = s.alerts?.[r];
      return a ? copyAlert(a) : null;
    }),
  };
}

/**
 * Loads a scope's snapshot into a new scope. `source[r]` is the index of
 * configured rule `r` among the snapshot's `snapshotRules` rules (-1: not
 * in it, so no counts).
 */
export function loadScope(
  s: Scope,
  shot: ScopeSnapshot,
  source: readonly number[],
  snapshotRules: number,
): void {
  s.lastMinute = shot.lastMinute;
  const sourceStride = snapshotRules + 1;
  const load = (flat: number[], ring: "minutes" | "quarters") => {
    for (let at = 0; at < flat.length; at += sourceStride + 1) {
      const values = [flat[at + 1]!];
      for (const from of source) values.push(from >= 0 ? flat[at + 2 + from]! : 0);
      s.load(ring, flat[at]!, values);
    }
  };
  load(shot.minutes, "minutes");
  load(shot.quarterHours, "quarters");
  for (const [minute, from, kind, position, key, count] of shot.contributors) {
    const r = source.indexOf(from);
    const d = s.dims.indexOf(kind === 0 ? "trunk" : "customer");
    const slot = minute % s.geometry.minuteSlots;
    if (r < 0 || d < 0 || position >= SKETCH || s.minuteStamp[slot] !== minute) continue;
    s.openSketch().set(minute, slot, r, d, position, key, count);
  }
  if (shot.hours) {
    s.hours = new HourProfile(s.geometry.stride);
    s.hours.load(shot.hours.folded, shot.hours.slots, source, snapshotRules + 1);
  }
  for (const [minute, from, position, key, count] of shot.phrases ?? []) {
    const r = source.indexOf(from);
    const slot = minute % s.geometry.minuteSlots;
    if (r < 0 || position >= SKETCH || s.minuteStamp[slot] !== minute) continue;
    s.openPhrases().set(minute, slot, r, 0, position, key, count);
  }
  source.forEach((from, r) => {
    const a = from >= 0 ? shot.alerts[from] : null;
    if (!a) return;
    s.alerts ??= new Array<Alert | undefined>(s.geometry.rules).fill(undefined);
    s.alerts[r] = copyAlert(a);
  });
}
