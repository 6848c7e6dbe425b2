import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import {
  type ExplainOptions,
  type Explanation,
  renderMarkdown,
  renderText,
  safeExplain,
} from "@sipcodes/core";
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { resolveProfile, withGlossary } from "../catalogue.ts";
import { contentTypes, negotiate, VARY } from "../http.ts";
import { ApiError, fromCoreError, problemBody } from "../problem.ts";
import { defineRoute, problems, validate } from "../route.ts";
import {
  BatchRequest,
  BatchResponse,
  ExplainRequest,
  ExplainTextQuery,
  Explanation as ExplanationSchema,
} from "../schemas.ts";

/** Largest body POST /v1/explain accepts: a 64 KiB SIP message, JSON-escaped, fits. */
export const EXPLAIN_BODY_LIMIT = 128 * 1024;
/** Largest body POST /v1/explain/batch accepts. */
export const BATCH_BODY_LIMIT = 1024 * 1024;

const JSON_TYPE = /^application\/([\w.-]+\+)?json$/;

function mediaType(c: Context): string {
  return (c.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

/**
 * 413 for a body over `maxSize`. A declared Content-Length is checked before
 * anything is read (reading the raw stream, as hono's bodyLimit does, would
 * cost Node's fast body path); a chunked body is counted as it streams.
 */
function limit(maxSize: number): MiddlewareHandler {
  const tooLarge = () => {
    throw new ApiError(
      "content_too_large",
      `the body is larger than this route's limit of ${maxSize} bytes`,
    );
  };
  const streaming = bodyLimit({ maxSize, onError: tooLarge });
  return async (c, next) => {
    const length = c.req.header("content-length");
    if (length === undefined || c.req.header("transfer-encoding") !== undefined) {
      return streaming(c, next);
    }
    if (Number(length) > maxSize) tooLarge();
    await next();
  };
}

function unsupported(type: string, accepted: string): ApiError {
  return new ApiError(
    "unsupported_media_type",
    `${type ? `Content-Type ${type} is not accepted` : "the request has no Content-Type"}; send ${accepted}`,
    { headers: { "accept-post": accepted } },
  );
}

async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : "unreadable";
    throw new ApiError("invalid_json", `the body is not valid JSON: ${reason}`);
  }
}

interface Options {
  profile?: string | undefined;
  direction?: ExplainOptions["direction"] | undefined;
  audience?: ExplainOptions["audience"] | undefined;
  subCode?: string | undefined;
}

function coreOptions(o: Options): ExplainOptions {
  return {
    ...(o.profile !== undefined ? { profile: o.profile } : {}),
    ...(o.direction !== undefined ? { direction: o.direction } : {}),
    ...(o.audience !== undefined ? { audience: o.audience } : {}),
    ...(o.subCode !== undefined ? { subCode: o.subCode } : {}),
  };
}

const textContent = {
  "text/plain": { schema: { type: "string" as const } },
  "text/markdown": { schema: { type: "string" as const } },
};

export const explainRoute = createRoute({
  method: "post",
  path: "/explain",
  tags: ["explain"],
  summary: "Explain a code, status line, SIP response or Reason header",
  description:
    "JSON `{ input, profile?, direction?, audience?, subCode?, view? }`, or the pasted text itself as text/plain (options then go in the query string). Body limit 128 KiB. `Accept: text/plain` returns the rendering for a terminal.",
  request: {
    query: ExplainTextQuery,
    body: {
      required: true,
      content: {
        "application/json": { schema: ExplainRequest },
        "text/plain": { schema: { type: "string", example: "SIP/2.0 486 Busy Here\r\n" } },
      },
    },
  },
  responses: {
    200: {
      description: "The explanation",
      content: { "application/json": { schema: ExplanationSchema }, ...textContent },
    },
    ...problems(400, 413, 415, 422),
  },
});

export const batchRoute = createRoute({
  method: "post",
  path: "/explain/batch",
  tags: ["explain"],
  summary: "Explain up to 1,000 inputs at once",
  description:
    "One result per input, in order: `explanation` or `problem`. An input may be a string, a number, or an object with options of its own. Body limit 1 MiB.",
  request: {
    body: { required: true, content: { "application/json": { schema: BatchRequest } } },
  },
  responses: {
    200: {
      description: "One result per input",
      content: { "application/json": { schema: BatchResponse } },
    },
    ...problems(400, 413, 415),
  },
});

export function explainRoutes() {
  const app = new OpenAPIHono();

  defineRoute(app, explainRoute, limit(EXPLAIN_BODY_LIMIT), async (c) => {
    const query = validate(ExplainTextQuery, c.req.query(), "query");
    const type = mediaType(c);
    let request: ExplainRequest;
    let where: "query" | "body" = "query";
    if (type === "text/plain") {
      request = { ...query, input: await c.req.text() };
    } else if (JSON_TYPE.test(type)) {
      const body = validate(ExplainRequest, await readJson(c), "body");
      request = { ...query, ...body };
      where = body.profile !== undefined ? "body" : "query";
    } else {
      throw unsupported(type, "application/json, text/plain");
    }
    const profile = request.profile
      ? resolveProfile(request.profile, [where, "profile"])
      : undefined;
    const result = safeExplain(request.input, coreOptions(request));
    if (!result.success) throw fromCoreError(result.error);
    const e: Explanation = result.data;
    const format = negotiate(c);
    const full = request.view === "full";
    const text =
      format === "text"
        ? `${renderText(e, { glossary: full })}\n`
        : format === "markdown"
          ? renderMarkdown(e)
          : JSON.stringify(full ? withGlossary(e, profile) : e);
    return c.body(text, 200, { "content-type": contentTypes[format], vary: VARY });
  });

  defineRoute(app, batchRoute, limit(BATCH_BODY_LIMIT), async (c) => {
    const type = mediaType(c);
    if (!JSON_TYPE.test(type)) throw unsupported(type, "application/json");
    const body = validate(BatchRequest, await readJson(c), "body");
    if (body.profile !== undefined) resolveProfile(body.profile, ["body", "profile"]);
    const instance = new URL(c.req.url).pathname;
    const shared = coreOptions(body);
    let failed = 0;
    const results = body.inputs.map((item, index) => {
      const { input, ...own } = typeof item === "object" ? item : { input: item };
      try {
        if (own.profile !== undefined) {
          resolveProfile(own.profile, ["body", "inputs", index, "profile"]);
        }
        const result = safeExplain(input, { ...shared, ...coreOptions(own) });
        if (result.success) return { index, explanation: result.data };
        throw fromCoreError(result.error);
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        failed++;
        return { index, problem: problemBody(error, `${instance}#/inputs/${index}`) };
      }
    });
    return c.body(JSON.stringify({ count: results.length, failed, results }), 200, {
      "content-type": "application/json",
    });
  });

  return app;
}
