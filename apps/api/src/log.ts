/**
 * Structured logs: one JSON object per line, with `level` and `msg`. Runtime
 * free: the runtime passes how a line is written (Node buffers them onto
 * stdout; Workers hand each to console.log, which its log pipeline reads).
 */
export const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;
export type Level = keyof typeof LEVELS;

export interface Logger {
  enabled(level: Level): boolean;
  log(level: Level, msg: string, fields?: Record<string, unknown>): void;
}

export function createLogger(level: Level, write: (line: string) => void): Logger {
  const min = LEVELS[level];
  return {
    enabled: (l) => LEVELS[l] >= min,
    log(l, msg, fields) {
      if (LEVELS[l] < min) return;
      write(JSON.stringify({ time: new Date().toISOString(), level: l, msg, ...fields }));
    },
  };
}

/** True for the ways a runtime reports that the client went away mid-request. */
export function isClientAbort(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const e = error as { name?: unknown; code?: unknown; message?: unknown; cause?: unknown };
  if (e.name === "AbortError") return true;
  if (e.code === "ECONNRESET" || e.code === "ERR_STREAM_PREMATURE_CLOSE") return true;
  if (e.message === "aborted" || e.message === "terminated") return true;
  return e.cause !== undefined && e.cause !== error && isClientAbort(e.cause);
}
