import { type OpenAPIHono, type RouteConfig, z } from "@hono/zod-openapi";
import type { Context, Env, Handler, MiddlewareHandler } from "hono";
import { ApiError, type ProblemIssue } from "./problem.ts";
import { Problem } from "./schemas.ts";

/*
 * Why not `app.openapi(route, handler)`? Its validators run as async
 * middleware, which turns every response into a promise and costs about a
 * quarter of the throughput of the hottest route (GET /v1/codes/{code}, see
 * BENCHMARKS.md). So each route is registered in the OpenAPI registry as
 * usual, and its handler validates synchronously with the same zod schemas;
 * `validate` is the validator hook: a zod failure becomes a 400 problem.
 */

export type Where = "path" | "query" | "body" | "header";

function formatPath(path: PropertyKey[]): string {
  return path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
}

/** Parses `value` with `schema`, or throws a 400 validation problem listing every issue with its path. */
export function validate<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: Where,
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors: ProblemIssue[] = result.error.issues.map((issue) => ({
    path: [where, ...issue.path.map((p) => (typeof p === "symbol" ? String(p) : p))],
    message: issue.message,
  }));
  const first = result.error.issues[0];
  const where1 = first?.path.length ? `${where}${formatPath(first.path)}` : where;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : "";
  throw new ApiError("validation_failed", `${where1}: ${first?.message ?? "invalid"}${more}`, {
    errors,
  });
}

/** The keys a query schema takes, for the message that refuses any other. */
function keysOf(schema: z.ZodType): string[] {
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape;
  return shape ? Object.keys(shape) : [];
}

function decode(text: string, where: string): string {
  try {
    return decodeURIComponent(text.replaceAll("+", " "));
  } catch {
    throw new ApiError("bad_request", `${where}: bad percent-encoding in ${JSON.stringify(text)}`, {
      errors: [{ path: ["query"], message: `bad percent-encoding in ${JSON.stringify(text)}` }],
    });
  }
}

/**
 * The query string as one value per key, strictly: a key the route does not
 * take, a key given twice, or bad percent-encoding is a 400 problem naming
 * the key, never silently ignored or resolved.
 */
export function parseQuery(url: string, allowed: readonly string[]): Record<string, string> {
  const start = url.indexOf("?");
  const out: Record<string, string> = {};
  if (start < 0) return out;
  const list = allowed.length ? allowed.join(", ") : "no query parameters";
  for (const part of url.slice(start + 1).split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const key = decode(eq < 0 ? part : part.slice(0, eq), "query");
    const value = eq < 0 ? "" : decode(part.slice(eq + 1), `query.${key}`);
    if (!allowed.includes(key)) {
      const message = `unknown query parameter; this route takes ${list}`;
      throw new ApiError("validation_failed", `query.${key}: ${message}`, {
        errors: [{ path: ["query", key], message }],
      });
    }
    if (Object.hasOwn(out, key)) {
      const message = "given more than once; give each query parameter once";
      throw new ApiError("validation_failed", `query.${key}: ${message}`, {
        errors: [{ path: ["query", key], message }],
      });
    }
    out[key] = value;
  }
  return out;
}

/** The route's query, strictly parsed (see parseQuery) and validated by its schema. */
export function readQuery<S extends z.ZodType>(c: Context, schema: S): z.output<S> {
  return validate(schema, parseQuery(c.req.url, keysOf(schema)), "query");
}

/** 400 when the path's percent-encoding is broken (Hono would pass the raw text on). */
export function checkPathEncoding(url: string): void {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  const end = url.indexOf("?", start);
  const path = url.slice(start, end < 0 ? undefined : end);
  if (!path.includes("%")) return;
  try {
    decodeURIComponent(path);
  } catch {
    throw new ApiError("bad_request", `the path ${JSON.stringify(path)} has bad percent-encoding`, {
      errors: [{ path: ["path"], message: "bad percent-encoding" }],
    });
  }
}

const problemContent = { "application/problem+json": { schema: Problem } };

/** The request headers of the cacheable routes. */
export const ConditionalHeaders = z.object({
  "If-None-Match": z.string().optional().openapi({
    description:
      "An ETag from an earlier answer (or several, comma-separated): 304 when it still matches.",
    example: '"k3j9x1"',
  }),
});

const header = (description: string, example?: string) => ({
  description,
  schema: { type: "string" as const, ...(example ? { example } : {}) },
});

/** Headers every answer carries (set at the edge, src/edge.ts). */
export const EdgeHeaders = {
  "X-Request-Id": header("The request's X-Request-Id if it sent a sane one, else a new UUID."),
  "RateLimit-Policy": header("The client's rate limit: requests;w=window seconds.", "600;w=60"),
  "RateLimit-Limit": header("Requests allowed per window.", "600"),
  "RateLimit-Remaining": header("Requests left in this window.", "599"),
  "RateLimit-Reset": header("Seconds until the window resets.", "60"),
};

/** Headers of a cacheable 200. */
export const CacheHeaders = {
  ETag: header("A strong validator: a hash of the bytes of this representation.", '"k3j9x1"'),
  "Cache-Control": header(
    "public, max-age=… for JSON chosen by Accept; private where the format followed the User-Agent.",
  ),
  Vary: header("The request headers the representation depends on.", "Accept, User-Agent"),
  ...EdgeHeaders,
};

export const notModified = {
  description: "Not modified (If-None-Match matched the ETag)",
  headers: { ETag: CacheHeaders.ETag, ...EdgeHeaders },
};

/** The OpenAPI responses every route may give, beside its own. */
export function problems(...statuses: number[]): RouteConfig["responses"] {
  const descriptions: Record<number, string> = {
    400: "Invalid request (validation_failed, invalid_json, unknown_profile)",
    404: "Not found",
    405: "Method not allowed",
    413: "Content too large",
    415: "Unsupported media type",
    422: "The input cannot be explained",
    429: "Too many requests from this client (too_many_requests); see Retry-After",
  };
  const out: RouteConfig["responses"] = {};
  for (const status of [...statuses, 429]) {
    out[status] = {
      description: descriptions[status] ?? "Problem",
      headers:
        status === 429
          ? { ...EdgeHeaders, "Retry-After": header("Seconds to wait.") }
          : EdgeHeaders,
      content: problemContent,
    };
  }
  return out;
}

/** `/codes/{code}` (OpenAPI) to `/codes/:code` (Hono). */
export function honoPath(path: string): string {
  return path.replaceAll(/\{([^}]+)\}/g, ":$1");
}

/**
 * Registers a route in the OpenAPI document and its handlers (middleware
 * first) in the router. Before the handler, synchronously: a path with broken
 * percent-encoding is a 400, and a route without a query schema refuses every
 * query parameter (routes with one read it with `readQuery`).
 */
export function defineRoute<E extends Env>(
  app: OpenAPIHono<E>,
  route: RouteConfig,
  ...handlers: [...MiddlewareHandler<E>[], Handler<E>]
): void {
  app.openAPIRegistry.registerPath(route);
  const takesQuery = route.request?.query !== undefined;
  const last = handlers[handlers.length - 1] as Handler<E>;
  const guarded: Handler<E> = (c, next) => {
    const url = c.req.url;
    if (url.includes("%")) checkPathEncoding(url);
    if (!takesQuery && url.includes("?")) parseQuery(url, []);
    return last(c, next);
  };
  const chain = [...handlers.slice(0, -1), guarded] as [Handler<E>];
  app.on(route.method.toUpperCase(), honoPath(route.path), ...chain);
}
