import type { Call, CallEnd, CallStep } from "../schema/dialog.ts";
import type { Explanation } from "../schema/explanation.ts";
import { code, md } from "./_markdown.ts";
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

/** What a step was, where it went and how often it was sent again: the ladder's columns. */
function stepParts(e: CallStep): { what: string; path: string; again: string } {
  return {
    what:
      e.kind === "request"
        ? e.method
        : `${e.code}${e.phrase ? ` ${e.phrase}` : ""}${e.method !== "INVITE" ? ` (${e.method})` : ""}`,
    path: e.src && e.dst ? `${e.src} -> ${e.dst}` : e.by ? `from the ${e.by}` : "",
    again: e.retransmissions ? `+${e.retransmissions} retransmitted` : "",
  };
}

function label(e: CallStep): string {
  const { what, path, again } = stepParts(e);
  return `${what}${path ? `  ${path}` : ""}${again ? `  (${again})` : ""}`;
}

/** Post-dial delay, ringing, early media and talk time, as far as the call had them. */
function timing(call: Call): string[] {
  const out: string[] = [];
  if (call.pddMs !== undefined) out.push(`post-dial delay ${(call.pddMs / 1000).toFixed(1)} s`);
  if (call.ringMs !== undefined) out.push(`ringing ${(call.ringMs / 1000).toFixed(1)} s`);
  if (call.earlyMedia) out.push("early media (183)");
  if (call.talkMs !== undefined) out.push(`talk time ${(call.talkMs / 1000).toFixed(1)} s`);
  return out;
}

/** The CANCEL and BYE that carried a Reason. */
function ends(call: Call): CallEnd[] {
  return [call.cancel, call.bye].filter((end): end is CallEnd => Boolean(end?.reasons.length));
}

function reasonText(r: CallEnd["reasons"][number]): string {
  return r.cause === undefined
    ? r.raw
    : `${r.protocol} cause ${r.cause}${r.text ? ` "${r.text}"` : ""}${r.location ? ` location ${r.location}` : ""}`;
}

/** The final response is explained unless the call was answered or cancelled (nothing failed). */
function failure(call: Call): Explanation | undefined {
  const e = call.final?.explanation;
  return e && call.outcome !== "answered" && call.outcome !== "cancelled" ? e : undefined;
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
  const times = timing(call);
  if (times.length) lines.push(`  ${times.join(" · ")}`);
  for (const end of ends(call)) {
    lines.push(`  ${end.method} Reason:`);
    for (const r of end.reasons)
      lines.push(
        wrap(reasonText(r), width, "      ", "    - "),
        ...(r.meaning ? [wrap(r.meaning, width, "      ")] : []),
      );
  }
  const e = failure(call);
  if (e) {
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

/**
 * A call as Markdown, for tickets and chat: the same parts as the text view
 * (ladder as a table, verdict, timings, Reasons of CANCEL/BYE, the final
 * response explained, what to do, what to tell the caller), with the same
 * headings and escaping as `renderMarkdown` for a single message.
 */
export function renderCallMarkdown(call: Call): string {
  const out: string[] = [];
  out.push(`### ${md(`${call.id} · ${call.requestLine ?? call.method}`)}`);
  out.push("");
  out.push(
    `_Call-ID ${code(call.callId)}${call.from || call.to ? ` · from ${md(call.from ?? "?")} to ${md(call.to ?? "?")}` : ""}_`,
  );
  out.push("", "| at | message | path | retransmitted |", "|---:|---|---|---|");
  for (const e of call.events) {
    const { what, path, again } = stepParts(e);
    const at = e.at === undefined ? "" : `${(e.at / 1000).toFixed(3)} s`;
    out.push(`| ${at} | ${md(what)} | ${md(path)} | ${md(again)} |`);
  }
  out.push("", `**${md(call.verdict)}**`);
  const times = timing(call);
  if (times.length) out.push("", `_${md(times.join(" · "))}_`);
  for (const end of ends(call)) {
    out.push("", `**${end.method} Reason**`, "");
    for (const r of end.reasons) {
      out.push(`- ${code(reasonText(r))}${r.meaning ? `: ${md(r.meaning)}` : ""}`);
    }
  }
  const e = failure(call);
  if (e) {
    out.push(
      "",
      `**Final response ${e.code} ${md(call.final?.phrase ?? e.phrase)}** _(outcome ${md(e.outcome)}, profile ${md(e.profile.id)})_`,
      "",
      md(e.operator?.meaning ?? e.summary),
    );
    if (e.subCode) out.push("", `**Sub-code ${md(e.subCode.subCode)}**: ${md(e.subCode.meaning)}`);
    for (const s of messageSections(e)) {
      if (s.title === "Notes" || s.title.startsWith("Response to")) continue;
      out.push("", `**${md(s.title)}**`, "");
      for (const item of s.items) {
        out.push(`- ${md(item.text)}`);
        for (const sub of item.sub ?? []) out.push(`  ${md(sub)}`);
      }
    }
    if (call.actions.length) {
      out.push("", "**What to do**", "");
      for (const a of call.actions) out.push(`- ${md(a)}`);
    }
    out.push("", "**Tell the caller**", "", `> ${md(e.endUser.message)}`);
  }
  return `${out.join("\n")}\n`;
}
