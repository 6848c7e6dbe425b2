import type { Call, CallStep } from "../schema/dialog.ts";
import { messageSections } from "./_message.ts";

export interface CallRenderOptions {
  /** Wrap paragraphs at this many columns. Default 80. */
  width?: number;
}

function wrap(text: string, width: number, indent: string, first = indent): string {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent + word;
    } else line += (empty ? "" : " ") + word;
    empty = false;
  }
  lines.push(line);
  return lines.join("\n");
}

function offset(ms: number | undefined): string {
  return ms === undefined ? "        " : `${(ms / 1000).toFixed(3).padStart(7)}s`;
}

function label(e: CallStep): string {
  const what =
    e.kind === "request"
      ? e.method
      : `${e.code}${e.phrase ? ` ${e.phrase}` : ""}${e.method !== "INVITE" ? ` (${e.method})` : ""}`;
  const path = e.src && e.dst ? `  ${e.src} -> ${e.dst}` : e.by ? `  from the ${e.by}` : "";
  const again = e.retransmissions ? `  (+${e.retransmissions} retransmitted)` : "";
  return `${what}${path}${again}`;
}

/** A call as text: its ladder with time offsets, the verdict, the cause headers of the final response, and what to do. */
export function renderCallText(call: Call, options: CallRenderOptions = {}): string {
  const width = options.width ?? 80;
  const lines: string[] = [];
  lines.push(`${call.id}  ${call.requestLine ?? call.method}`);
  lines.push(
    `  Call-ID ${call.callId}${call.from || call.to ? `  from ${call.from ?? "?"} to ${call.to ?? "?"}` : ""}`,
  );
  lines.push("");
  for (const e of call.events) lines.push(`  ${offset(e.at)}  ${label(e)}`);
  lines.push("");
  lines.push(wrap(call.verdict, width, "  "));
  const timing: string[] = [];
  if (call.pddMs !== undefined) timing.push(`post-dial delay ${(call.pddMs / 1000).toFixed(1)} s`);
  if (call.ringMs !== undefined) timing.push(`ringing ${(call.ringMs / 1000).toFixed(1)} s`);
  if (call.earlyMedia) timing.push("early media (183)");
  if (call.talkMs !== undefined) timing.push(`talk time ${(call.talkMs / 1000).toFixed(1)} s`);
  if (timing.length) lines.push(`  ${timing.join(" · ")}`);
  for (const end of [call.cancel, call.bye]) {
    if (!end?.reasons.length) continue;
    lines.push(`  ${end.method} Reason:`);
    for (const r of end.reasons)
      lines.push(
        wrap(
          r.cause === undefined
            ? r.raw
            : `${r.protocol} cause ${r.cause}${r.text ? ` "${r.text}"` : ""}${r.location ? ` location ${r.location}` : ""}`,
          width,
          "      ",
          "    - ",
        ),
        ...(r.meaning ? [wrap(r.meaning, width, "      ")] : []),
      );
  }
  const e = call.final?.explanation;
  if (e && call.outcome !== "answered" && call.outcome !== "cancelled") {
    lines.push("");
    lines.push(
      `Final response ${e.code} ${call.final?.phrase ?? e.phrase}  (outcome ${e.outcome}, profile ${e.profile.id})`,
    );
    lines.push(wrap(e.operator?.meaning ?? e.summary, width, "  "));
    if (e.subCode)
      lines.push(wrap(`Sub-code ${e.subCode.subCode}: ${e.subCode.meaning}`, width, "  "));
    for (const s of messageSections(e)) {
      if (s.title === "Notes" || s.title.startsWith("Response to")) continue;
      lines.push(`  ${s.title}:`);
      for (const item of s.items) lines.push(wrap(item.text, width, "      ", "    - "));
    }
    if (call.actions.length) {
      lines.push("What to do:");
      for (const a of call.actions) lines.push(wrap(a, width, "    ", "  - "));
    }
    lines.push("Tell the caller:");
    lines.push(wrap(e.endUser.message, width, "  │ ", "  │ "));
  }
  return `${lines.join("\n")}\n`;
}
