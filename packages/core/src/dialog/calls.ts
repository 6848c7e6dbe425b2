// Groups SIP messages into calls (by Call-ID, then CSeq and Via branch) and
// says for each what happened, why, and what to do. Pure: messages come in as
// text with optional times and addresses (a capture reader supplies those).
import { explainReasons } from "../explain/headers.ts";
import { type ExplainOptions, safeExplain } from "../explain/index.ts";
import { uriOf, userOf } from "../parse/headers/_params.ts";
import { readCSeq, tagOf, topVia } from "../parse/headers/per-code.ts";
import { readReasons } from "../parse/headers/reason.ts";
import { type ParsedInput, parseInput } from "../parse/index.ts";
import type { Call, CallEnd, CallOutcome, CallStep } from "../schema/dialog.ts";
import type { Explanation } from "../schema/explanation.ts";
import type { ReasonHeaderValue } from "../schema/headers.ts";

/** One SIP message as a trace or capture gives it. */
export interface DialogMessage {
  text: string;
  /** Milliseconds since the Unix epoch (fractions allowed), when the source has times. */
  time?: number;
  /** Sender and receiver as "ip:port", when known. */
  src?: string;
  dst?: string;
  /** Where it came from (a capture frame number), 1-based. */
  frame?: number;
}

export interface CallTrackerOptions extends ExplainOptions {
  /**
   * A finished call is reported once no message of it has been seen for this
   * long (ms of message time), so late retransmissions and ACKs still join
   * it. Default 4000.
   */
  lingerMs?: number;
  /** An unanswered call with no message for this long (ms) is reported as it stands. Default 64000 (SIP Timer B). */
  idleMs?: number;
  /** At most this many calls are held open; the oldest is reported first when more arrive. Default 100,000. */
  maxOpenCalls?: number;
}

const DIALOG_HEADERS = new Set(["call-id", "cseq", "from", "to", "via", "reason", "content-type"]);

interface Open {
  call: Call;
  seen: Set<string>;
  callerTag?: string;
  /** The INVITE's time, for delays. */
  inviteAt?: number;
  firstRingAt?: number;
  answeredAt?: number;
  finalText?: string;
  /** The CSeq number of the transaction the final response belongs to. */
  finalSeq?: number;
  done: boolean;
  last: number;
  lastTime?: number;
}

/**
 * Reads messages one at a time and reports each call once it is finished
 * (its final response and the ACKs and retransmissions after it), so a large
 * capture is explained with memory for the open calls only. `explainCalls`
 * wraps it for a list of messages.
 */
export class CallTracker {
  readonly #options: CallTrackerOptions;
  readonly #open = new Map<string, Open>();
  /** Call-IDs already reported, with when, so a straggler does not start a new call. */
  readonly #closed = new Map<string, number>();
  #next = 1;
  #index = 0;
  #now: number | undefined;
  /** Messages that could not be read, with why (index is 1-based). */
  readonly skipped: { index: number; reason: string }[] = [];
  /** Messages that belonged to a call already reported and were dropped. */
  late = 0;

  constructor(options: CallTrackerOptions = {}) {
    this.#options = options;
  }

  /** Adds one message; returns the calls it finished (possibly none). */
  push(message: DialogMessage): Call[] {
    const index = ++this.#index;
    const out: Call[] = [];
    if (message.time !== undefined) {
      this.#now = message.time;
      this.#expire(out);
    }
    let parsed: ParsedInput;
    try {
      parsed = parseInput(message.text, { keep: DIALOG_HEADERS });
    } catch (error) {
      if (this.skipped.length < 1000)
        this.skipped.push({
          index,
          reason: error instanceof Error ? error.message : String(error),
        });
      return out;
    }
    const headers = parsed.headers ?? {};
    const callId = headers["call-id"]?.[0];
    if (!callId) {
      if (this.skipped.length < 1000)
        this.skipped.push({ index, reason: "the message has no Call-ID header" });
      return out;
    }
    let open = this.#open.get(callId);
    if (!open) {
      if (this.#closed.has(callId)) {
        this.late++;
        return out;
      }
      open = this.#start(callId, parsed, message);
      this.#open.set(callId, open);
      const max = this.#options.maxOpenCalls ?? 100_000;
      if (this.#open.size > max) {
        const [oldId, oldest] = this.#open.entries().next().value as [string, Open];
        this.#finish(oldId, oldest, out);
      }
    }
    this.#add(open, parsed, message, index);
    return out;
  }

  /** Reports every call still open. */
  end(): Call[] {
    const out: Call[] = [];
    for (const [id, open] of this.#open) this.#finish(id, open, out);
    return out;
  }

  #expire(out: Call[]): void {
    const now = this.#now;
    if (now === undefined) return;
    const linger = this.#options.lingerMs ?? 4000;
    const idle = this.#options.idleMs ?? 64_000;
    // Map order is the order calls began; check the oldest few, enough in steady state.
    let checked = 0;
    for (const [id, open] of this.#open) {
      if (checked++ > 64) break;
      const last = open.lastTime ?? now;
      const wait = open.done
        ? linger
        : open.answeredAt !== undefined
          ? Number.POSITIVE_INFINITY
          : idle;
      if (now - last > wait) this.#finish(id, open, out);
    }
    // Stragglers (late ACKs, retransmitted finals) come within seconds; forget a
    // reported call after the idle time, and never hold more than 100,000.
    for (const [id, at] of this.#closed) {
      if (now - at < idle && this.#closed.size <= 100_000) break;
      this.#closed.delete(id);
    }
  }

  #start(callId: string, parsed: ParsedInput, message: DialogMessage): Open {
    const from = parsed.headers?.from?.[0];
    const to = parsed.headers?.to?.[0];
    const call: Call = {
      id: `c${this.#next++}`,
      callId,
      method: parsed.method ?? readCSeq(parsed.headers?.cseq?.[0])?.method ?? "INVITE",
      events: [],
      messages: 0,
      retransmissions: 0,
      provisional: [],
      earlyMedia: false,
      challenges: 0,
      outcome: "in-progress",
      verdict: "",
      actions: [],
    };
    const fromUser = party(from);
    const toUser = party(to);
    if (fromUser) call.from = fromUser;
    if (toUser) call.to = toUser;
    if (message.time !== undefined) call.start = message.time;
    const open: Open = { call, seen: new Set(), done: false, last: 0 };
    const callerTag = tagOf(from);
    // The caller's From tag: requests carrying it come from the caller, all others from the callee.
    if (callerTag) open.callerTag = callerTag;
    return open;
  }

  #add(open: Open, parsed: ParsedInput, message: DialogMessage, index: number): void {
    const call = open.call;
    const headers = parsed.headers ?? {};
    const cseq = readCSeq(headers.cseq?.[0]);
    const via = topVia(headers.via?.[0]);
    const toTag = tagOf(headers.to?.[0]);
    const fromTag = tagOf(headers.from?.[0]);
    const isRequest = parsed.kind === "request";
    const method = isRequest ? (parsed.method ?? "?") : (cseq?.method ?? "?");
    const start = isRequest ? `${method} ${parsed.requestUri ?? ""}` : `${parsed.code ?? 0}`;
    const key = `${start}|${cseq?.seq ?? ""}|${method}|${via.branch ?? ""}|${isRequest ? "" : (toTag ?? "")}`;
    call.messages++;
    if (message.time !== undefined) open.lastTime = message.time;
    const at =
      message.time !== undefined && call.start !== undefined
        ? message.time - call.start
        : undefined;
    if (open.seen.has(key)) {
      call.retransmissions++;
      for (let i = call.events.length - 1; i >= 0; i--) {
        const e = call.events[i] as CallStep;
        if (
          e.kind === (isRequest ? "request" : "response") &&
          e.method === method &&
          e.cseq === cseq?.seq &&
          (isRequest || e.code === parsed.code)
        ) {
          e.retransmissions++;
          break;
        }
      }
      return;
    }
    open.seen.add(key);
    const bySide: CallStep["by"] =
      open.callerTag === undefined || fromTag === undefined
        ? undefined
        : (fromTag === open.callerTag) === isRequest
          ? "caller"
          : "callee";
    const event: CallStep = {
      kind: isRequest ? "request" : "response",
      method,
      retransmissions: 0,
    };
    if (at !== undefined) event.at = at;
    if (!isRequest && parsed.code !== undefined) event.code = parsed.code;
    if (!isRequest && parsed.phrase) event.phrase = parsed.phrase;
    if (cseq) event.cseq = cseq.seq;
    if (message.src) event.src = message.src;
    if (message.dst) event.dst = message.dst;
    if (bySide) event.by = bySide;
    event.frame = message.frame ?? index;
    call.events.push(event);

    if (isRequest) {
      if (call.requestLine === undefined && method === call.method) {
        call.requestLine = message.text.slice(0, message.text.search(/\r?\n|$/));
      }
      if (method === call.method && open.inviteAt === undefined && message.time !== undefined)
        open.inviteAt = message.time;
      if (method === "CANCEL" || method === "BYE") {
        const end: CallEnd = {
          method,
          reasons: explainReasons(parsed.allReasons ?? readReasons(headers.reason ?? []), {
            method,
          }),
        };
        if (at !== undefined) end.at = at;
        if (bySide) end.by = bySide;
        if (message.src) end.src = message.src;
        if (method === "CANCEL") call.cancel ??= end;
        else call.bye ??= end;
      }
      return;
    }
    const code = parsed.code ?? 0;
    if (method === call.method) {
      if (code < 200) {
        const p: Call["provisional"][number] = { code };
        if (parsed.phrase) p.phrase = parsed.phrase;
        if (at !== undefined) p.at = at;
        call.provisional.push(p);
        if (code === 183 || (code > 100 && /sdp/i.test(headers["content-type"]?.[0] ?? "")))
          call.earlyMedia = true;
        if (
          (code === 180 || code === 183) &&
          open.firstRingAt === undefined &&
          message.time !== undefined
        )
          open.firstRingAt = message.time;
        return;
      }
      const current = call.final;
      const challenged = current !== undefined && (current.code === 401 || current.code === 407);
      const newAttempt =
        current !== undefined &&
        open.answeredAt === undefined &&
        cseq !== undefined &&
        open.finalSeq !== undefined &&
        cseq.seq > open.finalSeq;
      // The first final of each new attempt counts; a re-INVITE's answer (after a 2xx) does not.
      if (current === undefined || challenged || newAttempt) {
        if (code === 401 || code === 407) call.challenges++;
        const final: NonNullable<Call["final"]> = { code };
        if (parsed.phrase) final.phrase = parsed.phrase;
        if (at !== undefined) final.at = at;
        if (message.src) final.by = message.src;
        call.final = final;
        if (cseq) open.finalSeq = cseq.seq;
        open.finalText = message.text;
        if (code < 300 && message.time !== undefined) open.answeredAt = message.time;
        const challenge = code === 401 || code === 407;
        open.done = !challenge && (code >= 300 || call.method !== "INVITE");
      }
      return;
    }
    if (method === "BYE" && code >= 200) open.done = true;
  }

  #finish(id: string, open: Open, out: Call[]): void {
    this.#open.delete(id);
    // A copy, not a slice of the message text: a slice would keep the whole message alive.
    this.#closed.set(JSON.parse(JSON.stringify(id)) as string, this.#now ?? 0);
    out.push(conclude(open, this.#options));
  }
}

/** The user part of a From/To URI (the number), or the URI itself. */
function party(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const uri = uriOf(value);
  return userOf(uri) ?? (uri || undefined);
}

function seconds(ms: number | undefined): string {
  return ms === undefined ? "" : `${(ms / 1000).toFixed(1)} s`;
}

function reasonWords(reasons: readonly ReasonHeaderValue[]): string {
  return reasons
    .map((r) =>
      r.cause === undefined ? r.raw : `${r.protocol} ${r.cause}${r.text ? ` "${r.text}"` : ""}`,
    )
    .join(", ");
}

/** The shortest good words for why a final response ended the call. */
function whyOf(e: Explanation | undefined): string | undefined {
  if (!e) return undefined;
  const words =
    e.variant?.brief ??
    e.subCode?.text ??
    e.diagnostics?.[0]?.reason ??
    e.reasons?.find((r) => r.text)?.text ??
    e.hangup?.find((h) => h.causeName)?.causeName ??
    firstSentence(e.summary);
  const redress = e.redress?.[0]?.uri;
  return redress ? `${words} (redress: ${redress})` : words;
}

function firstSentence(text: string): string {
  const cut = text.split(/(?<=[.;:])\s/)[0] ?? text;
  return cut.replace(/[.;:]$/, "");
}

function conclude(open: Open, options: ExplainOptions): Call {
  const call = open.call;
  const invite = open.inviteAt;
  if (invite !== undefined && open.firstRingAt !== undefined)
    call.pddMs = open.firstRingAt - invite;
  if (open.firstRingAt !== undefined && call.final?.at !== undefined && call.start !== undefined)
    call.ringMs = call.start + call.final.at - open.firstRingAt;
  if (open.answeredAt !== undefined && call.bye?.at !== undefined && call.start !== undefined)
    call.talkMs = call.start + call.bye.at - open.answeredAt;

  let explanation: Explanation | undefined;
  if (call.final && open.finalText !== undefined) {
    const r = safeExplain(open.finalText, options);
    if (r.success) {
      explanation = r.data;
      call.final.explanation = r.data;
    }
  }
  const after =
    call.final?.at !== undefined && invite !== undefined && call.start !== undefined
      ? call.start + call.final.at - invite
      : call.final?.at;
  const final = call.final;
  let outcome: CallOutcome;
  let verdict: string;
  if (!final) {
    const requests = call.events.filter((e) => e.kind === "request" && e.method === call.method);
    const tries = (requests[0]?.retransmissions ?? 0) + 1;
    const midDialog = call.method === "BYE" || call.method === "CANCEL";
    if (midDialog) {
      const end = call.bye ?? call.cancel;
      outcome = "ended";
      verdict = end
        ? `Only the end of the call was captured: ${end.method} from the ${end.by ?? "unknown side"}${end.reasons.length ? ` (Reason ${reasonWords(end.reasons)})` : ""}.`
        : "Only the end of the call was captured.";
    } else if (call.provisional.length) {
      outcome = call.cancel ? "cancelled" : "in-progress";
      verdict = call.cancel
        ? `Cancelled by the ${call.cancel.by ?? "caller"} after ${seconds(call.cancel.at)}; no final response was captured.`
        : `Only provisional responses (${call.provisional.map((p) => p.code).join(", ")}) were seen: no final response in the input.`;
    } else if (requests.length) {
      outcome = "no-response";
      verdict = `No response to the ${call.method} was seen (sent ${tries} time${tries > 1 ? "s" : ""}): the far end did not answer, or the capture missed its answers.`;
    } else {
      outcome = "in-progress";
      verdict = "The input holds no request that starts this call and no final response.";
    }
  } else {
    outcome = explanation?.outcome ?? (final.code < 300 ? "answered" : "rejected");
    const head = `${final.code}${final.phrase ? ` ${final.phrase}` : ""}`;
    if (final.code >= 200 && final.code < 300 && call.method === "INVITE") {
      outcome = "answered";
      verdict = `Answered (${head}) after ${seconds(after) || "an unknown time"}${call.pddMs !== undefined ? ` (post-dial delay ${seconds(call.pddMs)})` : ""}`;
      if (call.bye)
        verdict += `, ended by the ${call.bye.by ?? "unknown side"} with BYE${call.talkMs !== undefined ? ` after ${seconds(call.talkMs)}` : ""}${call.bye.reasons.length ? ` (Reason ${reasonWords(call.bye.reasons)})` : ""}.`;
      else verdict += "; no BYE in the input, so the call may still be up.";
    } else if (final.code === 487 && call.cancel) {
      outcome = "cancelled";
      const elsewhere = call.cancel.reasons.find((r) => r.protocol === "SIP" && r.cause === 200);
      verdict = `Cancelled by the ${call.cancel.by ?? "caller"} after ${seconds(call.cancel.at) || "an unknown time"}${call.ringMs !== undefined ? ` (rang ${seconds(call.ringMs)})` : ""}${elsewhere ? ": the call was answered elsewhere" : ", before anyone answered"}${call.cancel.reasons.length ? ` (Reason ${reasonWords(call.cancel.reasons)})` : ""}.`;
    } else {
      verdict = `${head}${after !== undefined ? ` after ${seconds(after)}` : ""}: ${explanation ? explanation.summary : "not explained"}`;
    }
    if (call.challenges)
      verdict += ` ${call.challenges} authentication challenge${call.challenges > 1 ? "s" : ""} answered first.`;
    const why =
      final.code >= 300 || final.code < 200 || call.method !== "INVITE"
        ? whyOf(explanation)
        : undefined;
    if (why) call.why = why;
    call.actions = (explanation?.operator?.actions ?? [])
      .filter((a) => a.actor !== "end-user")
      .map((a) => a.text);
  }
  if (call.retransmissions)
    verdict += ` ${call.retransmissions} retransmission${call.retransmissions > 1 ? "s" : ""} folded.`;
  call.outcome = outcome;
  call.verdict = verdict;
  return call;
}

/** Groups messages into calls and explains each; calls come out in the order they began. */
export function explainCalls(
  messages: Iterable<DialogMessage>,
  options: CallTrackerOptions = {},
): { calls: Call[]; skipped: { index: number; reason: string }[] } {
  const tracker = new CallTracker(options);
  const calls: Call[] = [];
  for (const m of messages) calls.push(...tracker.push(m));
  calls.push(...tracker.end());
  calls.sort((a, b) => Number(a.id.slice(1)) - Number(b.id.slice(1)));
  return { calls, skipped: tracker.skipped };
}

/** One line for a call: `c9  +1202… -> +1310…  603 Network Blocked  why  after 0.4 s`. */
export function briefLine(call: Call): string {
  const parts = [call.id.padEnd(4)];
  const who = `${call.from ?? "?"} -> ${call.to ?? "?"}`;
  parts.push(call.method === "INVITE" ? who : `${call.method} ${who}`);
  const f = call.final;
  if (f) {
    parts.push(`${f.code}${f.phrase ? ` ${f.phrase}` : ""}`);
    if (call.outcome === "answered" && call.method === "INVITE") {
      parts.push(
        `answered${call.talkMs !== undefined ? `, talked ${seconds(call.talkMs)}` : ""}${call.bye ? `, BYE by ${call.bye.by ?? "?"}` : ""}`,
      );
    } else if (call.outcome === "cancelled" && call.cancel) {
      const elsewhere = call.cancel.reasons.some((r) => r.protocol === "SIP" && r.cause === 200);
      parts.push(
        `cancelled by ${call.cancel.by ?? "caller"}${elsewhere ? " (answered elsewhere)" : ""}`,
      );
    } else if (call.why) parts.push(call.why);
    const at = f.at;
    if (at !== undefined) parts.push(`after ${seconds(at)}`);
  } else {
    parts.push(call.outcome === "no-response" ? "no response" : call.outcome);
  }
  if (call.retransmissions) parts.push(`(${call.retransmissions} retransmitted)`);
  return parts.join("  ");
}
