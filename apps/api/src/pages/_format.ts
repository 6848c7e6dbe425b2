/**
 * Formatting only: how a fact from the core becomes a link or a label.
 * No SIP knowledge lives here; the words come from the core's data.
 */
import { DEFAULT_PROFILE } from "@sipcodes/core";

/** `RFC 3261 §21.4.24` to its page on rfc-editor.org (the section anchor where one is named). */
export function rfcHref(reference: string): string | undefined {
  const match = /^RFC ?(\d{3,5})(?: §(\d+(?:\.\d+)*))?$/.exec(reference);
  if (!match) return undefined;
  const [, number, section] = match;
  return `https://www.rfc-editor.org/rfc/rfc${number}${section ? `#section-${section}` : ""}`;
}

/** A query string of the options that differ from the defaults, in a fixed order (canonical URLs). */
export function queryOf(options: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined || value === "") continue;
    if (key === "profile" && value === DEFAULT_PROFILE) continue;
    if (key === "audience" && value === "operator") continue;
    params.set(key, value);
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

export const codeHref = (code: number, profile?: string) => `/codes/${code}${queryOf({ profile })}`;
export const q850Href = (cause: number, profile?: string) =>
  `/q850/${cause}${queryOf({ profile })}`;
export const termHref = (term: string, profile?: string) =>
  `/glossary/${encodeURIComponent(term)}${queryOf({ profile })}`;

/** Shortens text for a meta description, at a word boundary. */
export function clip(text: string, max = 160): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${cut.slice(0, space > 60 ? space : cut.length)}…`;
}
