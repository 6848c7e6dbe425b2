/**
 * The pages for people: the same catalogue as the JSON API, as server-rendered
 * HTML (hono/jsx, no client-side JavaScript needed). Mounted at `/` by app.ts.
 * Every page is a pure function of the catalogue, the query and the public
 * base URL, so it is rendered once and then served from the representation
 * cache with an ETag, like the JSON routes.
 */
import {
  causeTableOwner,
  DEFAULT_PROFILE,
  defaultRegistry,
  type Explanation,
  explain,
  getQ850Cause,
  holdsCalls,
  listGlossaryTerms,
  listQ850Causes,
  MAX_INPUT_LENGTH,
  type Profile,
  platformCauseMapping,
  readTrace,
  safeExplain,
  splitMessages,
  summarizeProfile,
} from "@sipcodes/core";
import { Audience, Direction } from "@sipcodes/core/schemas";
import { type Context, Hono } from "hono";
import { accepts } from "hono/accepts";
import { bodyLimit } from "hono/body-limit";
import { z } from "zod";
import { CAPTURE_BODY_LIMIT, type CallsBody, callsFromCapture, callsFromTrace } from "../calls.ts";
import { findTerm, resolveProfile } from "../catalogue.ts";
import { BoundedMap, type Representation, type RepresentationCache, send } from "../http.ts";
import { ApiError, fromCoreError, problemBody, problemResponse } from "../problem.ts";
import { validate } from "../route.ts";
import { CauseParams, CodeParams } from "../schemas.ts";
import { clip, queryOf } from "./_format.ts";
import {
  acceptsHtml,
  baseUrl,
  type Element,
  HTML,
  issueLines,
  pathOf,
  problemTitle,
  renderPage,
} from "./_render.ts";
import { PAGE_SECURITY_HEADERS } from "./_security.ts";
import { CodePage, type ViewOptions } from "./code.tsx";
import { ErrorPage } from "./error.tsx";
import { ExplainPage, type MessageResult } from "./explain.tsx";
import { GlossaryPage, TermPage } from "./glossary.tsx";
import { HomePage } from "./home.tsx";
import type { PageMeta } from "./layout.tsx";
import { ProfilesPage } from "./profiles.tsx";
import { Q850ListPage, Q850Page, type Q850View } from "./q850.tsx";
import { sitemap } from "./sitemap.ts";

/** Longest text the explain form takes: the core's limit for one input. */
export const TRACE_LIMIT = MAX_INPUT_LENGTH;
/** Largest form body: the trace URL-encoded (up to 3 bytes a character) plus the options. */
export const FORM_BODY_LIMIT = TRACE_LIMIT * 3 + 1024;

const blank = (value: unknown) => (value === "" ? undefined : value);

/** A page's options. Lenient about parameters it does not know (links carry tracking tags). */
const PageQuery = z.object({
  profile: z.preprocess(blank, z.string().max(64).optional()),
  direction: z.preprocess(blank, Direction.optional()),
  audience: z.preprocess(blank, Audience.optional()),
});

const SearchQuery = z.object({
  q: z.preprocess(blank, z.string().trim().max(200, "at most 200 characters").optional()),
});

const TermParam = z.object({ term: z.string().min(1).max(80) });

export interface PagesDeps {
  cache: RepresentationCache;
  /** Public base URL for canonical links and the sitemap; default: the request's origin. */
  publicBaseUrl?: string | undefined;
}

interface Rendered {
  meta: PageMeta;
  html: string;
}

function viewOptions(query: z.output<typeof PageQuery>): {
  options: ViewOptions;
  profile: Profile;
} {
  const profile = resolveProfile(query.profile ?? DEFAULT_PROFILE, ["query", "profile"]);
  return {
    profile,
    options: { profile: profile.id, direction: query.direction, audience: query.audience },
  };
}

function explainOptions(options: ViewOptions) {
  return {
    profile: options.profile,
    ...(options.direction ? { direction: options.direction } : {}),
    ...(options.audience ? { audience: options.audience } : {}),
  };
}

/** The same code with the standard meanings and the same direction and audience. */
function standardOf(e: Explanation, options: ViewOptions): Explanation {
  return explain(e.code, { ...explainOptions(options), profile: DEFAULT_PROFILE });
}

/**
 * The HTML page for a problem when the client asks for HTML, else undefined
 * (the caller answers application/problem+json as before).
 */
export function problemPage(
  c: Context,
  error: ApiError,
  publicBaseUrl: string | undefined,
): Response | undefined {
  if (!acceptsHtml(c)) return undefined;
  const meta: PageMeta = {
    title: problemTitle(error),
    description: error.message,
    path: pathOf(c),
    base: baseUrl(c, publicBaseUrl),
    noindex: true,
  };
  const html = renderPage(
    <ErrorPage
      meta={meta}
      status={error.status}
      title={problemTitle(error)}
      detail={error.message}
      issues={issueLines(error)}
    />,
    meta.base,
  );
  return new Response(c.req.method === "HEAD" ? null : html, {
    status: error.status,
    headers: {
      "content-type": HTML,
      "cache-control": "no-store",
      vary: "Accept",
      ...(PAGE_SECURITY_HEADERS as Record<string, string>),
      ...error.headers,
    },
  });
}

export function pagesRoutes({ cache, publicBaseUrl }: PagesDeps) {
  const app = new Hono();

  /** A problem from a page route: an HTML page for browsers, problem+json for anything else. */
  const fail = (c: Context, error: unknown): Response => {
    if (!(error instanceof ApiError)) throw error;
    return (
      problemPage(c, error, publicBaseUrl) ??
      problemResponse(error, pathOf(c), publicBaseUrl ?? new URL(c.req.url).origin)
    );
  };

  /** Serves a page from the cache (key: base URL plus canonical path), 304 on a matching ETag. */
  const serve = (c: Context, key: string, render: (base: string) => Rendered, vary?: string) => {
    const base = baseUrl(c, publicBaseUrl);
    return send(
      c,
      cache.get(
        `page|${base}|${key}`,
        () => render(base).html,
        HTML,
        vary,
        "public",
        PAGE_SECURITY_HEADERS,
      ),
    );
  };

  const page = (
    meta: Omit<PageMeta, "base">,
    base: string,
    node: (meta: PageMeta) => Element,
  ): Rendered => {
    const full = { ...meta, base };
    return { meta: full, html: renderPage(node(full), base) };
  };

  // `/` is the JSON index for API clients (routes/meta.ts); a browser gets the search page.
  app.get("/", (c, next) => {
    if (!acceptsHtml(c)) return next();
    try {
      const { q } = validate(SearchQuery, c.req.query(), "query");
      const path = `/${queryOf({ q })}`;
      return serve(
        c,
        path,
        (base) =>
          page(
            {
              title: q ? `SIP codes matching “${q}”` : "SIP response codes explained",
              description:
                "Every SIP response code explained for the people who run SIP trunks and the callers they help: causes, fixes, what to tell the caller, Q.850 causes.",
              path,
              ...(q ? { noindex: true } : {}),
            },
            base,
            (meta) => <HomePage meta={meta} q={q} />,
          ),
        "Accept",
      );
    } catch (error) {
      return fail(c, error);
    }
  });

  // The hot page: a URL already answered is one lookup away from its bytes.
  const byUrl = new BoundedMap<string, Representation>(2000);
  app.get("/codes/:code", (c) => {
    const known = byUrl.get(c.req.url);
    if (known) return send(c, known);
    try {
      const raw = validate(CodeParams, c.req.param(), "path").code;
      const code = Number(raw);
      if (code < 100 || code > 699) {
        throw new ApiError(
          "unknown_code",
          `${raw} is not a SIP response code: codes run from 100 to 699`,
        );
      }
      const { options } = viewOptions(validate(PageQuery, c.req.query(), "query"));
      const path = `/codes/${code}${queryOf({ profile: options.profile, direction: options.direction, audience: options.audience })}`;
      const base = baseUrl(c, publicBaseUrl);
      const rep = cache.get(
        `page|${base}|${path}`,
        () => {
          const e = explain(code, explainOptions(options));
          const standard = standardOf(e, options);
          const profiled = e.profile.id !== DEFAULT_PROFILE ? ` on ${e.profile.name}` : "";
          return page(
            {
              title: `SIP ${e.code} ${e.profilePhrase ?? e.phrase}${profiled}: what it means`,
              description: clip(`${e.summary} ${e.operator?.meaning ?? e.endUser.message}`),
              path,
            },
            base,
            (meta) => <CodePage meta={meta} e={e} standard={standard} options={options} />,
          ).html;
        },
        HTML,
        undefined,
        "public",
        PAGE_SECURITY_HEADERS,
      );
      byUrl.set(c.req.url, rep);
      return send(c, rep);
    } catch (error) {
      return fail(c, error);
    }
  });

  /** The profile a Q.850 page is read through; the chooser offers those with a cause table. */
  const q850View = (c: Context): Q850View => {
    const { profile } = viewOptions(validate(PageQuery, c.req.query(), "query"));
    const all = defaultRegistry().list();
    const profiles = all.filter(
      (p) =>
        p.id === DEFAULT_PROFILE ||
        p.id === profile.id ||
        causeTableOwner({ profile: p.id }) !== undefined,
    );
    return { profile, profiles, standard: profile.id === DEFAULT_PROFILE };
  };

  app.get("/q850", (c) => {
    try {
      const view = q850View(c);
      const id = view.standard ? undefined : view.profile.id;
      const path = `/q850${queryOf({ profile: id })}`;
      return serve(c, path, (base) =>
        page(
          {
            title: id
              ? `Q.850 cause values: RFC 3398 and ${view.profile.name}`
              : "Q.850 cause values and their SIP codes",
            description:
              "Every assigned ISDN/ISUP (Q.850) release cause, and the SIP code a gateway sends for it.",
            path,
          },
          base,
          (meta) => (
            <Q850ListPage
              meta={meta}
              causes={listQ850Causes()}
              view={view}
              platform={(cause) => platformCauseMapping(cause, { profile: view.profile.id })}
            />
          ),
        ),
      );
    } catch (error) {
      return fail(c, error);
    }
  });

  app.get("/q850/:cause", (c) => {
    try {
      const raw = validate(CauseParams, c.req.param(), "path").cause;
      const cause = getQ850Cause(Number(raw));
      if (!cause) throw new ApiError("unknown_q850_cause", `Q.850 assigns no cause ${raw}`);
      const view = q850View(c);
      const id = view.standard ? undefined : view.profile.id;
      const platform = id ? platformCauseMapping(cause.cause, { profile: id }) : undefined;
      const path = `/q850/${cause.cause}${queryOf({ profile: id })}`;
      return serve(c, path, (base) =>
        page(
          {
            title: `Q.850 cause ${cause.cause}: ${cause.name}${platform ? ` (${platform.name}: SIP ${platform.sip})` : ""}`,
            description: clip(
              cause.explanation ||
                `${cause.name}: Q.850 cause ${cause.cause} and its SIP mappings.`,
            ),
            path,
          },
          base,
          (meta) => <Q850Page meta={meta} cause={cause} view={view} platform={platform} />,
        ),
      );
    } catch (error) {
      return fail(c, error);
    }
  });

  const sharedTerms = new Set(listGlossaryTerms().map((t) => t.term));

  app.get("/glossary", (c) => {
    try {
      const { profile } = viewOptions(validate(PageQuery, c.req.query(), "query"));
      const path = `/glossary${queryOf({ profile: profile.id })}`;
      return serve(c, path, (base) =>
        page(
          {
            title:
              profile.id === DEFAULT_PROFILE
                ? "Glossary of SIP trunking terms"
                : `Glossary: ${profile.name}`,
            description: "The words used in the sipcodes explanations, defined in plain terms.",
            path,
          },
          base,
          (meta) => (
            <GlossaryPage
              meta={meta}
              terms={listGlossaryTerms({ profile })}
              shared={sharedTerms}
              profile={profile}
              profiles={defaultRegistry().list()}
            />
          ),
        ),
      );
    } catch (error) {
      return fail(c, error);
    }
  });

  app.get("/glossary/:term", (c) => {
    try {
      const { term } = validate(TermParam, c.req.param(), "path");
      const { profile } = viewOptions(validate(PageQuery, c.req.query(), "query"));
      const entry = findTerm(term, profile);
      if (!entry) throw new ApiError("unknown_term", `the glossary has no term "${term}"`);
      const path = `/glossary/${encodeURIComponent(entry.term)}${queryOf({ profile: profile.id })}`;
      return serve(c, path, (base) =>
        page(
          { title: `${entry.term}: meaning in SIP`, description: clip(entry.definition), path },
          base,
          (meta) => (
            <TermPage
              meta={meta}
              entry={entry}
              profile={profile}
              own={!sharedTerms.has(entry.term)}
            />
          ),
        ),
      );
    } catch (error) {
      return fail(c, error);
    }
  });

  app.get("/profiles", (c) =>
    serve(c, "/profiles", (base) =>
      page(
        {
          title: "Provider profiles",
          description:
            "How particular SIP platforms use status codes differently from the standards.",
          path: "/profiles",
        },
        base,
        (meta) => (
          <ProfilesPage meta={meta} profiles={defaultRegistry().list().map(summarizeProfile)} />
        ),
      ),
    ),
  );

  const explainMeta = {
    title: "Explain a SIP trace",
    description:
      "Paste a SIP response, a status line, a Reason header or a whole trace and read what each response means.",
    path: "/explain",
  };

  app.get("/explain", (c) => {
    try {
      const { options } = viewOptions(validate(PageQuery, c.req.query(), "query"));
      const path = `/explain${queryOf({ profile: options.profile, direction: options.direction, audience: options.audience })}`;
      return serve(c, path, (base) =>
        page({ ...explainMeta, path: "/explain" }, base, (meta) => (
          <ExplainPage
            meta={meta}
            options={options}
            trace=""
            limit={TRACE_LIMIT}
            captureLimit={CAPTURE_BODY_LIMIT}
          />
        )),
      );
    } catch (error) {
      return fail(c, error);
    }
  });

  const tooLarge = (size: string) =>
    new ApiError(
      "content_too_large",
      `the pasted text is ${size}; this form takes up to ${TRACE_LIMIT.toLocaleString("en")} characters`,
    );

  // A form with a capture file is multipart and may carry the file (up to the capture limit).
  const formLimit = bodyLimit({
    maxSize: FORM_BODY_LIMIT,
    onError: (c) => fail(c, tooLarge(`over ${FORM_BODY_LIMIT.toLocaleString("en")} bytes`)),
  });
  const uploadLimit = bodyLimit({
    maxSize: CAPTURE_BODY_LIMIT + FORM_BODY_LIMIT,
    onError: (c) =>
      fail(
        c,
        new ApiError(
          "content_too_large",
          `the form is over ${(CAPTURE_BODY_LIMIT + FORM_BODY_LIMIT).toLocaleString("en")} bytes; a capture file may be up to ${CAPTURE_BODY_LIMIT.toLocaleString("en")} bytes`,
        ),
      ),
  });
  const mediaTypeOf = (c: Context) =>
    (c.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";

  app.post(
    "/explain",
    (c, next) => (mediaTypeOf(c) === "multipart/form-data" ? uploadLimit : formLimit)(c, next),
    async (c) => {
      try {
        const type = mediaTypeOf(c);
        if (type !== "application/x-www-form-urlencoded" && type !== "multipart/form-data") {
          throw new ApiError(
            "unsupported_media_type",
            `${type ? `Content-Type ${type} is not accepted` : "the request has no Content-Type"}; send the form as application/x-www-form-urlencoded`,
            {
              headers: { "accept-post": "application/x-www-form-urlencoded, multipart/form-data" },
            },
          );
        }
        const form = await c.req.parseBody();
        const field = (name: string) =>
          typeof form[name] === "string" ? (form[name] as string) : undefined;
        const { options } = viewOptions(
          validate(
            PageQuery,
            {
              profile: field("profile"),
              direction: field("direction"),
              audience: field("audience"),
            },
            "body",
          ),
        );
        const trace = field("trace") ?? "";
        if (trace.length > TRACE_LIMIT)
          throw tooLarge(`${trace.length.toLocaleString("en")} characters`);
        const upload = form.capture;
        const file = typeof upload === "object" && upload !== null && "arrayBuffer" in upload;
        const bytes = file ? new Uint8Array(await (upload as File).arrayBuffer()) : undefined;
        if (bytes && bytes.byteLength > CAPTURE_BODY_LIMIT) {
          throw new ApiError(
            "content_too_large",
            `the capture file is ${bytes.byteLength.toLocaleString("en")} bytes; this form takes up to ${CAPTURE_BODY_LIMIT.toLocaleString("en")}`,
          );
        }
        const wants = accepts(c, {
          header: "Accept",
          supports: [HTML, "application/json"],
          default: HTML,
        });
        const core = explainOptions(options);
        // A capture file, or a trace of whole calls, is told call by call (core's explainCalls,
        // as POST /v1/explain does); anything else message by message.
        let calls: CallsBody | undefined;
        if (bytes && bytes.byteLength > 0) {
          calls = callsFromCapture(bytes, core);
        } else if (trace.trim() === "") {
          throw new ApiError(
            "validation_failed",
            "body.trace: paste a trace, or choose a capture file; the form had neither",
            { errors: [{ path: ["body", "trace"], message: "empty, and no capture file" }] },
          );
        } else {
          const read = readTrace(trace);
          if (read && holdsCalls(read)) calls = callsFromTrace(read.format, read.messages, core);
        }
        const meta: PageMeta = { ...explainMeta, base: baseUrl(c, publicBaseUrl), noindex: true };
        const answer = (body: string, contentType: string) =>
          c.body(body, 200, {
            "content-type": contentType,
            "cache-control": "no-store",
            vary: "Accept",
            ...(contentType === HTML ? PAGE_SECURITY_HEADERS : {}),
          });
        if (calls) {
          if (wants === "application/json")
            return answer(JSON.stringify(calls), "application/json");
          return answer(
            renderPage(
              <ExplainPage
                meta={meta}
                options={options}
                trace={trace}
                limit={TRACE_LIMIT}
                captureLimit={CAPTURE_BODY_LIMIT}
                calls={calls}
                standardOf={(e) => standardOf(e, options)}
              />,
              meta.base,
            ),
            HTML,
          );
        }
        const inputs = splitMessages(trace);
        const explained = inputs.map((input) => safeExplain(input, core));
        if (wants === "application/json") {
          let failed = 0;
          const results = explained.map((result, index) => {
            if (result.success) return { index, explanation: result.data };
            failed++;
            return {
              index,
              problem: problemBody(fromCoreError(result.error), `/explain#/messages/${index}`),
            };
          });
          return answer(
            JSON.stringify({ count: results.length, failed, results }),
            "application/json",
          );
        }
        const results: MessageResult[] = explained.map((result, index) => {
          const input = inputs[index] ?? "";
          if (result.success) {
            return {
              index,
              input,
              explanation: result.data,
              standard: standardOf(result.data, options),
            };
          }
          const error = fromCoreError(result.error);
          return { index, input, problem: { title: problemTitle(error), detail: error.message } };
        });
        return answer(
          renderPage(
            <ExplainPage
              meta={meta}
              options={options}
              trace={trace}
              limit={TRACE_LIMIT}
              captureLimit={CAPTURE_BODY_LIMIT}
              results={results}
            />,
            meta.base,
          ),
          HTML,
        );
      } catch (error) {
        return fail(c, error);
      }
    },
  );

  app.get("/sitemap.xml", (c) => {
    const base = baseUrl(c, publicBaseUrl);
    return send(
      c,
      cache.get(
        `page|${base}|/sitemap.xml`,
        () => sitemap(base),
        "application/xml; charset=utf-8",
        undefined,
      ),
    );
  });

  app.get("/robots.txt", (c) => {
    const base = baseUrl(c, publicBaseUrl);
    return send(
      c,
      cache.get(
        `page|${base}|/robots.txt`,
        () => `User-agent: *\nAllow: /\nSitemap: ${base}/sitemap.xml\n`,
        "text/plain; charset=utf-8",
        undefined,
      ),
    );
  });

  // The pages are read-only (but POST /explain): other methods get a 405 naming the ones they take.
  const readOnly = [
    "/",
    "/codes/:code",
    "/q850",
    "/q850/:cause",
    "/glossary",
    "/glossary/:term",
    "/profiles",
    "/sitemap.xml",
    "/robots.txt",
  ];
  const methods = ["POST", "PUT", "PATCH", "DELETE"];
  const refuse = (allow: string) => (c: Context) =>
    fail(
      c,
      new ApiError(
        "method_not_allowed",
        `${c.req.method} is not allowed on ${pathOf(c)}; it takes ${allow}`,
        { headers: { allow } },
      ),
    );
  app.on(
    methods,
    readOnly.filter((p) => p !== "/"),
    refuse("GET, HEAD"),
  );
  app.on(["PUT", "PATCH", "DELETE"], "/explain", refuse("GET, HEAD, POST"));

  return app;
}
