import {
  type ErrorCode,
  PROBLEM_CONTENT_TYPE,
  type ProblemIssue,
  problem,
} from "@sipcodes/errors/problem";
import type { Context } from "hono";

export interface ProblemOptions {
  /** Field-level problems; the first element of a path says where (`body`, `query`). */
  errors?: ProblemIssue[];
  headers?: Record<string, string>;
}

/**
 * Answers with the RFC 9457 problem for `code`: status, title and type URI
 * come from @sipcodes/errors' table, shared with the API.
 */
export function sendProblem(
  c: Context,
  code: ErrorCode,
  detail: string,
  options: ProblemOptions = {},
): Response {
  const body = problem(code, detail, { instance: c.req.path, errors: options.errors });
  return c.body(JSON.stringify(body), body.status as 400, {
    "content-type": PROBLEM_CONTENT_TYPE,
    ...options.headers,
  });
}
