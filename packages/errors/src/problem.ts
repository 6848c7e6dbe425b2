/**
 * RFC 9457 problem details, built in one place for every sipcodes service.
 * Runtime-free: it returns the document as a plain object; each service turns
 * it into its own Response.
 */
import type { ErrorCode } from "./codes.ts";
import type { Issue } from "./error.ts";

export type { ErrorCode } from "./codes.ts";

export interface ProblemTypeInfo {
  /** The HTTP status the code answers with, unless a route says otherwise. */
  status: number;
  title: string;
  /** What the problem means, for the document served at its type URI. */
  description: string;
}

/**
 * The status, title and meaning of every error code. `satisfies Record<ErrorCode, ...>`:
 * a code added to `./codes.ts` without an entry here, or an entry without a code,
 * fails `tsc`.
 */
export const problemTypes = {
  // ------------------------------------------------------------------ core
  empty_input: {
    status: 422,
    title: "Empty input",
    description: "The input is empty or only white space.",
  },
  input_too_large: {
    status: 413,
    title: "Input too large",
    description:
      "The input is longer than 65,536 characters, the largest SIP message UDP can carry.",
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
  unknown_q850_cause: {
    status: 404,
    title: "Unknown Q.850 cause",
    description:
      "Q.850 cause values run from 1 to 127 and not every value is assigned; GET /v1/q850 lists the assigned ones.",
  },
  unknown_profile: {
    status: 400,
    title: "Unknown profile",
    description:
      "The profile id is not one of the built-in profiles (see GET /v1/profiles). 400 when given as a parameter, 404 on GET /v1/profiles/{id}.",
  },
  invalid_profile: {
    status: 422,
    title: "Invalid profile",
    description:
      "A profile does not match the profile schema, or extends a profile that does not exist; `errors` lists each field.",
  },
  profile_cycle: {
    status: 422,
    title: "Profile cycle",
    description: "A profile extends itself, directly or through the profiles it extends.",
  },
  invalid_option: {
    status: 400,
    title: "Invalid option",
    description: "An explain option (direction, audience, profile) has a value the core refuses.",
  },
  invalid_event: {
    status: 422,
    title: "Invalid call event",
    description: "A call event for the statistics has no usable SIP code.",
  },
  invalid_trace: {
    status: 422,
    title: "Invalid trace",
    description:
      "The input looks like a trace format (tshark JSON or EK) but cannot be read as one.",
  },
  no_sip_messages: {
    status: 422,
    title: "No SIP messages",
    description: "The trace or capture was read, but holds no SIP message to explain.",
  },
  // ---------------------------------------------------------------- detect
  invalid_config: {
    status: 422,
    title: "Invalid detector config",
    description: "The detector settings do not match their schema; `errors` lists each field.",
  },
  invalid_snapshot: {
    status: 422,
    title: "Invalid detector snapshot",
    description:
      "A saved detector state cannot be restored: it is malformed or from another version.",
  },
  invalid_argument: {
    status: 400,
    title: "Invalid argument",
    description: "A detector function was called with a value outside its domain.",
  },
  // --------------------------------------------------------------- capture
  not_a_capture: {
    status: 422,
    title: "Not a capture",
    description:
      "A binary body (application/vnd.tcpdump.pcap or application/octet-stream) is neither a pcap, a pcapng nor HEP packets; the message says what it looks like instead.",
  },
  truncated_capture: {
    status: 422,
    title: "Truncated capture",
    description:
      "The capture ends before its file header or first block is complete, so not one packet can be read; the message gives the length seen.",
  },
  invalid_capture: {
    status: 422,
    title: "Invalid capture",
    description:
      "The capture's framing is broken (a block or record length that cannot be right), so the packets after it cannot be found.",
  },
  unsupported_link_type: {
    status: 422,
    title: "Unsupported link type",
    description:
      "The capture's link layer is one the decoder does not read (it reads BSD loopback, Ethernet, raw IP and Linux cooked v1 and v2 captures).",
  },
  invalid_hep: {
    status: 422,
    title: "Invalid HEP packet",
    description: "A HEP v2 or v3 packet is malformed: a chunk or length does not fit the packet.",
  },
  reader_finished: {
    status: 500,
    title: "Capture reader misused",
    description:
      "The capture reader was given more bytes after it was ended: a bug in the program that called it, not in the input.",
  },
  // ------------------------------------------------------------------ HTTP
  not_found: {
    status: 404,
    title: "Not found",
    description:
      "No route matches this path (the API lists its routes at GET /openapi.json), or the resource it names does not exist.",
  },
  content_too_large: {
    status: 413,
    title: "Content too large",
    description:
      "The request body is larger than the route accepts: in the API 128 KiB for POST /v1/explain and 1 MiB for POST /v1/explain/batch; in the alerter, ingest.maxBodyBytes.",
  },
  internal_error: {
    status: 500,
    title: "Internal error",
    description: "A bug. It is logged; please report it with the request that caused it.",
  },
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
  unknown_code: {
    status: 404,
    title: "Not a SIP response code",
    description:
      "SIP response codes run from 100 to 699. A code inside that range that the catalogue does not know is explained by its class (flagged as a fallback) instead.",
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
  request_timeout: {
    status: 408,
    title: "Request timeout",
    description: "The request was not received in time (the API's Node server only).",
  },
  unsupported_media_type: {
    status: 415,
    title: "Unsupported media type",
    description:
      "POST /v1/explain takes application/json or text/plain; POST /v1/explain/batch takes application/json.",
  },
  headers_too_large: {
    status: 431,
    title: "Request headers too large",
    description: "The request line and headers exceed 16 KiB (the API's Node server only).",
  },
  uri_too_long: {
    status: 414,
    title: "URI too long",
    description:
      "The request target is longer than the server reads (the API's Node server: 8 KiB); send long input in a POST body.",
  },
  output_too_large: {
    status: 422,
    title: "Answer too large",
    description:
      "The answer to this batch would exceed the API's output limit (4 MiB); the detail says how many inputs fit, so split the batch or use view=lean.",
  },
  too_many_requests: {
    status: 429,
    title: "Too many requests",
    description:
      "This client sent more requests than the API's rate limit allows in the current window; the RateLimit-* and Retry-After headers say when to try again.",
  },
  unauthorized: {
    status: 401,
    title: "Unauthorized",
    description:
      "The request is unsigned, badly signed, signed too long ago, or carries no valid token; nothing in it was counted.",
  },
  forbidden: {
    status: 403,
    title: "Forbidden",
    description:
      "The form was sent from another site, or without the page's current form token; nothing was changed. Reload the page and send the form again.",
  },
  invalid_body: {
    status: 400,
    title: "Unreadable body",
    description: "The body is not JSON, a JSON array or NDJSON (or, for FreeSWITCH, a JSON CDR).",
  },
  invalid_silence: {
    status: 400,
    title: "Invalid silence",
    description: "The silence does not match its schema; `errors` lists each field.",
  },
  invalid_status: {
    status: 400,
    title: "Invalid outbox status",
    description: "The status filter must be pending, delivered or dead.",
  },
  invalid_time: {
    status: 400,
    title: "Invalid time",
    description: "A time must be milliseconds since the epoch or an RFC 3339 time.",
  },
  adapter_disabled: {
    status: 404,
    title: "Adapter disabled",
    description: "This provider's ingest route is off until its secret is set in the config.",
  },
  wall_clock: {
    status: 409,
    title: "Evaluation runs on the wall clock",
    description: "With evaluation.clock wall the evaluation time is the wall clock; omit now.",
  },
  rate_limited: {
    status: 429,
    title: "Too many events",
    description: "More events per second than ingest.maxEventsPerSecond; retry after Retry-After.",
  },
  overloaded: {
    status: 503,
    title: "Overloaded",
    description: "More ingest requests at once than ingest.maxInFlight; retry after Retry-After.",
  },
  not_evaluator: {
    status: 409,
    title: "Not the evaluator",
    description:
      "In Redis mode only the node holding the evaluator lease evaluates; send the request to the evaluator node, named in the detail.",
  },
  state_unavailable: {
    status: 503,
    title: "Committed state unavailable",
    description:
      "This Redis-mode node does not evaluate, and the evaluator has not yet committed the alerts it would show; retry after Retry-After or ask the evaluator node, named in the detail.",
  },
} as const satisfies Record<ErrorCode, ProblemTypeInfo>;

/** True when `value` is a code of the table (for a code read from a URL or another package). */
export function isErrorCode(value: string): value is ErrorCode {
  return Object.hasOwn(problemTypes, value);
}

/**
 * The `type` URI of a problem: `/problems/<code>`, a relative reference that
 * resolves against the service that sent it, and each service answers GET on
 * it with `problemTypeOf(code)`. See the README for why.
 */
export function problemTypeUri(code: ErrorCode): string {
  return `/problems/${code}`;
}

/** What GET /problems/<code> answers. */
export function problemTypeOf(
  code: ErrorCode,
): { type: string; code: ErrorCode } & ProblemTypeInfo {
  return { type: problemTypeUri(code), code, ...problemTypes[code] };
}

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/** One field-level problem; the first element of `path` says where (path, query, header, body). */
export type ProblemIssue = Issue;

/** An RFC 9457 problem document, with the sipcodes `code` extension. */
export interface Problem<C extends ErrorCode = ErrorCode> {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  code: C;
  errors?: ProblemIssue[];
}

export interface ProblemInit {
  /** The status when a route answers this code differently from the table (unknown_profile: 404 on its own route). */
  status?: number | undefined;
  /** The path of the request, or of one item of it (`/v1/explain/batch#/inputs/3`). */
  instance?: string | undefined;
  errors?: ProblemIssue[] | undefined;
}

/** The one place a problem document is built. */
export function problem<C extends ErrorCode>(
  code: C,
  detail: string,
  init: ProblemInit = {},
): Problem<C> {
  return {
    type: problemTypeUri(code),
    title: problemTypes[code].title,
    status: init.status ?? problemTypes[code].status,
    detail,
    ...(init.instance !== undefined ? { instance: init.instance } : {}),
    code,
    ...(init.errors?.length ? { errors: init.errors } : {}),
  };
}
