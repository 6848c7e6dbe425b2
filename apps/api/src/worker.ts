import type { ExecutionContext } from "hono";
import { type App, createApp } from "./app.ts";
import { readEnv } from "./env.ts";

let app: App | undefined;

/** The Cloudflare Workers entry: the same app, configured from the Worker's vars. */
export default {
  fetch(request: Request, env: Record<string, unknown>, ctx: ExecutionContext) {
    app ??= createApp({ cacheMaxAge: readEnv(env).SIPCODES_CACHE_MAX_AGE });
    return app.fetch(request, env, ctx);
  },
};
