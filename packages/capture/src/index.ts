export { type CaptureFormat, describeNonCapture, detectCapture } from "./detect.ts";
export {
  CaptureError,
  type CaptureErrorCode,
  CaptureErrorCodes,
  type CaptureWarning,
  type CaptureWarningCode,
  CaptureWarningCodes,
  isCaptureError,
} from "./errors.ts";
export {
  decodeHep,
  HepChunk,
  type HepPacket,
  HepProtocolType,
  type SafeHep,
  safeDecodeHep,
} from "./hep.ts";
export { LinkTypes, SUPPORTED_LINK_TYPES } from "./link.ts";
export type { Endpoint, SipMessage, Transport } from "./message.ts";
export {
  type CaptureReader,
  type CaptureReaderOptions,
  type CaptureResult,
  createCaptureReader,
  hepMessages,
  readCapture,
  type SafeCaptureResult,
  safeReadCapture,
} from "./reader.ts";
