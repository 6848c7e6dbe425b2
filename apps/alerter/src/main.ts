import { readFileSync } from "node:fs";
import pino from "pino";
import { startAlerter } from "./alerter.ts";
import { ConfigError, parseConfigText } from "./config.ts";
import { DEFAULT_CONFIG_YAML } from "./default-config.ts";
import { readEnv } from "./env.ts";

async function main(): Promise<void> {
  const env = readEnv(process.env);
  const logger = pino({ level: env.LOG_LEVEL, base: { service: "sipcodes-alerter" } });
  const path = env.SIPCODES_ALERTER_CONFIG;
  const config = path
    ? parseConfigText(readFileSync(path, "utf8"), path)
    : parseConfigText(DEFAULT_CONFIG_YAML, "embedded default config");
  const start = (c: typeof config) =>
    startAlerter({
      config: c,
      dataDir: env.SIPCODES_DATA_DIR,
      logger,
      port: env.PORT,
      host: env.HOST,
      redisUrl: env.SIPCODES_REDIS_URL,
      nodeId: env.SIPCODES_NODE_ID,
      fault: env.SIPCODES_FAULT,
      onFatal: () => process.exit(1),
    });
  let running = config;
  let alerter = await start(config);

  // SIGHUP: read the file again; a bad one keeps the running config (and says why).
  let reloading: Promise<void> = Promise.resolve();
  const reload = async () => {
    if (!path) {
      logger.warn("SIGHUP: no config file (SIPCODES_ALERTER_CONFIG is unset); nothing to reload");
      return;
    }
    let next: typeof config;
    try {
      next = parseConfigText(readFileSync(path, "utf8"), path);
    } catch (error) {
      logger.error(
        {
          file: path,
          reason: error instanceof Error ? error.message : String(error),
          ...(error instanceof ConfigError ? { issues: error.issues } : {}),
        },
        "config reload refused: keeping the running config",
      );
      return;
    }
    // Restart the components in-process with the new config (listeners close for a moment).
    await alerter.close();
    try {
      alerter = await start(next);
      running = next;
      logger.info({ file: path }, "config reloaded");
    } catch (error) {
      logger.error({ err: error }, "config reload failed at start: back to the running config");
      alerter = await start(running);
    }
  };
  process.on("SIGHUP", () => {
    reloading = reloading.then(reload, reload);
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    reloading
      .then(() => alerter.close())
      .then(
        () => process.exit(0),
        (error) => {
          logger.error({ err: error }, "shutdown failed");
          process.exit(1);
        },
      );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) process.stderr.write(`sipcodes-alerter: ${error.message}\n`);
  else
    process.stderr.write(
      `sipcodes-alerter: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  process.exit(error instanceof ConfigError ? 78 : 1);
});
