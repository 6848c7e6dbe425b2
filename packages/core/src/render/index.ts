import { defaultRegistry } from "../profiles/registry.ts";
import type { Explanation } from "../schema/explanation.ts";
import type { ProfileOptions } from "../views/_profile.ts";
import { findGlossaryTerm } from "../views/glossary.ts";
import { code, md } from "./_markdown.ts";
import { messageSections } from "./_message.ts";

export interface TextRenderOptions extends ProfileOptions {
  /** Use ANSI colours (for a terminal that wants them). Default false. */
  color?: boolean;
  /** Wrap paragraphs at this many columns. Default 80. */
  width?: number;
  /** Add the definitions of the glossary terms the text uses. Default false. */
  glossary?: boolean;
}

const ansi = (code: string) => (text: string) => `\u001b[${code}m${text}\u001b[0m`;
const styles = {
  bold: ansi("1"),
  dim: ansi("2"),
  red: ansi("31"),
  green: ansi("32"),
  yellow: ansi("33"),
  cyan: ansi("36"),
};
const plain = (text: string) => text;

function wrap(text: string, width: number, indent: string, firstIndent = indent): string {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = firstIndent;
  let empty = true;
  for (const word of words) {
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent + word;
    } else {
      line += (empty ? "" : " ") + word;
    }
    empty = false;
  }
  lines.push(line);
  return lines.join("\n");
}

function colourFor(e: Explanation): (text: string) => string {
  if (e.class === "2xx") return styles.green;
  if (e.class === "1xx" || e.class === "3xx") return styles.cyan;
  if (e.outcome === "busy" || e.outcome === "cancelled" || e.outcome === "no-answer")
    return styles.yellow;
  return styles.red;
}

function headline(e: Explanation): string {
  const received = e.received && e.received.matches !== "standard" ? e.received.phrase : undefined;
  if (received) return `${e.code} ${received}`;
  return e.fallback ? `${e.code}` : `${e.code} ${e.profilePhrase ?? e.phrase}`;
}

function facts(e: Explanation): string[] {
  const out = [
    `class ${e.class} ${e.className}`,
    `outcome ${e.outcome}`,
    `profile ${e.profile.id}`,
  ];
  if (e.variant) out.push(e.variant.name);
  if (e.direction) out.push(e.direction);
  if (!e.registered && !e.fallback) out.push("unregistered");
  return out;
}

/** A plain-text rendering for a terminal. */
export function renderText(e: Explanation, options: TextRenderOptions = {}): string {
  const s = options.color
    ? styles
    : { bold: plain, dim: plain, red: plain, green: plain, yellow: plain, cyan: plain };
  const colour = options.color ? colourFor(e) : plain;
  const width = options.width ?? 80;
  const lines: string[] = [];
  if (e.audience === "end-user") {
    // What a caller should hear, and nothing an operator would need to decode.
    lines.push(s.bold(colour(headline(e))));
    lines.push(s.cyan(wrap(e.endUser.message, width, "  │ ", "  │ ")));
    for (const action of e.endUser.actions ?? []) lines.push(wrap(action, width, "    ", "  - "));
    return `${lines.join("\n")}\n`;
  }
  lines.push(s.bold(colour(headline(e))));
  lines.push(s.dim(wrap(facts(e).join(" · "), width, "  ")));
  if (((e.received && e.received.matches !== "standard") || e.profilePhrase) && !e.fallback) {
    lines.push(s.dim(`  standard phrase: ${e.phrase}`));
  }
  lines.push(wrap(e.summary, width, "  "));
  if (e.fallback) lines.push(s.yellow(wrap(e.fallback.note, width, "  ")));
  if (e.profile.note) lines.push(s.yellow(wrap(e.profile.note, width, "  ")));

  const section = (title: string) => {
    lines.push("");
    lines.push(s.bold(title));
  };
  if (e.operator) {
    section("What it means");
    lines.push(wrap(e.operator.meaning, width, "  "));
    if (e.operator.causes.length) {
      section("Likely causes");
      for (const cause of e.operator.causes) {
        lines.push(wrap(`${cause.text} ${s.dim(`[${cause.direction}]`)}`, width, "    ", "  - "));
      }
    }
    if (e.operator.actions.length) {
      section("What to do");
      for (const action of e.operator.actions) {
        const tag = action.direction ? `${action.actor}, ${action.direction}` : action.actor;
        lines.push(wrap(`${action.text} ${s.dim(`[${tag}]`)}`, width, "    ", "  - "));
      }
    }
  }
  if (e.subCode) {
    section(`Sub-code ${e.subCode.subCode}`);
    if (e.subCode.text) lines.push(wrap(`"${e.subCode.text}"`, width, "  "));
    lines.push(wrap(e.subCode.meaning, width, "  "));
    if (e.subCode.action) lines.push(wrap(`Action: ${e.subCode.action}`, width, "  "));
    if (e.subCode.mismatch) lines.push(s.yellow(wrap(e.subCode.mismatch.note, width, "  ")));
  }
  if (e.q850) {
    const title =
      e.q850.source === "reason-header" ? "Reason header (Q.850)" : "Q.850 mapping (RFC 3398)";
    section(title);
    lines.push(`  cause ${e.q850.cause} ${e.q850.name} ${s.dim(`(${e.q850.class})`)}`);
    if (e.q850.text) lines.push(`  text: "${e.q850.text}"`);
    if (e.q850.explanation) lines.push(wrap(e.q850.explanation, width, "  "));
    if (e.q850.note) lines.push(s.dim(wrap(e.q850.note, width, "  ")));
  }
  if (e.warnings?.length) {
    section("Warning header");
    for (const w of e.warnings) {
      lines.push(`  ${w.code} ${w.agent} "${w.text}"`);
      if (w.meaning) lines.push(wrap(w.meaning, width, "    "));
      if (w.action) lines.push(wrap(`Action: ${w.action}`, width, "    "));
    }
  }
  for (const m of messageSections(e)) {
    section(m.title);
    for (const item of m.items) {
      lines.push(wrap(item.text, width, "    ", "  - "));
      for (const sub of item.sub ?? []) lines.push(s.dim(wrap(sub, width, "      ", "      ")));
    }
  }
  section("Retry");
  const retry = [e.retry.retryable ? "can be retried" : "do not retry unchanged"];
  if (e.retry.after) {
    retry.push(
      `Retry-After ${e.retry.after.seconds}s${e.retry.after.comment ? ` (${e.retry.after.comment})` : ""}`,
    );
  }
  lines.push(wrap(`${retry.join("; ")}. ${e.retry.note}`, width, "  "));

  section("Tell the caller");
  lines.push(s.cyan(wrap(e.endUser.message, width, "  │ ", "  │ ")));
  for (const action of e.endUser.actions ?? []) lines.push(wrap(action, width, "    ", "  - "));

  if (e.related?.length) {
    section("Not to be confused with");
    for (const r of e.related)
      lines.push(wrap(`${r.code} ${r.phrase}: ${r.note}`, width, "    ", "  - "));
  }
  if (options.glossary && e.terms?.length) {
    section("Terms");
    const through = glossaryProfile(e, options);
    for (const term of e.terms) {
      const entry = findGlossaryTerm(term, through);
      if (entry) lines.push(wrap(`${entry.term}: ${entry.definition}`, width, "    ", "  - "));
    }
  }
  lines.push("");
  lines.push(s.dim(`References: ${e.references.join(", ")}`));
  if (e.skipped?.length) lines.push(s.dim(`Ignored unreadable parts: ${e.skipped.join("; ")}`));
  return `${lines.join("\n")}\n`;
}

/**
 * Which profile the Terms section reads the glossary through: the one the
 * explanation was made under (a phrase may have chosen it), so terms that
 * profile adds are defined. A profile object passed in (a user's file) is used
 * when it is that profile; otherwise the profile is looked up by id, and a
 * profile that cannot be found leaves the shared glossary alone.
 */
function glossaryProfile(e: Explanation, options: ProfileOptions): ProfileOptions {
  const { profile } = options;
  if (typeof profile === "object" && profile?.id === e.profile.id) return options;
  const registry = options.registry ?? defaultRegistry();
  return registry.get(e.profile.id) ? { profile: e.profile.id, registry } : {};
}

/** A Markdown rendering for chat messages and tickets. */
export function renderMarkdown(e: Explanation): string {
  const out: string[] = [];
  out.push(`### ${md(headline(e))}`);
  out.push("");
  out.push(`**${md(e.summary)}**`);
  out.push("");
  out.push(`_${md(facts(e).join(" · "))}_`);
  for (const note of [e.fallback?.note, e.profile.note]) {
    if (note) out.push("", `> ${md(note)}`);
  }
  if (e.operator) {
    out.push("", "**What it means**", "", md(e.operator.meaning));
    if (e.operator.causes.length) {
      out.push("", "**Likely causes**", "");
      for (const c of e.operator.causes) out.push(`- ${md(c.text)} _(${c.direction})_`);
    }
    if (e.operator.actions.length) {
      out.push("", "**What to do**", "");
      for (const a of e.operator.actions) {
        out.push(`- ${md(a.text)} _(${a.actor}${a.direction ? `, ${a.direction}` : ""})_`);
      }
    }
  }
  if (e.subCode) {
    out.push("", `**Sub-code ${md(e.subCode.subCode)}**: ${md(e.subCode.meaning)}`);
    if (e.subCode.action) out.push("", md(e.subCode.action));
    if (e.subCode.mismatch) out.push("", `> ${md(e.subCode.mismatch.note)}`);
  }
  if (e.q850) {
    out.push(
      "",
      `**Q.850 cause ${e.q850.cause}** (${md(e.q850.name)}${e.q850.source === "rfc3398" ? ", RFC 3398 mapping" : ", from the Reason header"}): ${md(e.q850.explanation)}`,
    );
  }
  for (const w of e.warnings ?? []) {
    out.push("", `**Warning ${w.code}** ${code(w.text)}${w.meaning ? `: ${md(w.meaning)}` : ""}`);
  }
  for (const m of messageSections(e)) {
    out.push("", `**${md(m.title)}**`, "");
    for (const item of m.items) {
      out.push(`- ${md(item.text)}`);
      for (const sub of item.sub ?? []) out.push(`  ${md(sub)}`);
    }
  }
  out.push(
    "",
    `**Retry:** ${e.retry.retryable ? "can be retried" : "do not retry unchanged"}${e.retry.after ? ` (Retry-After ${e.retry.after.seconds}s)` : ""}. ${md(e.retry.note)}`,
  );
  out.push("", "**Tell the caller**", "", `> ${md(e.endUser.message)}`);
  if (e.related?.length) {
    out.push("", "**Not to be confused with**", "");
    for (const r of e.related) out.push(`- **${r.code} ${md(r.phrase)}**: ${md(r.note)}`);
  }
  out.push("", `_References: ${md(e.references.join(", "))}_`);
  return `${out.join("\n")}\n`;
}
