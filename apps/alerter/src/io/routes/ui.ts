import { randomUUID } from "node:crypto";
import { problemTypes } from "@sipcodes/errors/problem";
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { getCookie } from "hono/cookie";
import type { JSXNode } from "hono/jsx";
import { Labels } from "../../domain/labels.ts";
import { newSilence } from "../../domain/silence.ts";
import { ErrorPage } from "../../ui/error.tsx";
import { IncidentsPage } from "../../ui/incidents.tsx";
import { LoginPage } from "../../ui/login.tsx";
import { NotificationsPage } from "../../ui/notifications.tsx";
import { HISTORY_HOURS, ScopeHistory } from "../../ui/scope-history.ts";
import {
  SESSION_COOKIE,
  type Session,
  SessionKeys,
  sameOrigin,
  sessionCookie,
} from "../../ui/session.ts";
import { draftFromLabels, draftOf, parseDraft } from "../../ui/silence-form.ts";
import { emptyDraft, type SilenceDraft, SilencesPage } from "../../ui/silences.tsx";
import { CSS_HASH } from "../../ui/style.ts";
import { alertsOf } from "../alerts-view.ts";
import type { AppDeps, EngineView } from "../app.ts";
import { checkBasic, checkSecret, managementTokens } from "../auth.ts";
import { sendProblem } from "../problem.ts";
import { MessageStatuses, type OutboxMessage } from "../store.ts";

/** Rows of the recent-notifications table. */
const RECENT = 50;
const MAX_FORM_BYTES = 16 * 1024;

/** No script at all, this stylesheet only, forms to this origin only, never in a frame. */
const SECURITY_HEADERS = {
  "content-security-policy": `default-src 'none'; style-src ${CSS_HASH}; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "same-origin",
  "cache-control": "no-store",
} as const;

type Element = ReturnType<typeof LoginPage>;

function render(node: Element): string {
  const out = (node as unknown as JSXNode).toString();
  if (typeof out !== "string") throw new Error("a status page rendered asynchronously");
  return `<!doctype html>${out}`;
}

/** The scheme the client used: the URL's, or the proxy's X-Forwarded-Proto in front of it. */
function schemeOf(c: Context): "http:" | "https:" {
  const forwarded = c.req.header("x-forwarded-proto")?.split(",")[0]?.trim();
  if (forwarded === "https" || forwarded === "http") return `${forwarded}:`;
  return new URL(c.req.url).protocol === "https:" ? "https:" : "http:";
}

const selfOrigin = (c: Context) =>
  `${schemeOf(c)}//${c.req.header("host") ?? new URL(c.req.url).host}`;

/** Only paths of this page are followed after logging in. */
const safeNext = (next: unknown) =>
  typeof next === "string" && /^\/ui(\/[A-Za-z0-9/_-]*)?$/.test(next) ? next : "/ui";

/** What the history reads, through the engine view (in Redis mode, whichever engine evaluates here). */
export function historySource(engine: EngineView) {
  return {
    get detector() {
      return engine.detector;
    },
    incidents: () => engine.incidents.book.incidents(),
  };
}

/**
 * The status page under /ui: incidents with sparklines, notifications and
 * dead letters, silences (created and expired through the same schema,
 * builder and engine calls as POST/DELETE /v1/silences). Behind the
 * management token, as HTTP Basic or as a login that sets a signed session
 * cookie; every POST needs the session's form token and a same-origin
 * request. Server-rendered, no script.
 */
export function uiRoutes(deps: AppDeps) {
  const { engine, outbox, logger, version } = deps;
  const tokens = managementTokens(deps.config, deps.secrets);
  const keys = new SessionKeys(tokens[0]!);
  const history = deps.history ?? new ScopeHistory(historySource(engine));
  const app = new Hono<{ Variables: { session: Session } }>();

  const html = (c: Context, node: Element, status: 200 | 400 | 401 | 403 | 404 = 200) =>
    c.html(render(node), status);

  /** A refusal as a page for a browser, as a problem for anything else. */
  const refuse = (
    c: Context,
    code: "forbidden" | "not_found",
    detail: string,
    session?: Session,
  ) => {
    if (!(c.req.header("accept") ?? "").includes("text/html")) return sendProblem(c, code, detail);
    const { status, title } = problemTypes[code];
    return html(
      c,
      ErrorPage({
        version,
        status,
        title,
        detail,
        formToken: session ? keys.formToken(session) : undefined,
      }),
      status as 403 | 404,
    );
  };

  app.use("*", async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.header(name, value);
  });
  app.use(
    "*",
    bodyLimit({
      maxSize: MAX_FORM_BYTES,
      onError: (c) =>
        sendProblem(c, "content_too_large", `A form is at most ${MAX_FORM_BYTES} bytes.`),
    }),
  );

  app.get("/login", (c) =>
    html(c, LoginPage({ version, next: safeNext(c.req.query("next")), failed: false })),
  );

  app.post("/login", async (c) => {
    if (
      !sameOrigin({
        origin: c.req.header("origin"),
        secFetchSite: c.req.header("sec-fetch-site"),
        self: selfOrigin(c),
      })
    ) {
      return refuse(c, "forbidden", "The login form was sent from another site.");
    }
    const body = await c.req.parseBody();
    const next = safeNext(body.next);
    const token = typeof body.token === "string" ? body.token : "";
    if (!checkSecret(token, tokens)) {
      logger.warn("status page login refused");
      return html(c, LoginPage({ version, next, failed: true }), 401);
    }
    const session = keys.create(Date.now());
    c.header("set-cookie", sessionCookie(keys.seal(session), schemeOf(c) === "https:"));
    return c.redirect(next, 303);
  });

  // Everything below needs the management token, as Basic credentials or a session.
  app.use("*", async (c, next) => {
    const now = Date.now();
    let session = keys.open(getCookie(c, SESSION_COOKIE), now);
    if (!session && checkBasic(c.req.header("authorization"), undefined, tokens)) {
      // Basic credentials get a session too: the forms' token is derived from it.
      session = keys.create(now);
      c.header("set-cookie", sessionCookie(keys.seal(session), schemeOf(c) === "https:"), {
        append: true,
      });
    }
    if (!session) {
      const navigating =
        c.req.method === "GET" && (c.req.header("accept") ?? "").includes("text/html");
      if (navigating) return c.redirect(`/ui/login?next=${encodeURIComponent(c.req.path)}`, 303);
      return sendProblem(
        c,
        "unauthorized",
        "Log in at /ui/login, or send HTTP Basic credentials with the management token as the password.",
        { headers: { "www-authenticate": 'Basic realm="sipcodes-alerter", charset="UTF-8"' } },
      );
    }
    c.set("session", session);
    if (c.req.method === "POST") {
      const body = await c.req.parseBody();
      const origin = {
        origin: c.req.header("origin"),
        secFetchSite: c.req.header("sec-fetch-site"),
        self: selfOrigin(c),
      };
      if (!sameOrigin(origin) || !keys.checkFormToken(session, body.csrf)) {
        logger.warn({ path: c.req.path }, "status page form refused: cross-site or bad form token");
        return refuse(
          c,
          "forbidden",
          "The form was sent from another site, or without this session's form token. Reload the page and send it again.",
          session,
        );
      }
    }
    await next();
  });

  app.post("/logout", (c) => {
    c.header("set-cookie", sessionCookie(null, schemeOf(c) === "https:"));
    return c.redirect("/ui/login", 303);
  });

  app.get("/", async (c) => {
    history.refresh(Date.now());
    // Redis mode, not the evaluator: the incidents the evaluator last committed.
    const v = await alertsOf(engine).catch(() => undefined);
    return html(
      c,
      IncidentsPage({
        version,
        formToken: keys.formToken(c.get("session")),
        incidents: v?.incidents ?? [],
        history,
        hours: HISTORY_HOURS,
        lastEvaluation: v?.lastEvaluation ?? null,
        role: engine.role,
        leader: v?.leader,
        unavailable: v === undefined || v.summary === false,
      }),
    );
  });

  app.get("/notifications", async (c) => {
    const lists = await Promise.all(MessageStatuses.map((s) => outbox.list(s, RECENT)));
    const recent: OutboxMessage[] = lists
      .flat()
      .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1))
      .slice(0, RECENT);
    return html(
      c,
      NotificationsPage({
        version,
        formToken: keys.formToken(c.get("session")),
        recent,
        dead: lists[MessageStatuses.indexOf("dead")] ?? [],
        counts: await outbox.counts(),
        limit: RECENT,
      }),
    );
  });

  const silencesPage = async (
    c: Context<{ Variables: { session: Session } }>,
    draft: SilenceDraft,
    errors: string[],
    created?: string,
  ) => {
    const now = engine.now();
    const silences = (await engine.listSilences(now, true)).sort((a, b) => b.endsAt - a.endsAt);
    return html(
      c,
      SilencesPage({
        version,
        formToken: keys.formToken(c.get("session")),
        now,
        silences,
        draft,
        errors,
        created,
      }),
      errors.length > 0 ? 400 : 200,
    );
  };

  app.get("/silences", (c) => {
    const draft = emptyDraft();
    draft.matchers = draftFromLabels(c.req.query(), Labels);
    const created = c.req.query("created");
    return silencesPage(
      c,
      draft,
      [],
      created && /^sil_[0-9a-f-]{36}$/.test(created) ? created : undefined,
    );
  });

  app.post("/silences", async (c) => {
    const draft = draftOf(await c.req.parseBody());
    const now = engine.now();
    const parsed = parseDraft(draft, now);
    if (!parsed.success) return silencesPage(c, draft, parsed.errors);
    const silence = newSilence(parsed.data, `sil_${randomUUID()}`, now);
    if (!silence) return silencesPage(c, draft, ["Lasts: the silence would end before it starts."]);
    await engine.addSilence(silence);
    logger.info(
      { silence: silence.id, matchers: silence.matchers, createdBy: silence.createdBy, via: "ui" },
      "silence created",
    );
    return c.redirect(`/ui/silences?created=${silence.id}`, 303);
  });

  app.post("/silences/:id/expire", async (c) => {
    const id = c.req.param("id");
    if (!(await engine.expireSilence(id))) {
      return refuse(c, "not_found", "No such silence.", c.get("session"));
    }
    logger.info({ silence: id, via: "ui" }, "silence expired");
    return c.redirect("/ui/silences", 303);
  });

  return app;
}
