import { OpenAPIHono } from "@hono/zod-openapi";
import { CATALOGUE_VERSION } from "@sipcodes/core";
import type { Context } from "hono";
import { cors } from "hono/cors";
import { contentTypes, RepresentationCache, send } from "./http.ts";
import { pagesRoutes, problemPage } from "./pages/index.tsx";
import { ApiError, problemResponse, toApiError } from "./problem.ts";
import { honoPath } from "./route.ts";
import { codesRoutes } from "./routes/codes.ts";
import { explainRoutes } from "./routes/explain.ts";
import { metaRoutes } from "./routes/meta.ts";
import { referenceRoutes } from "./routes/reference.ts";

export interface AppOptions {
  /** Cache-Control max-age of catalogue responses, in seconds. Default 3600. */
  cacheMaxAge?: number;
  /** Most serialised responses kept in memory. Default 5000 (a few MiB). */
  cacheEntries?: number;
  /** Public base URL of the HTML pages (canonical links, sitemap). Default: the request's origin. */
  publicBaseUrl?: string | undefined;
}

function pathOf(c: Context): string {
  const url = c.req.url;
  const start = url.indexOf("/", url.indexOf("//") + 2);
  const end = url.indexOf("?", start);
  return start < 0 ? "/" : url.slice(start, end < 0 ? undefined : end);
}

const isRead = (method: string) => method === "GET" || method === "HEAD";

/** The whole API as one Hono app; src/node.ts and src/worker.ts only serve it. */
export function createApp(options: AppOptions = {}) {
  const cache = new RepresentationCache({
    maxAge: options.cacheMaxAge ?? 3600,
    maxEntries: options.cacheEntries ?? 5000,
  });
  const app = new OpenAPIHono();

  app.route("/", pagesRoutes({ cache, publicBaseUrl: options.publicBaseUrl }));
  app.route(
    "/",
    metaRoutes(() => endpoints),
  );
  app.route("/v1", codesRoutes({ cache }));
  app.route("/v1", explainRoutes());
  app.route("/v1", referenceRoutes({ cache }));

  const document = () =>
    app.getOpenAPI31Document({
      openapi: "3.1.0",
      info: {
        title: "sipcodes API",
        version: CATALOGUE_VERSION,
        description:
          "SIP response codes, Q.850 causes and provider profiles, explained for operators and end users. Every error is an RFC 9457 application/problem+json document.",
        license: { name: "MIT" },
      },
      servers: [{ url: "/" }],
    });
  app.openAPIRegistry.registerPath({
    method: "get",
    path: "/openapi.json",
    tags: ["meta"],
    summary: "This OpenAPI 3.1 document",
    responses: { 200: { description: "The document", content: { "application/json": {} } } },
  });
  app.get("/openapi.json", (c) =>
    send(
      c,
      cache.get("openapi", () => JSON.stringify(document()), contentTypes.json, undefined),
    ),
  );

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

  // CORS is for the read routes. Their responses carry Access-Control-Allow-Origin already
  // (see http.ts), so only the preflight needs the middleware, and GETs skip it.
  const preflight = cors({
    origin: "*",
    allowMethods: ["GET", "HEAD"],
    allowHeaders: ["Accept", "If-None-Match"],
    exposeHeaders: ["ETag"],
    maxAge: 86400,
  });
  for (const p of patterns) {
    if (p.get) app.options(honoPath(p.path), preflight);
  }

  app.notFound((c) => {
    const path = pathOf(c);
    const method = c.req.method;
    const known = patterns.find((p) => p.regex.test(path));
    if (known && method === "OPTIONS") {
      return new Response(null, { status: 204, headers: { allow: known.allow } });
    }
    const error = known
      ? new ApiError(
          "method_not_allowed",
          `${method} is not allowed on ${known.path}; it takes ${known.allow}`,
          {
            headers: { allow: known.allow },
          },
        )
      : new ApiError("not_found", `no route for ${method} ${path}; GET /openapi.json lists them`);
    return (
      (isRead(method) && problemPage(c, error, options.publicBaseUrl)) ||
      problemResponse(error, path, isRead(method))
    );
  });

  app.onError((err, c) => {
    const error = toApiError(err);
    if (error.status >= 500) console.error(err);
    const read = isRead(c.req.method);
    return (
      (read && problemPage(c, error, options.publicBaseUrl)) ||
      problemResponse(error, pathOf(c), read)
    );
  });

  return app;
}

export type App = ReturnType<typeof createApp>;
