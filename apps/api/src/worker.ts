import type { ExecutionContext } from "hono";
import { type App, createApp } from "./app.ts";
import {
  allowOrigin,
  EXPOSED_HEADERS,
  pathOfTarget,
  RateLimiter,
  requestIdOf,
  requestWeight,
  routeMatcher,
  tooManyRequests,
} from "./edge.ts";
import { type Env, readEnv } from "./env.ts";
import { createLogger, type Logger } from "./log.ts";

/** Cloudflare's rate-limit binding (`ratelimits` in wrangler.jsonc), when the deployment has one. */
interface RateLimitBinding {
  limit(options: { key: string }): Promise<{ success: boolean }>;
}

interface State {
  app: App;
  env: Env;
  log: Logger;
  limiter: RateLimiter | undefined;
  routeOf: (path: string) => string;
}
let state: State | undefined;

function init(bindings: Record<string, unknown>): State {
  const env = readEnv(bindings);
  const log = createLogger(env.SIPCODES_LOG_LEVEL, (line) => console.log(line));
  const app = createApp({
    cacheMaxAge: env.SIPCODES_CACHE_MAX_AGE,
    corsOrigins: env.SIPCODES_CORS_ORIGINS,
    publicUrl: env.SIPCODES_PUBLIC_URL,
    // A static asset (wrangler.jsonc `assets`), so /docs loads nothing from a CDN.
    docsScript: "/docs/scalar.js",
    logger: log,
  });
  const limiter =
    env.SIPCODES_RATE_LIMIT > 0
      ? new RateLimiter(env.SIPCODES_RATE_LIMIT, env.SIPCODES_RATE_LIMIT_WINDOW_S * 1000)
      : undefined;
  return { app, env, log, limiter, routeOf: routeMatcher(app.routes) };
}

const exposed = EXPOSED_HEADERS.join(", ");
const originOf = (url: string) => new URL(url).origin;

/**
 * The Cloudflare Workers entry: the same app, configured from the Worker's
 * vars, behind the same edge as on Node: request id, rate limit (the
 * platform's RATE_LIMITER binding where the deployment has one, else the
 * in-isolate counter), CORS headers and one access-log line per request.
 */
export default {
  async fetch(request: Request, bindings: Record<string, unknown>, ctx: ExecutionContext) {
    state ??= init(bindings);
    const { app, env, log, limiter, routeOf } = state;
    const start = Date.now();
    const id = requestIdOf(request.headers.get("x-request-id") ?? undefined);
    const path = pathOfTarget(request.url);
    const client = request.headers.get("cf-connecting-ip") ?? "unknown";
    const extra: Record<string, string> = { "x-request-id": id };
    let response: Response | undefined;
    if (path !== "/healthz") {
      const binding = bindings.RATE_LIMITER as RateLimitBinding | undefined;
      if (binding && typeof binding.limit === "function") {
        const { success } = await binding.limit({ key: client });
        if (!success) {
          // The binding says only yes or no (its period is 10 or 60 s): wait the longer.
          response = tooManyRequests(path, { "retry-after": "60" }, originOf(request.url));
        }
      } else if (limiter) {
        const decision = limiter.hit(
          client,
          requestWeight(path, request.headers.get("content-length")),
        );
        Object.assign(extra, decision.headers);
        if (!decision.allowed) {
          response = tooManyRequests(path, decision.headers, originOf(request.url));
        }
      }
    }
    response ??= await app.fetch(request, bindings, ctx);
    const headers = new Headers(response.headers);
    for (const [name, value] of Object.entries(extra)) headers.set(name, value);
    const origin = allowOrigin(
      env.SIPCODES_CORS_ORIGINS,
      request.headers.get("origin") ?? undefined,
    );
    if (origin !== undefined && !headers.has("access-control-allow-origin")) {
      headers.set("access-control-allow-origin", origin);
      headers.set("access-control-expose-headers", exposed);
      if (origin !== "*") headers.append("vary", "Origin");
    }
    const out = new Response(response.body, { status: response.status, headers });
    log.log("info", "request", {
      id,
      method: request.method,
      path,
      route: routeOf(path),
      status: out.status,
      ms: Date.now() - start,
      client,
      agent: request.headers.get("user-agent") ?? undefined,
    });
    return out;
  },
};
