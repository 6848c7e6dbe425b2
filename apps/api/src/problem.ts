/**
 * The API's side of the one problem vocabulary: every code, status and title
 * comes from @sipcodes/errors' table (shared with the alerter); this module
 * only carries a problem through Hono (`ApiError`) and writes it as a Response.
 * The `type` URI of a problem is `/problems/<code>`, which this API also
 * serves, so a client (or a person) can look up what a problem means.
 */
import { CodedError, isCodedError } from "@sipcodes/errors";
import {
  type ErrorCode,
  isErrorCode,
  PROBLEM_CONTENT_TYPE,
  type Problem,
  type ProblemIssue,
  problem,
  problemTypes,
  problemTypeUri,
} from "@sipcodes/errors/problem";

export { PROBLEM_CONTENT_TYPE, type ProblemIssue, problemTypes, problemTypeUri };

/** Every code a problem may carry: the core's and the detector's kept as they are, and the HTTP ones. */
export type ProblemCode = ErrorCode;

export const isProblemCode: (value: string) => value is ProblemCode = isErrorCode;

/** What the API sends: a problem document that always names the request path. */
export type ProblemBody = Problem & { instance: string };

/** Thrown by handlers and helpers; `app.onError` renders it as application/problem+json. */
export class ApiError extends CodedError<ProblemCode> {
  override readonly name = "ApiError";
  readonly status: number;
  readonly errors: ProblemIssue[] | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(
    code: ProblemCode,
    detail: string,
    options: { status?: number; errors?: ProblemIssue[]; headers?: Record<string, string> } = {},
  ) {
    super(code, detail, options.errors ?? []);
    this.status = options.status ?? problemTypes[code].status;
    this.errors = options.errors;
    this.headers = options.headers;
  }
}

/**
 * The problem for a core (or detector) error: its own code on the wire, with
 * the status the table gives it unless the route says otherwise.
 */
export function fromCoreError(
  error: CodedError<ProblemCode>,
  status?: number,
  path?: ProblemIssue["path"],
) {
  return new ApiError(error.code, error.message, {
    ...(status !== undefined ? { status } : {}),
    ...(path ? { errors: [{ path, message: error.message }] } : {}),
  });
}

/** Turns anything thrown into an ApiError; anything the API did not expect becomes internal_error. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (isCodedError(error) && isErrorCode(error.code)) {
    return fromCoreError(error as CodedError<ProblemCode>);
  }
  // Hono's own HTTPException (a malformed request it refused before a handler ran).
  const status = (error as { status?: unknown } | null)?.status;
  if (typeof status === "number" && status >= 400 && status < 500) {
    const code: ProblemCode =
      status === 413
        ? "content_too_large"
        : status === 415
          ? "unsupported_media_type"
          : "bad_request";
    return new ApiError(code, error instanceof Error ? error.message : "bad request", { status });
  }
  return new ApiError("internal_error", "The API failed to answer this request.");
}

/**
 * The problem document of an ApiError, built by the shared builder. With
 * `base` (the API's origin), `type` is an absolute URI (RFC 9457 §3.1.1
 * prefers it); without one (a request Node refused before it had a Host) it
 * stays the relative `/problems/<code>`.
 */
export function problemBody(error: ApiError, instance: string, base = ""): ProblemBody {
  const body = problem(error.code, error.message, {
    status: error.status,
    instance,
    errors: error.errors,
  }) as ProblemBody;
  if (base) body.type = `${base}${body.type}`;
  return body;
}

/** Renders a problem as an application/problem+json response. */
export function problemResponse(error: ApiError, instance: string, base = ""): Response {
  const body = problemBody(error, instance, base);
  const headers: Record<string, string> = {
    "content-type": PROBLEM_CONTENT_TYPE,
    "cache-control": "no-store",
    ...error.headers,
  };
  return new Response(JSON.stringify(body), { status: error.status, headers });
}
