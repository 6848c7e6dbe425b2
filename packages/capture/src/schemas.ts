/**
 * zod schemas for what the decoders return, for the API and CLI to validate
 * and document their output. Kept apart from the decoders so reading a
 * capture does not load zod. Import from "@sipcodes/capture/schemas".
 */
import { z } from "zod";
import { CaptureErrorCodes, CaptureWarningCodes } from "./errors.ts";

export const Endpoint = z.object({
  ip: z.string().describe("Dotted IPv4 or RFC 5952 IPv6 text"),
  port: z.number().int().min(0).max(65535),
});
export type Endpoint = z.infer<typeof Endpoint>;

export const Transport = z.enum(["udp", "tcp", "sctp"]);
export type Transport = z.infer<typeof Transport>;

export const SipMessage = z.object({
  frame: z.number().int().min(1).describe("1-based packet number, as tshark numbers frames"),
  time: z.number().describe("Capture time, microseconds since the Unix epoch"),
  src: Endpoint,
  dst: Endpoint,
  transport: Transport,
  text: z.string(),
  agentId: z.number().int().optional().describe("HEP capture agent id"),
  correlationId: z.string().optional().describe("HEP correlation id"),
});
export type SipMessage = z.infer<typeof SipMessage>;

export const CaptureWarning = z.object({
  code: z.enum(CaptureWarningCodes),
  message: z.string(),
  offset: z.number().int().min(0).optional(),
  frame: z.number().int().min(1).optional(),
});
export type CaptureWarning = z.infer<typeof CaptureWarning>;

export const CaptureFormat = z.enum(["pcap", "pcapng", "hep"]);
export type CaptureFormat = z.infer<typeof CaptureFormat>;

export const CaptureResult = z.object({
  format: CaptureFormat,
  messages: z.array(SipMessage),
  warnings: z.array(CaptureWarning),
  frames: z.number().int().min(0),
});
export type CaptureResult = z.infer<typeof CaptureResult>;

export const CaptureErrorJson = z.object({
  code: z.enum(CaptureErrorCodes),
  message: z.string(),
  offset: z.number().int().min(0).optional(),
});
export type CaptureErrorJson = z.infer<typeof CaptureErrorJson>;
