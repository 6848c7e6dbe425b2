import { isSipcodesError, type SipcodesError } from "@sipcodes/core";

/**
 * Every kind of error the API answers with, as RFC 9457 problem types. The
 * `type` URI of a problem is `/problems/<code>`, which this API also serves,
 * so a client (or a person) can look up what a problem means.
 */
export const problemTypes = {
  bad_request: {
    status: 400,
    title: "Bad request",
    description: "The request could not be read as HTTP (for example a malformed URL).",
  },
  validation_failed: {
    status: 400,
    title: "Invalid request",
    description:
      "A path segment, query parameter or body field does not match the OpenAPI schema; `errors` lists each one with its path.",
  },
  invalid_json: {
    status: 400,
    title: "Malformed JSON",
    description: "The body was sent as application/json but is not valid JSON.",
  },
  unknown_profile: {
    status: 400,
    title: "Unknown profile",
    description:
      "The profile id is not one of the built-in profiles (see GET /v1/profiles). 400 when given as a parameter, 404 on GET /v1/profiles/{id}.",
  },
  invalid_option: {
    status: 400,
    title: "Invalid option",
    description: "An explain option (direction, audience, profile) has a value the core refuses.",
  },
  not_found: {
    status: 404,
    title: "Not found",
    description: "No route matches this path. GET /openapi.json lists every route.",
  },
  unknown_code: {
    status: 404,
    title: "Not a SIP response code",
    description:
      "SIP response codes run from 100 to 699. A code inside that range that the catalogue does not know is explained by its class (flagged as a fallback) instead.",
  },
  unknown_q850_cause: {
    status: 404,
    title: "Unknown Q.850 cause",
    description:
      "Q.850 cause values run from 1 to 127 and not every value is assigned; GET /v1/q850 lists the assigned ones.",
  },
  unknown_term: {
    status: 404,
    title: "Unknown glossary term",
    description:
      "The term is neither a glossary term nor an alias of one; GET /v1/glossary lists them.",
  },
  unknown_problem_type: {
    status: 404,
    title: "Unknown problem type",
    description: "There is no problem type of that name.",
  },
  method_not_allowed: {
    status: 405,
    title: "Method not allowed",
    description:
      "The path exists but not for this method; the Allow header lists the methods it takes.",
  },
  content_too_large: {
    status: 413,
    title: "Content too large",
    description:
      "The request body is larger than the route accepts: 128 KiB for POST /v1/explain, 1 MiB for POST /v1/explain/batch.",
  },
  input_too_large: {
    status: 413,
    title: "Input too large",
    description:
      "The input is longer than 65,536 characters, the largest SIP message UDP can carry.",
  },
  request_timeout: {
    status: 408,
    title: "Request timeout",
    description: "The request was not received in time (Node server only).",
  },
  headers_too_large: {
    status: 431,
    title: "Request headers too large",
    description: "The request line and headers exceed 16 KiB (Node server only).",
  },
  unsupported_media_type: {
    status: 415,
    title: "Unsupported media type",
    description:
      "POST /v1/explain takes application/json or text/plain; POST /v1/explain/batch takes application/json.",
  },
  empty_input: {
    status: 422,
    title: "Empty input",
    description: "The input is empty or only white space.",
  },
  invalid_input: {
    status: 422,
    title: "Invalid input",
    description:
      "The input is neither a SIP code, a status line, a SIP response nor a Reason header.",
  },
  binary_input: {
    status: 422,
    title: "Binary input",
    description: "The input contains control characters or bytes that are not UTF-8 text.",
  },
  code_out_of_range: {
    status: 422,
    title: "Code out of range",
    description: "The input names a code outside 100 to 699.",
  },
  not_a_response: {
    status: 422,
    title: "Not a SIP response",
    description:
      "The input is a SIP request, or a Q.850 cause that ends a call normally and maps to no SIP response.",
  },
  not_sip: {
    status: 422,
    title: "Not SIP",
    description: "The input looks like another protocol (HTTP, for example), not SIP.",
  },
  invalid_status_line: {
    status: 422,
    title: "Invalid status line",
    description: "The first line starts like a SIP status line but cannot be read as one.",
  },
  unsupported_version: {
    status: 422,
    title: "Unsupported SIP version",
    description: "The status line names a SIP version other than 2.0.",
  },
  invalid_reason: {
    status: 422,
    title: "Invalid Reason header",
    description: "The Reason header names neither a SIP code nor a Q.850 cause.",
  },
  internal_error: {
    status: 500,
    title: "Internal error",
    description:
      "A bug in the API. It is logged; please report it with the request that caused it.",
  },
} as const satisfies Record<string, { status: number; title: string; description: string }>;

export type ProblemCode = keyof typeof problemTypes;

/** One field-level problem: where it is (first element: path, query, header or body) and what is wrong. */
export interface ProblemIssue {
  path: (string | number)[];
  message: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: ProblemCode;
  errors?: ProblemIssue[];
}

/** Thrown by handlers and helpers; `app.onError` renders it as application/problem+json. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  readonly code: ProblemCode;
  readonly status: number;
  readonly errors: ProblemIssue[] | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(
    code: ProblemCode,
    detail: string,
    options: { status?: number; errors?: ProblemIssue[]; headers?: Record<string, string> } = {},
  ) {
    super(detail);
    this.code = code;
    this.status = options.status ?? problemTypes[code].status;
    this.errors = options.errors;
    this.headers = options.headers;
  }
}

export function problemTypeUri(code: ProblemCode): string {
  return `/problems/${code}`;
}

export function isProblemCode(value: string): value is ProblemCode {
  return Object.hasOwn(problemTypes, value);
}

/** The problem for a core error, with the status the route gives that error (default from the table). */
export function fromCoreError(error: SipcodesError, status?: number, path?: ProblemIssue["path"]) {
  const code: ProblemCode = isProblemCode(error.code) ? error.code : "invalid_input";
  return new ApiError(code, error.message, {
    ...(status !== undefined ? { status } : {}),
    ...(path ? { errors: [{ path, message: error.message }] } : {}),
  });
}

/** Turns anything thrown into an ApiError; anything the API did not expect becomes internal_error. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (isSipcodesError(error)) return fromCoreError(error);
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

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/** The one place a problem body is built. */
export function problemBody(error: ApiError, instance: string): ProblemBody {
  return {
    type: problemTypeUri(error.code),
    title: problemTypes[error.code].title,
    status: error.status,
    detail: error.message,
    instance,
    code: error.code,
    ...(error.errors?.length ? { errors: error.errors } : {}),
  };
}

/** Renders a problem as an application/problem+json response. */
export function problemResponse(error: ApiError, instance: string, cors: boolean): Response {
  const body = problemBody(error, instance);
  const headers: Record<string, string> = {
    "content-type": PROBLEM_CONTENT_TYPE,
    "cache-control": "no-store",
    ...(cors ? { "access-control-allow-origin": "*" } : {}),
    ...error.headers,
  };
  return new Response(JSON.stringify(body), { status: error.status, headers });
}
