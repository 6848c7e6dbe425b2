/** Every way the detector can refuse an input, as a stable snake_case string. */
export const DetectErrorCodes = ["invalid_config", "invalid_snapshot", "invalid_argument"] as const;
export type DetectErrorCode = (typeof DetectErrorCodes)[number];

export interface ConfigIssue {
  /** Where the problem is, as a path of keys (e.g. ["rules", 0, "lift"]). */
  path: (string | number)[];
  message: string;
}

/**
 * The one error type the detector throws. `code` says what kind of refusal it
 * is; `issues` lists field-level problems for a config or a snapshot.
 */
export class DetectError extends Error {
  override readonly name = "DetectError";
  readonly code: DetectErrorCode;
  readonly issues: ConfigIssue[];

  constructor(code: DetectErrorCode, message: string, issues: ConfigIssue[] = []) {
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

export function isDetectError(value: unknown): value is DetectError {
  return value instanceof DetectError;
}

/** "rules[0].lift: must be ≥ 1", for messages that name the field. */
export function formatIssue(issue: ConfigIssue): string {
  let where = "";
  for (const key of issue.path)
    where += typeof key === "number" ? `[${key}]` : where ? `.${key}` : key;
  return where ? `${where}: ${issue.message}` : issue.message;
}
