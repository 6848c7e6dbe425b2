import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { CATALOGUE_VERSION } from "@sipcodes/core";
import type { Context, MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { EXPOSED_HEADERS } from "./edge.ts";
import { contentTypes, RepresentationCache, send } from "./http.ts";
import { createLogger, isClientAbort, type Logger } from "./log.ts";
import { pagesRoutes, problemPage } from "./pages/index.tsx";
import { ApiError, problemResponse, toApiError } from "./problem.ts";
import {
  ConditionalHeaders,
  CacheHeaders as cacheHeaders,
  checkPathEncoding,
  defineRoute,
  honoPath,
  notModified,
  problems,
} from "./route.ts";
import { codesRoutes } from "./routes/codes.ts";
import { explainRoutes } from "./routes/explain.ts";
import { metaRoutes } from "./routes/meta.ts";
import { referenceRoutes } from "./routes/reference.ts";

/**
 * The version of the API contract (this OpenAPI document), semver: minor for
 * additions, major for anything that breaks a client. Not the catalogue's
 * version, which the document carries as `x-catalogue-version`.
 */
export const CONTRACT_VERSION = "1.4.0";

export interface AppOptions {
  /** Cache-Control max-age of catalogue responses, in seconds. Default 3600. */
  cacheMaxAge?: number;
  /** Most serialised responses kept in memory. Default 5000 (a few MiB). */
  cacheEntries?: number;
  /** `*` (default) or the origins CORS preflights grant. */
  corsOrigins?: "*" | readonly string[];
  /** The absolute URL of the API, for `servers` and problem types; default: the request's origin. */
  publicUrl?: string | undefined;
  /** URL of Scalar's browser bundle for /docs (both runtimes serve their own); default: Scalar's CDN. */
  docsScript?: string | undefined;
  /** Where errors and client aborts are logged; default: JSON lines on the console. */
  logger?: Logger;
}

const isRead = (method: string) => method === "GET" || method === "HEAD";

function pathOf(c: Context): string {
  const url = c.req.url;
  const start = url.indexOf("/", url.indexOf("//") + 2);
  const end = url.indexOf("?", start);
  return start < 0 ? "/" : url.slice(start, end < 0 ? undefined : end);
}

function originOf(url: string): string {
  const end = url.indexOf("/", url.indexOf("//") + 2);
  return end < 0 ? url : url.slice(0, end);
}

/** The whole API as one Hono app; src/node.ts and src/worker.ts only serve it. */
export function createApp(options: AppOptions = {}) {
  const corsOrigins = options.corsOrigins ?? "*";
  const cache = new RepresentationCache({
    maxAge: options.cacheMaxAge ?? 3600,
    maxEntries: options.cacheEntries ?? 5000,
  });
  const app = new OpenAPIHono();

  app.route("/", pagesRoutes({ cache, publicBaseUrl: options.publicUrl }));
  app.route(
    "/",
    metaRoutes({
      endpoints: () => endpoints,
      base: (url) => options.publicUrl ?? originOf(url),
      docsScript: options.docsScript,
    }),
  );
  app.route("/v1", codesRoutes({ cache }));
  app.route("/v1", explainRoutes());
  app.route("/v1", referenceRoutes({ cache }));

  const base = (c: Context) => options.publicUrl ?? originOf(c.req.url);
  const document = (server: string) => ({
    ...app.getOpenAPI31Document({
      openapi: "3.1.0",
      info: {
        title: "sipcodes API",
        version: CONTRACT_VERSION,
        description:
          "SIP response codes, Q.850 causes and provider profiles, explained for operators and end users. Every error is an RFC 9457 application/problem+json document. Open: no authentication; each client is rate limited (RateLimit-* headers).",
        license: { name: "MIT", identifier: "MIT" } as { name: string },
      },
      servers: [{ url: server, description: "This server" }],
      tags: [
        { name: "codes", description: "SIP response codes" },
        { name: "explain", description: "Explain pasted codes, status lines, responses" },
        { name: "q850", description: "Q.850 causes and their SIP mappings" },
        { name: "profiles", description: "Provider profiles" },
        { name: "glossary", description: "Terms the explanations use" },
        { name: "meta", description: "Liveness, index, this document, problem types, docs" },
      ],
      // The API is open: no operation needs credentials.
      security: [],
    }),
    "x-catalogue-version": CATALOGUE_VERSION,
  });
  const openapiRoute = createRoute({
    method: "get",
    path: "/openapi.json",
    operationId: "getOpenApiDocument",
    tags: ["meta"],
    summary: "This OpenAPI 3.1 document",
    request: { headers: ConditionalHeaders },
    responses: {
      200: {
        description: "The document",
        headers: cacheHeaders,
        content: { "application/json": { schema: { type: "object" } } },
      },
      304: notModified,
      ...problems(400, 429),
    },
  });
  defineRoute(app, openapiRoute, (c) => {
    const server = base(c);
    return send(
      c,
      cache.get(
        `openapi|${server}`,
        () => JSON.stringify(document(server)),
        contentTypes.json,
        undefined,
      ),
    );
  });

  // Which methods each documented path takes: the source of 405s, Allow and CORS preflights.
  const allowed = new Map<string, Set<string>>();
  for (const def of app.openAPIRegistry.definitions) {
    if (def.type !== "route") continue;
    const methods = allowed.get(def.route.path) ?? new Set<string>();
    methods.add(def.route.method.toUpperCase());
    allowed.set(def.route.path, methods);
  }
  const endpoints = [...allowed].flatMap(([path, methods]) =>
    [...methods].map((method) => `${method} ${path}`),
  );
  const patterns = [...allowed].map(([path, methods]) => {
    const list = [...methods];
    if (methods.has("GET")) list.push("HEAD");
    list.push("OPTIONS");
    const source = path.replaceAll(/[.]/g, "\\.").replaceAll(/\{[^}]+\}/g, "[^/]+");
    return {
      path,
      regex: new RegExp(`^${source}$`),
      allow: list.join(", "),
      get: methods.has("GET"),
    };
  });

  // Preflights, for every route. Actual responses get their CORS headers at the
  // edge (src/edge.ts), so that the hot route keeps Hono's synchronous path.
  const preflights = new Map<string, MiddlewareHandler>();
  const preflightFor = (methods: string) => {
    let handler = preflights.get(methods);
    if (!handler) {
      const preflight = cors({
        origin: corsOrigins === "*" ? "*" : [...corsOrigins],
        allowMethods: methods.split(", "),
        allowHeaders: ["Accept", "Content-Type", "If-None-Match", "X-Request-Id"],
        exposeHeaders: EXPOSED_HEADERS,
        maxAge: 86400,
      });
      handler = async (c, next) => {
        const res = await preflight(c, next);
        if (res instanceof Response) res.headers.set("allow", methods);
        return res;
      };
      preflights.set(methods, handler);
    }
    return handler;
  };
  for (const p of patterns) app.options(honoPath(p.path), preflightFor(p.allow));

  app.notFound((c) => {
    const path = pathOf(c);
    const method = c.req.method;
    try {
      checkPathEncoding(c.req.url);
    } catch (error) {
      return problemResponse(toApiError(error), path, base(c));
    }
    const known = patterns.find((p) => p.regex.test(path));
    const error = known
      ? new ApiError(
          "method_not_allowed",
          `${method} is not allowed on ${known.path}; it takes ${known.allow}`,
          { headers: { allow: known.allow } },
        )
      : new ApiError("not_found", `no route for ${method} ${path}; GET /openapi.json lists them`);
    return (
      (isRead(method) && problemPage(c, error, options.publicUrl)) ||
      problemResponse(error, path, base(c))
    );
  });

  const log = options.logger ?? createLogger("info", (line) => console.log(line));
  app.onError((err, c) => {
    if (c.req.raw.signal?.aborted || isClientAbort(err)) {
      // The client went away (an aborted upload): nobody reads this answer, and it is no bug.
      log.log("debug", "client aborted the request", {
        method: c.req.method,
        path: pathOf(c),
        reason: err instanceof Error ? err.message : String(err),
      });
      return problemResponse(
        new ApiError("bad_request", "the client closed the request before it was read"),
        pathOf(c),
        base(c),
      );
    }
    const error = toApiError(err);
    if (error.status >= 500) {
      log.log("error", "internal error", {
        method: c.req.method,
        path: pathOf(c),
        error: err instanceof Error ? (err.stack ?? err.message) : String(err),
      });
    }
    return (
      (isRead(c.req.method) && problemPage(c, error, options.publicUrl)) ||
      problemResponse(error, pathOf(c), base(c))
    );
  });

  /** The route templates, for the edge's log and metric labels. */
  const routes = [...allowed.keys()];
  return Object.assign(app, { routes });
}

export type App = ReturnType<typeof createApp>;
