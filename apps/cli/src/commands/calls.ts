// The whole-call face of `sipcode explain`: a capture (pcap, pcapng, HEP) or a
// trace (raw SIP, sngrep, ngrep, siptrace, tshark text/JSON/EK) is grouped
// into calls by the core and printed one call at a time (text), one line per
// call (--brief) or as the core's CallsResult (--json).
import {
  createCaptureReader,
  describeNonCapture,
  detectCapture,
  isCaptureError,
} from "@sipcodes/capture";
import {
  briefLine,
  type Call,
  CallTracker,
  callSeq,
  type ExplainOptions,
  holdsCalls,
  readTrace,
  renderCallMarkdown,
  renderCallText,
  StartOrder,
} from "@sipcodes/core";
import { type CliContext, CliError, EXIT } from "../context.ts";

export interface CallsFlags {
  brief?: boolean;
  json?: boolean;
  format?: "text" | "markdown";
}

/** Text larger than this is not held in memory as one string (captures stream without a limit). */
const MAX_TEXT = 256 * 1024 * 1024;

/** What the first bytes decided: handled here, or text for the single-message path. */
export type StreamResult = { handled: true } | { handled: false; text: string };

function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 4096);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i] as number;
    if (b === 0) return true;
    if (b < 32 && b !== 9 && b !== 10 && b !== 13) control++;
  }
  return control > n / 100;
}

/**
 * Reads `source` (a file or standard input, as chunks) and, when it is a
 * capture or a trace of whole calls, explains the calls and returns
 * `{ handled: true }`; other text (codes, a single response) is returned for
 * the per-message path. Binary that is no capture is a usage error naming what
 * it is, never echoed.
 */
export async function explainSource(
  ctx: CliContext,
  source: AsyncIterable<Uint8Array>,
  name: string,
  flags: CallsFlags,
  options: ExplainOptions,
): Promise<StreamResult> {
  const iterator = source[Symbol.asyncIterator]();
  let head: Uint8Array = new Uint8Array(0);
  let ended = false;
  // Enough bytes to tell a capture (pcapng's section header, HEP's chunks) from text.
  while (head.length < 64 && !ended) {
    const next = await iterator.next();
    if (next.done) ended = true;
    else head = concat(head, next.value);
  }
  const rest = async function* () {
    if (head.length) yield head;
    if (ended) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  };
  if (detectCapture(head)) {
    await explainCapture(ctx, rest(), name, flags, options);
    return { handled: true };
  }
  if (looksBinary(head)) {
    throw new CliError(`${name}: ${describeNonCapture(head)}`, EXIT.usage);
  }
  const decoder = new TextDecoder();
  let text = "";
  for await (const chunk of rest()) {
    text += decoder.decode(chunk, { stream: true });
    if (text.length > MAX_TEXT)
      throw new CliError(
        `${name}: text larger than 256 MiB; give the capture file itself`,
        EXIT.usage,
      );
  }
  text += decoder.decode();
  if (/\uFFFD|\u0000/.test(text.slice(0, 4096)))
    throw new CliError(`${name}: ${describeNonCapture(head)}`, EXIT.usage);
  const trace = readTrace(text);
  if (!trace || !(flags.brief || holdsCalls(trace))) return { handled: false, text };
  const tracker = new CallTracker(options);
  const calls: Call[] = [];
  for (const m of trace.messages) calls.push(...tracker.push(m));
  calls.push(...tracker.end());
  calls.sort((a, b) => callSeq(a) - callSeq(b));
  if (!calls.length) {
    throw new CliError(
      `${name}: the ${trace.format} trace holds no SIP message with a Call-ID`,
      EXIT.notFound,
    );
  }
  print(ctx, calls, flags, { format: trace.format, skipped: tracker.skipped, warnings: [] });
  return { handled: true };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (!a.length) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function endpoint(e: { ip: string; port: number }): string {
  return e.ip.includes(":") ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`;
}

async function explainCapture(
  ctx: CliContext,
  source: AsyncIterable<Uint8Array>,
  name: string,
  flags: CallsFlags,
  options: ExplainOptions,
): Promise<void> {
  const reader = createCaptureReader();
  const tracker = new CallTracker(options);
  const held: Call[] = [];
  // Brief lines stream out in the order calls began: a line waits (as a
  // string, not the call) only until the calls before it have finished.
  const brief = flags.brief && !flags.json ? new StartOrder<string>() : undefined;
  let count = 0;
  const take = (calls: Call[]) => {
    if (!calls.length) return;
    count += calls.length;
    if (!brief) {
      held.push(...calls);
      return;
    }
    const due = calls.flatMap((c) => brief.push(callSeq(c), `${briefLine(c)}\n`));
    if (due.length) ctx.out(due.join(""));
  };
  let messages = 0;
  const feed = (list: ReturnType<typeof reader.push>) => {
    for (const m of list) {
      messages++;
      take(
        tracker.push({
          text: m.text,
          time: m.time / 1000,
          src: endpoint(m.src),
          dst: endpoint(m.dst),
          frame: m.frame,
        }),
      );
    }
  };
  try {
    for await (const chunk of source) feed(reader.push(chunk));
    feed(reader.end());
  } catch (error) {
    // A capture that cannot be read at all (its header cut short...): bad input, named by file.
    if (isCaptureError(error) && error.code !== "reader_finished")
      throw new CliError(`${name}: ${error.message}`, EXIT.usage);
    throw error;
  }
  take(tracker.end());
  if (brief) {
    const rest = brief.end();
    if (rest.length) ctx.out(rest.join(""));
    if (brief.late)
      ctx.err(
        `sipcode: ${name}: note: ${brief.late} call${brief.late === 1 ? " was" : "s were"} printed after later calls: ${brief.late === 1 ? "it" : "each"} stayed open while too many later calls finished\n`,
      );
  }
  const warnings = reader.warnings.map((w) => ({
    code: w.code,
    message: w.message,
    ...(w.offset !== undefined ? { offset: w.offset } : {}),
  }));
  for (const w of warnings) {
    ctx.err(
      `sipcode: ${name}: warning: ${w.message}${w.offset !== undefined && !w.message.includes(String(w.offset)) ? ` (at byte ${w.offset})` : ""}\n`,
    );
  }
  if (messages === 0) {
    throw new CliError(
      `${name}: the ${reader.format ?? "capture"} (${reader.frames} frame${reader.frames === 1 ? "" : "s"}) holds no SIP messages`,
      EXIT.notFound,
    );
  }
  if (!count)
    throw new CliError(`${name}: no SIP message in the capture has a Call-ID`, EXIT.notFound);
  held.sort((a, b) => callSeq(a) - callSeq(b));
  print(ctx, held, flags, {
    format: reader.format ?? "capture",
    skipped: tracker.skipped,
    warnings,
  });
}

function print(
  ctx: CliContext,
  calls: Call[],
  flags: CallsFlags,
  meta: {
    format: string;
    skipped: { index: number; reason: string }[];
    warnings: { code: string; message: string; offset?: number }[];
  },
): void {
  if (flags.json) {
    ctx.out(
      `${JSON.stringify({ format: meta.format, calls, skipped: meta.skipped, warnings: meta.warnings }, null, 2)}\n`,
    );
    return;
  }
  if (flags.brief) {
    ctx.out(calls.map((c) => `${briefLine(c)}\n`).join(""));
    return;
  }
  if (flags.format === "markdown") {
    ctx.out(calls.map((c) => renderCallMarkdown(c)).join("\n"));
    return;
  }
  const width = Math.min(ctx.env.columns ?? 80, 100);
  ctx.out(calls.map((c) => renderCallText(c, { width })).join("\n"));
}
