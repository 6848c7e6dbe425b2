import { isErrorCode, problemTypeOf } from "@sipcodes/errors/problem";
import { Hono } from "hono";
import { alertsOf } from "../alerts-view.ts";
import type { AppDeps } from "../app.ts";
import { sendProblem } from "../problem.ts";

/**
 * What needs no token: liveness with the outbox and detector state, the
 * Prometheus metrics, and the meaning of each problem type at its type URI.
 */
export function healthRoutes({
  config,
  engine,
  outbox,
  metrics,
  version,
  startedAt,
  readiness,
}: AppDeps) {
  const app = new Hono();

  // Readiness: 503 with the checks that failed (store, evaluation, destinations, deadLetters).
  app.get("/readyz", async (c) => {
    if (!readiness) return c.json({ status: "ready", failed: [], checks: {} });
    const r = await readiness();
    return c.json(
      { status: r.ready ? "ready" : "not_ready", failed: r.failed, checks: r.checks },
      r.ready ? 200 : 503,
      { "cache-control": "no-store" },
    );
  });

  app.get("/healthz", async (c) => {
    const counts = await outbox.counts();
    // Redis mode, not the evaluator: the committed state (null fields when Redis cannot be read).
    const v = await alertsOf(engine).catch(() => undefined);
    return c.json({
      status: "ok",
      version,
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
      clock: config.evaluation.clock,
      ...(engine.role ? { role: engine.role } : {}),
      ...(engine.stream ? { stream: engine.stream } : {}),
      ...(engine.takeover ? { takeover: engine.takeover } : {}),
      ...(v?.leader !== undefined ? { leader: v.leader } : {}),
      lastEvaluation: v?.lastEvaluation == null ? null : new Date(v.lastEvaluation).toISOString(),
      scopes: v && v.summary !== false ? v.scopes : null,
      warmingUp: v && v.summary !== false ? v.warmingUp : null,
      outbox: { pending: counts.pending, dead: counts.dead },
    });
  });

  app.get("/metrics", async (c) =>
    c.body(await metrics.registry.metrics(), 200, { "content-type": metrics.registry.contentType }),
  );

  // The `type` of every problem the alerter sends is /problems/<code>, as in the API.
  app.get("/problems/:code", (c) => {
    const code = c.req.param("code");
    if (!isErrorCode(code)) {
      return sendProblem(c, "unknown_problem_type", `there is no problem type "${code}"`);
    }
    return c.json(problemTypeOf(code), 200, { "cache-control": "public, max-age=86400" });
  });

  return app;
}
