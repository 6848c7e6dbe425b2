import type { DialogMessage } from "../../dialog/calls.ts";
import { SipcodesError } from "../../errors.ts";
import { detectTextFormat, readTextTrace, type TextFormat } from "./text.ts";
import { detectTshark, readTshark, type TsharkFormat } from "./tshark.ts";

export { splitSip } from "./text.ts";

/** The text trace formats readTrace knows, detected by content. */
export type TraceFormat = TextFormat | TsharkFormat;

export interface TraceResult {
  format: TraceFormat;
  messages: DialogMessage[];
}

/**
 * Reads pasted or saved trace text in whichever format it is: raw SIP (CRLF
 * or LF), sngrep "save as txt" and other "<time> <src> -> <dst>" exports,
 * `ngrep` (`-W byline` or its default rows), Homer 7 text exports,
 * FreeSWITCH siptrace (indented or not), `tshark -V`,
 * `tshark -T json`, `tshark -T ek`. Detection is by content. Returns
 * undefined when the text holds no SIP message; throws SipcodesError
 * (`invalid_trace`) for tshark JSON that does not parse.
 */
export function readTrace(text: string): TraceResult | undefined {
  const t = text.replace(/^\uFEFF/, "");
  const tshark = detectTshark(t);
  if (tshark) {
    try {
      return { format: tshark, messages: readTshark(t, tshark) };
    } catch (error) {
      throw new SipcodesError(
        "invalid_trace",
        `the input looks like tshark ${tshark.slice(7)} output but does not parse: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  const format = detectTextFormat(t);
  if (!format) return undefined;
  const messages = readTextTrace(t, format);
  return messages.length ? { format, messages } : undefined;
}

/**
 * Whether a trace is explained call by call rather than message by message:
 * any format with times and addresses, or raw SIP holding more than one
 * message with a Call-ID, or a request with one. A single pasted response
 * keeps its one explanation.
 */
export function holdsCalls(trace: TraceResult): boolean {
  if (trace.format !== "sip") return true;
  const withCallId = trace.messages.filter((m) => /^(?:Call-ID|i)[ \t]*:/im.test(m.text));
  if (withCallId.length === 0) return false;
  return withCallId.length > 1 || !/^SIP\/2\.0/i.test(withCallId[0]?.text ?? "");
}
