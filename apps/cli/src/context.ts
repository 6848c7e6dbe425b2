import type { Audience, Direction } from "@sipcodes/core";
import { CodedError } from "@sipcodes/errors";
import type { CliEnv } from "./env.ts";

/** Defaults for options not given on the command line (SIPCODE_PROFILE, the config file). */
export interface CliDefaults {
  profile?: string;
  direction?: Direction;
  audience?: Audience;
}

/** Everything a command touches outside itself, so tests can run the program in-process. */
export interface CliContext {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Reads all of standard input as text. */
  readStdin: () => Promise<string>;
  /** Standard input as a stream of bytes (captures); without it, readStdin's text is used. */
  stdinChunks?: () => AsyncIterable<Uint8Array>;
  /** Whether an argument names a readable file (a capture or trace to explain). */
  isFile?: (path: string) => boolean;
  /** Streams a file's bytes. */
  openFile?: (path: string) => AsyncIterable<Uint8Array>;
  stdinIsTTY: boolean;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  env: CliEnv;
  /** Option defaults from the environment and the config file; none means the built-in ones. */
  defaults?: CliDefaults;
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

/** What kind of failure a CliError is, named after its exit code. */
export type CliErrorCode = "not_found" | "usage_error";

/**
 * A failure the CLI expected: printed as one line on stderr, then exit with
 * `exitCode`. A CodedError like the core's and the detector's, so one
 * recogniser (`isCodedError`) knows it, in whichever bundle it was built.
 */
export class CliError extends CodedError<CliErrorCode> {
  override readonly name = "CliError";
  readonly exitCode: number;

  constructor(message: string, exitCode: number) {
    super(exitCode === EXIT.notFound ? "not_found" : "usage_error", message);
    this.exitCode = exitCode;
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
