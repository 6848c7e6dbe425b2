import type { KeyObject } from "node:crypto";
import { Hono } from "hono";
import type { Logger } from "pino";
import type { AlerterConfig } from "../config.ts";
import type { Readiness } from "../domain/readiness.ts";
import type { ScopeHistory } from "../ui/scope-history.ts";
import type { AlertsView } from "./alerts-view.ts";
import type { Engine } from "./engine.ts";
import type { Metrics } from "./metrics.ts";
import { sendProblem } from "./problem.ts";
import { healthRoutes } from "./routes/health.ts";
import { ingestRoutes } from "./routes/ingest.ts";
import { manageRoutes } from "./routes/manage.ts";
import { uiRoutes } from "./routes/ui.ts";
import type { Secrets } from "./secrets.ts";
import type { OutboxView } from "./store.ts";

/** What the routes use of the engine (in Redis mode a view over whichever node evaluates). */
export type EngineView = Pick<
  Engine,
  | "detector"
  | "book"
  | "incidents"
  | "now"
  | "ingest"
  | "evaluate"
  | "addSilence"
  | "listSilences"
  | "expireSilence"
> & {
  /** Redis mode: whether this node evaluates now. */
  readonly role?: "evaluator" | "standby";
  /**
   * Redis mode, on the evaluator: the stream head it has counted, its lag
   * bound, and the longest time a checkpoint held the event loop (ms).
   */
  readonly stream?:
    | { counted: number; lagMs: number; eventLagMs: number; checkpointPauseMs: number }
    | undefined;
  /**
   * Redis mode, on the evaluator: whether it took over from its warm standby
   * (else a full load, with the reason), the events it replayed, and how long
   * it took (ms).
   */
  readonly takeover?:
    | { warm: boolean; replayed: number; reason?: string; tookMs: number }
    | undefined;
  /**
   * Redis mode: the alerts to show (the evaluator's engine, or on any other
   * node what the evaluator last committed). Absent: the engine's own.
   */
  alerts?(): Promise<AlertsView>;
  /** Redis mode: the last view `alerts()` read on a node that does not evaluate (the metrics' source). */
  lastAlerts?(): AlertsView | undefined;
};

export interface AppDeps {
  config: AlerterConfig;
  secrets: Secrets;
  engine: EngineView;
  outbox: OutboxView;
  metrics: Metrics;
  logger: Logger;
  telnyxKey: KeyObject | undefined;
  version: string;
  startedAt: number;
  onReplay?: () => void;
  /** The readiness checks behind /readyz. */
  readiness?: () => Promise<Readiness>;
  /** Events-per-second limiter shared by every node (Redis mode); default one per process. */
  eventRate?: RateLimiter;
  /** The status page's sparkline history, sampled on a timer by the caller; default sampled on page views only. */
  history?: ScopeHistory;
}

/** How long (seconds) a batch of `n` events must wait; 0 takes them now. */
export interface RateLimiter {
  take(n: number): number | Promise<number>;
}

/**
 * The alerter's HTTP interface, wired from its route modules. Order matters:
 * the ingest limits (`use("*")` in routes/ingest.ts) run for every route
 * mounted after them, as they always have, and not for health and metrics.
 * Every error is an RFC 9457 problem from the table shared with the API.
 */
export function createApp(deps: AppDeps) {
  const app = new Hono();

  app.onError((error, c) => {
    deps.logger.error({ err: error, path: c.req.path }, "request failed");
    return sendProblem(c, "internal_error", "The request failed inside the alerter; see its log.");
  });
  app.notFound((c) => sendProblem(c, "not_found", `No route for ${c.req.method} ${c.req.path}.`));

  app.route("/", healthRoutes(deps));
  app.route("/", ingestRoutes(deps));
  app.route("/v1", manageRoutes(deps));
  app.route("/ui", uiRoutes(deps));
  return app;
}
