import { z } from "zod";

/** An unset or empty variable takes the default (an empty PORT must not become port 0). */
const unsetIfEmpty = (value: unknown) => (value === "" ? undefined : value);

const int = (min: number, max: number, fallback: number) =>
  z.preprocess(unsetIfEmpty, z.coerce.number().int().min(min).max(max).default(fallback));

/** Every environment variable the API reads; this file is the only reader. */
export const Env = z.object({
  /** Port the Node server listens on; 0 picks a free one. */
  PORT: int(0, 65_535, 8787),
  /** Interface the Node server binds; unset means every interface. */
  HOST: z.preprocess(unsetIfEmpty, z.string().min(1).optional()),
  /** Cache-Control max-age of catalogue responses, in seconds. */
  SIPCODES_CACHE_MAX_AGE: int(0, 31_536_000, 3600),
  /**
   * Megabytes of whole answers the Node server keeps for repeated GET requests
   * (see src/answer-cache.ts); 0 turns that cache off.
   */
  SIPCODES_ANSWER_CACHE_MB: int(0, 4096, 16),
  /** How long SIGTERM waits for in-flight requests before closing connections, in ms. */
  SIPCODES_SHUTDOWN_TIMEOUT_MS: int(0, 600_000, 10_000),
  /**
   * Origins allowed to read responses cross-origin: `*` (default) or a
   * comma-separated list of origins (`https://a.example,https://b.example`).
   */
  SIPCODES_CORS_ORIGINS: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .default("*")
      .transform((value, ctx) => {
        if (value.trim() === "*") return "*" as const;
        const list = value
          .split(",")
          .map((o) => o.trim())
          .filter(Boolean);
        for (const origin of list) {
          if (!/^https?:\/\/[^/\s]+$/.test(origin)) {
            ctx.addIssue({
              code: "custom",
              message: `${JSON.stringify(origin)} is not an origin (scheme://host[:port], no path)`,
            });
          }
        }
        return list;
      }),
  ),
  /** Requests one client (by address) may make per window; 0 turns the rate limit off. */
  SIPCODES_RATE_LIMIT: int(0, 100_000_000, 600),
  /** The rate-limit window, in seconds. */
  SIPCODES_RATE_LIMIT_WINDOW_S: int(1, 86_400, 60),
  /** Read the client address from the first X-Forwarded-For hop (only behind a proxy you run). */
  SIPCODES_TRUST_PROXY: z.preprocess(unsetIfEmpty, z.enum(["0", "1"]).default("0")),
  /**
   * The absolute URL the API and its pages are reached at
   * (`https://api.example.com`), for the OpenAPI `servers`, the problem `type`
   * links and the pages' canonical links, OpenGraph URLs and sitemap; unset,
   * each request's own origin is used.
   */
  SIPCODES_PUBLIC_URL: z.preprocess(
    unsetIfEmpty,
    z
      .url({ protocol: /^https?$/, error: "an absolute http(s) URL" })
      .transform((u) => u.replace(/\/+$/, ""))
      .optional(),
  ),
  /** debug, info (default: one access-log line per request), warn or error. */
  SIPCODES_LOG_LEVEL: z.preprocess(
    unsetIfEmpty,
    z.enum(["debug", "info", "warn", "error"]).default("info"),
  ),
});
export type Env = z.infer<typeof Env>;

/** Reads the environment (process.env on Node, the bindings on Workers); throws one readable line. */
export function readEnv(source: Record<string, unknown>): Env {
  const result = Env.safeParse(source);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  throw new Error(`invalid environment: ${problems.join("; ")}`);
}
