import { isCodedError } from "@sipcodes/errors";
import { type CliError, EXIT } from "./context.ts";

/** Core, detector and capture codes that mean "not found" (exit 1); every other refusal is bad input (exit 2). */
const notFound = new Set(["code_out_of_range", "unknown_q850_cause"]);

/** The exit code for a core or detector error: "not found" kinds are 1, bad input is 2. */
export function exitCodeFor(error: { code: string }): number {
  return notFound.has(error.code) ? EXIT.notFound : EXIT.usage;
}

/**
 * Maps any error to the one line printed on stderr and the exit code. Every
 * expected failure is a CodedError (the CLI's, the core's, the detector's or
 * the capture decoders'),
 * recognised by its brand: the backtest and schema bundles carry their own
 * copies of the classes, so `instanceof` would miss theirs.
 */
export function describeError(error: unknown): { message: string; exitCode: number } {
  if (isCodedError(error, "CliError")) {
    return { message: error.message, exitCode: (error as CliError).exitCode };
  }
  if (
    isCodedError(error, "SipcodesError") ||
    isCodedError(error, "DetectError") ||
    // reader_finished is a caller's bug, not bad input: it falls through to "internal".
    (isCodedError(error, "CaptureError") && error.code !== "reader_finished")
  ) {
    return { message: error.message, exitCode: exitCodeFor(error) };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    message: `internal error: ${message} (please report this bug)`,
    exitCode: EXIT.internal,
  };
}
