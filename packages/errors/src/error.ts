/** One field-level problem: where it is, as a path of keys, and what is wrong. */
export interface Issue {
  /** e.g. ["codes", "603", "causes", 0, "direction"] or ["rules", 0, "lift"]. */
  path: (string | number)[];
  message: string;
}

/**
 * The brand every CodedError carries. `Symbol.for` gives the same symbol in
 * every copy of this package (two bundles of one app each carry their own
 * classes), so `isCodedError` recognises an error that `instanceof` would not.
 */
const BRAND = Symbol.for("@sipcodes/errors.CodedError");

/**
 * The one error base: `code` says what kind of refusal it is (a stable
 * snake_case string), `message` is one line meant for a person, `issues`
 * lists field-level problems of structured input. Each package names its own
 * subclass (`SipcodesError`, `DetectError`, ...) by overriding `name`.
 */
export class CodedError<C extends string = string> extends Error {
  override readonly name: string = "CodedError";
  readonly code: C;
  readonly issues: Issue[];

  constructor(code: C, message: string, issues: Issue[] = []) {
    super(message);
    this.code = code;
    this.issues = issues;
    Object.defineProperty(this, BRAND, { value: true });
  }

  toJSON(): { code: C; message: string; issues?: Issue[] } {
    return {
      code: this.code,
      message: this.message,
      ...(this.issues.length ? { issues: this.issues } : {}),
    };
  }
}

/**
 * True for a CodedError from any copy of this package; with `name`, only for
 * that subclass (`isCodedError(e, "DetectError")`). The one recogniser the
 * packages and apps use: never `instanceof`, which a second bundle defeats.
 */
export function isCodedError(value: unknown, name?: string): value is CodedError {
  if (typeof value !== "object" || value === null) return false;
  const v = value as { [BRAND]?: unknown; code?: unknown; name?: unknown };
  return v[BRAND] === true && typeof v.code === "string" && (name === undefined || v.name === name);
}

/** "rules[0].lift: must be ≥ 1", for messages that name the field. */
export function formatIssue(issue: Issue): string {
  let where = "";
  for (const key of issue.path)
    where += typeof key === "number" ? `[${key}]` : where ? `.${key}` : key;
  return where ? `${where}: ${issue.message}` : issue.message;
}
