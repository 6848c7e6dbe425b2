import {
  CodedError,
  type DetectErrorCode,
  DetectErrorCodes,
  formatIssue,
  type Issue,
  isCodedError,
} from "@sipcodes/errors";

/** Every way the detector can refuse an input, as a stable snake_case string (the list lives in @sipcodes/errors). */
export { type DetectErrorCode, DetectErrorCodes, formatIssue };

/** Where a problem is, as a path of keys (e.g. ["rules", 0, "lift"]), and what is wrong. */
export type ConfigIssue = Issue;

/**
 * The one error type the detector throws. `code` says what kind of refusal it
 * is; `issues` lists field-level problems for a config or a snapshot.
 */
export class DetectError extends CodedError<DetectErrorCode> {
  override readonly name = "DetectError";
}

/** True for a DetectError, including one from another copy of the detector (another bundle). */
export function isDetectError(value: unknown): value is DetectError {
  return isCodedError(value, "DetectError");
}
