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
  const alerter = await startAlerter({
    config,
    dataDir: env.SIPCODES_DATA_DIR,
    logger,
    port: env.PORT,
    host: env.HOST,
    redisUrl: env.SIPCODES_REDIS_URL,
    nodeId: env.SIPCODES_NODE_ID,
    fault: env.SIPCODES_FAULT,
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    alerter.close().then(
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
