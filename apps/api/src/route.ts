import type { OpenAPIHono, RouteConfig, z } from "@hono/zod-openapi";
import type { Env, Handler, MiddlewareHandler } from "hono";
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

const problemContent = { "application/problem+json": { schema: Problem } };

/** The OpenAPI responses every route may give, beside its own. */
export function problems(...statuses: number[]): RouteConfig["responses"] {
  const descriptions: Record<number, string> = {
    400: "Invalid request (validation_failed, invalid_json, unknown_profile)",
    404: "Not found",
    405: "Method not allowed",
    413: "Content too large",
    415: "Unsupported media type",
    422: "The input cannot be explained",
  };
  const out: RouteConfig["responses"] = {};
  for (const status of statuses) {
    out[status] = { description: descriptions[status] ?? "Problem", content: problemContent };
  }
  return out;
}

/** `/codes/{code}` (OpenAPI) to `/codes/:code` (Hono). */
export function honoPath(path: string): string {
  return path.replaceAll(/\{([^}]+)\}/g, ":$1");
}

/** Registers a route in the OpenAPI document and its handlers (middleware first) in the router. */
export function defineRoute<E extends Env>(
  app: OpenAPIHono<E>,
  route: RouteConfig,
  ...handlers: [...MiddlewareHandler<E>[], Handler<E>]
): void {
  app.openAPIRegistry.registerPath(route);
  app.on(route.method.toUpperCase(), honoPath(route.path), ...(handlers as [Handler<E>]));
}
