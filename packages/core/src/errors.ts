import {
  CodedError,
  type CoreErrorCode,
  CoreErrorCodes,
  type Issue,
  isCodedError,
} from "@sipcodes/errors";

/** Every way the core can refuse an input, as a stable snake_case string (the list lives in @sipcodes/errors). */
export const ErrorCodes = CoreErrorCodes;
export type ErrorCode = CoreErrorCode;

/** A field-level problem: where it is (e.g. ["codes", "603", "causes", 0, "direction"]) and what is wrong. */
export type IssueDetail = Issue;

/**
 * The one error type the core throws. `code` says what kind of refusal it is;
 * `message` is a single line meant for a person; `issues` lists field-level
 * problems when validating structured input such as a profile file.
 */
export class SipcodesError extends CodedError<ErrorCode> {
  override readonly name = "SipcodesError";
}

/**
 * True for a SipcodesError, including one from another copy of the core (two
 * bundles of the same app each carry their own class): recognised by the
 * @sipcodes/errors brand and its name.
 */
export function isSipcodesError(value: unknown): value is SipcodesError {
  return isCodedError(value, "SipcodesError");
}

export type SafeResult<T> = { success: true; data: T } | { success: false; error: SipcodesError };

/** Runs `fn`, turning a SipcodesError into a failed result; any other error is a bug and is rethrown. */
export function toSafe<T>(fn: () => T): SafeResult<T> {
  try {
    return { success: true, data: fn() };
  } catch (error) {
    if (isSipcodesError(error)) return { success: false, error };
    throw error;
  }
}
