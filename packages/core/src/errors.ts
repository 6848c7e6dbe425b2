/** Every way the core can refuse an input, as a stable snake_case string. */
export const ErrorCodes = [
  "empty_input",
  "input_too_large",
  "invalid_input",
  "binary_input",
  "code_out_of_range",
  "not_a_response",
  "not_sip",
  "invalid_status_line",
  "unsupported_version",
  "invalid_reason",
  "unknown_q850_cause",
  "unknown_profile",
  "invalid_profile",
  "profile_cycle",
  "invalid_option",
  "invalid_event",
] as const;
export type ErrorCode = (typeof ErrorCodes)[number];

export interface IssueDetail {
  /** Where the problem is, as a path of keys (e.g. ["codes", "603", "causes", 0, "direction"]). */
  path: (string | number)[];
  message: string;
}

/**
 * The one error type the core throws. `code` says what kind of refusal it is;
 * `message` is a single line meant for a person; `issues` lists field-level
 * problems when validating structured input such as a profile file.
 */
export class SipcodesError extends Error {
  override readonly name = "SipcodesError";
  readonly code: ErrorCode;
  readonly issues: IssueDetail[];

  constructor(code: ErrorCode, message: string, issues: IssueDetail[] = []) {
    super(message);
    this.code = code;
    this.issues = issues;
  }

  toJSON() {
    return {
      code: this.code,
      message: this.message,
      ...(this.issues.length ? { issues: this.issues } : {}),
    };
  }
}

/**
 * True for a SipcodesError, including one from another copy of the core (two
 * bundles of the same app each carry their own class), recognised by its name
 * and string code.
 */
export function isSipcodesError(value: unknown): value is SipcodesError {
  return (
    value instanceof SipcodesError ||
    (value instanceof Error &&
      value.name === "SipcodesError" &&
      typeof (value as { code?: unknown }).code === "string")
  );
}

export type SafeResult<T> = { success: true; data: T } | { success: false; error: SipcodesError };

/** Runs `fn`, turning a SipcodesError into a failed result; any other error is a bug and is rethrown. */
export function toSafe<T>(fn: () => T): SafeResult<T> {
  try {
    return { success: true, data: fn() };
  } catch (error) {
    if (error instanceof SipcodesError) return { success: false, error };
    throw error;
  }
}
