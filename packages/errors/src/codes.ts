/**
 * Every error code sipcodes has, grouped by the package that throws it. One
 * list per owner, one union over all of them: the problem table in
 * `./problem.ts` must give each a status, so a new code without one fails `tsc`.
 */

/** Every way the core (`@sipcodes/core`) can refuse an input. */
export const CoreErrorCodes = [
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
  "invalid_trace",
  "no_sip_messages",
] as const;
export type CoreErrorCode = (typeof CoreErrorCodes)[number];

/** Every way the detector (`@sipcodes/detect`) can refuse an input. */
export const DetectErrorCodes = ["invalid_config", "invalid_snapshot", "invalid_argument"] as const;
export type DetectErrorCode = (typeof DetectErrorCodes)[number];

/**
 * Every way the capture decoders (`@sipcodes/capture`) can refuse an input.
 * Problems that still leave usable messages are warnings there, not errors.
 */
export const CaptureErrorCodes = [
  "not_a_capture",
  "truncated_capture",
  "invalid_capture",
  "unsupported_link_type",
  "invalid_hep",
  "reader_finished",
] as const;
export type CaptureErrorCode = (typeof CaptureErrorCodes)[number];

/**
 * Refusals that only exist over HTTP: the API's and the alerter's own, about
 * the request rather than its content. A name both services need (404, 413,
 * 500) is one code, used by both.
 */
export const HttpErrorCodes = [
  // both
  "not_found",
  "content_too_large",
  "internal_error",
  // the API
  "bad_request",
  "validation_failed",
  "invalid_json",
  "unknown_code",
  "unknown_term",
  "unknown_problem_type",
  "method_not_allowed",
  "request_timeout",
  "unsupported_media_type",
  "headers_too_large",
  "uri_too_long",
  "output_too_large",
  "too_many_requests",
  // the alerter
  "unauthorized",
  "forbidden",
  "invalid_body",
  "invalid_silence",
  "invalid_status",
  "invalid_time",
  "adapter_disabled",
  "wall_clock",
  "rate_limited",
  "overloaded",
  "not_evaluator",
  "state_unavailable",
] as const;
export type HttpErrorCode = (typeof HttpErrorCodes)[number];

/** Every error code, of every package and service. */
export type ErrorCode = CoreErrorCode | DetectErrorCode | CaptureErrorCode | HttpErrorCode;

export const ErrorCodes: readonly ErrorCode[] = [
  ...CoreErrorCodes,
  ...DetectErrorCodes,
  ...CaptureErrorCodes,
  ...HttpErrorCodes,
];
