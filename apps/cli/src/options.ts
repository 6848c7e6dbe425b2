import type { Direction } from "@sipcodes/core";

const DIRECTIONS: Record<string, Direction> = {
  inbound: "inbound",
  in: "inbound",
  outbound: "outbound",
  out: "outbound",
};

/** --direction as people type it: inbound/outbound or in/out, in any case; undefined otherwise. */
export function normalizeDirection(value: string): Direction | undefined {
  return DIRECTIONS[value.trim().toLowerCase()];
}

/** The accepted spellings, for help and completion. */
export const DIRECTION_WORDS = ["inbound", "outbound", "in", "out"] as const;

/**
 * A --profile value as given: a built-in id in any case becomes that id
 * ("JOLA" → "jola"); anything else (a file path) is kept as it is.
 */
export function normalizeProfile(value: string, ids: readonly string[]): string {
  const lower = value.trim().toLowerCase();
  return ids.includes(lower) ? lower : value;
}

const FORMATS: Record<string, "text" | "markdown"> = {
  text: "text",
  markdown: "markdown",
  md: "markdown",
};

/** explain's --format as people type it: text, markdown or md, in any case; undefined otherwise. */
export function normalizeFormat(value: string): "text" | "markdown" | undefined {
  return FORMATS[value.trim().toLowerCase()];
}

/** The accepted spellings of explain's --format, for help and completion. */
export const FORMAT_WORDS = ["text", "markdown", "md"] as const;
