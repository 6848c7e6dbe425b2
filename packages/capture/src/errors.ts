import {
  type CaptureErrorCode,
  CaptureErrorCodes,
  CodedError,
  isCodedError,
} from "@sipcodes/errors";

export { type CaptureErrorCode, CaptureErrorCodes };

/**
 * The one error type this package throws: a `CodedError` (the shared base of
 * `@sipcodes/errors`) whose `code` is one of `CaptureErrorCodes`, with
 * `offset` the byte offset in the input where the problem was seen, when
 * there is one.
 */
export class CaptureError extends CodedError<CaptureErrorCode> {
  override readonly name = "CaptureError";
  readonly offset: number | undefined;

  constructor(code: CaptureErrorCode, message: string, offset?: number) {
    super(code, message);
    this.offset = offset;
  }

  override toJSON() {
    return { ...super.toJSON(), ...(this.offset === undefined ? {} : { offset: this.offset }) };
  }
}

/** True for a CaptureError, including one from another bundled copy of this package. */
export function isCaptureError(value: unknown): value is CaptureError {
  return isCodedError(value, "CaptureError");
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
