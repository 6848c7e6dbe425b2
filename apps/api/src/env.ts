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
   * The public address of the site (scheme, host, optional path prefix), for
   * the pages' canonical links and the sitemap; unset means each request's origin.
   */
  SIPCODES_PUBLIC_BASE_URL: z.preprocess(
    unsetIfEmpty,
    z
      .url({ protocol: /^https?$/ })
      .transform((url) => url.replace(/\/+$/, ""))
      .optional(),
  ),
  /** How long SIGTERM waits for in-flight requests before closing connections, in ms. */
  SIPCODES_SHUTDOWN_TIMEOUT_MS: int(0, 600_000, 10_000),
});
export type Env = z.infer<typeof Env>;

/** Reads the environment (process.env on Node, the bindings on Workers); throws one readable line. */
export function readEnv(source: Record<string, unknown>): Env {
  const result = Env.safeParse(source);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  throw new Error(`invalid environment: ${problems.join("; ")}`);
}
