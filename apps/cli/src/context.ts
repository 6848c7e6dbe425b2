import type { CliEnv } from "./env.ts";

/** Everything a command touches outside itself, so tests can run the program in-process. */
export interface CliContext {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Reads all of standard input as text. */
  readStdin: () => Promise<string>;
  stdinIsTTY: boolean;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  env: CliEnv;
  /** Set by a command to report a partial failure without throwing. */
  exitCode: number;
}

/** Exit codes, documented in --help and the README. */
export const EXIT = {
  ok: 0,
  notFound: 1,
  usage: 2,
  /** The input was read but most rows gave no usable outcome (sipcode stats). */
  unusable: 3,
  internal: 70,
} as const;

/** A failure the CLI expected: printed as one line on stderr, then exit with `exitCode`. */
export class CliError extends Error {
  override readonly name = "CliError";

  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

export function useColor(ctx: CliContext, flag: boolean | undefined): boolean {
  if (flag === false) return false;
  if (ctx.env.noColor) return false;
  return ctx.env.forceColor || ctx.stdoutIsTTY;
}

export function printJson(ctx: CliContext, value: unknown): void {
  ctx.out(`${JSON.stringify(value, null, 2)}\n`);
}
