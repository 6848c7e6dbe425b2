// One scope (global, a trunk, a trunk in one direction, a customer): its
// counting rings, its contributor sketch, its alerts and its current baselines.

import { type Alert, isActive } from "./alert.ts";
import type { Direction, ScopeKind } from "./config.ts";
import type { HourProfile } from "./hours.ts";
import type { Contributor, ScopeRef } from "./reading.ts";
import { type Geometry, Rings } from "./rings.ts";
import { Sketch } from "./sketch.ts";

/** Order of scope kinds in transitions and active alerts. */
export const KIND_RANK: Record<ScopeKind, number> = {
  global: 0,
  trunk: 1,
  trunk_direction: 2,
  customer: 3,
};

/** The contributor kinds a scope keeps a sketch of. */
const DIMS: Record<ScopeKind, readonly Contributor["kind"][]> = {
  global: ["trunk", "customer"],
  trunk: ["customer"],
  trunk_direction: ["customer"],
  // A customer's trunks place it under the trunk that carries its failures.
  customer: ["trunk"],
};

const PHRASE_KIND = ["phrase"] as const;

export function makeRef(
  kind: ScopeKind,
  trunk?: string,
  direction?: Direction,
  customer?: string,
): ScopeRef {
  switch (kind) {
    case "global":
      return Object.freeze({ kind, key: "global" });
    case "trunk":
      return Object.freeze({ kind, key: `trunk:${trunk}`, trunk: trunk! });
    case "trunk_direction":
      return Object.freeze({
        kind,
        key: `trunk_direction:${trunk}:${direction}`,
        trunk: trunk!,
        direction: direction!,
      });
    case "customer":
      return Object.freeze({ kind, key: `customer:${customer}`, customer: customer! });
  }
}

export class Scope extends Rings {
  readonly kind: ScopeKind;
  readonly ref: ScopeRef;
  readonly parent: Scope | undefined;
  readonly dims: readonly Contributor["kind"][];
  /** Allocated with the first contributor. */
  sketch: Sketch | undefined = undefined;
  /** The (code, phrase, reason) texts of matching responses, allocated with the first one. */
  phrases: Sketch<"phrase"> | undefined = undefined;
  /** Per rule, allocated when a rule first breaches here. */
  alerts: (Alert | undefined)[] | undefined = undefined;
  inbound: Scope | undefined = undefined;
  outbound: Scope | undefined = undefined;
  /** Effective baseline per rule at the current evaluation (NaN: unknown). */
  readonly baseline: Float64Array;
  traffic = 0;
  watchedAt = -1;
  /**
   * Per rule: the upper confidence bound of the baseline, the p0 of the
   * sequential test (a thin history weighs less evidence, it does not page).
   */
  readonly baselineUpper: Float64Array;
  /** The bits of what `setBaselines` last computed the baselines from (baseline.ts), allocated then. */
  baselineInputs: Uint32Array | undefined = undefined;
  /** The hour-of-week profile, allocated when the scope is first judged. */
  hours: HourProfile | undefined = undefined;

  constructor(ref: ScopeRef, parent: Scope | undefined, geometry: Geometry) {
    super(geometry);
    this.kind = ref.kind;
    this.ref = ref;
    this.parent = parent;
    this.dims = DIMS[ref.kind];
    this.baseline = new Float64Array(geometry.rules).fill(Number.NaN);
    this.baselineUpper = new Float64Array(geometry.rules).fill(Number.NaN);
  }

  /** The sketch, allocated on first use. */
  openSketch(): Sketch {
    this.sketch ??= new Sketch(this.geometry.minuteSlots, this.geometry.rules, this.dims);
    return this.sketch;
  }

  /** The phrase sketch, allocated on first use. */
  openPhrases(): Sketch<"phrase"> {
    this.phrases ??= new Sketch(this.geometry.minuteSlots, this.geometry.rules, PHRASE_KIND);
    return this.phrases;
  }

  hasActive(): boolean {
    const alerts = this.alerts;
    if (!alerts) return false;
    for (const a of alerts) if (a && isActive(a.state)) return true;
    return false;
  }
}
