import { z } from "zod";

/** An unset or empty variable takes the default (an empty PORT must not become port 0). */
const unsetIfEmpty = (value: unknown) => (value === "" ? undefined : value);

/** Every environment variable the alerter reads; this file is the only reader. */
export const Env = z.object({
  /** Port the HTTP server listens on; 0 picks a free one (the chosen port is logged). */
  PORT: z.preprocess(unsetIfEmpty, z.coerce.number().int().min(0).max(65_535).default(8788)),
  /** Interface to bind; unset means every interface. */
  HOST: z.preprocess(unsetIfEmpty, z.string().min(1).optional()),
  /** Directory of the SQLite database and the generated secrets. */
  SIPCODES_DATA_DIR: z.preprocess(unsetIfEmpty, z.string().min(1).default("./data")),
  /** Config file (YAML or JSON); unset runs the embedded defaults. */
  SIPCODES_ALERTER_CONFIG: z.preprocess(unsetIfEmpty, z.string().min(1).optional()),
  /** Redis mode: the shared store of several nodes (overrides store.redis.url). */
  SIPCODES_REDIS_URL: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL")
      .optional(),
  ),
  /** Redis mode: this node's name in the lease and logs; default host name and pid. */
  SIPCODES_NODE_ID: z.preprocess(unsetIfEmpty, z.string().min(1).max(200).optional()),
  /**
   * Fault injection for the fault tests, never for production: in Redis mode
   * the evaluator kills its own process (SIGKILL) just before, or just after,
   * its first commit that carries outbox messages; `hep-worker-crash` and
   * `hep-worker-stall` make the first HEP worker thread throw, or block, at
   * its first completed call (the restarted worker runs normally).
   */
  SIPCODES_FAULT: z.preprocess(
    unsetIfEmpty,
    z
      .enum(["crash-before-commit", "crash-after-commit", "hep-worker-crash", "hep-worker-stall"])
      .optional(),
  ),
  /** pino level. */
  LOG_LEVEL: z.preprocess(
    unsetIfEmpty,
    z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  ),
});
export type Env = z.infer<typeof Env>;

/** Reads the environment; throws one readable line naming each bad variable. */
export function readEnv(source: Record<string, string | undefined>): Env {
  const result = Env.safeParse(source);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  throw new Error(`invalid environment: ${problems.join("; ")}`);
}
