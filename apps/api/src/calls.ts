// POST /v1/explain with a capture (pcap, pcapng, HEP) or a trace of whole
// calls as the body: the core groups the messages into calls and explains
// each; this module only reads the body and maps failures to problems.
import { createCaptureReader, describeNonCapture, detectCapture } from "@sipcodes/capture";
import {
  type Call,
  type DialogMessage,
  type ExplainOptions,
  explainCalls,
  renderCallText,
} from "@sipcodes/core";
import { ApiError } from "./problem.ts";

/** Largest capture POST /v1/explain accepts, in bytes. */
export const CAPTURE_BODY_LIMIT = 16 * 1024 * 1024;

/** Media types read as a capture. */
export const CAPTURE_TYPES: ReadonlySet<string> = new Set([
  "application/vnd.tcpdump.pcap",
  "application/octet-stream",
]);

export interface CallsBody {
  format: string;
  calls: Call[];
  skipped: { index: number; reason: string }[];
  warnings: { code: string; message: string; offset?: number }[];
}

function endpoint(e: { ip: string; port: number }): string {
  return e.ip.includes(":") ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`;
}

/** Explains the calls in a capture body; a body that is no capture is a 422 naming what it is. */
export function callsFromCapture(bytes: Uint8Array, options: ExplainOptions): CallsBody {
  if (!detectCapture(bytes)) throw new ApiError("not_a_capture", describeNonCapture(bytes));
  const reader = createCaptureReader();
  const sip = [...reader.push(bytes), ...reader.end()];
  const warnings = reader.warnings.map((w) => ({
    code: w.code,
    message: w.message,
    ...(w.offset !== undefined ? { offset: w.offset } : {}),
  }));
  const { calls, skipped } = explainCalls(
    sip.map((m) => ({
      text: m.text,
      time: m.time / 1000,
      src: endpoint(m.src),
      dst: endpoint(m.dst),
      frame: m.frame,
    })),
    options,
  );
  if (!calls.length) {
    throw new ApiError(
      "no_sip_messages",
      `the ${reader.format ?? "capture"} (${reader.frames} frames) holds no SIP message with a Call-ID`,
    );
  }
  return { format: reader.format ?? "capture", calls, skipped, warnings };
}

/** Explains the calls of a text trace that readTrace has read. */
export function callsFromTrace(
  format: string,
  messages: DialogMessage[],
  options: ExplainOptions,
): CallsBody {
  const { calls, skipped } = explainCalls(messages, options);
  if (!calls.length)
    throw new ApiError(
      "no_sip_messages",
      `the ${format} trace holds no SIP message with a Call-ID`,
    );
  return { format, calls, skipped, warnings: [] };
}

/** The calls as text for `Accept: text/plain`. */
export function callsText(body: CallsBody): string {
  return body.calls.map((c) => renderCallText(c)).join("\n");
}
