import type { ActiveAlert, Incident } from "@sipcodes/detect";
import type { GroupState } from "../domain/grouping.ts";
import type { EngineView } from "./app.ts";

/**
 * What the alert routes show (`/v1/alerts`, `/healthz`, the status page and
 * the alert gauges): this node's engine, or, on a Redis node that does not
 * evaluate, the state the evaluator last committed to Redis. Never a node's
 * idle detector passed off as "no alerts".
 */
export interface AlertsView {
  active: ActiveAlert[];
  groups: GroupState[];
  incidents: Incident[];
  lastEvaluation: number | null;
  scopes: number;
  warmingUp: boolean;
  /**
   * Redis mode: `engine` on the evaluator (its own detector); `committed` on
   * any other node (what the evaluator last committed).
   */
  source?: "engine" | "committed";
  /** Redis mode: the node holding the evaluator lease (SIPCODES_NODE_ID), null when none does. */
  leader?: string | null;
  /**
   * Redis mode, committed: false when the evaluator has evaluated but its
   * commit carries no detector summary (an older version): the active
   * alerts are then not known here, which is not the same as none.
   */
  summary?: boolean;
}

/** The view from the node's own engine. */
export function engineAlerts(
  engine: Pick<EngineView, "detector" | "book" | "incidents">,
): AlertsView {
  const stats = engine.detector.stats();
  return {
    active: engine.detector.active(),
    groups: engine.book.toJSON(),
    incidents: engine.incidents.book.incidents(),
    lastEvaluation: stats.lastEvaluation,
    scopes: stats.scopes.total,
    warmingUp: stats.warmingUp,
  };
}

/** The alerts a route shows: the engine view's own answer (Redis mode) or the engine's. */
export function alertsOf(engine: EngineView): Promise<AlertsView> {
  return engine.alerts ? engine.alerts() : Promise.resolve(engineAlerts(engine));
}

/** The same, synchronously, for the metrics: Redis mode's last committed view read on a standby. */
export function lastAlertsOf(engine: EngineView): AlertsView {
  return engine.lastAlerts?.() ?? engineAlerts(engine);
}
