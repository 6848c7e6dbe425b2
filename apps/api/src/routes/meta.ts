import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { CATALOGUE_VERSION } from "@sipcodes/core";
import { ApiError, isProblemCode, problemTypes, problemTypeUri } from "../problem.ts";
import { defineRoute, EdgeHeaders, problems, validate } from "../route.ts";
import { Health, Index, ProblemType, ProblemTypeParams } from "../schemas.ts";

export const healthRoute = createRoute({
  method: "get",
  operationId: "getHealth",
  path: "/healthz",
  tags: ["meta"],
  summary: "Liveness: answers while the process can serve requests",
  responses: {
    200: {
      description: "Alive",
      headers: EdgeHeaders,
      content: { "application/json": { schema: Health } },
    },
    ...problems(400),
  },
});

export const indexRoute = createRoute({
  method: "get",
  operationId: "getIndex",
  path: "/",
  tags: ["meta"],
  summary: "What this API is, and where its OpenAPI document is",
  responses: {
    200: {
      description: "The index",
      headers: EdgeHeaders,
      content: { "application/json": { schema: Index } },
    },
    ...problems(400),
  },
});

export const problemTypeRoute = createRoute({
  method: "get",
  operationId: "getProblemType",
  path: "/problems/{type}",
  tags: ["meta"],
  summary: "What a problem type means (the `type` URI of every error points here)",
  request: { params: ProblemTypeParams },
  responses: {
    200: {
      description: "The problem type",
      headers: EdgeHeaders,
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
    });
  });

  return app;
}
