import type { ExecutionContext } from "hono";
import { type App, createApp } from "./app.ts";
import { readEnv } from "./env.ts";

let app: App | undefined;

/** The Cloudflare Workers entry: the same app, configured from the Worker's vars. */
export default {
  fetch(request: Request, env: Record<string, unknown>, ctx: ExecutionContext) {
    if (!app) {
      const config = readEnv(env);
      app = createApp({
        cacheMaxAge: config.SIPCODES_CACHE_MAX_AGE,
        publicBaseUrl: config.SIPCODES_PUBLIC_BASE_URL,
      });
    }
    return app.fetch(request, env, ctx);
  },
};
