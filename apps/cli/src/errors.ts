import { isSipcodesError, type SipcodesError } from "@sipcodes/core";
import { CliError, EXIT } from "./context.ts";

const notFound = new Set(["code_out_of_range", "unknown_q850_cause"]);

/** The exit code for a core error: "not found" kinds are 1, bad input is 2. */
export function exitCodeFor(error: SipcodesError): number {
  return notFound.has(error.code) ? EXIT.notFound : EXIT.usage;
}

/** Maps any error to the one line printed on stderr and the exit code. */
export function describeError(error: unknown): { message: string; exitCode: number } {
  // By name as well as class: the backtest bundle carries its own copy of CliError.
  if (
    error instanceof CliError ||
    (error instanceof Error &&
      error.name === "CliError" &&
      typeof (error as { exitCode?: unknown }).exitCode === "number")
  ) {
    return { message: error.message, exitCode: (error as CliError).exitCode };
  }
  if (isSipcodesError(error)) return { message: error.message, exitCode: exitCodeFor(error) };
  const message = error instanceof Error ? error.message : String(error);
  return {
    message: `internal error: ${message} (please report this bug)`,
    exitCode: EXIT.internal,
  };
}
