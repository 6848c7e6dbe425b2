import { randomUUID } from "node:crypto";
import { type Context, Hono } from "hono";
import { newSilence, SilenceInput } from "../../domain/silence.ts";
import { type AlertsView, alertsOf } from "../alerts-view.ts";
import type { AppDeps } from "../app.ts";
import { checkBearer, managementTokens } from "../auth.ts";
import { sendProblem } from "../problem.ts";
import { type MessageStatus, MessageStatuses, type Outbox } from "../store.ts";

async function readJson(c: Context): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    return undefined;
  }
}

/** An outbox message as the API shows it: times as RFC 3339, the body parsed. */
function view(m: Awaited<ReturnType<Outbox["list"]>>[number]) {
  return {
    id: m.id,
    notificationId: m.notificationId,
    destination: m.destination,
    kind: m.kind,
    stream: m.stream,
    state: m.state,
    status: m.status,
    attempts: m.attempts,
    createdAt: new Date(m.createdAt).toISOString(),
    deadline: new Date(m.deadline).toISOString(),
    nextAttemptAt: new Date(m.nextAttemptAt).toISOString(),
    lastError: m.lastError,
    lastStatus: m.lastStatus,
    deliveredAt: m.deliveredAt === null ? null : new Date(m.deliveredAt).toISOString(),
    deadAt: m.deadAt === null ? null : new Date(m.deadAt).toISOString(),
    supersededBy: m.supersededBy,
    body: JSON.parse(m.body) as unknown,
  };
}

const limitOf = (c: Context) =>
  Math.min(1000, Math.max(1, Number(c.req.query("limit") ?? 100) || 100));

/** The management API under /v1, behind the API token: alerts, silences, outbox, replays, evaluation. */
export function manageRoutes(deps: AppDeps) {
  const { config, secrets, engine, outbox, logger } = deps;
  const apiTokens = managementTokens(config, secrets);
  const app = new Hono();

  app.use("*", async (c, next) => {
    if (!checkBearer(c.req.header("authorization"), apiTokens)) {
      return sendProblem(
        c,
        "unauthorized",
        "Send Authorization: Bearer <api token> (api.token, or apiToken in the data directory's secrets.json).",
        { headers: { "www-authenticate": 'Bearer realm="sipcodes-alerter-api"' } },
      );
    }
    await next();
  });

  // Redis mode: on a node that does not evaluate, what the evaluator last committed (and who it is).
  app.get("/alerts", async (c) => {
    let v: AlertsView;
    try {
      v = await alertsOf(engine);
    } catch (error) {
      if ((error as { code?: unknown }).code !== "store_unavailable") throw error;
      return sendProblem(
        c,
        "state_unavailable",
        "This node does not evaluate and cannot read the evaluator's committed state from Redis now.",
        { headers: { "retry-after": "1" } },
      );
    }
    if (v.summary === false)
      return sendProblem(
        c,
        "state_unavailable",
        `This node is a standby and the evaluator (${v.leader ?? "no node holds the lease"}) has not yet committed the alerts it would show.`,
        { headers: { "retry-after": "5" } },
      );
    return c.json({
      active: v.active,
      groups: v.groups,
      incidents: v.incidents,
      ...(v.source
        ? {
            role: engine.role,
            source: v.source,
            leader: v.leader,
            lastEvaluation:
              v.lastEvaluation === null ? null : new Date(v.lastEvaluation).toISOString(),
          }
        : {}),
    });
  });

  app.get("/silences", async (c) => {
    const all = c.req.query("expired") === "true";
    const now = engine.now();
    const list = await engine.listSilences(now, all);
    return c.json({
      silences: list.map((s) => ({ ...s, active: s.startsAt <= now && now < s.endsAt })),
    });
  });

  app.post("/silences", async (c) => {
    const parsed = SilenceInput.safeParse(await readJson(c));
    if (!parsed.success) {
      return sendProblem(c, "invalid_silence", "The silence does not match its schema.", {
        errors: parsed.error.issues.map((i) => ({
          path: ["body", ...i.path.map((p) => (typeof p === "symbol" ? String(p) : p))],
          message: i.message,
        })),
      });
    }
    const silence = newSilence(parsed.data, `sil_${randomUUID()}`, engine.now());
    if (!silence) {
      return sendProblem(c, "invalid_silence", "endsAt must be after startsAt (default now).", {
        errors: [{ path: ["body", "endsAt"], message: "must be after startsAt" }],
      });
    }
    await engine.addSilence(silence);
    logger.info(
      { silence: silence.id, matchers: silence.matchers, createdBy: silence.createdBy },
      "silence created",
    );
    return c.json(silence, 201);
  });

  app.delete("/silences/:id", async (c) => {
    const ok = await engine.expireSilence(c.req.param("id"));
    if (!ok) return sendProblem(c, "not_found", "No such silence.");
    return c.body(null, 204);
  });

  app.get("/dead-letters", async (c) =>
    c.json({ deadLetters: (await outbox.list("dead", limitOf(c))).map(view) }),
  );

  app.get("/outbox", async (c) => {
    const status = c.req.query("status") ?? "pending";
    if (!(MessageStatuses as readonly string[]).includes(status)) {
      return sendProblem(
        c,
        "invalid_status",
        `status must be one of ${MessageStatuses.join(", ")}.`,
      );
    }
    return c.json({
      messages: (await outbox.list(status as MessageStatus, limitOf(c))).map(view),
    });
  });

  app.post("/dead-letters/:id/replay", async (c) => {
    const id = c.req.param("id");
    const now = Date.now();
    const ok = await outbox.replay(id, now, now + config.delivery.deadLetterAfterSeconds * 1000);
    if (!ok) return sendProblem(c, "not_found", "No dead letter with this id.");
    logger.info({ message: id }, "dead letter replayed");
    deps.onReplay?.();
    return c.json({ id, status: "pending" }, 202);
  });

  app.post("/admin/evaluate", async (c) => {
    const body = (await readJson(c)) as { now?: unknown } | undefined;
    const raw = body?.now;
    const now =
      typeof raw === "number" ? raw : typeof raw === "string" ? Date.parse(raw) : engine.now();
    if (!Number.isFinite(now) || now < 0) {
      return sendProblem(c, "invalid_time", "now must be ms since the epoch or an RFC 3339 time.");
    }
    if (config.evaluation.clock === "wall" && raw !== undefined) {
      return sendProblem(
        c,
        "wall_clock",
        "With evaluation.clock wall the evaluation time is the wall clock; omit now.",
      );
    }
    if (engine.role === "standby") {
      const { leader } = await alertsOf(engine).catch(() => ({ leader: undefined }));
      return sendProblem(
        c,
        "not_evaluator",
        `This node is a standby; the evaluator is ${leader ? `node ${leader}` : "not known now (no node holds the lease)"}.`,
      );
    }
    const transitions = await engine.evaluate(now);
    return c.json({ now: new Date(now).toISOString(), transitions });
  });

  return app;
}
