import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { Scalar } from "@scalar/hono-api-reference";
import { CATALOGUE_VERSION } from "@sipcodes/core";
import { sha256Source } from "../pages/_security.ts";
import { ApiError, isProblemCode, problemTypes, problemTypeUri } from "../problem.ts";
import { defineRoute, EdgeHeaders, problems, validate } from "../route.ts";
import {
  BatchRequest,
  BatchResponse,
  CodeList,
  ExplainRequest,
  Explanation,
  GlossaryEntry,
  Health,
  Index,
  Problem,
  ProblemType,
  ProblemTypeParams,
  Profile,
  Q850Cause,
} from "../schemas.ts";

/** The shapes offered as JSON Schema (2020-12) documents, and which side of the wire each is. */
const shapes = {
  Explanation: [Explanation, "output"],
  Problem: [Problem, "output"],
  CodeList: [CodeList, "output"],
  BatchResponse: [BatchResponse, "output"],
  Q850Cause: [Q850Cause, "output"],
  Profile: [Profile, "output"],
  GlossaryEntry: [GlossaryEntry, "output"],
  ExplainRequest: [ExplainRequest, "input"],
  BatchRequest: [BatchRequest, "input"],
} as const satisfies Record<string, readonly [z.ZodType, "input" | "output"]>;
type ShapeName = keyof typeof shapes;
const shapeNames = Object.keys(shapes) as [ShapeName, ...ShapeName[]];

export const SchemaParams = z.object({
  name: z.enum(shapeNames).openapi({
    param: { name: "name", in: "path" },
    example: "Explanation",
    description: "The name of a shape of the contract.",
  }),
});

export const jsonSchemaRoute = createRoute({
  method: "get",
  operationId: "getJsonSchema",
  path: "/schemas/{name}",
  tags: ["meta"],
  summary: "A main shape of the contract as a JSON Schema (2020-12) document, to download",
  request: { params: SchemaParams },
  responses: {
    200: {
      description: "The JSON Schema",
      headers: EdgeHeaders,
      content: { "application/schema+json": { schema: { type: "object" } } },
    },
    ...problems(400),
  },
});

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

export interface MetaOptions {
  endpoints: () => string[];
  /** The API's origin for `$id`s, from the request. */
  base: (url: string) => string;
  /**
   * Where the docs page loads Scalar's browser bundle from: `/docs/scalar.js`,
   * served by the API itself (Node reads the file, Workers serve it as a static
   * asset), so /docs works offline; without it (tests of the bare app), Scalar's CDN.
   */
  docsScript: string | undefined;
}

export function metaRoutes({ endpoints, base, docsScript }: MetaOptions) {
  const app = new OpenAPIHono();

  const schemaCache = new Map<string, string>();
  defineRoute(app, jsonSchemaRoute, (c) => {
    const { name } = validate(SchemaParams, c.req.param(), "path");
    const id = `${base(c.req.url)}/schemas/${name}`;
    let text = schemaCache.get(id);
    if (text === undefined) {
      const [schema, io] = shapes[name];
      const json = z.toJSONSchema(schema, { io, unrepresentable: "any" });
      text = JSON.stringify({ $id: id, title: name, ...json });
      if (schemaCache.size < 100) schemaCache.set(id, text);
    }
    return c.body(text, 200, {
      "content-type": "application/schema+json",
      "content-disposition": `inline; filename="${name}.schema.json"`,
      "cache-control": "public, max-age=3600",
    });
  });

  // Not in the document: a page for people, not part of the contract.
  const scalar = Scalar({
    url: "/openapi.json",
    pageTitle: "sipcodes API reference",
    withDefaultFonts: false,
    ...(docsScript ? { cdn: docsScript } : {}),
  });
  let docsPolicy: string | undefined;
  app.get("/docs", async (c, next) => {
    const res = (await scalar(c, next)) as Response;
    const html = await res.text();
    // Scalar's page boots from inline scripts (allowed by their hash) and the bundle from this
    // server; the bundle injects its own styles at run time, which no hash can name.
    docsPolicy ??= [
      "default-src 'none'",
      // Without docsScript (the bare app in tests) the page loads Scalar from its CDN.
      `script-src 'self'${docsScript ? "" : " https://cdn.jsdelivr.net"} ${[
        ...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g),
      ]
        .map((m) => sha256Source(m[1] ?? ""))
        .join(" ")}`,
      "style-src 'self' 'unsafe-inline'",
      "connect-src 'self'",
      "img-src 'self' data:",
      "font-src 'self' data:",
      "form-action 'self'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
    ].join("; ");
    return c.html(html, 200, {
      "content-security-policy": docsPolicy,
      "x-content-type-options": "nosniff",
      "referrer-policy": "strict-origin-when-cross-origin",
      "x-frame-options": "DENY",
    });
  });

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
