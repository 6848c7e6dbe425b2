import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { CATALOGUE_VERSION } from "@sipcodes/core";
import { ApiError, isProblemCode, problemTypes, problemTypeUri } from "../problem.ts";
import { defineRoute, problems, validate } from "../route.ts";
import { Health, Index, ProblemType, ProblemTypeParams } from "../schemas.ts";

export const healthRoute = createRoute({
  method: "get",
  path: "/healthz",
  tags: ["meta"],
  summary: "Liveness: answers while the process can serve requests",
  responses: {
    200: { description: "Alive", content: { "application/json": { schema: Health } } },
  },
});

export const indexRoute = createRoute({
  method: "get",
  path: "/",
  tags: ["meta"],
  summary: "What this API is, and where its OpenAPI document is",
  responses: {
    200: { description: "The index", content: { "application/json": { schema: Index } } },
  },
});

export const problemTypeRoute = createRoute({
  method: "get",
  path: "/problems/{type}",
  tags: ["meta"],
  summary: "What a problem type means (the `type` URI of every error points here)",
  request: { params: ProblemTypeParams },
  responses: {
    200: {
      description: "The problem type",
      content: { "application/json": { schema: ProblemType } },
    },
    ...problems(404),
  },
});

const health = JSON.stringify({ status: "ok", catalogueVersion: CATALOGUE_VERSION });

export function metaRoutes(endpoints: () => string[]) {
  const app = new OpenAPIHono();

  defineRoute(
    app,
    healthRoute,
    () =>
      new Response(health, {
        status: 200,
        headers: { "content-type": "application/json", "cache-control": "no-store" },
      }),
  );

  defineRoute(app, indexRoute, (c) =>
    c.json(
      {
        name: "sipcodes API",
        catalogueVersion: CATALOGUE_VERSION,
        openapi: "/openapi.json",
        endpoints: endpoints(),
      },
      200,
      { "access-control-allow-origin": "*" },
    ),
  );

  defineRoute(app, problemTypeRoute, (c) => {
    const { type } = validate(ProblemTypeParams, c.req.param(), "path");
    if (!isProblemCode(type)) {
      throw new ApiError("unknown_problem_type", `there is no problem type "${type}"`);
    }
    const t = problemTypes[type];
    return c.json({ type: problemTypeUri(type), code: type, ...t }, 200, {
      "cache-control": "public, max-age=86400",
      "access-control-allow-origin": "*",
    });
  });

  return app;
}
