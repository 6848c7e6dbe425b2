import { z } from "zod";
import { Outcome } from "./catalogue.ts";
import { Explanation } from "./explanation.ts";
import { ReasonHeaderValue } from "./headers.ts";

/** One message of a call, as the ladder shows it (retransmissions folded into `retransmissions`). */
export const CallStep = z.object({
  /** Milliseconds since the call's first message, when the messages had times. */
  at: z.number().optional(),
  /** "request" or "response". */
  kind: z.enum(["request", "response"]),
  /** The request method, or for a response the method of its CSeq. */
  method: z.string(),
  code: z.number().int().optional(),
  phrase: z.string().optional(),
  cseq: z.number().int().optional(),
  /** Sender and receiver ("ip:port"), when known. */
  src: z.string().optional(),
  dst: z.string().optional(),
  /** Which side sent it, by its From tag: the caller (who sent the first request) or the callee. */
  by: z.enum(["caller", "callee"]).optional(),
  /** How many more copies of the same message were seen. */
  retransmissions: z.number().int(),
  /** The frame (or message index) it came from, 1-based. */
  frame: z.number().int().optional(),
});
export type CallStep = z.infer<typeof CallStep>;

/** How a call ended for the caller's side, read from its messages. */
export const CallOutcome = z.union([Outcome, z.enum(["in-progress", "no-response", "ended"])]);
export type CallOutcome = z.infer<typeof CallOutcome>;

/** A request that ended or abandoned the call (CANCEL, BYE), who sent it and the Reason it gave. */
export const CallEnd = z.object({
  method: z.string(),
  at: z.number().optional(),
  by: z.enum(["caller", "callee"]).optional(),
  src: z.string().optional(),
  reasons: z.array(ReasonHeaderValue),
});
export type CallEnd = z.infer<typeof CallEnd>;

/** One call (one Call-ID), read from its messages: what happened, why, and what to do. */
export const Call = z.object({
  /** A short label, c1, c2, … in order of first appearance. */
  id: z.string(),
  callId: z.string(),
  /** The method of the first request (INVITE for a call; REGISTER, OPTIONS, …). */
  method: z.string(),
  requestLine: z.string().optional(),
  /** The caller and the callee: the user part of From and To (a number for a phone call), or the URI. */
  from: z.string().optional(),
  to: z.string().optional(),
  /** Milliseconds since the Unix epoch of the first message, when known. */
  start: z.number().optional(),
  events: z.array(CallStep),
  messages: z.number().int(),
  retransmissions: z.number().int(),
  /** Provisional responses to the INVITE, in order, with their time offset. */
  provisional: z.array(
    z.object({ code: z.number().int(), phrase: z.string().optional(), at: z.number().optional() }),
  ),
  /** Post-dial delay: INVITE to the first 180/183, in ms. */
  pddMs: z.number().optional(),
  /** First 180/183 to the final response, in ms. */
  ringMs: z.number().optional(),
  /** A 183 (or a provisional with SDP) was seen: the caller may have heard early media. */
  earlyMedia: z.boolean(),
  /** 401/407 challenges answered with a new request before the final response. */
  challenges: z.number().int(),
  cancel: CallEnd.optional(),
  bye: CallEnd.optional(),
  /** The final response to the (last) INVITE, and its explanation. */
  final: z
    .object({
      code: z.number().int(),
      phrase: z.string().optional(),
      at: z.number().optional(),
      by: z.string().optional(),
      explanation: Explanation.optional(),
    })
    .optional(),
  /** Time from the answer (2xx) to the BYE, in ms. */
  talkMs: z.number().optional(),
  outcome: CallOutcome,
  /** The whole story in one sentence. */
  verdict: z.string(),
  /** The short words for the cause, as a brief line shows them. */
  why: z.string().optional(),
  /** What to do, for the operator (from the final response's explanation). */
  actions: z.array(z.string()),
});
export type Call = z.infer<typeof Call>;

/** What `explainCalls()` returns: the calls, plus what could not be read. */
export const CallsResult = z.object({
  /** The input format the messages were read from (pcap, pcapng, hep, sip, sngrep, tshark-json, …). */
  format: z.string().optional(),
  calls: z.array(Call),
  /** Messages that were not SIP or had no Call-ID, with why. */
  skipped: z.array(z.object({ index: z.number().int(), reason: z.string() })),
  /** What the capture reader reported (a truncated file, with the byte offset). */
  warnings: z
    .array(z.object({ code: z.string(), message: z.string(), offset: z.number().int().optional() }))
    .optional(),
});
export type CallsResult = z.infer<typeof CallsResult>;
