export {
  type CaptureErrorCode,
  CaptureErrorCodes,
  type CoreErrorCode,
  CoreErrorCodes,
  type DetectErrorCode,
  DetectErrorCodes,
  type ErrorCode,
  ErrorCodes,
  type HttpErrorCode,
  HttpErrorCodes,
} from "./codes.ts";
export { CodedError, formatIssue, type Issue, isCodedError } from "./error.ts";
