/**
 * Every way the capture decoders can refuse an input, as a stable snake_case
 * string. Problems that still leave usable messages are warnings instead
 * (see `CaptureWarning`), not errors.
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
 * The one error type this package throws. `code` says what kind of refusal
 * it is; `message` is one line for a person; `offset` is the byte offset in
 * the input where the problem was seen, when there is one.
 *
 * Kept small on purpose so it can later extend the shared `@sipcodes/errors`
 * base without changing its shape.
 */
export class CaptureError extends Error {
  override readonly name = "CaptureError";
  readonly code: CaptureErrorCode;
  readonly offset: number | undefined;

  constructor(code: CaptureErrorCode, message: string, offset?: number) {
    super(message);
    this.code = code;
    this.offset = offset;
  }

  toJSON() {
    return {
      code: this.code,
      message: this.message,
      ...(this.offset === undefined ? {} : { offset: this.offset }),
    };
  }
}

/** True for a CaptureError, including one from another bundled copy of this package. */
export function isCaptureError(value: unknown): value is CaptureError {
  return (
    value instanceof CaptureError ||
    (typeof value === "object" &&
      value !== null &&
      (value as { name?: unknown }).name === "CaptureError" &&
      typeof (value as { code?: unknown }).code === "string" &&
      (CaptureErrorCodes as readonly string[]).includes((value as { code: string }).code))
  );
}

/** Non-fatal problems: the messages returned are still right, but some may be missing. */
export const CaptureWarningCodes = [
  "truncated_capture",
  "packet_cut_by_snaplen",
  "unsupported_link_type",
  "malformed_packet",
  "ip_fragments_incomplete",
  "tcp_gap",
  "tcp_stream_not_sip",
  "sip_message_incomplete",
  "hep_compressed_payload",
  "hep_not_sip",
  "invalid_block",
] as const;
export type CaptureWarningCode = (typeof CaptureWarningCodes)[number];

export interface CaptureWarning {
  code: CaptureWarningCode;
  message: string;
  /** Byte offset in the capture, when the problem is tied to one. */
  offset?: number;
  /** 1-based frame number (as tshark counts them), when tied to one packet. */
  frame?: number;
}
