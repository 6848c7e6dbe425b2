import type { KeyObject } from "node:crypto";
import { randomUUID } from "node:crypto";
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { Logger } from "pino";
import type { AlerterConfig } from "../config.ts";
import { type Adapted, fromFreeswitch, fromTelnyx, fromTwilio } from "../domain/adapters.ts";
import { type CallRecord, type LineError, parseEventBody } from "../domain/event.ts";
import { SilenceInput } from "../domain/silence.ts";
import {
  checkBasic,
  checkBearer,
  checkTelnyx,
  checkTwilio,
  type Headers,
  StandardWebhookVerifier,
} from "./auth.ts";
import type { Engine } from "./engine.ts";
import type { Metrics } from "./metrics.ts";
import type { Secrets } from "./secrets.ts";
import type { Outbox } from "./store.ts";

export interface AppDeps {
  config: AlerterConfig;
  secrets: Secrets;
  engine: Engine;
  outbox: Outbox;
  metrics: Metrics;
  logger: Logger;
  telnyxKey: KeyObject | undefined;
  version: string;
  startedAt: number;
  onReplay?: () => void;
}

/** Every error is an RFC 9457 problem document with a stable snake_case `code`. */
function problem(
  c: Context,
  status: number,
  code: string,
  detail: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) {
  return c.body(
    JSON.stringify({
      type: `urn:sipcodes:alerter:${code}`,
      title: code.replace(/_/g, " "),
      status,
      detail,
      code,
      ...extra,
    }),
    status as 400,
    {
      "content-type": "application/problem+json",
      ...headers,
    },
  );
}

function headersOf(c: Context): Headers {
  const out: Headers = {};
  c.req.raw.headers.forEach((value, key) => {
    out[key] = value;
  });
  return out;
}

/** A token bucket over events per second; `take` answers how long to wait when empty. */
class EventRate {
  private tokens: number;
  private at = Date.now();
  constructor(private readonly rate: number) {
    this.tokens = rate;
  }
  take(n: number): number {
    const now = Date.now();
    this.tokens = Math.min(this.rate, this.tokens + ((now - this.at) / 1000) * this.rate);
    this.at = now;
    if (this.tokens >= n || (n > this.rate && this.tokens >= this.rate)) {
      this.tokens -= n;
      return 0;
    }
    return Math.ceil((n - this.tokens) / this.rate);
  }
}

/** The alerter's HTTP interface: ingest routes, the management API, health and metrics. */
export function createApp(deps: AppDeps) {
  const { config, secrets, engine, outbox, metrics, logger } = deps;
  const app = new Hono();
  const ingestTokens = config.ingest.tokens ?? [secrets.ingestToken];
  const apiTokens = [config.api.token ?? secrets.apiToken];
  const standard = new StandardWebhookVerifier(config.ingest.secret ?? secrets.ingestSecret);
  const rate =
    config.ingest.maxEventsPerSecond > 0
      ? new EventRate(config.ingest.maxEventsPerSecond)
      : undefined;
  let inFlight = 0;

  app.onError((error, c) => {
    logger.error({ err: error, path: c.req.path }, "request failed");
    return problem(c, 500, "internal_error", "The request failed inside the alerter; see its log.");
  });
  app.notFound((c) => problem(c, 404, "not_found", `No route for ${c.req.method} ${c.req.path}.`));

  app.get("/healthz", async (c) => {
    const counts = await outbox.counts();
    const stats = engine.detector.stats();
    return c.json({
      status: "ok",
      version: deps.version,
      uptimeSeconds: Math.round((Date.now() - deps.startedAt) / 1000),
      clock: config.evaluation.clock,
      lastEvaluation:
        stats.lastEvaluation === null ? null : new Date(stats.lastEvaluation).toISOString(),
      scopes: stats.scopes.total,
      outbox: { pending: counts.pending, dead: counts.dead },
    });
  });

  app.get("/metrics", async (c) =>
    c.body(await metrics.registry.metrics(), 200, { "content-type": metrics.registry.contentType }),
  );

  // ------------------------------------------------------------------ ingest

  const ingest = new Hono();
  ingest.use("*", async (c, next) => {
    if (inFlight >= config.ingest.maxInFlight) {
      metrics.throttled.inc({ status: "503" });
      return problem(
        c,
        503,
        "overloaded",
        "Too many ingest requests at once; retry after the delay.",
        {},
        { "retry-after": "1" },
      );
    }
    inFlight++;
    try {
      await next();
    } finally {
      inFlight--;
    }
  });
  ingest.use(
    "*",
    bodyLimit({
      maxSize: config.ingest.maxBodyBytes,
      onError: (c) =>
        problem(
          c,
          413,
          "body_too_large",
          `The body is larger than ${config.ingest.maxBodyBytes} bytes; send smaller batches.`,
        ),
    }),
  );

  const unauthorized = (c: Context, source: string, detail: string) => {
    metrics.unauthorized.inc({ source });
    return problem(
      c,
      401,
      "unauthorized",
      detail,
      {},
      { "www-authenticate": 'Bearer realm="sipcodes-alerter"' },
    );
  };

  /** Stores events and answers with per-line results, after the commit. */
  const accept = async (
    c: Context,
    source: string,
    events: CallRecord[],
    rejected: LineError[],
    extra: Record<string, unknown> = {},
  ) => {
    if (rate && events.length > 0) {
      const wait = rate.take(events.length);
      if (wait > 0) {
        metrics.throttled.inc({ status: "429" });
        return problem(
          c,
          429,
          "rate_limited",
          `More than ${config.ingest.maxEventsPerSecond} events per second.`,
          {},
          { "retry-after": String(wait) },
        );
      }
    }
    const outcome =
      events.length > 0 ? await engine.ingest(events) : { accepted: 0, duplicate: 0, ignored: 0 };
    if (outcome.accepted) metrics.events.inc({ result: "accepted", source }, outcome.accepted);
    if (outcome.duplicate) metrics.events.inc({ result: "duplicate", source }, outcome.duplicate);
    if (rejected.length) metrics.events.inc({ result: "rejected", source }, rejected.length);
    const status = events.length === 0 && rejected.length > 0 ? 400 : 200;
    return c.json({ ...outcome, rejected, ...extra }, status);
  };

  ingest.post("/v1/events", async (c) => {
    const body = await c.req.text();
    const headers = headersOf(c);
    const signed = headers["webhook-signature"] !== undefined;
    const ok = signed
      ? standard.verify(body, headers)
      : checkBearer(headers.authorization, ingestTokens);
    if (!ok) {
      return unauthorized(
        c,
        "events",
        signed
          ? "The Standard Webhooks signature is invalid, or webhook-timestamp is more than 5 minutes from now."
          : "Sign the body with Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature) or send Authorization: Bearer <ingest token>.",
      );
    }
    const type = headers["content-type"] ?? "";
    const parsed = parseEventBody(body, type.includes("ndjson") || type.includes("jsonl"));
    if (!parsed)
      return problem(c, 400, "invalid_body", "The body is not JSON, a JSON array, or NDJSON.");
    return accept(c, "events", parsed.events, parsed.rejected);
  });

  const adapted = (c: Context, source: string, results: Adapted[]) => {
    const events: CallRecord[] = [];
    const rejected: LineError[] = [];
    let skipped = 0;
    results.forEach((r, i) => {
      if (r.kind === "event") events.push(r.event);
      else if (r.kind === "invalid") rejected.push({ line: i + 1, message: r.message });
      else skipped++;
    });
    return accept(c, source, events, rejected, { skipped });
  };

  ingest.post("/v1/adapters/twilio", async (c) => {
    const twilio = config.adapters.twilio;
    if (!twilio)
      return problem(
        c,
        404,
        "adapter_disabled",
        "Set adapters.twilio.authToken in the config to enable the Twilio route.",
      );
    const body = await c.req.text();
    const params: Record<string, string> = {};
    for (const [k, v] of new URLSearchParams(body)) params[k] = v;
    const url = new URL(c.req.url);
    const signedUrl = twilio.publicUrl
      ? `${twilio.publicUrl.replace(/\/$/, "")}${url.pathname}${url.search}`
      : url.toString();
    if (!checkTwilio(twilio.authToken, signedUrl, params, c.req.header("x-twilio-signature"))) {
      return unauthorized(
        c,
        "twilio",
        "X-Twilio-Signature does not match the URL and parameters (check adapters.twilio.publicUrl behind a proxy).",
      );
    }
    return adapted(c, "twilio", [fromTwilio(params, { trunk: twilio.trunk, now: Date.now() })]);
  });

  ingest.post("/v1/adapters/telnyx", async (c) => {
    const telnyx = config.adapters.telnyx;
    if (!telnyx || !deps.telnyxKey)
      return problem(
        c,
        404,
        "adapter_disabled",
        "Set adapters.telnyx.publicKey in the config to enable the Telnyx route.",
      );
    const body = await c.req.text();
    if (!checkTelnyx(deps.telnyxKey, body, headersOf(c), Date.now())) {
      return unauthorized(
        c,
        "telnyx",
        "telnyx-signature-ed25519 does not verify over telnyx-timestamp|body, or the timestamp is more than 5 minutes old.",
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return problem(c, 400, "invalid_body", "The body is not JSON.");
    }
    return adapted(c, "telnyx", [fromTelnyx(json, { trunk: telnyx.trunk, now: Date.now() })]);
  });

  ingest.post("/v1/adapters/freeswitch", async (c) => {
    const fs = config.adapters.freeswitch;
    const auth = c.req.header("authorization");
    const passwords = fs.password ? [fs.password] : ingestTokens;
    if (!checkBasic(auth, fs.username, passwords) && !checkBearer(auth, ingestTokens)) {
      return unauthorized(
        c,
        "freeswitch",
        "Send HTTP Basic credentials (mod_json_cdr cred + auth-scheme basic) or Authorization: Bearer <ingest token>.",
      );
    }
    let text = await c.req.text();
    // mod_json_cdr with encode=true posts `cdr=<url-encoded JSON>`.
    if (
      (c.req.header("content-type") ?? "").includes("x-www-form-urlencoded") ||
      text.startsWith("cdr=")
    ) {
      text = new URLSearchParams(text).get("cdr") ?? "";
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return problem(c, 400, "invalid_body", "The body is not a JSON CDR.");
    }
    const list = Array.isArray(json) ? json : [json];
    return adapted(
      c,
      "freeswitch",
      list.map((cdr) => fromFreeswitch(cdr, { now: Date.now() })),
    );
  });

  app.route("/", ingest);

  // -------------------------------------------------------------- management

  const api = new Hono();
  api.use("*", async (c, next) => {
    if (!checkBearer(c.req.header("authorization"), apiTokens)) {
      return problem(
        c,
        401,
        "unauthorized",
        "Send Authorization: Bearer <api token> (api.token, or apiToken in the data directory's secrets.json).",
        {},
        {
          "www-authenticate": 'Bearer realm="sipcodes-alerter-api"',
        },
      );
    }
    await next();
  });

  const readJson = async (c: Context): Promise<unknown> => {
    try {
      return await c.req.json();
    } catch {
      return undefined;
    }
  };

  api.get("/alerts", (c) =>
    c.json({
      active: engine.detector.active(),
      groups: engine.book.toJSON(),
    }),
  );

  api.get("/silences", async (c) => {
    const all = c.req.query("expired") === "true";
    const now = engine.now();
    const list = await engine.listSilences(now, all);
    return c.json({
      silences: list.map((s) => ({ ...s, active: s.startsAt <= now && now < s.endsAt })),
    });
  });

  api.post("/silences", async (c) => {
    const parsed = SilenceInput.safeParse(await readJson(c));
    if (!parsed.success) {
      return problem(c, 400, "invalid_silence", "The silence does not match its schema.", {
        errors: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
      });
    }
    const now = engine.now();
    const silence = {
      id: `sil_${randomUUID()}`,
      matchers: parsed.data.matchers,
      startsAt: parsed.data.startsAt ?? now,
      endsAt: parsed.data.endsAt,
      createdBy: parsed.data.createdBy,
      comment: parsed.data.comment,
      createdAt: now,
    };
    if (silence.endsAt <= silence.startsAt) {
      return problem(c, 400, "invalid_silence", "endsAt must be after startsAt (default now).", {
        errors: [{ path: "endsAt", message: "must be after startsAt" }],
      });
    }
    await engine.addSilence(silence);
    logger.info(
      { silence: silence.id, matchers: silence.matchers, createdBy: silence.createdBy },
      "silence created",
    );
    return c.json(silence, 201);
  });

  api.delete("/silences/:id", async (c) => {
    const ok = await engine.expireSilence(c.req.param("id"));
    if (!ok) return problem(c, 404, "not_found", "No such silence.");
    return c.body(null, 204);
  });

  const view = (m: Awaited<ReturnType<Outbox["list"]>>[number]) => ({
    id: m.id,
    notificationId: m.notificationId,
    destination: m.destination,
    kind: m.kind,
    status: m.status,
    attempts: m.attempts,
    createdAt: new Date(m.createdAt).toISOString(),
    deadline: new Date(m.deadline).toISOString(),
    nextAttemptAt: new Date(m.nextAttemptAt).toISOString(),
    lastError: m.lastError,
    lastStatus: m.lastStatus,
    deliveredAt: m.deliveredAt === null ? null : new Date(m.deliveredAt).toISOString(),
    deadAt: m.deadAt === null ? null : new Date(m.deadAt).toISOString(),
    body: JSON.parse(m.body) as unknown,
  });

  const limitOf = (c: Context) =>
    Math.min(1000, Math.max(1, Number(c.req.query("limit") ?? 100) || 100));

  api.get("/dead-letters", async (c) =>
    c.json({ deadLetters: (await outbox.list("dead", limitOf(c))).map(view) }),
  );

  api.get("/outbox", async (c) => {
    const status = c.req.query("status") ?? "pending";
    if (status !== "pending" && status !== "delivered" && status !== "dead") {
      return problem(c, 400, "invalid_status", "status must be pending, delivered or dead.");
    }
    return c.json({ messages: (await outbox.list(status, limitOf(c))).map(view) });
  });

  api.post("/dead-letters/:id/replay", async (c) => {
    const id = c.req.param("id");
    const now = Date.now();
    const ok = await outbox.replay(id, now, now + config.delivery.deadLetterAfterSeconds * 1000);
    if (!ok) return problem(c, 404, "not_found", "No dead letter with this id.");
    logger.info({ message: id }, "dead letter replayed");
    deps.onReplay?.();
    return c.json({ id, status: "pending" }, 202);
  });

  api.post("/admin/evaluate", async (c) => {
    const body = (await readJson(c)) as { now?: unknown } | undefined;
    const raw = body?.now;
    const now =
      typeof raw === "number" ? raw : typeof raw === "string" ? Date.parse(raw) : engine.now();
    if (!Number.isFinite(now) || now < 0)
      return problem(c, 400, "invalid_time", "now must be ms since the epoch or an RFC 3339 time.");
    if (config.evaluation.clock === "wall" && raw !== undefined) {
      return problem(
        c,
        409,
        "wall_clock",
        "With evaluation.clock wall the evaluation time is the wall clock; omit now.",
      );
    }
    const transitions = await engine.evaluate(now);
    return c.json({ now: new Date(now).toISOString(), transitions });
  });

  app.route("/v1", api);
  return app;
}
