// The parts of an explanation that come from a whole message's headers, as
// titled sections of plain lines; the text and Markdown renderers format them.
import type { Explanation } from "../schema/explanation.ts";

export interface Section {
  title: string;
  /** Each item is one paragraph; `sub` items are indented under it. */
  items: { text: string; sub?: string[] }[];
}

/** Sections for the headers that name the cause and the sender, in reading order. */
export function messageSections(e: Explanation): Section[] {
  const out: Section[] = [];
  if (e.request) {
    out.push({
      title: e.request.isRequest
        ? `${e.request.method} request`
        : `Response to ${e.request.method}`,
      items: e.request.note ? [{ text: e.request.note }] : [],
    });
  }
  if (e.reasons?.length) {
    out.push({
      title: e.reasons.length > 1 ? "Reason header values" : "Reason header",
      items: e.reasons.map((r) => {
        const head =
          r.cause === undefined
            ? r.raw
            : `${r.protocol} cause ${r.cause}${r.name ? ` ${r.name}` : ""}${r.text ? ` "${r.text}"` : ""}${r.location ? ` location ${r.location}${r.locationName ? ` (${r.locationName})` : ""}` : ""}`;
        return { text: head, ...(r.meaning ? { sub: [r.meaning] } : {}) };
      }),
    });
  }
  if (e.diagnostics?.length) {
    out.push({
      title: "Diagnostics",
      items: e.diagnostics.map((d) => ({
        text: `${d.header}: ${d.code}${d.reason ? ` "${d.reason}"` : ""}${d.source ? ` from ${d.source}` : ""}`,
      })),
    });
  }
  if (e.hangup?.length) {
    out.push({
      title: "PBX hangup headers",
      items: e.hangup.map((h) => ({
        text: `${h.header}: ${h.value}${h.cause !== undefined ? ` (Q.850 cause ${h.cause}${h.causeName ? ` ${h.causeName}` : ""})` : ""}`,
      })),
    });
  }
  if (e.redress?.length) {
    out.push({
      title: "Redress (dispute the block)",
      items: e.redress.map((c) => ({ text: `${c.uri} (Call-Info purpose=${c.purpose})` })),
    });
  }
  const c = e.codeHeaders;
  if (c) {
    const items: Section["items"] = [];
    if (c.minSe !== undefined)
      items.push({
        text: `Min-SE ${c.minSe}: send Session-Expires of at least ${c.minSe} seconds and try again.`,
      });
    if (c.unsupported)
      items.push({
        text: `Unsupported: ${c.unsupported.join(", ")}: send the request again without requiring these.`,
      });
    if (c.allow)
      items.push({ text: `Allow: ${c.allow.join(", ")}: the methods the far end accepts.` });
    if (c.permissionMissing)
      items.push({
        text: `Permission-Missing: ${c.permissionMissing.join(", ")}: consent (RFC 5360) is still needed for these.`,
      });
    if (c.authStale !== undefined)
      items.push({
        text: c.authStale
          ? "stale=true: the credentials were right but the nonce had expired; the client should answer the new challenge without asking for a password."
          : "No stale=true: the credentials themselves were refused or missing.",
      });
    for (const r of c.redirect ?? [])
      items.push({
        text: `Contact ${r.uri}${r.rn ? ` (ported: routing number ${r.rn})` : ""}${r.npdi ? " (npdi: number portability already looked up)" : ""}`,
      });
    if (items.length) out.push({ title: "Headers this code asks to read", items });
  }
  const p = e.producedBy;
  if (p && (p.server || p.userAgent || p.toTag)) {
    const items: Section["items"] = [];
    if (p.server) items.push({ text: `Server: ${p.server}` });
    if (p.userAgent) items.push({ text: `User-Agent: ${p.userAgent}` });
    if (p.toTag)
      items.push({
        text: `To tag ${p.toTag}: the response came from the user agent (or proxy) that set this tag.`,
      });
    else if (e.final)
      items.push({
        text: "No To tag: a proxy or SBC on the path answered, not the called user agent.",
      });
    out.push({ title: "Who produced this response", items });
  }
  if (e.inputNotes?.length)
    out.push({ title: "Notes", items: e.inputNotes.map((text) => ({ text })) });
  return out;
}
